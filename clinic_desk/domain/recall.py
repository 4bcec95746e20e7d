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
from clinic_desk.domain.contract_rules import DEFAULT_RULES, ContractRules
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
    due: date,
    last_exam: date | None,
    birth_date: date,
    today: date,
    reason: str,
    *,
    rules: ContractRules = DEFAULT_RULES,
) -> None:
    """A hand-set due date needs a reason and must stay within the contract's cap."""
    errors: list[FieldError] = []
    if not reason.strip():
        errors.append(FieldError("reason", "Skriv varför kallelsedatumet ändras."))
    start = last_exam or today
    cap = max_revision_interval_months(age_on(birth_date, start), rules=rules)
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


BANDS = ("0–1 mån", "1–3 mån", "3–6 mån", "> 6 mån")


def lateness_band(months_late: int) -> str:
    """The delayed-recall dashboard's bands (seed 003): 0–1, 1–3, 3–6, > 6 months."""
    limits = (1, 3, 6)
    return BANDS[next((i for i, limit in enumerate(limits) if months_late < limit), 3)]


def over_cap(row: RecallRow, today: date, *, rules: ContractRules = DEFAULT_RULES) -> bool:
    """True when the last revision exam lies further back than the contract's cap allows
    for the patient's age today (24 months to 15, 36 months from 16); a patient never
    examined counts once the first-exam deadline has passed."""
    if row.last_exam_date is None:
        return row.due_date < today
    cap = max_revision_interval_months(age_on(row.birth_date, today), rules=rules)
    return add_months(row.last_exam_date, cap) < today


@dataclass(frozen=True)
class DelayedRecall:
    """The delayed-recall dashboard's figures (seed 003: follow up delayed recalls)."""

    overdue: tuple[RecallRow, ...]
    by_band: dict[str, int]
    by_dentist: dict[int | None, int]
    by_due_month: tuple[tuple[str, int], ...]
    over_cap: tuple[RecallRow, ...]


def delayed_recall(
    rows: list[RecallRow],
    today: date,
    lead_months: int = DEFAULT_LEAD_MONTHS,
    months: int = 12,
    *,
    rules: ContractRules = DEFAULT_RULES,
) -> DelayedRecall:
    """Late patients (past due, no time booked): by how late, by dentist, by due month."""
    late = sorted(
        (r for r in rows if r.state(today, lead_months) is RecallState.OVERDUE),
        key=lambda r: (r.due_date, r.patient_id),
    )
    by_band = dict.fromkeys(BANDS, 0)
    by_dentist: dict[int | None, int] = {}
    by_month: dict[str, int] = {}
    for row in late:
        by_band[lateness_band(row.months_late(today))] += 1
        by_dentist[row.responsible_dentist_id] = by_dentist.get(row.responsible_dentist_id, 0) + 1
        key = f"{row.due_date:%Y-%m}"
        by_month[key] = by_month.get(key, 0) + 1
    first = add_months(today.replace(day=1), -(months - 1))
    month_keys = [f"{add_months(first, i):%Y-%m}" for i in range(months)]
    older = sum(n for key, n in by_month.items() if key < month_keys[0])
    series = [(f"före {month_keys[0]}", older)] if older else []
    series += [(key, by_month.get(key, 0)) for key in month_keys]
    return DelayedRecall(
        overdue=tuple(late),
        by_band=by_band,
        by_dentist=by_dentist,
        by_due_month=tuple(series),
        over_cap=tuple(r for r in rows if over_cap(r, today, rules=rules) and r.next_time is None),
    )
