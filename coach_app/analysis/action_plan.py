"""Next steps: a commitment with an owner and a time, a vague promise, and checking the customer agrees."""

from coach_app.analysis.context import Conversation
from coach_app.analysis.lexicon import lexicon
from coach_app.analysis.phrases import phrase_findings
from coach_app.analysis.text import Span
from coach_app.core import Finding

TIME_WINDOW_WORDS = 14


def detect(conv: Conversation, index: int) -> list[Finding]:
    """Action-plan findings for one rep turn: a timed commitment (or a vague promise) and an agreement check."""
    if not conv.is_rep(index):
        return []
    categories = lexicon("action_plan")
    findings = []
    plan = _timed_commitment(conv, index)
    if plan:
        findings.append(plan)
    else:
        vague, _ = phrase_findings(conv, index, [categories["vague"]])
        findings.extend(vague)
    agreement, _ = phrase_findings(conv, index, [categories["agreement"]])
    return findings + agreement


def _timed_commitment(conv: Conversation, index: int) -> Finding | None:
    """A commitment (or a promise made concrete by a time) with a time phrase close after or before it."""
    categories = lexicon("action_plan")
    text = conv.text(index)
    times = [text.span_of(m) for m in categories["time"].finditer(text.norm)]
    if not times:
        return None
    for name in ("commitment", "vague"):
        for match in categories[name].finditer(text.norm):
            span = text.span_of(match)
            for when in times:
                if span.first - 4 <= when.first and when.last <= span.last + TIME_WINDOW_WORDS:
                    quote = Span(min(span.first, when.first), max(span.last, when.last))
                    commitment = categories["commitment"]
                    return conv.finding(commitment.kind, index, quote, commitment.reason, commitment.tip)
    return None
