"""A small bar chart painted with QPainter (no plotting library needed)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QVBoxLayout, QWidget


class BarChart(QWidget):
    """Vertical bars with their values above and labels below."""

    def __init__(
        self,
        title: str,
        colour: str = "#1f6f8b",
        parent: QWidget | None = None,
        value_format: Callable[[float], str] = str,
    ) -> None:
        super().__init__(parent)
        self.title = title
        self.colour = QColor(colour)
        self.value_format = value_format
        self.data: list[tuple[str, float]] = []
        self.setMinimumHeight(190)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> QSize:
        return QSize(360, 210)

    def set_data(self, data: Sequence[tuple[str, float]]) -> None:
        """Replace the bars."""
        self.data = list(data)
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        painter.setFont(QFont(self.font().family(), 9, QFont.Weight.Bold))
        painter.drawText(
            QRectF(6, 2, self.width() - 12, 18), Qt.AlignmentFlag.AlignLeft, self.title
        )
        if not self.data:
            painter.end()
            return
        top, bottom = 38.0, self.height() - 34.0
        width = (self.width() - 12) / len(self.data)
        highest = max(value for _label, value in self.data) or 1
        small = QFont(self.font().family(), 7)
        for index, (label, value) in enumerate(self.data):
            height = (bottom - top) * value / highest
            x = 6 + index * width
            painter.fillRect(
                QRectF(x + width * 0.15, bottom - height, width * 0.7, height), self.colour
            )
            painter.setFont(small)
            painter.setPen(QColor("#222222"))
            painter.drawText(
                QRectF(x, bottom - height - 14, width, 12),
                Qt.AlignmentFlag.AlignCenter,
                self.value_format(value),
            )
            painter.save()
            painter.translate(x + width / 2, bottom + 4)
            painter.drawText(
                QRectF(-width / 2 - 10, 0, width + 20, 28),
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                label,
            )
            painter.restore()
        painter.setPen(QColor("#999999"))
        painter.drawLine(6, int(bottom), self.width() - 6, int(bottom))
        painter.end()


def place_chart(host: QWidget, chart: BarChart) -> BarChart:
    """Put a chart into a placeholder widget from a Designer form."""
    layout = host.layout() or QVBoxLayout(host)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(chart)
    return chart
