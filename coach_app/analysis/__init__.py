"""Listening analysis: pure functions from a transcript to findings, metrics and a scorecard; no I/O, no Qt."""

from collections.abc import Callable, Sequence

from coach_app.analysis import (
    action_plan,
    coaching,
    empathy,
    judgement,
    model_findings,
    ownership,
    perspective,
    questions,
    reflecting,
    timing,
)
from coach_app.analysis.context import Conversation
from coach_app.core import Finding, Scorecard, Transcript, Turn
from coach_app.scoring.rubric import Rubric, Thresholds, load_rubric
from coach_app.scoring.scorecard import score

# Every per-turn detector, in the order their findings are listed. Each takes (conversation, turn index).
DETECTORS: tuple[Callable[[Conversation, int], list[Finding]], ...] = (
    questions.detect,
    reflecting.detect,
    empathy.detect,
    ownership.detect,
    judgement.detect,
    action_plan.detect,
    perspective.detect,
    timing.detect,
)

# metrics key → the finding kinds it counts
COUNTED_KINDS: dict[str, tuple[str, ...]] = {
    "open_questions": ("open_question", "clarifying_question"),
    "closed_questions": ("closed_question",),
    "reflections": ("reflection",),
    "summaries": ("summary",),
    "empathy_statements": ("empathy",),
    "apologies": ("apology",),
    "action_plans": ("action_plan",),
    "judgemental_phrases": ("judgemental", "dismissive", "rushing"),
}
# The `metrics` keys of a scorecard, in the order they are reported (the JSON contract of `coach-app analyze`).
METRIC_KEYS: tuple[str, ...] = (
    "rep_talk_share",
    "interruptions",
    "backchannels",
    "median_response_latency_s",
    "longest_rep_monologue_s",
    "rep_words_per_minute",
    "rep_turns",
    *COUNTED_KINDS,
    "filler_words",
)


def analyze(transcript: Transcript, rubric: Rubric | None = None, extra_findings: Sequence[Finding] = ()) -> Scorecard:
    """Find every listening behaviour in a transcript and score it (extra_findings: e.g. voice-delivery findings)."""
    rubric = rubric or load_rubric()
    conv = Conversation(transcript, rubric.thresholds)
    model_findings.prepare(conv)
    findings: list[Finding] = []
    for index in range(len(transcript.turns)):
        findings.extend(_turn_findings(conv, index))
    metrics = _metrics(conv, findings)
    findings.extend(timing.conversation_findings(conv, findings))
    # Pace measured from the recording supersedes the estimate from the transcript's timings for the same turn.
    voice_fast = {f.turn for f in extra_findings if f.kind == "voice_pace_fast"}
    findings = [f for f in findings if not (f.kind == "fast_pace" and f.turn in voice_fast)]
    findings.extend(extra_findings)
    findings.sort(key=lambda f: (f.start_s, f.turn))
    findings = coaching.coach(conv, findings)
    dimensions, overall = score(findings, metrics, rubric)
    notice = model_findings.model_notice()
    extras = {"analysis_notice": notice} if notice else {}
    return Scorecard(metrics, tuple(findings), dimensions, overall, rubric_version=rubric.version, extras=extras)


def analyze_turn(transcript: Transcript, index: int) -> list[Finding]:
    """Findings for one rep turn given the turns before it (live feedback, simulated customers); [] for customers."""
    if not 0 <= index < len(transcript.turns):
        raise IndexError(f"turn {index} is outside the transcript (0–{len(transcript.turns) - 1})")
    conv = Conversation(Transcript(transcript.turns[: index + 1]), load_rubric().thresholds)
    model_findings.prepare_turn(conv, index)
    return coaching.coach(conv, _turn_findings(conv, index))


class TurnByTurn:
    """A call analysed as it grows: `add(turn)` gives the findings on that turn given the turns before it, as
    `analyze_turn` would, but keeps the work on earlier turns, so a long call costs the same per turn throughout.
    A rep turn is encoded as it is added (alone, and with the customer turn before it), so the scorecard after Stop
    finds every turn encoded."""

    def __init__(self, thresholds: Thresholds | None = None) -> None:
        self._conv = Conversation(Transcript(()), thresholds or load_rubric().thresholds)

    def add(self, turn: Turn) -> list[Finding]:
        index = self._conv.append(turn)
        model_findings.prepare_turn(self._conv, index)
        return coaching.coach(self._conv, _turn_findings(self._conv, index))


# Restating the customer's words while blaming or judging them is not listening: such a turn earns no credit
# for reflecting or reusing their words.
CANCELLED_BY: dict[str, frozenset[str]] = {
    kind: frozenset({"blame_shifting", "judgemental"}) for kind in ("reflection", "summary", "customer_words")
}


def rule_findings(conv: Conversation, index: int) -> list[Finding]:
    """The phrase rules' findings for a rep turn, one per kind (saying it twice is not twice the skill)."""
    if not conv.is_rep(index):
        return []
    found: list[Finding] = []
    kinds: set[str] = set()
    for detector in DETECTORS:
        for finding in detector(conv, index):
            if finding.kind not in kinds:
                kinds.add(finding.kind)
                found.append(finding)
    return found


def _turn_findings(conv: Conversation, index: int) -> list[Finding]:
    found = model_findings.merge(conv, index, rule_findings(conv, index))
    kinds = {f.kind for f in found}
    return [f for f in found if not CANCELLED_BY.get(f.kind, frozenset()) & kinds]


def _metrics(conv: Conversation, findings: Sequence[Finding]) -> dict:
    metrics = timing.timing_metrics(conv)
    counts = {key: sum(1 for f in findings if f.kind in kinds) for key, kinds in COUNTED_KINDS.items()}
    merged = {**metrics, **counts}
    return {key: merged[key] for key in METRIC_KEYS}
