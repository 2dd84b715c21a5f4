"""The behaviour model: per-label logistic heads over a rep turn's sentence embedding, the customer's previous turn's
embedding, word n-grams and cues (see `behaviour_features`), trained by `training/train_behaviour_model.py` and
evaluated here in numpy.

A label is given when its probability reaches the label's threshold (tuned by the training script); labels the
phrase rules found stand whatever the model says.
"""

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from coach_app.analysis.behaviour_features import LABELS, TurnContext, cue_features
from coach_app.analysis.encoder import DIMENSIONS, VIEWS
from coach_app.analysis.utterance_features import word_terms
from coach_app.analysis.utterances import TermBlock, term_columns
from coach_app.errors import ModelError
from coach_app.paths import resource

MODEL_FILE = "behaviour_model.npz"
_REPAIR = "reinstall Listening Coach, or rerun training/train_behaviour_model.py"


@dataclass(frozen=True)
class BehaviourModel:
    """The exported heads: features → one logistic score per label, and each label's threshold."""

    labels: tuple[str, ...]
    words: TermBlock
    embedding_weight: float
    customer_weight: float
    cue_columns: dict[str, int]
    cue_weight: float
    coef: np.ndarray  # (features, labels)
    intercept: np.ndarray  # (labels,)
    thresholds: np.ndarray  # (labels,)

    def probabilities(
        self, rep: str, context: TurnContext, rep_views: np.ndarray, customer_vec: np.ndarray
    ) -> np.ndarray:
        """Each label's probability for one rep turn (`rep_views`: its encoder views; `customer_vec`: the customer
        turn's sentence embedding), in the order of `labels`."""
        word_cols, word_vals = self.words.vector(word_terms(rep, context.customer))
        scores = self.intercept + word_vals @ self.coef[word_cols]
        offset = len(self.words.idf)
        dense = self.coef[offset : offset + (VIEWS + 1) * DIMENSIONS]
        scores = scores + self.embedding_weight * (rep_views.reshape(-1) @ dense[: VIEWS * DIMENSIONS])
        scores = scores + self.customer_weight * (customer_vec @ dense[VIEWS * DIMENSIONS :])
        cosine = float(rep_views[0] @ customer_vec) if context.customer.strip() else 0.0
        offset += (VIEWS + 1) * DIMENSIONS
        for name, value in cue_features(rep, context, cosine).items():
            column = self.cue_columns.get(name)
            if column is not None:
                scores = scores + (value * self.cue_weight) * self.coef[offset + column]
        return 1.0 / (1.0 + np.exp(-scores))

    def decide(self, probabilities: np.ndarray, rule_labels: frozenset[str]) -> frozenset[str]:
        """The labels the turn gets, given its probabilities and the labels the phrase rules found."""
        return frozenset(
            label
            for k, label in enumerate(self.labels)
            if probabilities[k] >= self.thresholds[k] or label in rule_labels
        )


def load_model(path: Path) -> BehaviourModel:
    """Read an exported behaviour model; a missing or damaged file raises ModelError naming it."""
    if not path.is_file():
        raise ModelError(f"The behaviour model file {path} is missing; {_REPAIR}.")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        labels = tuple(str(label) for label in arrays["labels"])
        weights = arrays["block_weights"]
        model = BehaviourModel(
            labels=labels,
            words=TermBlock(term_columns(arrays["word_terms"]), arrays["word_idf"], float(weights[0])),
            embedding_weight=float(weights[1]),
            customer_weight=float(weights[2]),
            cue_columns=term_columns(arrays["cue_names"]),
            cue_weight=float(weights[3]),
            coef=arrays["coef"].astype(np.float32),
            intercept=arrays["intercept"].astype(np.float64),
            thresholds=arrays["thresholds"].astype(np.float64),
        )
    except Exception as exc:  # numpy and zipfile raise many kinds for a damaged file
        raise ModelError(f"The behaviour model {path} cannot be read ({exc}); {_REPAIR}.") from exc
    expected = len(model.words.idf) + (VIEWS + 1) * DIMENSIONS + len(model.cue_columns)
    if labels != LABELS or model.coef.shape != (expected, len(labels)) or not math.isfinite(model.coef.sum()):
        raise ModelError(f"The behaviour model {path} does not fit this version of Listening Coach; {_REPAIR}.")
    return model


@lru_cache(maxsize=1)
def shipped_model() -> BehaviourModel:
    """The behaviour model shipped in resources/models, loaded once."""
    return load_model(resource("models", MODEL_FILE))
