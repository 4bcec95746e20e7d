"""Appointments: kinds, statuses and the rules that move an appointment between them.

Summoned vs agreed (RULES.md §4, seed 000 §2.9/§3.9): a time offered in a recall letter is
*summoned* until the patient or guardian confirms it; only then is it *agreed*, which is
what allows a no-show fee. Appointments are never deleted: cancelling is a status.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from clinic_desk.domain.errors import RuleViolation


class AppointmentKind(Enum):
    """What the time is for, with a default length in minutes."""

    REVISION = "revision"
    TREATMENT = "treatment"
    EMERGENCY = "emergency"
    FOLLOW_UP = "follow_up"

    @property
    def label(self) -> str:
        return {
            AppointmentKind.REVISION: "Revisionsundersökning",
            AppointmentKind.TREATMENT: "Behandling",
            AppointmentKind.EMERGENCY: "Akut",
            AppointmentKind.FOLLOW_UP: "Uppföljning",
        }[self]

    @property
    def default_minutes(self) -> int:
        return {
            AppointmentKind.REVISION: 45,
            AppointmentKind.TREATMENT: 30,
            AppointmentKind.EMERGENCY: 30,
            AppointmentKind.FOLLOW_UP: 20,
        }[self]


class AppointmentStatus(Enum):
    """summoned → agreed → arrived → done, or no-show / late cancellation / cancelled."""

    SUMMONED = "summoned"
    AGREED = "agreed"
    ARRIVED = "arrived"
    DONE = "done"
    NO_SHOW = "no_show"
    LATE_CANCELLED = "late_cancelled"
    CANCELLED_BY_PATIENT = "cancelled_by_patient"
    CANCELLED_BY_CLINIC = "cancelled_by_clinic"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]

    @property
    def holds_time(self) -> bool:
        """True while the appointment occupies the practitioner's time."""
        return self in (
            AppointmentStatus.SUMMONED,
            AppointmentStatus.AGREED,
            AppointmentStatus.ARRIVED,
            AppointmentStatus.DONE,
        )


_STATUS_LABELS = {
    AppointmentStatus.SUMMONED: "Kallad (ej bekräftad)",
    AppointmentStatus.AGREED: "Bokad (bekräftad)",
    AppointmentStatus.ARRIVED: "Anländ",
    AppointmentStatus.DONE: "Klar",
    AppointmentStatus.NO_SHOW: "Uteblev",
    AppointmentStatus.LATE_CANCELLED: "Sen avbokning",
    AppointmentStatus.CANCELLED_BY_PATIENT: "Avbokad av patient",
    AppointmentStatus.CANCELLED_BY_CLINIC: "Avbokad av kliniken",
}

ALLOWED = {
    AppointmentStatus.SUMMONED: {
        AppointmentStatus.AGREED,
        AppointmentStatus.ARRIVED,
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.LATE_CANCELLED,
        AppointmentStatus.CANCELLED_BY_PATIENT,
        AppointmentStatus.CANCELLED_BY_CLINIC,
    },
    AppointmentStatus.AGREED: {
        AppointmentStatus.ARRIVED,
        AppointmentStatus.NO_SHOW,
        AppointmentStatus.LATE_CANCELLED,
        AppointmentStatus.CANCELLED_BY_PATIENT,
        AppointmentStatus.CANCELLED_BY_CLINIC,
    },
    AppointmentStatus.ARRIVED: {AppointmentStatus.DONE},
    AppointmentStatus.DONE: set(),
    AppointmentStatus.NO_SHOW: set(),
    AppointmentStatus.LATE_CANCELLED: set(),
    AppointmentStatus.CANCELLED_BY_PATIENT: set(),
    AppointmentStatus.CANCELLED_BY_CLINIC: set(),
}


class ConfirmedHow(Enum):
    """How a patient or guardian confirmed a summoned time."""

    PHONE = "phone"
    IN_PERSON = "in_person"
    REPLY = "reply"
    BOOKED_TOGETHER = "booked_together"

    @property
    def label(self) -> str:
        return {
            ConfirmedHow.PHONE: "Telefon",
            ConfirmedHow.IN_PERSON: "På plats",
            ConfirmedHow.REPLY: "Svar på kallelse",
            ConfirmedHow.BOOKED_TOGETHER: "Bokad tillsammans med patienten",
        }[self]


@dataclass(frozen=True)
class Appointment:
    """One booked time."""

    id: int
    patient_id: int
    practitioner_id: int
    start: datetime
    minutes: int
    kind: AppointmentKind
    status: AppointmentStatus
    confirmed_how: ConfirmedHow | None = None
    confirmed_at: datetime | None = None
    confirmed_by_name: str = ""
    cancel_reason: str = ""
    note: str = ""
    overbooked: bool = False

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.minutes)

    def overlaps(self, start: datetime, minutes: int) -> bool:
        """True when [start, start + minutes) overlaps this appointment's time."""
        return start < self.end and self.start < start + timedelta(minutes=minutes)


def check_transition(current: AppointmentStatus, new: AppointmentStatus) -> None:
    """Refuse a status change the flow does not allow (Swedish message)."""
    if new not in ALLOWED[current]:
        raise RuleViolation(
            f"En tid som är '{current.label.lower()}' kan inte ändras till '{new.label.lower()}'."
        )


def cancellation_status(
    by_patient: bool, start: datetime, at: datetime, late_hours: int = 24
) -> AppointmentStatus:
    """By the patient less than `late_hours` before the time: a late cancellation."""
    if not by_patient:
        return AppointmentStatus.CANCELLED_BY_CLINIC
    if start - at < timedelta(hours=late_hours):
        return AppointmentStatus.LATE_CANCELLED
    return AppointmentStatus.CANCELLED_BY_PATIENT
