"""Label a rep utterance as open question, closed question, reflection or other, with a small shipped model.

The model averages, in log-probability, two multinomial logistic regressions over word and character n-gram
TF-IDF and a few handcrafted cues (see `utterance_features`), one of them on features scaled by their
log-count ratios (NB-SVM), trained by `training/train_utterance_model.py` and evaluated on it in numpy,
so the app needs no machine-learning library at run time. The model decides whether an utterance asks; the
question phrases the analysis uses (see `question_phrases`) decide open or closed wherever they recognise one.
"""

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from coach_app.analysis.encoder import DIMENSIONS, shipped_encoder
from coach_app.analysis.question_phrases import utterance_question_kind
from coach_app.analysis.text import utterance_text
from coach_app.analysis.utterance_features import (
    char_terms,
    ends_with_question,
    handcrafted_features,
    is_punctuated,
    word_terms,
)
from coach_app.errors import ModelError
from coach_app.paths import resource

LABELS = ("open_question", "closed_question", "reflection", "other")
QUESTION_LABELS = frozenset({"open_question", "closed_question"})
MODEL_FILE = "utterance_classifier.npz"


@dataclass(frozen=True)
class UtteranceLabel:
    """One utterance's label, how sure the model is of it (for a question, that the utterance asks at all), and the
    model's probability of every label."""

    label: str
    confidence: float
    probabilities: dict[str, float]


@dataclass(frozen=True)
class TermBlock:
    """One TF-IDF block: term → column, inverse document frequencies, and the block's weight."""

    columns: dict[str, int]
    idf: np.ndarray
    weight: float

    def vector(self, terms: list[str]) -> tuple[np.ndarray, np.ndarray]:
        counts = Counter(term for term in terms if term in self.columns)
        if not counts:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        columns = np.fromiter((self.columns[term] for term in counts), dtype=np.int64, count=len(counts))
        values = np.fromiter((1.0 + math.log(n) for n in counts.values()), dtype=np.float64, count=len(counts))
        values *= self.idf[columns]
        values *= self.weight / np.linalg.norm(values)
        return columns, values


@dataclass(frozen=True)
class UtteranceModel:
    """The exported classifier: feature blocks and per-label weights, evaluated with numpy."""

    labels: tuple[str, ...]
    words: TermBlock
    chars: TermBlock
    question_coef: np.ndarray  # (word and character features,): does an unpunctuated utterance end with a question?
    question_intercept: float
    cue_columns: dict[str, int]
    cue_weight: float
    coef: np.ndarray  # (features, labels)
    intercept: np.ndarray  # (labels,)
    weighted_coef: np.ndarray  # (features, labels): the log-count-ratio classifier's, its scale folded in
    weighted_intercept: np.ndarray  # (labels,)
    weighted_share: float
    offsets: np.ndarray  # (labels,): added to the averaged log-probabilities
    embedding_weight: float  # the sentence embedding's block weight (its columns come after the cues)

    def probabilities(self, text: str, prev_text: str = "", embedding: np.ndarray | None = None) -> np.ndarray:
        """Each label's probability, in the order of `labels` (`embedding`: the text's sentence embedding; without
        it, as when the encoder is missing, the embedding block adds nothing)."""
        word_cols, word_vals = self.words.vector(word_terms(text, prev_text))
        char_cols, char_vals = self.chars.vector(char_terms(text))
        ngram_cols = np.concatenate([word_cols, char_cols + len(self.words.idf)])
        ngram_vals = np.concatenate([word_vals, char_vals])
        if is_punctuated(text):
            question_prob = float(ends_with_question(text))
        else:
            question_score = self.question_intercept + ngram_vals @ self.question_coef[ngram_cols]
            question_prob = 1.0 / (1.0 + math.exp(-question_score))
        offset = len(self.words.idf) + len(self.chars.idf)
        cues = [
            (offset + self.cue_columns[name], value * self.cue_weight)
            for name, value in handcrafted_features(text, prev_text, question_prob).items()
            if name in self.cue_columns
        ]
        columns = np.concatenate([ngram_cols, np.array([col for col, _ in cues], dtype=np.int64)])
        values = np.concatenate([ngram_vals, np.array([value for _, value in cues], dtype=np.float64)])
        plain_scores = self.intercept + values @ self.coef[columns]
        weighted_scores = self.weighted_intercept + values @ self.weighted_coef[columns]
        if embedding is not None:
            dense = embedding * self.embedding_weight
            plain_scores = plain_scores + dense @ self.coef[-DIMENSIONS:]
            weighted_scores = weighted_scores + dense @ self.weighted_coef[-DIMENSIONS:]
        plain = _log_softmax(plain_scores)
        weighted = _log_softmax(weighted_scores)
        scores = (1 - self.weighted_share) * plain + self.weighted_share * weighted + self.offsets
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()


def _log_softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max()
    return shifted - math.log(float(np.exp(shifted).sum()))


def load_model(path: Path) -> UtteranceModel:
    """Read an exported classifier; a missing or damaged file raises ModelError naming it."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return _model_from({name: data[name] for name in data.files})
    except (OSError, ValueError, KeyError, IndexError) as exc:
        raise ModelError(
            f"The utterance classifier {path} cannot be read ({exc}); reinstall Listening Coach or rerun "
            "training/train_utterance_model.py."
        ) from exc


def _model_from(arrays: dict[str, np.ndarray]) -> UtteranceModel:
    labels = tuple(str(label) for label in arrays["labels"])
    offsets = arrays["offsets"].astype(np.float64)
    if offsets.shape != (len(labels),):
        raise ValueError(f"its offsets have shape {offsets.shape}, not ({len(labels)},): it is from another version")
    block_weights = arrays["block_weights"]
    return UtteranceModel(
        labels=labels,
        words=TermBlock(term_columns(arrays["word_terms"]), arrays["word_idf"], float(block_weights[0])),
        chars=TermBlock(term_columns(arrays["char_terms"]), arrays["char_idf"], float(block_weights[1])),
        question_coef=arrays["question_coef"].astype(np.float64),
        question_intercept=float(arrays["question_intercept"][0]),
        cue_columns=term_columns(arrays["cue_names"]),
        cue_weight=float(block_weights[2]),
        coef=arrays["coef"].astype(np.float64),
        intercept=arrays["intercept"].astype(np.float64),
        weighted_coef=arrays["weighted_coef"].astype(np.float64),
        weighted_intercept=arrays["weighted_intercept"].astype(np.float64),
        weighted_share=float(arrays["weighted_share"][0]),
        offsets=offsets,
        embedding_weight=float(block_weights[3]),
    )


def term_columns(joined_terms: np.ndarray) -> dict[str, int]:
    """Term → column from the newline-joined UTF-8 terms the training script stores (fast to load)."""
    terms = joined_terms.tobytes().decode("utf-8").split("\n")
    return dict(zip(terms, range(len(terms)), strict=True))


@lru_cache(maxsize=1)
def shipped_model() -> UtteranceModel:
    """The classifier shipped in resources/models, loaded once."""
    return load_model(resource("models", MODEL_FILE))


def question_type(model_label: str, text: str) -> str:
    """The model's label, except that a question's phrases, when they have a type, say open or closed."""
    if model_label not in QUESTION_LABELS:
        return model_label
    return utterance_question_kind(utterance_text(text)) or model_label


def sentence_embedding(text: str) -> np.ndarray | None:
    """The text's sentence embedding, or None when the encoder cannot be loaded (the analysis then says so)."""
    try:
        return shipped_encoder().encode_one(text)
    except ModelError:
        return None


def classify(text: str, prev_text: str = "") -> UtteranceLabel:
    """Label one rep utterance, given the customer's previous utterance (empty if none)."""
    model = shipped_model()
    probs = model.probabilities(text, prev_text, sentence_embedding(text))
    by_label = {label: float(p) for label, p in zip(model.labels, probs, strict=True)}
    label = question_type(model.labels[int(np.argmax(probs))], text)
    confidence = sum(by_label[q] for q in QUESTION_LABELS) if label in QUESTION_LABELS else by_label[label]
    return UtteranceLabel(label=label, confidence=confidence, probabilities=by_label)


def classify_many(pairs: Sequence[tuple[str, str]]) -> list[UtteranceLabel]:
    """Label many (utterance, previous customer utterance) pairs."""
    return [classify(text, prev_text) for text, prev_text in pairs]
