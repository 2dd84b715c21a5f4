"""Reflecting and summarising: restating the customer's last turn, or pulling several turns or agreed steps together.

A reflection is found three ways: a reflective opener ('it sounds like…'), a paraphrase with no opener that
restates the customer's content words, or the utterance classifier calling it a reflection of related content.
"""

from coach_app.analysis.context import Conversation
from coach_app.analysis.lexicon import Category, lexicon
from coach_app.analysis.question_phrases import question_spans
from coach_app.analysis.text import Span, TurnText, content_stems, stem
from coach_app.core import Finding

PARAPHRASE_MIN_SHARED = 3
PARAPHRASE_MIN_RATIO = 0.4
MODEL_MIN_PROBABILITY = 0.6
MODEL_MIN_SHARED = 2
MODEL_SURE_PROBABILITY = 0.8  # a complex reflection may share no words with the customer's turn
SUMMARY_MIN_WORDS = 10
SUMMARY_LOOKBACK_TURNS = 8
SUMMARY_MIN_TURNS_COVERED = 3
QUOTE_WORDS = 30
CONTRAST = frozenset({"but", "however", "unfortunately", "although", "except"})


def detect(conv: Conversation, index: int) -> list[Finding]:
    """At most one summary or reflection finding for a rep turn (a summary includes the reflection)."""
    if not conv.is_rep(index) or not conv.text(index).tokens:
        return []
    summary = _summary(conv, index)
    if summary:
        return [summary]
    reflection = _reflection(conv, index)
    return [reflection] if reflection else []


def _summary(conv: Conversation, index: int) -> Finding | None:
    text = conv.text(index)
    category = lexicon("reflecting")["summary"]
    match = category.search(text.norm)
    if match:
        span = text.span_of(match)
        if len(text.tokens) - span.first >= SUMMARY_MIN_WORDS:
            return conv.finding(category.kind, index, text.sentence_around(span, 40), category.reason, category.tip)
    covered = [
        j
        for j in conv.earlier_customers(index, SUMMARY_LOOKBACK_TURNS)
        if len(conv.text(j).content & text.content) >= 2
    ]
    if len(covered) >= SUMMARY_MIN_TURNS_COVERED and len(text.tokens) >= 20:
        shared = set().union(*(conv.text(j).content for j in covered)) & text.content
        reason = category.reason + f" This turn brings together points from {len(covered)} earlier customer turns."
        return conv.finding(
            category.kind, index, _overlap_span(text, shared, Span(0, len(text.tokens))), reason, category.tip
        )
    return None


def _reflection(conv: Conversation, index: int) -> Finding | None:
    text = conv.text(index)
    customer = _recent_customer_content(conv, index)
    if not customer:
        return None
    categories = lexicon("reflecting")
    checked = categories["check"].search(text.norm) is not None
    strong, weak = categories["strong_opener"], categories["weak_opener"]
    for category, needs_overlap in ((strong, False), (weak, True)):
        for match in category.finditer(text.norm):
            span = text.sentence_around(text.span_of(match), QUOTE_WORDS)
            if not needs_overlap or _span_content(text, span) & customer:
                return conv.finding(category.kind, index, span, _reason(category, checked), category.tip)
    asking = lexicon("questions")
    open_starts = [
        span.first
        for name, span in question_spans(text)
        if asking[name].kind in ("open_question", "clarifying_question")
    ]
    for sentence, _ in text.sentences:
        sentence_content = _span_content(text, sentence)
        shared = sentence_content & customer
        # An open question that reuses the customer's words asks for more; it does not reflect. Nor does a
        # refusal or explanation that repeats them ("you want a refund, but refunds take 14 days").
        asks = any(sentence.first <= first < sentence.last for first in open_starts)
        if asks or not shared or CONTRAST & set(text.tokens[sentence.first : sentence.last]):
            continue
        if len(shared) >= PARAPHRASE_MIN_SHARED and len(shared) / len(sentence_content) >= PARAPHRASE_MIN_RATIO:
            reason = f"You restated the customer's own points ({', '.join(sorted(shared)[:4])}) without a stock opener."
            return conv.finding(weak.kind, index, _overlap_span(text, shared, sentence), reason, weak.tip)
    if CONTRAST & set(text.tokens):
        return None
    label = conv.utterance(index)
    text_shared = text.content & customer
    probability = label.probabilities.get("reflection", 0.0)
    if probability >= MODEL_SURE_PROBABILITY or (
        probability >= MODEL_MIN_PROBABILITY and len(text_shared) >= MODEL_MIN_SHARED
    ):
        return conv.finding(
            weak.kind,
            index,
            _overlap_span(text, text_shared, Span(0, len(text.tokens))),
            _reason(weak, checked),
            weak.tip,
        )
    return None


def _reason(category: Category, checked: bool) -> str:
    if checked:
        return category.reason + " You also checked your understanding, which invites a correction."
    return category.reason


def _recent_customer_content(conv: Conversation, index: int) -> frozenset[str]:
    """Content words of the customer's last two turns (a customer point may be split by a rep 'mm-hmm')."""
    return frozenset().union(*(conv.text(j).content for j in conv.earlier_customers(index, 2)))


def _span_content(text: TurnText, span: Span) -> frozenset[str]:
    return content_stems(" ".join(text.tokens[span.first : span.last]))


def _overlap_span(text: TurnText, shared: set[str] | frozenset[str], within: Span) -> Span:
    hits = [i for i in range(within.first, within.last) if stem(text.tokens[i]) in shared]
    if not hits:
        return Span(within.first, min(within.last, within.first + QUOTE_WORDS))
    first = max(within.first, hits[0] - 2)
    return Span(first, min(within.last, max(hits[-1] + 1, first + 6), first + QUOTE_WORDS))
