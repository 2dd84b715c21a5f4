"""Builders of realistic transcripts and scorecards for storage, report and CLI tests (no analysis needed)."""

from coach_app.core import DimensionScore, Finding, Scorecard, Transcript, Turn, Word

CUSTOMER_LINES = (
    "hi my drone order was meant to arrive on saturday and it still has not come",
    "i paid for express delivery because it is a birthday present for my son",
    "nobody answered my emails and the tracking page says nothing",
)
REP_LINES = (
    "i am sorry to hear that can you tell me a bit more about what happened",
    "so if i am hearing you right the drone was meant for saturday for the birthday",
    "i will call the courier now and ring you back on friday does that work for you",
)


def make_transcript(n_turns: int = 6, words: bool = True, turn_s: float = 3.6) -> Transcript:
    """Alternating customer/rep turns with word timings, `turn_s` seconds each."""
    turns = []
    for i in range(n_turns):
        speaker = "customer" if i % 2 == 0 else "rep"
        lines = CUSTOMER_LINES if speaker == "customer" else REP_LINES
        text = lines[(i // 2) % len(lines)]
        start = i * turn_s
        tokens = text.split()
        step = (turn_s - 0.6) / len(tokens)
        timed = tuple(
            Word(w, round(start + j * step, 3), round(start + (j + 1) * step, 3), 0.9) for j, w in enumerate(tokens)
        )
        turns.append(Turn(speaker, start, start + turn_s - 0.6, text, timed if words else ()))
    return Transcript(tuple(turns))


def make_scorecard(transcript: Transcript, overall: int = 72, reflections: int = 1) -> Scorecard:
    """A scorecard with a few findings on the rep turns and three dimensions citing them."""
    rep_turns = [i for i, t in enumerate(transcript.turns) if t.speaker == "rep"]
    kinds = ("open_question", "reflection", "action_plan", "interruption")
    findings = tuple(
        Finding(
            kinds[k % len(kinds)],
            i,
            transcript.turns[i].start_s,
            transcript.turns[i].end_s,
            transcript.turns[i].text[:40],
            f"reason {k}: the rep {kinds[k % len(kinds)].replace('_', ' ')}",
            f"tip {k}: keep the customer's words",
        )
        for k, i in enumerate(rep_turns)
    )
    dimensions = (
        DimensionScore("empathy", "Empathy", min(100, overall + 5), 1.0, (0,) if findings else (), "warm", "name it"),
        DimensionScore("questioning", "Questioning", overall, 1.0, tuple(range(len(findings))), "curious"),
        DimensionScore("turn_taking", "Turn-taking", max(0, overall - 10), 1.0, (), "patient"),
    )
    metrics = {
        "rep_talk_share": 0.45,
        "interruptions": 1,
        "median_response_latency_s": 0.7,
        "reflections": reflections,
        "open_questions": 2,
    }
    return Scorecard(metrics, findings, dimensions, overall, "default-1")
