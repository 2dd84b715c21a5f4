"""Turn-taking and delivery timing; the definitions are a contract (README, "Timing metrics").

- backchannel: a rep turn of at most 2 words that starts inside a customer turn (customer start ≤ rep start < end).
- interruption: any other rep turn that starts inside a customer turn at least 0.3 s before that turn ends.
- response latency: for every other rep turn whose previous turn by start time (ignoring backchannels) is a
  customer turn: rep start − customer end (negative when they overlap by less than 0.3 s).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from coach_app.analysis.context import Conversation
from coach_app.analysis.lexicon import lexicon
from coach_app.analysis.text import Span
from coach_app.core import Finding

BACKCHANNEL_MAX_WORDS = 2
INTERRUPTION_MIN_OVERLAP_S = 0.3
EPSILON_S = 1e-6  # times are decimals in seconds: 5.0 - 4.7 must count as an overlap of 0.3 s
FAST_PACE_MIN_WORDS = 12
TALK_SHARE_MIN_SPEECH_S = 30.0
SERVING_KINDS = frozenset({"reflection", "summary", "action_plan", "agreement_check"})  # talk that serves the customer
SERVING_MAX_S = 15.0  # a recap or a next step takes a sentence or two
OPENING_WORDS = 8


@dataclass(frozen=True)
class TurnTiming:
    """How one rep turn relates in time to the customer's speech."""

    backchannel: bool = False
    interrupted: int | None = None  # the customer turn talked over
    latency_s: float | None = None  # only for responses (neither backchannel nor interruption)


def turn_timing(conv: Conversation, index: int) -> TurnTiming:
    """Classify a rep turn against the turns that started before it (by start time); cached per conversation."""
    key = ("timing", index)
    cached = conv.cache.get(key)
    if cached is None:
        cached = conv.cache[key] = _turn_timing(conv, index)
    return cached  # type: ignore[return-value]


def _turn_timing(conv: Conversation, index: int) -> TurnTiming:
    order = conv.start_order
    position = conv.start_position(index)
    turn = conv.turns[index]
    covering, covering_end = conv.covering_customer(index)
    inside = covering is not None and covering_end > turn.start_s
    if inside and conv.text(index).spoken_words <= BACKCHANNEL_MAX_WORDS:
        return TurnTiming(backchannel=True)
    if inside and covering_end - turn.start_s >= INTERRUPTION_MIN_OVERLAP_S - EPSILON_S:
        return TurnTiming(interrupted=covering)
    for j in map(order.__getitem__, range(position - 1, -1, -1)):  # walking back, without copying the order
        if conv.turns[j].speaker == "rep" and turn_timing(conv, j).backchannel:
            continue
        if conv.turns[j].speaker == "customer":
            return TurnTiming(latency_s=turn.start_s - conv.turns[j].end_s)
        break
    return TurnTiming()


def detect(conv: Conversation, index: int) -> list[Finding]:
    """Timing findings for a rep turn: backchannel, interruption, quick reply or dead air, monologue, pace, fillers."""
    if not conv.is_rep(index):
        return []
    timing = turn_timing(conv, index)
    text = conv.text(index)
    opening = Span(0, min(len(text.tokens), OPENING_WORDS))
    findings = []
    if timing.backchannel:
        findings.append(_finding(conv, index, None, "backchannel", ""))
    elif timing.interrupted is not None:
        overlap = conv.turns[timing.interrupted].end_s - conv.turns[index].start_s
        findings.append(
            _finding(conv, index, opening, "interruption", f" You overlapped the customer by {overlap:.1f} s.")
        )
    elif timing.latency_s is not None:
        if timing.latency_s < conv.thresholds.min_pause_s:
            pause_s = max(timing.latency_s, 0.0)
            note = f" Pause here: {pause_s:.1f} s; aim for at least {conv.thresholds.min_pause_s:.1f} s."
            findings.append(_finding(conv, index, opening, "quick_response", note))
        elif timing.latency_s > conv.thresholds.dead_air_s:
            note = f" Silence here: {timing.latency_s:.1f} s."
            findings.append(_finding(conv, index, opening, "dead_air", note))
    monologue = _monologue_crossing(conv, index)
    if monologue is not None:
        findings.append(_finding(conv, index, opening, "long_monologue", f" You spoke for {monologue:.0f} s."))
    pace = turn_words_per_minute(conv, index)
    if pace is not None and pace > conv.thresholds.wpm_max:
        findings.append(_finding(conv, index, opening, "fast_pace", f" About {pace:.0f} words per minute."))
    fillers = filler_spans(conv, index)
    if fillers:
        words = ", ".join(" ".join(text.tokens[s.first : s.last]) for s in fillers[:4])
        span = text.sentence_around(fillers[0], 12)
        span = Span(max(0, fillers[0].first - 3), span.last)
        findings.append(_finding(conv, index, span, "fillers", f" Here: {len(fillers)} ({words})."))
    return findings


def filler_spans(conv: Conversation, index: int) -> list[Span]:
    text = conv.text(index)
    return [text.span_of(m) for m in lexicon("timing")["fillers"].finditer(text.norm)]


def turn_words_per_minute(conv: Conversation, index: int) -> float | None:
    """Speaking rate of one turn long enough to judge (by word timings when present), else None."""
    turn = conv.turns[index]
    count = conv.text(index).spoken_words
    seconds = (turn.words[-1].end_s - turn.words[0].start_s) if turn.words else turn.duration_s
    if count < FAST_PACE_MIN_WORDS or seconds <= 0:
        return None
    return count / seconds * 60.0


def _monologue_crossing(conv: Conversation, index: int) -> float | None:
    """The length of the rep's stretch ending with this turn, if this turn takes it past the threshold."""
    start_s, before_s = monologue_start(conv, index)
    total = max(before_s, conv.turns[index].end_s) - start_s
    limit = conv.thresholds.monologue_s
    return total if total > limit and before_s - start_s <= limit else None


def monologue_start(conv: Conversation, index: int) -> tuple[float, float]:
    """Start of the rep stretch that this turn continues, and that stretch's end before this turn.

    A stretch is consecutive rep turns by start time; customer turns of at most two words that start inside
    the stretch ('mm-hmm') do not break it."""
    order = conv.start_order
    start_s = conv.turns[index].start_s
    end_s = start_s
    for j in map(order.__getitem__, range(conv.start_position(index) - 1, -1, -1)):
        other = conv.turns[j]
        if other.speaker == "rep":
            start_s = min(start_s, other.start_s)
            end_s = max(end_s, other.end_s)
        elif conv.text(j).spoken_words > BACKCHANNEL_MAX_WORDS or other.start_s >= end_s:
            break
    return start_s, end_s


def _finding(conv: Conversation, index: int, span: Span | None, name: str, note: str) -> Finding:
    category = lexicon("timing")[name]
    return conv.finding(category.kind, index, span, category.reason + note, category.tip)


def conversation_findings(conv: Conversation, turn_findings: Sequence[Finding]) -> list[Finding]:
    """Whole-conversation findings (turn -1): who did most of the talking, the rep's recaps and next steps aside.

    A service call needs the rep to explain and confirm: up to SERVING_MAX_S of each rep turn that restates the
    customer (reflection, summary) or sets out and checks the next steps (action plan, agreement check) is not held
    against them, so the share judged is the rep's other talk against the customer's; a long monologue with one
    plan in it still counts."""
    serving = {f.turn for f in turn_findings if f.kind in SERVING_KINDS and conv.is_rep(f.turn)}
    rep_s, customer_s = _speaking_seconds(conv)
    rep_s -= sum(min(conv.turns[i].duration_s, SERVING_MAX_S) for i in serving)
    if rep_s + customer_s < TALK_SHARE_MIN_SPEECH_S:
        return []
    share = rep_s / (rep_s + customer_s)
    name = "talk_share_high" if share > conv.thresholds.max_rep_talk_share else "talk_share_balanced"
    if name == "talk_share_balanced" and share > 0.5:
        return []
    category = lexicon("timing")[name]
    turns = conv.turns
    start_s, end_s = min(t.start_s for t in turns), max(t.end_s for t in turns)
    quote = f"rep {share:.0%} of the talking time, customer {1 - share:.0%}"
    if serving:
        quote += " (leaving out recaps and next steps)"
    return [Finding(category.kind, -1, start_s, end_s, quote, category.reason, category.tip)]


def timing_metrics(conv: Conversation) -> dict:
    """The timing half of the metrics contract."""
    rep_s, customer_s = _speaking_seconds(conv)
    rep_indices = [i for i, t in enumerate(conv.turns) if t.speaker == "rep"]
    timings = [turn_timing(conv, i) for i in rep_indices]
    latencies = [t.latency_s for t in timings if t.latency_s is not None]
    rep_words = sum(conv.text(i).spoken_words for i in rep_indices)
    longest = 0.0
    for i in rep_indices:
        start_s, before_s = monologue_start(conv, i)
        longest = max(longest, max(before_s, conv.turns[i].end_s) - start_s)
    return {
        "rep_talk_share": round(rep_s / (rep_s + customer_s), 3) if rep_s + customer_s > 0 else 0.0,
        "interruptions": sum(1 for t in timings if t.interrupted is not None),
        "backchannels": sum(1 for t in timings if t.backchannel),
        "median_response_latency_s": round(float(median(latencies)), 2) if latencies else None,
        "longest_rep_monologue_s": round(float(longest), 2),
        "rep_words_per_minute": round(float(rep_words / rep_s * 60.0), 1) if rep_s > 0 else 0.0,
        "rep_turns": len(rep_indices),
        "filler_words": sum(len(filler_spans(conv, i)) for i in rep_indices),
    }


def _speaking_seconds(conv: Conversation) -> tuple[float, float]:
    rep_s = sum(t.duration_s for t in conv.turns if t.speaker == "rep")
    customer_s = sum(t.duration_s for t in conv.turns if t.speaker == "customer")
    return rep_s, customer_s
