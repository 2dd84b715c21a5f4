"""How each analysis finding kind moves the simulated customer's mood, and which kinds can unlock hidden needs."""

# Listening calms the customer; cutting in, judging, rushing and closing them down escalates them.
DEFAULT_MOOD_EFFECTS: dict[str, int] = {
    "empathy": 1,
    "reflection": 1,
    "summary": 1,
    "acknowledgement": 1,
    "appreciation": 1,
    "apology": 1,
    "perspective": 1,
    "open_question": 1,
    "clarifying_question": 1,
    "action_plan": 0,
    "agreement_check": 0,
    "backchannel": 0,
    "closed_question": -1,
    "rushing": -1,
    "interruption": -2,
    "judgemental": -2,
    "dismissive": -2,
    "blame_shifting": -2,
}
FINDING_KINDS: frozenset[str] = frozenset(DEFAULT_MOOD_EFFECTS)
UNLOCKING_KINDS: tuple[str, ...] = ("open_question", "clarifying_question", "reflection", "summary", "perspective")
DEFAULT_UNLOCKED_BY: tuple[str, ...] = ("open_question", "clarifying_question", "reflection")

# One turn moves the mood by at most this much either way, so stacking phrases earns nothing extra.
MAX_RISE_PER_TURN = 1
MAX_DROP_PER_TURN = 2
