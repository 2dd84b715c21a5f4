"""What the simulated customer hears in a rep turn: the analysis findings, read in the context of the call.

The customer reacts to the same findings the analysis reports, with two readings a person would make:
- a yes/no question is outweighed by listening in the same turn, and a confirming question is no slight at all;
- on a plan turn, or straight after one, a closing question ('anything else I can do?') or a question about
  the plan is part of the plan, not a brush-off, so it does not escalate.
A plan is checked when the analysis hears an agreement check, or (by meaning) when a question after the plan
asks whether it works for the customer, however it is worded.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from coach_app.analysis.encoder import SentenceEncoder, shipped_encoder
from coach_app.errors import ModelError

LISTENING_KINDS = frozenset(
    {
        "empathy",
        "reflection",
        "summary",
        "acknowledgement",
        "apology",
        "open_question",
        "clarifying_question",
        "needs_question",
        "customer_words",
        "action_plan",
        "agreement_check",
    }
)
SOFT_KINDS = frozenset({"closed_question"})  # a slight on its own, nothing beside real listening
PLAN_TURN_FORGIVES = frozenset({"closed_question", "rushing", "vague_promise"})
# Ways of asking whether a plan suits the customer; a question this close in meaning checks the plan.
CHECK_PROTOTYPES = (
    "Does that work for you?",
    "How does that sound?",
    "Is that okay with you?",
    "Would that help?",
    "Which would you prefer?",
    "Are you happy with that plan?",
    "Does that cover what you need?",
    "Is that enough for you?",
    "Would that suit you?",
    "Does that sound fair?",
    "Shall I go ahead with that?",
    "Are you comfortable with that?",
    "Does that put your mind at rest?",
    "Does that give you what you need?",
)
CHECK_MIN_SIMILARITY = 0.5
_QUESTION = re.compile(r"[^.?!]*\?")
_ALTERNATIVES = re.compile(r",?\s+(?:or|and)\s+|,\s+")


@dataclass(frozen=True)
class Heard:
    """The finding kinds the customer reacts to on one rep turn, and whether the turn checks the plan with them."""

    kinds: frozenset[str]
    checks_plan: bool


def hear(kinds: frozenset[str], rep_text: str, plan_offered: bool, plan_just_offered: bool = False) -> Heard:
    """Read one rep turn's finding kinds as the customer would, given whether a plan is already on the table (and
    whether the rep's previous turn made it: a question straight after a plan is about the plan)."""
    plan_here = "action_plan" in kinds or plan_just_offered or (plan_offered and "agreement_check" in kinds)
    checks = (plan_offered or "action_plan" in kinds) and ("agreement_check" in kinds or asks_agreement(rep_text))
    heard = set(kinds)
    if plan_here or checks:
        heard -= PLAN_TURN_FORGIVES
    if heard & LISTENING_KINDS:
        heard -= SOFT_KINDS
    return Heard(frozenset(heard), checks)


def asks_agreement(rep_text: str) -> bool:
    """Whether a question in the turn (its last words when unpunctuated) asks if the plan works for the customer."""
    encoder = _encoder()
    if encoder is None:
        return False
    questions = [q.strip() for q in _QUESTION.findall(rep_text) if q.strip()]
    if not questions and "?" not in rep_text:
        words = rep_text.split()
        questions = [" ".join(words[-10:])] if words else []
    # 'Does that cover it, or is there anything else?' asks two things: each part is heard on its own
    questions += [part for q in questions for part in _ALTERNATIVES.split(q) if len(part.split()) >= 2]
    if not questions:
        return False
    similarity = encoder.encode(questions) @ _prototypes().T
    return float(similarity.max()) >= CHECK_MIN_SIMILARITY


@lru_cache(maxsize=1)
def _prototypes() -> np.ndarray:
    encoder = _encoder()
    assert encoder is not None
    return encoder.encode(CHECK_PROTOTYPES)


def _encoder() -> SentenceEncoder | None:
    """The shipped encoder, or None when it cannot be loaded (the customer then hears the findings alone)."""
    try:
        return shipped_encoder()
    except ModelError:
        return None
