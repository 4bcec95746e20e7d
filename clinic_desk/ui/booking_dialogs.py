"""Dialogs of the appointment book: book or move a time, confirm a summons, cancel."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QRadioButton,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from clinic_desk.domain.appointments import Appointment, AppointmentKind, ConfirmedHow
from clinic_desk.domain.errors import FieldError, ValidationError
from clinic_desk.domain.patient_search import interpret_search
from clinic_desk.domain.people import PROTECTED_MASK, Patient
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.formatting import from_qdate, to_qdate
from clinic_desk.ui.forms import FormSpec
from clinic_desk.workflows.appointments import (
    BOOKABLE,
    AppointmentDraft,
    Overbooking,
    book_appointment,
    cancel_appointment,
    check_booking,
    confirm_appointment,
    move_appointment,
)

BOOKING_SPEC = FormSpec(
    "booking_dialog.ui",
    {
        "patient": QLineEdit,
        "patient_found": QLabel,
        "practitioner": QComboBox,
        "day": QDateEdit,
        "start_time": QTimeEdit,
        "kind": QComboBox,
        "minutes": QSpinBox,
        "summoned": QCheckBox,
        "note": QLineEdit,
        "warnings": QLabel,
        "buttons": QDialogButtonBox,
    },
)
CONFIRM_SPEC = FormSpec(
    "confirm_time_dialog.ui",
    {"intro": QLabel, "how": QComboBox, "confirmed_by": QLineEdit, "buttons": QDialogButtonBox},
)
CANCEL_SPEC = FormSpec(
    "cancel_time_dialog.ui",
    {
        "intro": QLabel,
        "by_patient": QRadioButton,
        "by_clinic": QRadioButton,
        "reason": QComboBox,
        "buttons": QDialogButtonBox,
    },
)
CANCEL_REASONS = ["Sjuk", "Förhinder", "Ny tid bokad", "Behandlaren frånvarande", "Annat"]


def _ask_anyway(parent: QWidget, lines: list[str]) -> bool:
    return (
        QMessageBox.question(parent, "Boka ändå?", "\n".join(lines) + "\n\nBoka ändå?")
        == QMessageBox.StandardButton.Yes
    )


class BookingDialog(FormDialog):
    """Book a new time, or move an existing one (`appointment` given)."""

    SPEC = BOOKING_SPEC

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        start: datetime,
        practitioner_id: int | None = None,
        patient: Patient | None = None,
        appointment: Appointment | None = None,
    ) -> None:
        super().__init__(parent, "Flytta tid" if appointment else "Ny tid")
        self._ctx = ctx
        self._patient: Patient | None = patient
        self._appointment = appointment
        self.saved_id: int | None = None
        f = self.form
        for user in ctx.store.users.with_profession(*BOOKABLE):
            f.practitioner.addItem(f"{user.full_name} ({user.profession.label.lower()})", user.id)
        for kind in AppointmentKind:
            f.kind.addItem(kind.label, kind)
        f.minutes.setRange(5, 480)
        f.minutes.setSingleStep(5)
        f.kind.currentIndexChanged.connect(self._kind_changed)
        f.patient.returnPressed.connect(self._find_patient)
        f.patient.editingFinished.connect(self._find_patient)
        if appointment is not None:
            practitioner_id = appointment.practitioner_id
            start = appointment.start
            self._patient = ctx.store.patients.get(appointment.patient_id)
            f.kind.setCurrentIndex(f.kind.findData(appointment.kind))
            f.kind.setEnabled(False)
            f.summoned.hide()
            f.note.setText(appointment.note)
            f.note.setEnabled(False)
        else:
            self._kind_changed()
        if practitioner_id is not None:
            f.practitioner.setCurrentIndex(max(0, f.practitioner.findData(practitioner_id)))
        f.day.setDate(to_qdate(start.date()))
        f.start_time.setTime(start.time())
        if appointment is not None:
            f.minutes.setValue(appointment.minutes)
        self._show_patient()
        self.resize(480, self.sizeHint().height())

    def _kind_changed(self) -> None:
        kind: AppointmentKind = self.form.kind.currentData()
        self.form.minutes.setValue(kind.default_minutes)

    def _show_patient(self) -> None:
        p = self._patient
        label: QLabel = self.form.patient_found
        if p is None:
            label.setText("Ingen patient vald.")
            return
        name = PROTECTED_MASK if p.protected_identity else p.full_name
        label.setText(f"{name}, {p.personal_id}")
        self.form.patient.setText(p.personal_id)
        self.form.patient.setEnabled(self._appointment is None)

    def _find_patient(self) -> None:
        text = self.form.patient.text().strip()
        if not text or (self._patient and text == self._patient.personal_id):
            return
        rows = self._ctx.store.patients.search(
            interpret_search(text, self._ctx.today(), False), limit=2
        )
        if len(rows) == 1:
            self._patient = self._ctx.store.patients.get(rows[0].id)
        else:
            self._patient = None
            self.form.patient_found.setText(
                "Ingen patient hittades."
                if not rows
                else "Flera patienter passar – skriv hela personnumret."
            )
            return
        self._show_patient()

    def field_widgets(self) -> Mapping[str, QWidget]:
        return {
            "patient": self.form.patient,
            "practitioner": self.form.practitioner,
            "minutes": self.form.minutes,
        }

    def _start(self) -> datetime:
        return datetime.combine(
            from_qdate(self.form.day.date()), self.form.start_time.time().toPython()
        )

    def submit(self) -> None:
        self._find_patient()
        if self._patient is None:
            raise ValidationError(
                [FieldError("patient", "Välj patient (personnummer eller namn).")]
            )
        practitioner_id = self.form.practitioner.currentData()
        if practitioner_id is None:
            raise ValidationError([FieldError("practitioner", "Välj behandlare.")])
        start = self._start()
        minutes = int(self.form.minutes.value())
        ignore = self._appointment.id if self._appointment else None
        warnings = check_booking(self._ctx.store, practitioner_id, start, minutes, ignore)
        overbook = False
        if warnings.messages:
            if not _ask_anyway(self, warnings.messages):
                raise ValidationError([])
            overbook = bool(warnings.conflicts)
        ctx = self._ctx
        try:
            if self._appointment is None:
                self.saved_id = book_appointment(
                    ctx.store,
                    ctx.user,
                    AppointmentDraft(
                        self._patient.id,
                        practitioner_id,
                        start,
                        minutes,
                        self.form.kind.currentData(),
                        self.form.summoned.isChecked(),
                        self.form.note.text(),
                    ),
                    self._ctx.now(),
                    overbook=overbook,
                )
            else:
                move_appointment(
                    ctx.store,
                    ctx.user,
                    self._appointment.id,
                    start,
                    minutes,
                    practitioner_id,
                    overbook=overbook,
                )
                self.saved_id = self._appointment.id
        except Overbooking as exc:  # someone booked the time meanwhile
            raise ValidationError([FieldError("practitioner", str(exc))]) from exc


class ConfirmTimeDialog(FormDialog):
    """Record that a summoned time was confirmed, how and by whom."""

    SPEC = CONFIRM_SPEC

    def __init__(
        self, parent: QWidget | None, ctx: AppContext, appointment_id: int, suggested_name: str = ""
    ) -> None:
        super().__init__(parent, "Bekräfta tid")
        self._ctx = ctx
        self._appointment_id = appointment_id
        for how in ConfirmedHow:
            if how is not ConfirmedHow.BOOKED_TOGETHER:
                self.form.how.addItem(how.label, how)
        self.form.confirmed_by.setText(suggested_name)

    def field_widgets(self) -> Mapping[str, QWidget]:
        return {"confirmed_by": self.form.confirmed_by}

    def submit(self) -> None:
        confirm_appointment(
            self._ctx.store,
            self._ctx.user,
            self._appointment_id,
            self.form.how.currentData(),
            self.form.confirmed_by.text(),
            self._ctx.now(),
        )


class CancelTimeDialog(FormDialog):
    """Cancel a time: by the patient (late if close to the time) or by the clinic."""

    SPEC = CANCEL_SPEC

    def __init__(self, parent: QWidget | None, ctx: AppContext, appointment: Appointment) -> None:
        super().__init__(parent, "Avboka tid")
        self._ctx = ctx
        self._appointment = appointment
        self.form.intro.setText(
            f"Tiden {appointment.start:%Y-%m-%d %H:%M} avbokas men finns kvar i tidboken som "
            "avbokad. Avbokar patienten mindre än ett dygn före räknas det som sen avbokning."
        )
        self.form.reason.addItems(CANCEL_REASONS)
        self.form.reason.setCurrentIndex(-1)

    def field_widgets(self) -> Mapping[str, QWidget]:
        return {"reason": self.form.reason}

    def submit(self) -> None:
        cancel_appointment(
            self._ctx.store,
            self._ctx.user,
            self._appointment.id,
            self.form.by_patient.isChecked(),
            self.form.reason.currentText(),
            self._ctx.now(),
        )
