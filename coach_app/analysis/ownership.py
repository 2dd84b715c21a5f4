"""Apology with ownership versus blame-shifting: 'sorry, but that's not our fault' is blame, not an apology."""

from coach_app.analysis.context import Conversation
from coach_app.analysis.lexicon import lexicon
from coach_app.analysis.phrases import phrase_findings
from coach_app.core import Finding


def detect(conv: Conversation, index: int) -> list[Finding]:
    """An apology finding, or a blame-shifting (or non-apology) one; blame anywhere in the turn cancels the apology."""
    if not conv.is_rep(index):
        return []
    categories = lexicon("ownership")
    blame, _ = phrase_findings(conv, index, [categories["blame"], categories["non_apology"]])
    if blame:
        return blame
    apology, _ = phrase_findings(conv, index, [categories["apology"]])
    return apology
