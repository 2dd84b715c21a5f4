"""The amber notice above a session's transcript: what to check about how it was transcribed (only one voice
heard, a third voice, a dead channel) and how many turns have an uncertain speaker."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from coach_app.core import Transcript
from coach_app.ui.style import banner_colours
from coach_app.ui.widgets.transcript_view import UNSURE_MARK, speaker_uncertain


def notice_text(transcript: Transcript) -> str:
    """The notice for a transcript, or "" when there is nothing to check."""
    lines = list(transcript.notes)
    unsure = sum(speaker_uncertain(turn) for turn in transcript.turns)
    if unsure:
        turns = "1 turn has" if unsure == 1 else f"{unsure} turns have"
        lines.append(
            f"{turns} an uncertain speaker (marked {UNSURE_MARK} in the transcript): check who said "
            f"{'it' if unsure == 1 else 'them'} and fix any wrong one with Speakers."
        )
    return "\n".join(f"{UNSURE_MARK} {line}" for line in lines)


class TranscriptNotes(QLabel):
    """Hidden when the transcript needs no checking."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("transcriptNotes")
        self.setAccessibleName("What to check about the transcript")
        self.setTextFormat(Qt.TextFormat.PlainText)  # notes name files, whose names may look like markup
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hide()

    def show_transcript(self, transcript: Transcript) -> None:
        text = notice_text(transcript)
        self.setText(text)
        self.setStyleSheet("")  # the colours follow the palette the label inherits, not its last banner's
        if text:
            foreground, background = banner_colours("warning", self.palette())
            self.setStyleSheet(
                f"QLabel#transcriptNotes {{ padding: 6px; border-radius: 4px; color: {foreground.name()}; "
                f"background: {background.name()}; }}"
            )
        self.setVisible(bool(text))
