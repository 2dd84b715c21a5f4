"""Who spoke when: one lane per speaker, overlaps in red, finding markers, the playback cursor; click to seek."""

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from coach_app.core import Finding, Transcript

REP_COLOUR = QColor("#3b7dd8")
CUSTOMER_COLOUR = QColor("#8a63c7")
OVERLAP_COLOUR = QColor("#d64541")
LANE_LABEL_WIDTH = 76


@dataclass(frozen=True)
class _Span:
    start_s: float
    end_s: float


class Timeline(QWidget):
    """Emits `seek_requested(seconds)` when clicked; `set_position` moves the cursor."""

    seek_requested = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Conversation timeline")
        self.setToolTip("Who spoke when; red marks talking over each other, triangles mark findings. Click to play.")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(84)
        self._transcript = Transcript(())
        self._findings: tuple[Finding, ...] = ()
        self._overlaps: list[_Span] = []
        self._duration_s = 1.0
        self._position_s: float | None = None

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(800, 84)

    def set_conversation(self, transcript: Transcript, findings: tuple[Finding, ...]) -> None:
        self._transcript = transcript
        self._findings = findings
        self._duration_s = max([t.end_s for t in transcript.turns] + [1.0])
        self._overlaps = _overlaps(transcript)
        self.update()

    @property
    def position_s(self) -> float | None:
        return self._position_s

    def set_position(self, seconds: float | None) -> None:
        self._position_s = seconds
        self.update()

    def _x(self, seconds: float) -> float:
        return LANE_LABEL_WIDTH + (self.width() - LANE_LABEL_WIDTH - 8) * seconds / self._duration_s

    def seconds_at(self, x: float) -> float:
        span = max(1.0, self.width() - LANE_LABEL_WIDTH - 8)
        return max(0.0, min(self._duration_s, (x - LANE_LABEL_WIDTH) * self._duration_s / span))

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt's name)
        if event.button() == Qt.MouseButton.LeftButton and event.position().x() >= LANE_LABEL_WIDTH:
            self.seek_requested.emit(self.seconds_at(event.position().x()))

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text_colour = self.palette().windowText().color()
        lanes = {"customer": (18.0, CUSTOMER_COLOUR), "rep": (44.0, REP_COLOUR)}
        for speaker, (y, colour) in lanes.items():
            painter.setPen(text_colour)
            painter.drawText(QRectF(4, y, LANE_LABEL_WIDTH - 8, 18), Qt.AlignmentFlag.AlignVCenter, speaker.title())
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            for turn in self._transcript.turns:
                if turn.speaker == speaker:
                    width = max(2.0, self._x(turn.end_s) - self._x(turn.start_s))
                    painter.drawRoundedRect(QRectF(self._x(turn.start_s), y, width, 18), 3, 3)
        painter.setBrush(OVERLAP_COLOUR)
        for span in self._overlaps:
            left = self._x(span.start_s)
            painter.drawRect(QRectF(left, 38, max(2.0, self._x(span.end_s) - left), 4))
        painter.setBrush(text_colour)
        for finding in self._findings:
            x = self._x(finding.start_s)
            painter.drawPolygon(QPolygonF([QPointF(x - 4, 66), QPointF(x + 4, 66), QPointF(x, 72)]))
        if self._position_s is not None:
            painter.setPen(OVERLAP_COLOUR)
            x = self._x(self._position_s)
            painter.drawLine(QPointF(x, 10), QPointF(x, 76))
        painter.end()


def _overlaps(transcript: Transcript) -> list[_Span]:
    """Stretches where both speakers talk at once."""
    spans = []
    reps = [t for t in transcript.turns if t.speaker == "rep"]
    customers = [t for t in transcript.turns if t.speaker == "customer"]
    for rep in reps:
        for customer in customers:
            start, end = max(rep.start_s, customer.start_s), min(rep.end_s, customer.end_s)
            if end > start:
                spans.append(_Span(start, end))
    return spans
