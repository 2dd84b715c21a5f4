"""The transcript with findings highlighted; every word (or turn, when there are no word times) is clickable."""

import html

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QTextBrowser, QWidget

from coach_app.core import Finding, Transcript, Turn
from coach_app.scoring.kinds import NEGATIVE_KINDS, POSITIVE_KINDS, kind_label
from coach_app.transcription.diarize import LOW_CONFIDENCE
from coach_app.ui.style import secondary_text

# Translucent backgrounds read well on light and dark palettes alike.
POSITIVE_BACKGROUND = "rgba(58, 167, 109, 0.30)"
NEGATIVE_BACKGROUND = "rgba(214, 69, 65, 0.30)"
NEUTRAL_BACKGROUND = "rgba(224, 165, 38, 0.30)"
NEUTRAL_TEXT = "rgb(200, 140, 20)"
SELECTED_BACKGROUND = "rgba(59, 125, 216, 0.45)"
UNSURE_MARK = "⚠"
UNSURE_TIP = "speaker uncertain: the voices were hard to tell apart here; fix it in Speakers if it is wrong"


def speaker_uncertain(turn: Turn) -> bool:
    """Whether the voice separation was unsure who said the turn (it gets ⚠ and a tooltip)."""
    return turn.speaker_conf is not None and turn.speaker_conf < LOW_CONFIDENCE


def highlight_for(kind: str) -> str:
    if kind in POSITIVE_KINDS:
        return POSITIVE_BACKGROUND
    if kind in NEGATIVE_KINDS:
        return NEGATIVE_BACKGROUND
    return NEUTRAL_BACKGROUND


class TranscriptView(QTextBrowser):
    """Emits `time_clicked(seconds)` when a word or turn is clicked."""

    time_clicked = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Transcript")
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._clicked)
        QApplication.styleHints().colorSchemeChanged.connect(lambda _scheme: self._render())  # light ↔ dark
        self._transcript = Transcript(())
        self._findings: tuple[Finding, ...] = ()
        self._selected: Finding | None = None

    def set_conversation(self, transcript: Transcript, findings: tuple[Finding, ...]) -> None:
        self._transcript = transcript
        self._findings = findings
        self._selected = None
        self._render()

    def select_finding(self, finding: Finding | None) -> None:
        """Mark one finding more strongly and scroll to its turn."""
        self._selected = finding
        self._render()
        if finding is not None:
            self.scrollToAnchor(f"turn{finding.turn}")

    def _clicked(self, url: QUrl) -> None:
        self.time_clicked.emit(float(url.toString().removeprefix("t:")))

    def _render(self) -> None:
        palette = self.palette()
        text_colour = palette.text().color().name()
        stamp_colour = secondary_text(palette, QPalette.ColorRole.Base).name()
        parts = [f"<style>a {{ color: {text_colour}; text-decoration: none; }} p {{ margin: 6px 0; }}</style>"]
        for index, turn in enumerate(self._transcript.turns):
            findings = [f for f in self._findings if f.turn == index]
            speaker = "Rep" if turn.speaker == "rep" else "Customer"
            stamp = f"{int(turn.start_s // 60)}:{turn.start_s % 60:04.1f}"
            unsure = ""
            if speaker_uncertain(turn):
                unsure = f' <span style="color: {stamp_colour}" title="{html.escape(UNSURE_TIP)}">{UNSURE_MARK}</span>'
            parts.append(
                f'<p><a name="turn{index}"></a><a href="t:{turn.start_s}"><b>{speaker}</b>{unsure} '
                f'<span style="color: {stamp_colour}">{stamp}</span></a><br>{self._turn_html(turn, findings)}</p>'
            )
        scroll = self.verticalScrollBar().value()
        self.setHtml("".join(parts))
        self.verticalScrollBar().setValue(scroll)

    def _background(self, finding: Finding) -> str:
        return SELECTED_BACKGROUND if finding == self._selected else highlight_for(finding.kind)

    def _turn_html(self, turn: Turn, findings: list[Finding]) -> str:
        if not turn.words:
            body = f'<a href="t:{turn.start_s}">{html.escape(turn.text)}</a>'
            if findings:
                title = html.escape("; ".join(kind_label(f.kind) for f in findings))
                return f'<span style="background: {self._background(findings[0])}" title="{title}">{body}</span>'
            return body
        # Consecutive words inside the same finding share one highlighted span, spaces included.
        runs: list[tuple[Finding | None, list[str]]] = []
        for word in turn.words:
            inside = next((f for f in findings if f.start_s - 0.01 <= word.start_s < f.end_s + 0.01), None)
            link = f'<a href="t:{word.start_s}">{html.escape(word.text)}</a>'
            if runs and runs[-1][0] == inside:
                runs[-1][1].append(link)
            else:
                runs.append((inside, [link]))
        return " ".join(
            " ".join(links)
            if finding is None
            else f'<span style="background: {self._background(finding)}">{" ".join(links)}</span>'
            for finding, links in runs
        )
