"""The behaviour model's labels, which finding kinds stand for them, and what it knows of a rep turn besides the
pair of texts: the earlier steps of the call (a plan already made makes "anything else?" a fair close rather than
rushing). Shared by the training script and the numpy inference."""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from coach_app.analysis.lexicon import lexicon
from coach_app.analysis.text import normalise

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
HISTORY_TURNS = 20
# Earlier-in-the-call cues: phrase categories whose presence in an earlier rep turn tells how far the call got.
HISTORY_CATEGORIES = (("action_plan", "commitment"), ("action_plan", "agreement"), ("ownership", "apology"))


@dataclass(frozen=True)
class TurnContext:
    """What the model knows of a rep turn besides its text: the customer's previous turn and the earlier rep turns."""

    customer: str
    earlier_rep: tuple[str, ...] = ()


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
