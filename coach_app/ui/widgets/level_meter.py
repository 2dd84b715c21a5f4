"""A horizontal microphone level meter: a bar from -60 dBFS to 0 that turns amber, then red, near clipping."""

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

FLOOR_DBFS = -60.0
WARN_DBFS = -12.0
CLIP_DBFS = -3.0


class LevelMeter(QWidget):
    """Shows one loudness value; the screen polls the recorder with a timer and calls `set_level`."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dbfs = FLOOR_DBFS
        self.setAccessibleName("Microphone level")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(120)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt's name)
        return QSize(240, 14)

    @property
    def dbfs(self) -> float:
        return self._dbfs

    def fraction(self) -> float:
        """How full the bar is, 0–1."""
        return min(1.0, max(0.0, (self._dbfs - FLOOR_DBFS) / -FLOOR_DBFS))

    def set_level(self, dbfs: float) -> None:
        self._dbfs = dbfs
        self.setAccessibleDescription(f"{dbfs:.0f} dB")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        track = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        palette = self.palette()
        painter.setPen(palette.mid().color())
        painter.setBrush(palette.base())
        painter.drawRoundedRect(track, 4, 4)
        if self._dbfs >= CLIP_DBFS:
            colour = QColor("#d64541")
        elif self._dbfs >= WARN_DBFS:
            colour = QColor("#e0a526")
        else:
            colour = QColor("#3aa76d")
        filled = QRectF(track.x(), track.y(), track.width() * self.fraction(), track.height())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        painter.drawRoundedRect(filled, 4, 4)
        painter.end()
