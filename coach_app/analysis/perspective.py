"""Perspective taking: asking what matters to the customer, and carrying their own words and needs forward."""

from coach_app.analysis.context import Conversation
from coach_app.analysis.lexicon import lexicon
from coach_app.analysis.phrases import phrase_findings
from coach_app.analysis.text import Span, stem
from coach_app.core import Finding

CARRY_MIN_SHARED = 2
CARRY_LOOKBACK_TURNS = 12
QUOTE_WORDS = 20


def detect(conv: Conversation, index: int) -> list[Finding]:
    """A needs question, and/or a turn that reuses what the customer said earlier (not just their last turn)."""
    if not conv.is_rep(index):
        return []
    findings, _ = phrase_findings(conv, index, [lexicon("perspective")["needs"]])
    carried = _carried_words(conv, index)
    if carried:
        findings.append(carried)
    return findings


def _carried_words(conv: Conversation, index: int) -> Finding | None:
    """Distinctive customer words from before their last turn that the rep now reuses (and had not said yet)."""
    earlier = conv.earlier_customers(index, CARRY_LOOKBACK_TURNS)[1:]
    if not earlier:
        return None
    text = conv.text(index)
    category = lexicon("perspective")["carried_words"]
    generic = frozenset(stem(word) for word in category.words)
    said_before = frozenset().union(
        *(conv.text(j).content for j in range(max(0, index - CARRY_LOOKBACK_TURNS * 2), index) if conv.is_rep(j))
    )
    customer = frozenset().union(*(conv.text(j).content for j in earlier))
    shared = (text.content & customer) - generic - said_before
    if len(shared) < CARRY_MIN_SHARED:
        return None
    hits = [i for i, token in enumerate(text.tokens) if stem(token) in shared]
    first = max(0, hits[0] - 2)
    span = Span(first, min(len(text.tokens), max(hits[-1] + 2, first + 6), first + QUOTE_WORDS))
    reason = f"{category.reason} Here: {', '.join(sorted(shared)[:4])}."
    return conv.finding(category.kind, index, span, reason, category.tip)
