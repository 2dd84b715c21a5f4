"""Render resources/icons/listening-coach.svg to the PNG sizes and .ico the desktop integrations need."""

import sys
from pathlib import Path

from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "listening-coach.svg"
OUT = ROOT / "packaging" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> None:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    OUT.mkdir(exist_ok=True)
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter)
        painter.end()
        image.save(str(OUT / f"listening-coach-{size}.png"))
    Image.open(OUT / "listening-coach-256.png").save(
        OUT / "listening-coach.ico", sizes=[(s, s) for s in SIZES if s <= 256]
    )
    del app


if __name__ == "__main__":
    main()
