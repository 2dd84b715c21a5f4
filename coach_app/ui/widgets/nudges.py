"""Gentle live nudges: one short line for the latest thing worth changing (or keeping up) in the rep's turn."""

from PySide6.QtWidgets import QLabel, QWidget

from coach_app.core import Finding
from coach_app.scoring.kinds import NEGATIVE_KINDS, POSITIVE_KINDS
from coach_app.ui.style import banner_colours

NUDGES: dict[str, str] = {
    "interruption": "You came in while the customer was still talking: let them finish.",
    "quick_response": "Pause a moment before answering.",
    "closed_question": "Try an open question: “Can you tell me more about…?”",
    "judgemental": "Keep it neutral: describe the situation, not the customer.",
    "dismissive": "Stay with their concern a little longer before moving on.",
    "rushing": "No rush: check their concern is dealt with first.",
    "blame_shifting": "Own it: say what you will do, rather than whose fault it was.",
    "vague_promise": "Make the next step concrete: who does what, and by when.",
    "reflection": "Good: you reflected what you heard.",
    "empathy": "Good: you named how they feel.",
    "open_question": "Good open question.",
}


def nudge_for(findings: list[Finding]) -> str | None:
    """The nudge for one rep turn: a problem first, then encouragement, then a closed-question hint, or nothing."""
    kinds = [f.kind for f in findings]
    for kind in kinds:
        if kind in NEGATIVE_KINDS:
            return NUDGES.get(kind) or next(f.tip for f in findings if f.kind == kind)
    encouragement = next((NUDGES[kind] for kind in kinds if kind in NUDGES and kind != "closed_question"), None)
    return encouragement or (NUDGES["closed_question"] if "closed_question" in kinds else None)


PRAISE: frozenset[str] = frozenset(text for kind, text in NUDGES.items() if kind in POSITIVE_KINDS)


def tone_of(text: str) -> str:
    """ "praise" for encouragement, "warning" for something to change."""
    return "praise" if text in PRAISE else "warning"


class NudgeBar(QLabel):
    """Shows the latest nudge, praise in green with a tick and warnings in amber with a warning sign; hidden
    while nudges are off."""

    PREFIX = {"praise": "✓ ", "warning": "⚠ "}

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("nudgeBar")
        self.setAccessibleName("Live nudge")
        self.setWordWrap(True)
        self.tone = ""
        self.enabled_by_user = True
        self.hide()

    def show_nudge(self, text: str | None) -> None:
        if text and self.enabled_by_user:
            self.tone = tone_of(text)
            foreground, background = banner_colours(self.tone, self.palette())
            self.setStyleSheet(
                f"QLabel#nudgeBar {{ padding: 6px; border-radius: 4px; color: {foreground.name()}; "
                f"background: {background.name()}; }}"
            )
            self.setText(self.PREFIX[self.tone] + text)
            self.show()

    def set_enabled_by_user(self, on: bool) -> None:
        self.enabled_by_user = on
        if not on:
            self.hide()
