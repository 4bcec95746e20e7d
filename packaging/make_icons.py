"""Render packaging/icons/clinic-desk.svg to the PNG and ICO files the installers use.

QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

HERE = Path(__file__).resolve().parent / "icons"


def render(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    QSvgRenderer(str(HERE / "clinic-desk.svg")).render(painter)
    painter.end()
    return image


def main() -> int:
    QGuiApplication(sys.argv[:1])
    for size in (16, 32, 48, 64, 128, 256):
        render(size).save(str(HERE / f"clinic-desk-{size}.png"))
    if not render(256).save(str(HERE / "clinic-desk.ico")):
        print("this Qt has no ICO writer; clinic-desk.ico not written", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
