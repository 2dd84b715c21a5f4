"""Features of one rep turn for the behaviour model, shared by the training script and the numpy inference.

Besides the sentence embeddings (see `encoder`), a turn is described by its word n-grams (`utterance_features`)
and by dense cues: which finding kinds the phrase rules found on it, its overlap with the customer's previous
turn (a reflection restates the customer; a refusal that repeats their words does not), and what happened
earlier in the call (a plan already agreed makes "anything else?" a fair close rather than rushing).
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from coach_app.analysis.lexicon import lexicon
from coach_app.analysis.text import content_stems, normalise

# The corpus labels the model predicts (`none` is the absence of all of them).
LABELS: tuple[str, ...] = (
    "open_question",
    "closed_question",
    "reflection",
    "summary",
    "empathy",
    "acknowledgement",
    "apology",
    "action_plan",
    "agreement_check",
    "judgemental",
    "dismissive",
    "blame_shifting",
    "rushing",
)
# Finding kind → the label it stands for (kinds not listed are not model labels).
KIND_LABEL: dict[str, str] = {
    **{label: label for label in LABELS},
    "clarifying_question": "open_question",
    "needs_question": "open_question",
    "appreciation": "acknowledgement",
}
# The rule finding kinds that describe a turn's words (timing kinds depend on the recording, not on what was said).
TEXT_KINDS: frozenset[str] = frozenset({*KIND_LABEL, "vague_promise", "patience", "customer_words"})
HISTORY_TURNS = 20
# Earlier-in-the-call cues: phrase categories whose presence in an earlier rep turn tells how far the call got.
HISTORY_CATEGORIES = (("action_plan", "commitment"), ("action_plan", "agreement"), ("ownership", "apology"))
CLOSING_WORDS = frozenset(
    ["thanks", "thank", "brilliant", "perfect", "great", "lovely", "cheers", "fantastic", "sorted", "appreciate"]
)


@dataclass(frozen=True)
class TurnContext:
    """What the model knows of a rep turn besides its text: the customer's previous turn, the phrase rules' finding
    kinds on this turn, the earlier rep turns' and customer turns' texts."""

    customer: str
    rule_kinds: frozenset[str]
    earlier_rep: tuple[str, ...] = ()
    earlier_customer: tuple[str, ...] = ()


def cue_features(rep: str, context: TurnContext, cosine: float) -> dict[str, float]:
    """Dense cues in about 0–1 for one rep turn (`cosine`: its embedding's cosine with the customer's turn)."""
    rep_norm, customer_norm = normalise(rep), normalise(context.customer)
    rep_words, customer_words = rep_norm.split(), customer_norm.split()
    features = {
        "length": min(math.log1p(len(rep_words)) / 5.0, 1.0),
        "customer_length": min(math.log1p(len(customer_words)) / 5.0, 1.0),
        "customer_empty": float(not customer_words),
        "question_mark": float(rep.rstrip().endswith("?")),
        "punctuated": float(any(mark in rep for mark in "?.!,")),
        "customer_asks": float(context.customer.rstrip().endswith("?")),
        "customer_closing": float(bool(CLOSING_WORDS & set(customer_words))),
        "cosine": cosine,
        "position": min(math.log1p(len(context.earlier_rep)) / 3.0, 1.0),
    }
    for kind in context.rule_kinds & TEXT_KINDS:
        label = KIND_LABEL.get(kind)
        if label:
            features[f"rule:{label}"] = 1.0
        features[f"rule_kind:{kind}"] = 1.0
    rep_content, customer_content = content_stems(rep), content_stems(context.customer)
    if rep_content and customer_content:
        shared = rep_content & customer_content
        features["overlap_of_rep"] = len(shared) / len(rep_content)
        features["overlap_of_customer"] = len(shared) / len(customer_content)
        features["overlap_count"] = min(len(shared) / 5.0, 1.0)
    earlier = set().union(*(content_stems(text) for text in context.earlier_customer[-6:]))
    if rep_content and earlier:
        features["overlap_earlier"] = len(rep_content & earlier) / len(rep_content)
    for name, value in history_cues(context.earlier_rep).items():
        features[name] = value
    return features


def history_cues(earlier_rep: Iterable[str]) -> dict[str, float]:
    """Which of the HISTORY_CATEGORIES phrases an earlier rep turn used."""
    used = frozenset().union(*(_history_phrases(text) for text in list(earlier_rep)[-HISTORY_TURNS:]))
    return {f"before:{name}": 1.0 for _, name in HISTORY_CATEGORIES if name in used}


def clear_history_cache() -> None:
    _history_phrases.cache_clear()


@lru_cache(maxsize=4096)
def _history_phrases(text: str) -> frozenset[str]:
    """The HISTORY_CATEGORIES a rep turn's phrases belong to (each turn is looked at again for every later one)."""
    norm = normalise(text)
    return frozenset(name for file, name in HISTORY_CATEGORIES if lexicon(file)[name].search(norm))
