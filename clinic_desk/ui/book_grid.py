"""The appointment book grid: time down the side, one column per practitioner or per day.

Painted by hand (no heavy widget per appointment), so a full week draws in a few
milliseconds. Click an empty slot to book, click a time for its actions, drag a time to
move it (snapped to 5 minutes).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import QSizePolicy, QWidget

from clinic_desk.domain.appointments import AppointmentKind, AppointmentStatus
from clinic_desk.domain.calendar_days import OpeningHours, holiday_name
from clinic_desk.domain.people import PROTECTED_MASK
from clinic_desk.store.appointments import BookEntry

FIRST_HOUR = 7
LAST_HOUR = 18
PX_PER_MINUTE = 1.3
HEADER = 30
GUTTER = 52
SNAP_MINUTES = 5

STATUS_COLOURS = {
    AppointmentStatus.SUMMONED: QColor("#fff3c4"),
    AppointmentStatus.AGREED: QColor("#cfe3ff"),
    AppointmentStatus.ARRIVED: QColor("#c9f0d0"),
    AppointmentStatus.DONE: QColor("#e4e4e4"),
    AppointmentStatus.NO_SHOW: QColor("#f6c1c1"),
    AppointmentStatus.LATE_CANCELLED: QColor("#f3dede"),
    AppointmentStatus.CANCELLED_BY_PATIENT: QColor("#f4f4f4"),
    AppointmentStatus.CANCELLED_BY_CLINIC: QColor("#f4f4f4"),
}


@dataclass(frozen=True)
class BookColumn:
    """One column: a day, and a practitioner (None: everyone that day)."""

    title: str
    day: date
    practitioner_id: int | None

    def holds(self, entry: BookEntry) -> bool:
        a = entry.appointment
        return a.start.date() == self.day and (
            self.practitioner_id is None or a.practitioner_id == self.practitioner_id
        )


_CANCELLED_PEN = QPen(QColor("#6b7c8f"), 1, Qt.PenStyle.DashLine)
_ENTRY_PEN = QPen(QColor("#6b7c8f"))
_OVERBOOKED_PEN = QPen(QColor("#b00020"))
_OVERBOOKED_CANCELLED_PEN = QPen(QColor("#b00020"), 1, Qt.PenStyle.DashLine)
_TEXT_COLOUR = QColor("#333333")


@dataclass(frozen=True)
class _Placed:
    """An entry with everything its painting needs worked out once, when laid out."""

    entry: BookEntry
    rect: QRectF
    lines: tuple[str, ...]
    cancelled: bool


class BookGrid(QWidget):
    """Shows columns of appointments; emits what the user asks for."""

    slot_clicked = Signal(int, datetime)  # column index, start
    entry_clicked = Signal(int, QPoint)  # appointment id, global position
    entry_moved = Signal(int, int, datetime)  # appointment id, column index, new start

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns: list[BookColumn] = []
        self.entries: list[BookEntry] = []
        self.hours: OpeningHours | None = None
        self._placed: list[_Placed] = []
        self._drag: tuple[int, QPoint] | None = None
        self._drop_preview: tuple[int, datetime] | None = None
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumHeight(self.sizeHint().height())

    def sizeHint(self) -> QSize:
        return QSize(900, HEADER + int((LAST_HOUR - FIRST_HOUR) * 60 * PX_PER_MINUTE) + 2)

    def show_book(
        self, columns: list[BookColumn], entries: list[BookEntry], hours: OpeningHours
    ) -> None:
        """Replace what the grid shows."""
        self.columns = columns
        self.entries = entries
        self.hours = hours
        self._layout()
        self.update()

    # -- geometry --------------------------------------------------------------------------
    def _column_width(self) -> float:
        return max(40.0, (self.width() - GUTTER) / max(1, len(self.columns)))

    def _y(self, moment: time) -> float:
        minutes = (moment.hour - FIRST_HOUR) * 60 + moment.minute
        return HEADER + minutes * PX_PER_MINUTE

    def at(self, point: QPoint) -> tuple[int, datetime] | None:
        """The column and the (snapped) time under a point, if any."""
        if point.x() < GUTTER or point.y() < HEADER or not self.columns:
            return None
        index = int((point.x() - GUTTER) // self._column_width())
        if index >= len(self.columns):
            return None
        minutes = int((point.y() - HEADER) / PX_PER_MINUTE)
        minutes -= minutes % SNAP_MINUTES
        start = datetime.combine(self.columns[index].day, time(FIRST_HOUR)) + timedelta(
            minutes=minutes
        )
        if start.hour >= LAST_HOUR:
            return None
        return index, start

    def _layout(self) -> None:
        """Place every entry; overlapping times in a column share its width in lanes."""
        self._placed = []
        width = self._column_width()
        by_column: dict[tuple[date, int | None], list[BookEntry]] = {}
        everyone = any(c.practitioner_id is None for c in self.columns)
        for entry in self.entries:
            a = entry.appointment
            by_column.setdefault((a.start.date(), a.practitioner_id), []).append(entry)
            if everyone:
                by_column.setdefault((a.start.date(), None), []).append(entry)
        second_lines: dict[tuple[AppointmentKind, AppointmentStatus], str] = {}
        for index, column in enumerate(self.columns):
            mine = sorted(
                by_column.get((column.day, column.practitioner_id), []),
                key=lambda e: (e.appointment.start, e.appointment.id),
            )
            lanes: list[datetime] = []
            lane_of: list[int] = []
            for entry in mine:
                a = entry.appointment
                lane = next((i for i, end in enumerate(lanes) if end <= a.start), len(lanes))
                if lane == len(lanes):
                    lanes.append(a.end)
                else:
                    lanes[lane] = a.end
                lane_of.append(lane)
            count = max(1, len(lanes))
            for entry, lane in zip(mine, lane_of, strict=True):
                a = entry.appointment
                top = self._y(a.start.time())
                height = a.minutes * PX_PER_MINUTE
                left = GUTTER + index * width + lane * width / count + 2
                rect = QRectF(left, top + 1, width / count - 4, height - 2)
                name = PROTECTED_MASK if entry.protected_identity else entry.patient_name
                lines: tuple[str, ...] = (f"{a.start.hour:02d}:{a.start.minute:02d} {name}",)
                if height >= 28:  # room for a second line
                    key = (a.kind, a.status)
                    if key not in second_lines:
                        second_lines[key] = f"{a.kind.label} · {a.status.label}"
                    lines += (second_lines[key],)
                cancelled = not a.status.holds_time and a.status is not AppointmentStatus.NO_SHOW
                self._placed.append(_Placed(entry, rect, lines, cancelled))

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._layout()
        super().resizeEvent(event)

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("white"))
        width = self._column_width()
        bottom = self._y(time(LAST_HOUR - 1, 59)) + PX_PER_MINUTE
        for index, column in enumerate(self.columns):
            left = GUTTER + index * width
            self._paint_closed(painter, column, left, width, bottom)
            painter.setPen(QPen(QColor("#999999")))
            painter.drawLine(int(left), 0, int(left), int(bottom))
            title = column.title
            holiday = holiday_name(column.day)
            if holiday:
                title += f" – {holiday}"
            painter.setFont(QFont(self.font().family(), 9, QFont.Weight.Bold))
            painter.setPen(QColor("#b00020") if holiday else QColor("black"))
            painter.drawText(
                QRectF(left + 4, 2, width - 8, HEADER - 4),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                title,
            )
        painter.setFont(QFont(self.font().family(), 8))
        for hour in range(FIRST_HOUR, LAST_HOUR):
            y = self._y(time(hour))
            painter.setPen(QPen(QColor("#c8c8c8")))
            painter.drawLine(GUTTER - 4, int(y), self.width(), int(y))
            painter.setPen(QColor("#555555"))
            painter.drawText(
                QRectF(2, y, GUTTER - 8, 14), Qt.AlignmentFlag.AlignRight, f"{hour:02d}:00"
            )
            painter.setPen(QPen(QColor("#eeeeee")))
            half = self._y(time(hour, 30))
            painter.drawLine(GUTTER, int(half), self.width(), int(half))
        painter.setPen(QPen(QColor("#999999")))
        painter.drawLine(0, HEADER, self.width(), HEADER)
        plain = QFont(self.font().family(), 8)
        struck = QFont(plain)
        struck.setStrikeOut(True)
        ascent = QFontMetrics(plain).ascent()
        for placed in self._placed:
            self._paint_entry(painter, placed, plain, struck, ascent)
        if self._drop_preview is not None:
            index, start = self._drop_preview
            painter.setPen(QPen(QColor("#1f6f8b"), 2, Qt.PenStyle.DashLine))
            y = self._y(start.time())
            painter.drawLine(
                int(GUTTER + index * width), int(y), int(GUTTER + (index + 1) * width), int(y)
            )
        painter.end()

    def _paint_closed(
        self, painter: QPainter, column: BookColumn, left: float, width: float, bottom: float
    ) -> None:
        shade = QColor("#fbe9e9") if holiday_name(column.day) else QColor("#f0f0f0")
        hours = self.hours.for_day(column.day) if self.hours else None
        if hours is None or holiday_name(column.day):
            painter.fillRect(QRectF(left, HEADER, width, bottom - HEADER), shade)
            return
        top = self._y(hours.opens) if hours.opens.hour >= FIRST_HOUR else HEADER
        painter.fillRect(QRectF(left, HEADER, width, top - HEADER), shade)
        end = self._y(hours.closes) if hours.closes.hour < LAST_HOUR else bottom
        painter.fillRect(QRectF(left, end, width, bottom - end), shade)
        for start, stop in hours.breaks:
            painter.fillRect(
                QRectF(left, self._y(start), width, self._y(stop) - self._y(start)), shade
            )

    def _paint_entry(
        self, painter: QPainter, placed: _Placed, plain: QFont, struck: QFont, ascent: int
    ) -> None:
        a = placed.entry.appointment
        painter.setBrush(STATUS_COLOURS[a.status])
        if a.overbooked:
            painter.setPen(_OVERBOOKED_CANCELLED_PEN if placed.cancelled else _OVERBOOKED_PEN)
        else:
            painter.setPen(_CANCELLED_PEN if placed.cancelled else _ENTRY_PEN)
        rect = placed.rect
        painter.drawRoundedRect(rect, 3, 3)
        # Plain text at a point is several times cheaper than laying it out in a rectangle;
        # the clip keeps a long name inside its box.
        painter.setClipRect(rect.adjusted(4, 1, -2, -1))
        painter.setFont(struck if placed.cancelled else plain)
        painter.setPen(_TEXT_COLOUR)
        x = rect.left() + 4
        y = rect.top() + 1 + ascent
        for line in placed.lines:
            painter.drawText(QPointF(x, y), line)
            y += ascent + 3
        painter.setClipping(False)

    # -- mouse -----------------------------------------------------------------------------
    def entry_at(self, point: QPoint) -> BookEntry | None:
        """The appointment drawn under a point (the top one)."""
        for placed in reversed(self._placed):
            if placed.rect.contains(point.toPointF()):
                return placed.entry
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        entry = self.entry_at(point)
        if entry is not None and event.button() == Qt.MouseButton.LeftButton:
            self._drag = (entry.appointment.id, point)
            return
        if entry is None and event.button() == Qt.MouseButton.LeftButton:
            slot = self.at(point)
            if slot is not None:
                self.slot_clicked.emit(slot[0], slot[1])

    def _target(
        self, appointment_id: int, origin: QPoint, point: QPoint
    ) -> tuple[int, datetime] | None:
        """Where a dragged time lands: the column under the pointer, moved by the drag."""
        slot = self.at(point)
        entry = next((e for e in self.entries if e.appointment.id == appointment_id), None)
        if slot is None or entry is None:
            return None
        minutes = round((point.y() - origin.y()) / PX_PER_MINUTE / SNAP_MINUTES) * SNAP_MINUTES
        moved = entry.appointment.start + timedelta(minutes=minutes)
        return slot[0], datetime.combine(self.columns[slot[0]].day, moved.time())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        point = event.position().toPoint()
        if (point - self._drag[1]).manhattanLength() > 6:
            self._drop_preview = self._target(self._drag[0], self._drag[1], point)
            self.update()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            return
        appointment_id, origin = self._drag
        self._drag = None
        self._drop_preview = None
        point = event.position().toPoint()
        self.update()
        if (point - origin).manhattanLength() <= 6:
            self.entry_clicked.emit(appointment_id, self.mapToGlobal(point))
            return
        target = self._target(appointment_id, origin, point)
        if target is not None:
            self.entry_moved.emit(appointment_id, target[0], target[1])
