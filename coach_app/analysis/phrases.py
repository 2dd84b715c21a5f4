"""Matching lexicon categories in a turn: one finding per category kind, skipping negated or overlapping phrases."""

from collections.abc import Iterable, Sequence

from coach_app.analysis.context import Conversation
from coach_app.analysis.lexicon import Category
from coach_app.analysis.text import Span, TurnText
from coach_app.core import Finding


def first_match(
    text: TurnText,
    category: Category,
    negation: frozenset[str] = frozenset(),
    taken: Iterable[Span] = (),
    quoted_from: Sequence[str] = (),
) -> Span | None:
    """Span of the category's first phrase that is not negated, overlaps no `taken` span and is not a phrase
    the customer said in one of the `quoted_from` normalised texts (repeating their words is not judging them)."""
    taken = list(taken)
    padded = [f" {norm} " for norm in quoted_from]
    for match in category.finditer(text.norm):
        span = text.span_of(match)
        if span.first > 0 and text.tokens[span.first - 1] in negation:
            continue
        phrase = " " + " ".join(text.tokens[span.first : span.last]) + " "
        if any(phrase in norm for norm in padded):
            continue
        if any(span.first < other.last and other.first < span.last for other in taken):
            continue
        return span
    return None


def phrase_findings(
    conv: Conversation,
    index: int,
    categories: Iterable[Category],
    negation: frozenset[str] = frozenset(),
    max_words: int = 20,
    quoted_from: Sequence[str] = (),
) -> tuple[list[Finding], list[Span]]:
    """One finding per kind, in category order; a later category never reuses words an earlier one matched."""
    text = conv.text(index)
    findings: list[Finding] = []
    taken: list[Span] = []
    kinds: set[str] = set()
    for category in categories:
        if category.kind in kinds:
            continue
        span = first_match(text, category, negation, taken, quoted_from)
        if span is None:
            continue
        taken.append(span)
        kinds.add(category.kind)
        quote = text.sentence_around(span, max_words)
        findings.append(conv.finding(category.kind, index, quote, category.reason, category.tip))
    return findings, taken
