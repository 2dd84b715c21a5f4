"""How each analysis finding kind moves the simulated customer's mood, and which kinds can unlock hidden needs."""

from coach_app.scoring.kinds import KINDS

# Listening calms the customer; cutting in, judging, blaming, rushing and closing them down escalates them.
# Kinds not listed (timing, pace, talk share, voice delivery, neutral questions) leave the mood as it is.
DEFAULT_MOOD_EFFECTS: dict[str, int] = {
    "empathy": 1,
    "reflection": 1,
    "summary": 1,
    "acknowledgement": 1,
    "appreciation": 1,
    "apology": 1,
    "patience": 1,
    "open_question": 1,
    "clarifying_question": 1,
    "needs_question": 1,
    "customer_words": 1,
    "closed_question": -1,
    "rushing": -1,
    "vague_promise": -1,
    "long_monologue": -1,
    "interruption": -2,
    "judgemental": -2,
    "dismissive": -2,
    "blame_shifting": -2,
}
FINDING_KINDS: frozenset[str] = frozenset(KINDS)
UNLOCKING_KINDS: tuple[str, ...] = (
    "open_question",
    "clarifying_question",
    "needs_question",
    "reflection",
    "summary",
    "customer_words",
)
# A recap reflects what the customer said as much as a one-turn reflection does. Reusing a few of their words
# (customer_words) is not enough on its own: a refusal can do that too.
DEFAULT_UNLOCKED_BY: tuple[str, ...] = (
    "open_question",
    "clarifying_question",
    "needs_question",
    "reflection",
    "summary",
)

# One turn moves the mood by at most this much either way, so stacking phrases earns nothing extra.
MAX_RISE_PER_TURN = 1
MAX_DROP_PER_TURN = 2
