"""Empathy and validation, acknowledgement and appreciation; 'I understand, but…' counts as dismissive instead."""

from coach_app.analysis.context import Conversation
from coach_app.analysis.lexicon import lexicon
from coach_app.analysis.phrases import phrase_findings
from coach_app.core import Finding

ORDER = ("yes_but", "feelings", "acknowledgement", "appreciation")


def detect(conv: Conversation, index: int) -> list[Finding]:
    """Empathy-family findings for one rep turn, at most one per kind."""
    if not conv.is_rep(index):
        return []
    categories = lexicon("empathy")
    findings, _ = phrase_findings(
        conv, index, [categories[name] for name in ORDER], negation=categories["negation"].words, max_words=14
    )
    return findings
