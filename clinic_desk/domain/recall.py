"""Recall (kallelse): when each listed patient is due back, and where they stand.

The due date comes from the last signed revision exam (its planned interval), else from the
first-exam rule (31 December of the year the patient turns 3). A due date set by hand must
carry a reason and may never lie beyond the contract's cap for the patient (RULES.md §2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum

from clinic_desk.domain.care_rules import (
    add_months,
    age_on,
    first_exam_due,
    max_revision_interval_months,
)
from clinic_desk.domain.errors import FieldError, ValidationError

DEFAULT_LEAD_MONTHS = 2


class RecallState(Enum):
    """Where a patient stands in the recall cycle."""

    NOT_DUE = "not_due"
    DUE = "due"
    SUMMONED = "summoned"
    BOOKED = "booked"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return {
            RecallState.NOT_DUE: "Inte aktuell än",
            RecallState.DUE: "Ska kallas",
            RecallState.SUMMONED: "Kallad",
            RecallState.BOOKED: "Bokad",
            RecallState.OVERDUE: "Försenad",
        }[self]


@dataclass(frozen=True)
class RecallRow:
    """One patient on the recall list."""

    patient_id: int
    personal_id: str
    first_name: str
    last_name: str
    birth_date: date
    protected_identity: bool
    responsible_dentist_id: int | None
    due_date: date
    last_exam_date: date | None
    overridden: bool
    next_time: datetime | None
    next_time_summoned: bool

    def state(self, today: date, lead_months: int = DEFAULT_LEAD_MONTHS) -> RecallState:
        """The patient's recall state on `today`."""
        if self.next_time is not None:
            return RecallState.SUMMONED if self.next_time_summoned else RecallState.BOOKED
        if self.due_date < today:
            return RecallState.OVERDUE
        if add_months(today, lead_months) >= self.due_date:
            return RecallState.DUE
        return RecallState.NOT_DUE

    def months_late(self, today: date) -> int:
        """Whole months past the due date (0 when not late)."""
        if self.due_date >= today:
            return 0
        months = (today.year - self.due_date.year) * 12 + today.month - self.due_date.month
        return months - (1 if today.day < self.due_date.day else 0)


def due_without_exam(birth_date: date) -> date:
    """A patient never examined here is due by the first-exam rule."""
    return first_exam_due(birth_date)


def check_override(
    due: date, last_exam: date | None, birth_date: date, today: date, reason: str
) -> None:
    """A hand-set due date needs a reason and must stay within the contract's cap."""
    errors: list[FieldError] = []
    if not reason.strip():
        errors.append(FieldError("reason", "Skriv varför kallelsedatumet ändras."))
    start = last_exam or today
    cap = max_revision_interval_months(age_on(birth_date, start))
    latest = add_months(start, cap)
    if due > latest:
        errors.append(
            FieldError(
                "due_date",
                f"Datumet ligger efter {latest.isoformat()}: längsta intervall för "
                f"patientens ålder är {cap} månader från senaste revisionsundersökningen.",
            )
        )
    if due < today:
        errors.append(FieldError("due_date", "Datumet har redan passerat."))
    if errors:
        raise ValidationError(errors)


def lateness_band(months_late: int) -> str:
    """The delayed-recall dashboard's bands (seed 003): 0–1, 1–3, 3–6, > 6 months."""
    if months_late < 1:
        return "0–1 mån"
    if months_late < 3:
        return "1–3 mån"
    if months_late < 6:
        return "3–6 mån"
    return "> 6 mån"
