"""No-show rules: when a fee may be charged and when repeated no-shows need action.

Sources: RULES.md §4; contract 000 §2.9 (written notice on repeated no-shows, the
"barn som far illa" routine for children up to 18) and §3.9 (fee only for a time agreed
and approved by both clinic and patient/guardian).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

__all__ = [
    "DEFAULT_THRESHOLD",
    "DEFAULT_WINDOW_MONTHS",
    "NoShowAssessment",
    "assess_no_shows",
    "fee_allowed",
    "window_start",
]

# "Repeated" is not defined in the contract; 2 within 12 months is the program's default
# (RULES.md §4) and the clinic may change it.
DEFAULT_THRESHOLD = 2
DEFAULT_WINDOW_MONTHS = 12

# Age at which the "child at risk" routine stops applying (000 §2.9: "barn upp till 18 år").
_ADULT_AGE = 18


@dataclass(frozen=True)
class NoShowAssessment:
    """Result of looking at a patient's no-shows on one day."""

    count_in_window: int
    written_notice_due: bool
    child_concern: bool  # notice due and patient under 18 on `today`


def fee_allowed(agreed_by_clinic: bool, confirmed_by_patient: bool) -> bool:
    """True if a no-show fee may be charged: the time was agreed by the clinic and confirmed
    by the patient/guardian (a summons letter alone is not enough, 000 §3.9)."""
    return agreed_by_clinic and confirmed_by_patient


def window_start(today: date, window_months: int = DEFAULT_WINDOW_MONTHS) -> date:
    """The exclusive start of the counting window: `today` minus `window_months`, with the
    day clamped to the end of the month (31 Mar - 1 month -> 28/29 Feb)."""
    if window_months < 1:
        raise ValueError("Perioden för uteblivanden måste vara minst 1 månad.")
    return _add_months(today, -window_months)


def assess_no_shows(
    no_show_dates: list[date],
    today: date,
    birth_date: date,
    last_notice: date | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    window_months: int = DEFAULT_WINDOW_MONTHS,
) -> NoShowAssessment:
    """Count no-shows in (today - window_months, today] and say whether a written notice is
    due and whether the child-at-risk routine applies (patient under 18 on `today`)."""
    if threshold < 1:
        raise ValueError("Gränsen för upprepade uteblivanden måste vara minst 1.")
    start = window_start(today, window_months)
    # Each entry is one missed appointment, so two on the same day count twice; dates after
    # `today` cannot be no-shows yet and are left out.
    counted = [d for d in no_show_dates if start < d <= today]
    count = len(counted)
    notice_due = count >= threshold and _has_newer(counted, last_notice)
    child_concern = notice_due and _age_on(birth_date, today) < _ADULT_AGE
    return NoShowAssessment(
        count_in_window=count,
        written_notice_due=notice_due,
        child_concern=child_concern,
    )


def _has_newer(dates: Iterable[date], last_notice: date | None) -> bool:
    """True if no notice was sent yet or some date is later than the last notice."""
    if last_notice is None:
        return True
    return any(d > last_notice for d in dates)


def _age_on(birth_date: date, on: date) -> int:
    """Completed years on `on`. Someone born 29 Feb completes a year on 1 Mar in common
    years, so they stay under 18 (and the child routine applies) through 28 Feb."""
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)


def _add_months(d: date, months: int) -> date:
    """`d` moved by `months` (may be negative), the day clamped to the month's last day."""
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(d.day, last_day))
