"""Train the utterance classifier, print cross-validated figures, and export it for numpy inference.

Run by hand: `.venv/bin/python training/train_utterance_model.py [--data FILE.csv] [--out FILE.npz] [--folds N]`.
Cross-validation is grouped by conversation (GroupKFold, 5 folds unless told), so no conversation is both trained and
scored; each fold is scored on the text as it is and on its speech-recognition-like form. Every row is
trained on in both forms, so one model serves typed and recognised text. Deterministic: same data, same file.
"""

import argparse
import csv
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction import DictVectorizer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import classification_report, f1_score
from sklearn.model_selection import GroupKFold
from threadpoolctl import threadpool_limits

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "training"))

from embedding_cache import cached_views  # noqa: E402
from npz_export import write_npz  # noqa: E402

from coach_app.analysis.encoder import shipped_encoder  # noqa: E402
from coach_app.analysis.question_phrases import utterance_question_kind  # noqa: E402
from coach_app.analysis.text import utterance_text  # noqa: E402
from coach_app.analysis.utterance_features import (  # noqa: E402
    asr_normalise,
    char_terms,
    ends_with_question,
    handcrafted_features,
    is_punctuated,
    word_terms,
)
from coach_app.analysis.utterances import LABELS, MODEL_FILE, QUESTION_LABELS  # noqa: E402

DEFAULT_DATA = REPO / "data" / "annomi" / "listening-dev.csv"
DEFAULT_OUT = REPO / "resources" / "models" / MODEL_FILE
BLOCK_WEIGHTS = (1.0, 1.0, 0.5, 0.6)  # words, characters, handcrafted cues, the sentence embedding
CACHE = REPO / "build" / "utterance_embeddings.npz"
C = 1.0  # both classifiers' inverse regularisation
NB_SHARE = 0.5  # weight of the log-count-ratio-scaled classifier in the averaged log-probabilities
NB_ALPHA = 1.0  # smoothing of the log-count ratios
QUESTION_C = 4.0  # the question-ending estimator's
MIN_DF = 2


@dataclass
class Rows:
    """Utterances with the customer's previous utterance, labels, conversation ids, and whether they end with `?`."""

    texts: list[str]
    prevs: list[str]
    labels: list[str]
    groups: list[str]
    asks: list[bool]  # the typed utterance's last sentence mark is `?` (kept for its recognised form)

    def subset(self, index) -> "Rows":
        return Rows(*([column[i] for i in index] for column in self._columns()))

    def asr(self) -> "Rows":
        """The same rows as speech recognition would give them."""
        texts = [asr_normalise(t) for t in self.texts]
        return Rows(texts, [asr_normalise(p) for p in self.prevs], self.labels, self.groups, self.asks)

    def __add__(self, other: "Rows") -> "Rows":
        return Rows(*(a + b for a, b in zip(self._columns(), other._columns(), strict=True)))

    def _columns(self) -> tuple[list, ...]:
        return (self.texts, self.prevs, self.labels, self.groups, self.asks)


def read_rows(path: Path) -> Rows:
    with path.open(newline="", encoding="utf-8") as handle:
        records = list(csv.DictReader(handle))
    return Rows(
        [r["utterance_text"] for r in records],
        [r["prev_client_text"] for r in records],
        [r["label"] for r in records],
        [r["transcript_id"] for r in records],
        [ends_with_question(r["utterance_text"]) for r in records],
    )


def _identity(terms: list[str]) -> list[str]:
    return terms


class Featurizer:
    """Word TF-IDF, character TF-IDF and handcrafted cues, each block scaled by its weight, side by side.

    The sentence encoder's embedding of the utterance is a fourth, dense block (from `EMBEDDINGS`, filled by `main`).
    One cue is the chance that the utterance ends with a question: its `?` when punctuated, else the estimate of
    a logistic regression on the n-gram blocks (`question`), trained on the recognised form of typed questions.
    """

    def __init__(self, block_weights: tuple[float, ...] = BLOCK_WEIGHTS, min_df: int = MIN_DF):
        self.block_weights = block_weights
        self.words = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=min_df)
        self.chars = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, min_df=min_df)
        self.question = LogisticRegression(C=QUESTION_C, max_iter=5000)
        self.cues = DictVectorizer()

    def _ngrams(self, rows: Rows, fit: bool = False) -> sparse.csr_matrix:
        words = [word_terms(t, p) for t, p in zip(rows.texts, rows.prevs, strict=True)]
        chars = [char_terms(t) for t in rows.texts]
        if fit:
            blocks = (self.words.fit_transform(words), self.chars.fit_transform(chars))
        else:
            blocks = (self.words.transform(words), self.chars.transform(chars))
        return sparse.hstack([b * w for b, w in zip(blocks, self.block_weights[:2], strict=True)]).tocsr()

    @property
    def ngram_columns(self) -> int:
        return len(self.words.idf_) + len(self.chars.idf_)

    def _cues(self, rows: Rows, question_probs: np.ndarray) -> list[dict[str, float]]:
        return [
            handcrafted_features(t, p, float(q)) for t, p, q in zip(rows.texts, rows.prevs, question_probs, strict=True)
        ]

    def fit_transform(self, rows: Rows) -> sparse.csr_matrix:
        """Fit on training rows; their question cue comes from out-of-fold estimates, as unseen rows' will."""
        ngrams = self._ngrams(rows, fit=True)
        unpunctuated = np.array([not is_punctuated(t) for t in rows.texts])
        asks = np.array(rows.asks, dtype=float)
        question_probs = asks.copy()
        index = np.flatnonzero(unpunctuated)
        groups = np.array(rows.groups)[index]
        for inner_train, inner_test in GroupKFold(n_splits=5).split(index, groups=groups):
            model = LogisticRegression(C=QUESTION_C, max_iter=5000)
            model.fit(ngrams[index[inner_train]], asks[index[inner_train]])
            question_probs[index[inner_test]] = model.predict_proba(ngrams[index[inner_test]])[:, 1]
        self.question.fit(ngrams[index], asks[index])
        cues = self.cues.fit_transform(self._cues(rows, question_probs))
        return sparse.hstack([ngrams, cues * self.block_weights[2], self._embeddings(rows)]).tocsr()

    def transform(self, rows: Rows) -> sparse.csr_matrix:
        ngrams = self._ngrams(rows)
        question_probs = np.array([float(ends_with_question(t)) for t in rows.texts])
        unpunctuated = np.flatnonzero([not is_punctuated(t) for t in rows.texts])
        if len(unpunctuated):
            question_probs[unpunctuated] = self.question.predict_proba(ngrams[unpunctuated])[:, 1]
        cues = self.cues.transform(self._cues(rows, question_probs))
        return sparse.hstack([ngrams, cues * self.block_weights[2], self._embeddings(rows)]).tocsr()

    def _embeddings(self, rows: Rows) -> np.ndarray:
        missing = sorted(set(rows.texts) - EMBEDDINGS.keys())
        if missing:
            EMBEDDINGS.update(zip(missing, shipped_encoder().encode_views(missing), strict=True))
        return np.vstack([EMBEDDINGS[t][0] for t in rows.texts]) * self.block_weights[3]


EMBEDDINGS: dict[str, np.ndarray] = {}  # text → encoder views (`main` fills it from the build/ cache)


def new_classifier() -> LogisticRegression:
    return LogisticRegression(C=C, max_iter=5000, class_weight="balanced")


def log_count_ratio_scale(features: sparse.csr_matrix, labels: list[str], ngram_columns: int) -> np.ndarray:
    """Each n-gram column's largest |log-count ratio| of one label against the rest (NB-SVM, Wang & Manning 2012).

    Cue columns keep a scale of 1.
    """
    present = (features[:, :ngram_columns] > 0).astype(np.float64).tocsc()
    labels_array = np.array(labels)
    ratios = []
    for label in sorted(set(labels)):
        mask = labels_array == label
        inside = np.asarray(present[mask].sum(axis=0)).ravel() + NB_ALPHA
        outside = np.asarray(present[~mask].sum(axis=0)).ravel() + NB_ALPHA
        ratios.append(np.abs(np.log((inside / inside.sum()) / (outside / outside.sum()))))
    return np.concatenate([np.max(ratios, axis=0), np.ones(features.shape[1] - ngram_columns)])


@dataclass
class Ensemble:
    """A logistic regression on the features and one on their log-count-ratio-scaled copy, averaged in
    log-probability, plus per-label offsets; its probabilities are the softmax of that average."""

    plain: LogisticRegression
    weighted: LogisticRegression
    scale: np.ndarray
    offsets: np.ndarray

    @property
    def classes_(self) -> np.ndarray:
        return self.plain.classes_

    def scores(self, features: sparse.csr_matrix) -> np.ndarray:
        """Averaged log-probabilities plus offsets, one column per class."""
        weighted = self.weighted.predict_log_proba(features @ sparse.diags(self.scale))
        return (1 - NB_SHARE) * self.plain.predict_log_proba(features) + NB_SHARE * weighted + self.offsets

    def predict_proba(self, features: sparse.csr_matrix) -> np.ndarray:
        scores = self.scores(features)
        exp = np.exp(scores - scores.max(axis=1, keepdims=True))
        return exp / exp.sum(axis=1, keepdims=True)

    def predict(self, features: sparse.csr_matrix, phrase_kinds: np.ndarray) -> np.ndarray:
        """Labels as `classify` gives them (see `decide`)."""
        return decide(self.scores(features), self.classes_, phrase_kinds)


def phrase_kinds(texts: list[str]) -> np.ndarray:
    """How the question phrases type each utterance ("" when they don't)."""
    return np.array([utterance_question_kind(utterance_text(t)) or "" for t in texts], dtype=object)


def decide(scores: np.ndarray, classes: np.ndarray, kinds: np.ndarray) -> np.ndarray:
    """The best-scoring label, except that a question takes its phrases' type when they have one (as in
    `utterances.question_type`)."""
    labels = classes[np.argmax(scores, axis=1)].astype(object)
    typed = np.isin(labels, list(QUESTION_LABELS)) & (kinds != "")
    labels[typed] = kinds[typed]
    return labels


def fit(rows: Rows, tune_offsets: bool = True) -> tuple[Featurizer, Ensemble]:
    """Fit on the rows as they are and in their recognised form; then shift each label's score so that
    macro-F1 of the final labels is best on out-of-fold predictions (inner GroupKFold), typed and recognised
    together."""
    featurizer, classifier = _fit_once(rows)
    if tune_offsets:
        scores, kinds, labels = [], [], []
        for inner_train, inner_test in GroupKFold(n_splits=5).split(rows.texts, groups=rows.groups):
            inner_featurizer, inner_classifier = _fit_once(rows.subset(inner_train))
            held_out = rows.subset(inner_test)
            for variant in (held_out, held_out.asr()):
                scores.append(inner_classifier.scores(inner_featurizer.transform(variant)))
                kinds.append(phrase_kinds(variant.texts))
                labels += variant.labels
        classifier.offsets = best_offsets(np.vstack(scores), np.concatenate(kinds), labels, classifier.classes_)
    return featurizer, classifier


def _fit_once(rows: Rows) -> tuple[Featurizer, Ensemble]:
    training = rows + rows.asr()
    featurizer = Featurizer()
    # One BLAS thread: L-BFGS on this size runs many times slower when threads fight over a busy machine.
    with threadpool_limits(limits=1):
        features = featurizer.fit_transform(training)
        scale = log_count_ratio_scale(features, training.labels, featurizer.ngram_columns)
        plain = new_classifier().fit(features, training.labels)
        weighted = new_classifier().fit(features @ sparse.diags(scale), training.labels)
    return featurizer, Ensemble(plain, weighted, scale, np.zeros(len(plain.classes_)))


def best_offsets(scores: np.ndarray, kinds: np.ndarray, labels: list[str], classes: np.ndarray) -> np.ndarray:
    """Per-label score offsets (coordinate search on a 0.1 grid) that maximise the final labels' macro-F1."""
    offsets = np.zeros(len(classes))

    def macro_f1(candidate: np.ndarray) -> float:
        return f1_score(labels, decide(scores + candidate, classes, kinds), average="macro")

    best = macro_f1(offsets)
    for _ in range(3):
        for k in range(len(classes)):
            for value in np.round(np.arange(-1.0, 1.01, 0.1), 1):
                candidate = offsets.copy()
                candidate[k] = value
                score = macro_f1(candidate)
                if score > best + 1e-9:
                    best, offsets = score, candidate
    return offsets


def cross_validate(rows: Rows, folds: int = 5) -> dict[str, list[str]]:
    """Out-of-fold predictions for the original and the recognised-style text, grouped by conversation."""
    predicted = {"original": [""] * len(rows.texts), "asr": [""] * len(rows.texts)}
    for train_index, test_index in GroupKFold(n_splits=folds).split(rows.texts, groups=rows.groups):
        featurizer, classifier = fit(rows.subset(train_index))
        test = rows.subset(test_index)
        for variant, variant_rows in (("original", test), ("asr", test.asr())):
            labels = classifier.predict(featurizer.transform(variant_rows), phrase_kinds(variant_rows.texts))
            for i, label in zip(test_index, labels, strict=True):
                predicted[variant][i] = label
    return predicted


def export(featurizer: Featurizer, classifier: Ensemble, path: Path) -> None:
    """Write the fitted parameters as a deterministic compressed .npz (fixed member dates), atomically."""

    def terms(vectorizer) -> np.ndarray:
        ordered = sorted(vectorizer.vocabulary_, key=vectorizer.vocabulary_.get)
        return np.frombuffer("\n".join(ordered).encode("utf-8"), dtype=np.uint8)

    arrays = {
        "labels": np.array(classifier.classes_, dtype=str),
        "block_weights": np.array(featurizer.block_weights, dtype=np.float64),
        "word_terms": terms(featurizer.words),
        "word_idf": featurizer.words.idf_,
        "char_terms": terms(featurizer.chars),
        "char_idf": featurizer.chars.idf_,
        "cue_names": np.frombuffer("\n".join(featurizer.cues.feature_names_).encode("utf-8"), dtype=np.uint8),
        "question_coef": featurizer.question.coef_[0].astype(np.float32),
        "question_intercept": featurizer.question.intercept_,
        "coef": classifier.plain.coef_.T.astype(np.float32),
        "intercept": classifier.plain.intercept_,
        "weighted_coef": (classifier.weighted.coef_ * classifier.scale).T.astype(np.float32),
        "weighted_intercept": classifier.weighted.intercept_,
        "weighted_share": np.array([NB_SHARE]),
        "offsets": classifier.offsets,
    }
    write_npz(arrays, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--no-cv", action="store_true", help="skip cross-validation, only fit and export")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    args = parser.parse_args()
    rows = read_rows(args.data)
    EMBEDDINGS.update(cached_views(set(rows.texts) | set(rows.asr().texts), CACHE))
    if not args.no_cv:
        predicted = cross_validate(rows, args.folds)
        for variant, labels in predicted.items():
            macro = f1_score(rows.labels, labels, labels=list(LABELS), average="macro")
            print(f"\n== {args.folds}-fold CV grouped by transcript, {variant} text: macro-F1 {macro:.3f}")
            print(classification_report(rows.labels, labels, labels=list(LABELS), digits=3))
    featurizer, classifier = fit(rows)
    export(featurizer, classifier, args.out)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
