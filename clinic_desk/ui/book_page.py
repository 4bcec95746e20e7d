"""The appointment book page: day view (a column per practitioner) and week view."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from PySide6.QtCore import QPoint, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.appointments import Appointment, AppointmentStatus
from clinic_desk.domain.calendar_days import WEEKDAYS_SV, holiday_name
from clinic_desk.domain.errors import RuleViolation, ValidationError
from clinic_desk.domain.people import PROTECTED_MASK, User
from clinic_desk.domain.permissions import Permission, allowed
from clinic_desk.ui.book_grid import BookColumn, BookGrid
from clinic_desk.ui.booking_dialogs import BookingDialog, CancelTimeDialog, ConfirmTimeDialog
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.exam_dialog import ExamDialog
from clinic_desk.ui.formatting import from_qdate, to_qdate
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.no_show_views import handle_no_show
from clinic_desk.workflows.appointments import (
    BOOKABLE,
    Overbooking,
    check_booking,
    mark_arrived,
    mark_done,
    move_appointment,
    opening_hours,
)
from clinic_desk.workflows.no_shows import charge_no_show_fee, fee_refusal

SPEC = FormSpec(
    "book_page.ui",
    {
        "previous": QPushButton,
        "day": QDateEdit,
        "next": QPushButton,
        "today": QPushButton,
        "day_view": QRadioButton,
        "week_view": QRadioButton,
        "practitioner": QComboBox,
        "practitioner_label": QLabel,
        "show_cancelled": QCheckBox,
        "new_appointment": QPushButton,
        "day_note": QLabel,
        "scroll": QScrollArea,
    },
)


class BookPage(QWidget):
    """Browse days and weeks, book, move, confirm, cancel; open a patient from a time."""

    open_patient = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)
        self.form = load_form(SPEC, self)
        self._ctx = ctx
        self.grid = BookGrid()
        self.form.scroll.setWidget(self.grid)
        f = self.form
        for small in (f.previous, f.next, f.today):
            small.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        toolbar = f.root.findChild(QHBoxLayout, "toolbar")
        if toolbar is not None:  # push the filters to the right
            toolbar.insertStretch(toolbar.indexOf(f.practitioner_label))
        f.practitioner.addItem("Alla behandlare", None)
        self._practitioners: list[User] = ctx.store.users.with_profession(*BOOKABLE)
        for user in self._practitioners:
            f.practitioner.addItem(user.full_name, user.id)
        f.day.setDate(to_qdate(ctx.today()))
        f.show_cancelled.setChecked(True)
        f.previous.clicked.connect(lambda: self._step(-1))
        f.next.clicked.connect(lambda: self._step(1))
        f.today.clicked.connect(lambda: f.day.setDate(to_qdate(ctx.today())))
        f.day.dateChanged.connect(lambda _d: self.refresh())
        f.day_view.toggled.connect(lambda _on: self.refresh())
        f.practitioner.currentIndexChanged.connect(lambda _i: self.refresh())
        f.show_cancelled.toggled.connect(lambda _on: self.refresh())
        f.new_appointment.clicked.connect(lambda: self.book_at(None, None))
        self.grid.slot_clicked.connect(self._slot_clicked)
        self.grid.entry_clicked.connect(self._entry_clicked)
        self.grid.entry_moved.connect(self._entry_moved)
        self.refresh()

    # -- what is shown -----------------------------------------------------------------------
    @property
    def day(self) -> date:
        """The day shown (the week view shows that day's week)."""
        return from_qdate(self.form.day.date())

    def show_day(self, day: date) -> None:
        """Jump to a day."""
        self.form.day.setDate(to_qdate(day))

    def _step(self, direction: int) -> None:
        days = 7 if self.form.week_view.isChecked() else 1
        self.show_day(self.day + timedelta(days=direction * days))

    def columns(self) -> list[BookColumn]:
        """The grid's columns for the current choices."""
        chosen = self.form.practitioner.currentData()
        if self.form.week_view.isChecked():
            monday = self.day - timedelta(days=self.day.weekday())
            hours = opening_hours(self._ctx.store)
            days = [monday + timedelta(days=i) for i in range(7)]
            days = [d for d in days if hours.for_day(d) is not None or d.weekday() < 5]
            return [
                BookColumn(f"{WEEKDAYS_SV[d.weekday()].capitalize()} {d:%d/%m}", d, chosen)
                for d in days
            ]
        people = [u for u in self._practitioners if chosen is None or u.id == chosen]
        return [BookColumn(u.full_name, self.day, u.id) for u in people]

    def refresh(self) -> None:
        """Read the book again for what is chosen."""
        columns = self.columns()
        first = min((c.day for c in columns), default=self.day)
        days = (max((c.day for c in columns), default=self.day) - first).days + 1
        ids = sorted({c.practitioner_id for c in columns if c.practitioner_id is not None})
        entries = self._ctx.store.appointments.book(
            first, days, ids or None, include_cancelled=self.form.show_cancelled.isChecked()
        )
        self.grid.show_book(columns, entries, opening_hours(self._ctx.store))
        notes = [
            f"{d.isoformat()}: {h}"
            for d in sorted({c.day for c in columns})
            if (h := holiday_name(d))
        ]
        held = sum(1 for e in entries if e.appointment.status.holds_time)
        note = f"{held} bokade tider"
        if notes:
            note += " · Helgdag: " + ", ".join(notes) + " – kliniken har normalt stängt."
        self.form.day_note.setText(note)

    # -- actions -----------------------------------------------------------------------------
    def book_at(
        self, practitioner_id: int | None, start: datetime | None, patient_id: int | None = None
    ) -> int | None:
        """Open the booking dialog; returns the new appointment's id when booked."""
        when = start or datetime.combine(self.day, datetime.min.time()).replace(hour=8)
        patient = self._ctx.store.patients.get(patient_id) if patient_id else None
        dialog = BookingDialog(self, self._ctx, when, practitioner_id, patient)
        if dialog.exec() and dialog.saved_id is not None:
            self.refresh()
            return dialog.saved_id
        return None

    def _slot_clicked(self, index: int, start: datetime) -> None:
        column = self.grid.columns[index]
        self.book_at(column.practitioner_id, start)

    def _appointment(self, appointment_id: int) -> Appointment | None:
        return self._ctx.store.appointments.get(appointment_id)

    def actions_for(self, appointment: Appointment) -> list[tuple[str, object]]:
        """(label, handler) for what can be done with a time now."""
        status = appointment.status
        out: list[tuple[str, object]] = [
            ("Öppna patienten", lambda: self.open_patient.emit(appointment.patient_id))
        ]
        if status is AppointmentStatus.SUMMONED:
            out.append(("Bekräfta tiden…", lambda: self._confirm(appointment)))
        if status in (AppointmentStatus.SUMMONED, AppointmentStatus.AGREED) and (
            appointment.start <= self._ctx.now()
        ):
            out.append(("Uteblev", lambda: self._no_show(appointment)))
        if status is AppointmentStatus.NO_SHOW:
            refusal = fee_refusal(self._ctx.store, appointment)
            out.append(
                ("Ta ut avgift…", lambda: self._fee(appointment))
                if refusal is None
                else (f"Ingen avgift: {refusal}", None)
            )
        if status in (AppointmentStatus.SUMMONED, AppointmentStatus.AGREED):
            out += [
                ("Patienten har kommit", lambda: self._run(mark_arrived, appointment.id)),
                ("Flytta…", lambda: self._move_dialog(appointment)),
                ("Avboka…", lambda: self._cancel(appointment)),
            ]
        if status is AppointmentStatus.ARRIVED:
            out.append(("Klar", lambda: self._run(mark_done, appointment.id)))
        if status in (
            AppointmentStatus.AGREED,
            AppointmentStatus.ARRIVED,
            AppointmentStatus.DONE,
        ) and allowed(self._ctx.user, Permission.RECORD_EXAM):
            out.append(("Undersökning…", lambda: self.examine(appointment)))
        return out

    def examine(self, appointment: Appointment) -> None:
        """Record an exam for the patient of a time (the day's appointment)."""
        patient = self._ctx.store.patients.get(appointment.patient_id)
        if patient is None:
            return
        masked = PROTECTED_MASK if patient.protected_identity else None
        ExamDialog(self, self._ctx, patient, masked_name=masked).exec()

    def _entry_clicked(self, appointment_id: int, where: QPoint) -> None:
        appointment = self._appointment(appointment_id)
        if appointment is None:
            return
        menu = QMenu(self)
        for label, handler in self.actions_for(appointment):
            action = QAction(label, menu)
            if handler is None:
                action.setEnabled(False)  # shown with its reason
            else:
                action.triggered.connect(handler)
            menu.addAction(action)
        menu.exec(where)

    def _run(self, workflow: object, appointment_id: int) -> None:
        try:
            workflow(self._ctx.store, self._ctx.user, appointment_id)  # type: ignore[operator]
        except RuleViolation as exc:
            QMessageBox.warning(self, "Tidboken", str(exc))
        self.refresh()

    def _no_show(self, appointment: Appointment) -> None:
        handle_no_show(
            self, self._ctx, appointment.id, lambda patient_id: self.book_at(None, None, patient_id)
        )
        self.refresh()

    def _fee(self, appointment: Appointment) -> None:
        try:
            charge_no_show_fee(self._ctx.store, self._ctx.user, appointment.id, self._ctx.today())
        except RuleViolation as exc:
            QMessageBox.warning(self, "Avgift", str(exc))
            return
        QMessageBox.information(self, "Avgift", "Avgiften är skapad och arkiverad hos patienten.")

    def _confirm(self, appointment: Appointment) -> None:
        record_guardians = self._ctx.store.guardians.for_patient(appointment.patient_id)
        name = record_guardians[0].guardian.full_name if record_guardians else ""
        if ConfirmTimeDialog(self, self._ctx, appointment.id, name).exec():
            self.refresh()

    def _cancel(self, appointment: Appointment) -> None:
        if CancelTimeDialog(self, self._ctx, appointment).exec():
            self.refresh()

    def _move_dialog(self, appointment: Appointment) -> None:
        dialog = BookingDialog(self, self._ctx, appointment.start, appointment=appointment)
        if dialog.exec():
            self.refresh()

    def _entry_moved(self, appointment_id: int, index: int, start: datetime) -> None:
        appointment = self._appointment(appointment_id)
        if appointment is None:
            return
        column = self.grid.columns[index]
        practitioner = column.practitioner_id or appointment.practitioner_id
        warnings = check_booking(
            self._ctx.store, practitioner, start, appointment.minutes, appointment.id
        )
        question = f"Flytta tiden till {start:%Y-%m-%d %H:%M}?"
        if warnings.messages:
            question += "\n\n" + "\n".join(warnings.messages)
        if QMessageBox.question(self, "Flytta tid", question) != QMessageBox.StandardButton.Yes:
            return
        try:
            move_appointment(
                self._ctx.store,
                self._ctx.user,
                appointment_id,
                start,
                practitioner_id=practitioner,
                overbook=bool(warnings.conflicts),
            )
        except (Overbooking, RuleViolation, ValidationError) as exc:
            QMessageBox.warning(self, "Flytta tid", str(exc))
        self.refresh()
