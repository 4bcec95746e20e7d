"""The appointment book: book, move, change length, confirm, arrive, finish, cancel.

Each function is one user action: one transaction, one audit entry and one entry in the
appointment's own history. Appointments are never deleted; cancelling sets a status.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from clinic_desk.domain.appointments import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    ConfirmedHow,
    cancellation_status,
    check_transition,
)
from clinic_desk.domain.calendar_days import OpeningHours, holiday_name
from clinic_desk.domain.errors import FieldError, NotFound, RuleViolation, ValidationError
from clinic_desk.domain.people import Profession, User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.store.store import Store

OPENING_HOURS_KEY = "opening_hours"
LATE_CANCEL_HOURS_KEY = "late_cancellation_hours"
LEAD_MONTHS_KEY = "recall_lead_months"
DEFAULT_LATE_CANCEL_HOURS = 24
BOOKABLE = (Profession.DENTIST, Profession.HYGIENIST, Profession.DENTAL_NURSE)


class Overbooking(RuleViolation):
    """The practitioner already has a time then; book anyway only when the user confirms."""

    def __init__(self, conflicts: list[Appointment]) -> None:
        self.conflicts = conflicts
        times = ", ".join(f"{a.start:%H:%M}–{a.end:%H:%M}" for a in conflicts)
        super().__init__(f"Behandlaren har redan en tid {times}. Vill du dubbelboka?")


@dataclass(frozen=True)
class AppointmentDraft:
    """A new time as the booking dialog holds it."""

    patient_id: int
    practitioner_id: int
    start: datetime
    minutes: int
    kind: AppointmentKind
    summoned: bool = False  # offered in a letter: not agreed until confirmed
    note: str = ""


@dataclass(frozen=True)
class BookingWarnings:
    """What the user should see before booking: nothing here stops the booking by itself."""

    conflicts: tuple[Appointment, ...]
    holiday: str | None
    outside_hours: bool

    @property
    def messages(self) -> list[str]:
        """Swedish lines for a confirmation question."""
        out = []
        if self.holiday:
            out.append(f"{self.holiday} – kliniken har normalt stängt.")
        if self.outside_hours:
            out.append("Tiden ligger utanför öppettiderna eller på en rast.")
        if self.conflicts:
            out.append(str(Overbooking(list(self.conflicts))))
        return out


def opening_hours(store: Store) -> OpeningHours:
    """The clinic's opening hours (clinic setting; the default week until set)."""
    return OpeningHours.from_json(store.settings.get(OPENING_HOURS_KEY))


def check_booking(
    store: Store, practitioner_id: int, start: datetime, minutes: int, ignore_id: int | None = None
) -> BookingWarnings:
    """Holiday, opening hours and double bookings for a proposed time."""
    return BookingWarnings(
        conflicts=tuple(store.appointments.conflicts(practitioner_id, start, minutes, ignore_id)),
        holiday=holiday_name(start.date()),
        outside_hours=not opening_hours(store).is_open(start, minutes),
    )


def _check_draft(store: Store, draft: AppointmentDraft) -> None:
    errors: list[FieldError] = []
    if not 5 <= draft.minutes <= 480:
        errors.append(FieldError("minutes", "Längden ska vara mellan 5 och 480 minuter."))
    practitioner = store.users.get(draft.practitioner_id)
    if practitioner is None or not practitioner.active or practitioner.profession not in BOOKABLE:
        errors.append(
            FieldError("practitioner", "Välj en tandläkare, tandhygienist eller tandsköterska.")
        )
    patient = store.patients.get(draft.patient_id)
    if patient is None:
        errors.append(FieldError("patient", "Patienten finns inte."))
    elif patient.end_date is not None:
        errors.append(FieldError("patient", "Patienten är avslutad och kan inte bokas."))
    if errors:
        raise ValidationError(errors)


def _require(store: Store, appointment_id: int) -> Appointment:
    found = store.appointments.get(appointment_id)
    if found is None:
        raise NotFound(f"Tiden finns inte (id {appointment_id}).")
    return found


def _log(
    store: Store, actor: User, appointment: Appointment, action: str, detail: dict[str, object]
) -> None:
    store.appointments.add_event(appointment.id, actor.id, action, detail)
    store.audit.append(
        actor.id,
        f"appointment.{action}",
        patient_id=appointment.patient_id,
        entity="appointment",
        entity_id=appointment.id,
        detail=detail,
    )


@requires(Permission.BOOK_APPOINTMENTS)
def book_appointment(
    store: Store, actor: User, draft: AppointmentDraft, now: datetime, overbook: bool = False
) -> int:
    """Book a time: agreed when booked with the patient, summoned when offered by letter."""
    _check_draft(store, draft)
    with store.transaction():
        conflicts = store.appointments.conflicts(draft.practitioner_id, draft.start, draft.minutes)
        if conflicts and not overbook:
            raise Overbooking(conflicts)
        status = AppointmentStatus.SUMMONED if draft.summoned else AppointmentStatus.AGREED
        appointment = Appointment(
            id=0,
            patient_id=draft.patient_id,
            practitioner_id=draft.practitioner_id,
            start=draft.start,
            minutes=draft.minutes,
            kind=draft.kind,
            status=status,
            confirmed_how=None if draft.summoned else ConfirmedHow.BOOKED_TOGETHER,
            confirmed_at=None if draft.summoned else now,
            note=draft.note.strip(),
            overbooked=bool(conflicts),
        )
        appointment = replace(appointment, id=store.appointments.insert(appointment, actor.id))
        _log(
            store,
            actor,
            appointment,
            "book",
            {
                "start": draft.start.isoformat(timespec="minutes"),
                "minutes": draft.minutes,
                "status": status.value,
                "overbooked": bool(conflicts),
            },
        )
    return appointment.id


@requires(Permission.BOOK_APPOINTMENTS)
def move_appointment(
    store: Store,
    actor: User,
    appointment_id: int,
    start: datetime,
    minutes: int | None = None,
    practitioner_id: int | None = None,
    overbook: bool = False,
) -> None:
    """Move a time (another start, length or practitioner); refused once it has happened."""
    with store.transaction():
        current = _require(store, appointment_id)
        if current.status not in (AppointmentStatus.SUMMONED, AppointmentStatus.AGREED):
            raise RuleViolation(f"En tid som är '{current.status.label.lower()}' kan inte flyttas.")
        moved = replace(
            current,
            start=start,
            minutes=minutes or current.minutes,
            practitioner_id=practitioner_id or current.practitioner_id,
        )
        _check_draft(
            store,
            AppointmentDraft(
                moved.patient_id, moved.practitioner_id, moved.start, moved.minutes, moved.kind
            ),
        )
        conflicts = store.appointments.conflicts(
            moved.practitioner_id, moved.start, moved.minutes, ignore_id=moved.id
        )
        if conflicts and not overbook:
            raise Overbooking(conflicts)
        moved = replace(moved, overbooked=bool(conflicts))
        store.appointments.update(moved, actor.id)
        _log(
            store,
            actor,
            moved,
            "move",
            {
                "from": current.start.isoformat(timespec="minutes"),
                "to": moved.start.isoformat(timespec="minutes"),
                "minutes": moved.minutes,
                "practitioner_id": moved.practitioner_id,
            },
        )


@requires(Permission.BOOK_APPOINTMENTS)
def confirm_appointment(
    store: Store,
    actor: User,
    appointment_id: int,
    how: ConfirmedHow,
    confirmed_by: str,
    at: datetime,
) -> None:
    """A summoned time confirmed by the patient or guardian becomes agreed (RULES.md §4)."""
    if not confirmed_by.strip():
        raise ValidationError([FieldError("confirmed_by", "Skriv vem som bekräftade tiden.")])
    with store.transaction():
        current = _require(store, appointment_id)
        check_transition(current.status, AppointmentStatus.AGREED)
        agreed = replace(
            current,
            status=AppointmentStatus.AGREED,
            confirmed_how=how,
            confirmed_at=at,
            confirmed_by_name=confirmed_by.strip(),
        )
        store.appointments.update(agreed, actor.id)
        _log(
            store,
            actor,
            agreed,
            "confirm",
            {"how": how.value, "by": confirmed_by.strip(), "at": at.isoformat(timespec="minutes")},
        )


def _set_status(
    store: Store,
    actor: User,
    appointment_id: int,
    status: AppointmentStatus,
    action: str,
    reason: str = "",
) -> None:
    with store.transaction():
        current = _require(store, appointment_id)
        check_transition(current.status, status)
        changed = replace(current, status=status, cancel_reason=reason or current.cancel_reason)
        store.appointments.update(changed, actor.id)
        _log(store, actor, changed, action, {"status": status.value, "reason": reason})


@requires(Permission.BOOK_APPOINTMENTS)
def mark_arrived(store: Store, actor: User, appointment_id: int) -> None:
    """The patient has come."""
    _set_status(store, actor, appointment_id, AppointmentStatus.ARRIVED, "arrive")


@requires(Permission.BOOK_APPOINTMENTS)
def mark_done(store: Store, actor: User, appointment_id: int) -> None:
    """The visit is over."""
    _set_status(store, actor, appointment_id, AppointmentStatus.DONE, "done")


@requires(Permission.BOOK_APPOINTMENTS)
def cancel_appointment(
    store: Store, actor: User, appointment_id: int, by_patient: bool, reason: str, at: datetime
) -> AppointmentStatus:
    """Cancel a time (it stays in the book as cancelled); late when the patient cancels
    closer than the clinic's limit (default 24 hours). Returns the status it got."""
    if not reason.strip():
        raise ValidationError([FieldError("reason", "Skriv varför tiden avbokas.")])
    hours = int(store.settings.get(LATE_CANCEL_HOURS_KEY, DEFAULT_LATE_CANCEL_HOURS))
    current = _require(store, appointment_id)
    status = cancellation_status(by_patient, current.start, at, hours)
    _set_status(store, actor, appointment_id, status, "cancel", reason.strip())
    return status


def book_settings_errors(
    hours: OpeningHours, late_cancel_hours: int, lead_months: int
) -> list[FieldError]:
    """What is wrong with the book's settings (empty when they can be saved)."""
    errors: list[FieldError] = []
    for index, day in enumerate(hours.days):
        if day is not None and day.closes <= day.opens:
            errors.append(
                FieldError(f"day{index}", "Stängningstiden måste vara efter öppningstiden.")
            )
        if day is not None and any(not (day.opens <= a < b <= day.closes) for a, b in day.breaks):
            errors.append(FieldError(f"day{index}", "Rasten måste ligga inom öppettiden."))
    if not 0 <= late_cancel_hours <= 168:
        errors.append(FieldError("late_hours", "Ange 0–168 timmar."))
    if not 0 <= lead_months <= 6:
        errors.append(FieldError("lead_months", "Ange 0–6 månader."))
    return errors


def write_book_settings(
    store: Store, user_id: int, hours: OpeningHours, late_cancel_hours: int, lead_months: int
) -> None:
    """Store checked book settings (inside the caller's transaction and permission check)."""
    store.settings.set(OPENING_HOURS_KEY, hours.to_json(), user_id)
    store.settings.set(LATE_CANCEL_HOURS_KEY, late_cancel_hours, user_id)
    store.settings.set(LEAD_MONTHS_KEY, lead_months, user_id)
