"""Judgemental, dismissive and rushing language (including a closing 'anything else?'), and patience.

A phrase the customer used in their last two turns is not counted: quoting 'obviously' back is reflecting.
"""

from coach_app.analysis.context import Conversation
from coach_app.analysis.lexicon import lexicon
from coach_app.analysis.phrases import first_match, phrase_findings
from coach_app.analysis.text import TurnText
from coach_app.core import Finding

ORDER = ("condescending", "dismissive", "rushing", "patience")
CLOSE_DOWN_MAX_OTHER_WORDS = 6


def detect(conv: Conversation, index: int) -> list[Finding]:
    """Judgement-family findings for one rep turn, at most one per kind."""
    if not conv.is_rep(index):
        return []
    categories = lexicon("judgement")
    customer = [conv.text(j).norm for j in conv.earlier_customers(index, 2)]
    findings, _ = phrase_findings(conv, index, [categories[name] for name in ORDER], quoted_from=customer)
    if not any(f.kind == "rushing" for f in findings):
        closing = _close_down(conv, index)
        if closing:
            findings.append(closing)
    return findings


def invites_more(norm: str) -> bool:
    """Whether a normalised turn invites the customer to say what else matters ('anything else you'd like to tell
    me?'), as opposed to closing them down ('anything else?')."""
    return lexicon("judgement")["invitation"].search(norm) is not None


def customer_settled(conv: Conversation, index: int) -> bool:
    """Whether the customer's turn just before rep turn `index` says the concern is dealt with ("great, that's
    sorted then", "perfect, thanks, what a relief"), so an "anything else?" that follows does not close it down."""
    customer = conv.previous_customer(index)
    return customer is not None and lexicon("judgement")["settled"].search(conv.text(customer).norm) is not None


def _close_down_alone(text: TurnText) -> bool:
    """Whether the turn is an 'anything else?' with few other words, or has none (not a close-down question)."""
    span = first_match(text, lexicon("judgement")["close_down"])
    return span is None or len(text.tokens) - (span.last - span.first) <= CLOSE_DOWN_MAX_OTHER_WORDS


def _close_down(conv: Conversation, index: int) -> Finding | None:
    """'Anything else?' on its own, right after the customer raised something still open."""
    categories = lexicon("judgement")
    text = conv.text(index)
    close = categories["close_down"]
    span = first_match(text, close)
    if span is None or invites_more(text.norm):
        return None
    if not _close_down_alone(text):
        return None  # the rep dealt with something first; asking for anything else is then fine
    previous = conv.previous_customer(index)
    if previous is None or not set(conv.text(previous).tokens) & categories["concern"].words:
        return None
    if customer_settled(conv, index):
        return None
    return conv.finding(close.kind, index, span, close.reason, close.tip)
