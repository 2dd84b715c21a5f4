"""What the simulated customer hears in a rep turn: the analysis findings, read in the context of the call.

The customer reacts to the same findings the analysis reports, with the readings a person would make:
- a yes/no question is outweighed by listening in the same turn, and a confirming question is no slight at all;
- on a plan turn, or straight after one, a closing question ('anything else I can do?') or a question about
  the plan is part of the plan, not a brush-off, so it does not escalate;
- an invitation to say more ('anything else on your mind?', 'anything else I should know?') asks what they need,
  whatever the findings call it;
- their own earlier words given back with empathy or an acknowledgement ('so your rent's due Friday, no wonder
  you're worried') reflect what they said, though the analysis judges reflections on their last turn only.
A plan is checked when the analysis hears an agreement check, or (by meaning) when a question after the plan
asks whether it works for the customer, however it is worded.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from coach_app.analysis.encoder import SentenceEncoder, shipped_encoder
from coach_app.analysis.judgement import invites_more
from coach_app.analysis.text import normalise
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
UNDERSTANDING_KINDS = frozenset({"empathy", "acknowledgement"})  # with their earlier words: a late reflection
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
PLAN_MIN_SIMILARITY = 0.5  # a yes/no question this close to the plan just made asks about that plan
_YES_NO = re.compile(r"^\W*(?:and |so |okay |ok |then )?(does|do|is|are|will|would|can|could|shall|should)\b")
_QUESTION = re.compile(r"[^.?!]*\?")
_PUNCTUATION = re.compile(r"[.?!;:,]")
SPOKEN_QUESTION_WORDS = 10  # unpunctuated, a question is looked for in a turn's first words…
SPOKEN_TAIL_WORDS = (10, 5, 3)  # …and in its last ones ("… as soon as it's booked is that alright")
SPOKEN_STEP_WORDS = 12  # unpunctuated, a plan's steps are stretches of this many words
_ALTERNATIVES = re.compile(r",?\s+(?:or|and)\s+|,\s+")


@dataclass(frozen=True)
class Heard:
    """The finding kinds the customer reacts to on one rep turn, and whether the turn checks the plan with them."""

    kinds: frozenset[str]
    checks_plan: bool


def hear(kinds: frozenset[str], rep_text: str, plan_offered: bool, last_plan: str = "") -> Heard:
    """Read one rep turn's finding kinds as the customer would, given whether a plan is already on the table and
    the plan the rep's previous turn made, if it made one (a question straight after a plan is about the plan)."""
    plan_here = "action_plan" in kinds or bool(last_plan) or (plan_offered and "agreement_check" in kinds)
    checks = (plan_offered or "action_plan" in kinds) and (
        "agreement_check" in kinds or asks_agreement(rep_text, last_plan)
    )
    heard = set(kinds)
    if invites_more(normalise(rep_text)):
        heard = (heard - SOFT_KINDS - {"rushing"}) | {"needs_question"}
    if "customer_words" in heard and heard & UNDERSTANDING_KINDS:
        heard.add("reflection")
    if plan_here or checks:
        heard -= PLAN_TURN_FORGIVES
    if heard & LISTENING_KINDS:
        heard -= SOFT_KINDS
    return Heard(frozenset(heard), checks)


def asks_agreement(rep_text: str, plan: str = "") -> bool:
    """Whether a question in the turn (its first or last words when unpunctuated) asks if the plan works for them:
    close in meaning to a plain plan check, or, straight after a `plan`, a yes/no question about the plan itself
    ('Does the venue work as the delivery address?' after a plan to deliver there)."""
    encoder = _encoder()
    if encoder is None:
        return False
    questions = [q.strip() for q in _QUESTION.findall(rep_text) if q.strip()]
    if not questions and "?" not in rep_text:
        words = rep_text.split()  # unpunctuated speech: the question may open the turn or close it
        ends = [" ".join(words[:SPOKEN_QUESTION_WORDS])] + [" ".join(words[-n:]) for n in SPOKEN_TAIL_WORDS]
        questions = list(dict.fromkeys(ends)) if words else []
    # 'Does that cover it, or is there anything else?' asks two things: each part is heard on its own
    questions += [part for q in questions for part in _ALTERNATIVES.split(q) if len(part.split()) >= 2]
    if not questions:
        return False
    asked = encoder.encode(questions)
    if float((asked @ _prototypes().T).max()) >= CHECK_MIN_SIMILARITY:
        return True
    if not plan:
        return False
    about_plan = [i for i, q in enumerate(questions) if _YES_NO.match(q.lower())]
    steps = [step for step in re.split(r"(?<=[.?!;:,])\s+", plan) if len(step.split()) >= 3] + [plan]
    if not _PUNCTUATION.search(plan):  # spoken: overlapping stretches stand in for the plan's sentences
        words = plan.split()
        steps += [" ".join(words[i : i + SPOKEN_STEP_WORDS]) for i in range(0, len(words), SPOKEN_STEP_WORDS // 2)]
    return bool(about_plan) and float((asked[about_plan] @ encoder.encode(steps).T).max()) >= PLAN_MIN_SIMILARITY


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
