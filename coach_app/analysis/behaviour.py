"""The behaviour model: the sentence encoder fine-tuned as a cross-encoder over (customer's previous turn, rep turn),
with one multi-label head over the behaviour labels, trained by `training/finetune_behaviour_encoder.py` and run
here by the sentence encoder's engine (`bert.Bert`, onnxruntime) with the head in numpy.

The head reads two pooled states of the pair (the [CLS] token's, and the mean of the rep turn's tokens) beside a few
cues the analysis knows at run time (`cue_vector`: earlier steps of the call). A label is given when its probability
reaches the label's threshold, or when the phrase rules found it and the label's rules stand alone (both chosen by
the training script on its inner validation set).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from coach_app.analysis.behaviour_features import LABELS, TurnContext, history_cues
from coach_app.analysis.bert import each_batch
from coach_app.analysis.encoder import WEIGHTS_FILE, SentenceEncoder, pair_ids, shipped_encoder
from coach_app.analysis.lru import LruCache
from coach_app.errors import ModelError
from coach_app.paths import resource

MODEL_DIR = "behaviour_encoder"
PAIR_TOKENS = 128  # [CLS] customer [SEP] rep [SEP], at most
BATCH = 16
CACHE_SIZE = 4096
# The run-time cues beside the pooled states, in the head's column order.
CUE_NAMES: tuple[str, ...] = (
    "before:commitment",
    "before:agreement",
    "before:apology",
    "customer_empty",
    "position",
)
_REPAIR = "reinstall Listening Coach, or rerun training/finetune_behaviour_encoder.py"


def cue_vector(context: TurnContext) -> np.ndarray:
    """The CUE_NAMES cues of a rep turn, each 0–1."""
    present = set(history_cues(context.earlier_rep))
    present |= {"customer_empty"} if not context.customer.strip() else set()
    values = [float(name in present) for name in CUE_NAMES]
    values[-1] = min(np.log1p(len(context.earlier_rep)) / 3.0, 1.0)
    return np.array(values, dtype=np.float32)


@dataclass
class BehaviourModel:
    """The fine-tuned encoder, its head, and each label's threshold and rule policy."""

    encoder: SentenceEncoder
    labels: tuple[str, ...]
    head_weight: np.ndarray  # (2 × 384 + cues, labels)
    head_bias: np.ndarray  # (labels,)
    thresholds: np.ndarray  # (labels,)
    rules_stand: np.ndarray  # (labels,) bool: the rules' finding of the label stands whatever the model says
    cache: LruCache = field(default_factory=lambda: LruCache(CACHE_SIZE), repr=False, compare=False)  # pair → pooled

    def pooled(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """(pairs, 768): the [CLS] state and the rep tokens' mean state of (customer, rep) pairs; pairs seen
        before come from a cache, the rest are run in length-sorted batches."""
        known = self.cache.found(pairs)
        missing = sorted(set(pairs) - known.keys())
        if missing:
            inputs = [pair_ids(self.encoder.tokenizer, customer, rep, PAIR_TOKENS) for customer, rep in missing]
            order = sorted(range(len(missing)), key=lambda i: len(inputs[i][0]))
            batches = [order[start : start + BATCH] for start in range(0, len(order), BATCH)]
            pooled = each_batch(self._pair_pooled, [[inputs[i] for i in chosen] for chosen in batches])
            fresh = {
                missing[i]: vector
                for chosen, vectors in zip(batches, pooled, strict=True)
                for i, vector in zip(chosen, vectors, strict=True)
            }
            self.cache.add(fresh)
            known |= fresh
        return np.stack([known[pair] for pair in pairs]) if pairs else np.zeros((0, 768))

    def _pair_pooled(self, batch: list[tuple[list[int], list[int]]]) -> np.ndarray:
        """(pairs, 768) of a batch of `pair_ids` inputs."""
        states, _, rep = self.encoder.pair_states(batch)
        rep_mean = np.einsum("bt,btd->bd", rep, states) / rep.sum(1, keepdims=True)
        return np.hstack([states[:, 0], rep_mean])

    def probabilities(self, rep: str, context: TurnContext) -> np.ndarray:
        """Each label's probability for one rep turn, in the order of `labels`."""
        pooled = self.pooled([(context.customer, rep)])[0]
        scores = np.concatenate([pooled, cue_vector(context)]) @ self.head_weight + self.head_bias
        return 1.0 / (1.0 + np.exp(-scores.astype(np.float64)))

    def decide(self, probabilities: np.ndarray, rule_labels: frozenset[str]) -> frozenset[str]:
        """The labels the turn gets, given its probabilities and the labels the phrase rules found."""
        return frozenset(
            label
            for k, label in enumerate(self.labels)
            if probabilities[k] >= self.thresholds[k] or (label in rule_labels and self.rules_stand[k])
        )


def load_model(folder: Path, base: SentenceEncoder) -> BehaviourModel:
    """Read the fine-tuned encoder and head from `folder` (its word embeddings and tokenizer are `base`'s); a
    missing or damaged file raises ModelError naming it."""
    path = folder / WEIGHTS_FILE
    if not path.is_file():
        raise ModelError(f"The behaviour model file {path} is missing; {_REPAIR}.")
    try:
        with np.load(path, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        encoder = SentenceEncoder(arrays | {"word_embeddings": base.word_embeddings}, base.tokenizer)
        model = BehaviourModel(
            encoder=encoder,
            labels=tuple(str(label) for label in arrays["labels"]),
            head_weight=arrays["head_weight"].astype(np.float32),
            head_bias=arrays["head_bias"].astype(np.float32),
            thresholds=arrays["thresholds"].astype(np.float64),
            rules_stand=arrays["rules_stand"].astype(bool),
        )
        cues = tuple(str(name) for name in arrays["cue_names"])
    except Exception as exc:  # numpy and zipfile raise many kinds for a damaged file
        raise ModelError(f"The behaviour model {path} cannot be read ({exc}); {_REPAIR}.") from exc
    width = 2 * base.word_embeddings.shape[1] + len(CUE_NAMES)
    if (
        model.labels != LABELS
        or cues != CUE_NAMES
        or model.head_weight.shape != (width, len(LABELS))
        or not np.isfinite(model.head_weight).all()
    ):
        raise ModelError(f"The behaviour model {path} does not fit this version of Listening Coach; {_REPAIR}.")
    return model


@lru_cache(maxsize=1)
def shipped_model() -> BehaviourModel:
    """The behaviour model shipped in resources/models, loaded once (with the shipped sentence encoder)."""
    return load_model(resource("models", MODEL_DIR), shipped_encoder())
