"""The app's icon, drawn in code so there is no image file to ship."""

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

ACCENT = QColor("#2f7d6d")


def app_icon() -> QIcon:
    """A speech bubble with two sound waves: a conversation being listened to."""
    icon = QIcon()
    for size in (16, 32, 64, 128, 256):
        icon.addPixmap(_draw_app_icon(size))
    return icon


def _draw_app_icon(size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(ACCENT)
    painter.drawRoundedRect(QRectF(0, 0, size, size), size * 0.22, size * 0.22)
    bubble = QPainterPath()
    bubble.addRoundedRect(QRectF(size * 0.16, size * 0.2, size * 0.5, size * 0.42), size * 0.1, size * 0.1)
    tail = QPainterPath(QPointF(size * 0.26, size * 0.58))
    tail.lineTo(QPointF(size * 0.22, size * 0.78))
    tail.lineTo(QPointF(size * 0.42, size * 0.6))
    painter.setBrush(QColor("white"))
    painter.drawPath(bubble.united(tail))
    pen = QPen(QColor("white"), max(1.0, size * 0.06), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for radius in (0.14, 0.24):
        box = QRectF(size * (0.66 - radius), size * (0.41 - radius), size * radius * 2, size * radius * 2)
        painter.drawArc(box, -50 * 16, 100 * 16)
    painter.end()
    return pixmap
