"""Age-based care rules of the Hälsoval tandvård contract (RULES.md §1-§3, contract 000 §2.7).

Ages are completed years (``age_on``): a patient born on 29 February reaches a new age on
1 March in years without a leap day. The target group is decided by calendar year (the year the
patient turns 3 through the year they turn 19), while the caps on revision intervals and
dentist-exam gaps use the age in completed years on the relevant date.

Every limit comes from a ``ContractRules`` (keyword ``rules``); the default is the RULES.md
§10 set, and workflows pass the set in force on the date that matters.

Ages outside the target group (decisions, not contract text):

* ``max_revision_interval_months`` / ``max_dentist_exam_gap_years``: ages 0-2 get the child
  value (24 months / 4 years), ages 20 and above the young-adult value (36 months / 6 years);
  a negative age raises ValueError.
* ``age_band``: ``"below_target"`` for 0-2, ``"above_target"`` for 20 and above; a negative age
  raises ValueError.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from clinic_desk.domain.ages import age_on
from clinic_desk.domain.contract_rules import DEFAULT_RULES, ContractRules

__all__ = [
    "ABOVE_TARGET",
    "BELOW_TARGET",
    "CHILD",
    "YOUNG_ADULT",
    "IntervalTooLong",
    "add_months",
    "age_band",
    "age_on",
    "bite_check_required",
    "dentist_exam_gap_allowed",
    "first_exam_due",
    "free_care_ends",
    "in_target_group",
    "latest_next_dentist_exam",
    "max_dentist_exam_gap_years",
    "max_revision_interval_months",
    "next_revision_due",
    "tobacco_record_required",
]

TARGET_FIRST_AGE = DEFAULT_RULES.target_first_age
TARGET_LAST_AGE = DEFAULT_RULES.target_last_age
LAST_CHILD_INTERVAL_AGE = DEFAULT_RULES.last_child_age
"""Up to and including this age the shorter caps (24 months, 4 years) apply."""

CHILD = "child"
YOUNG_ADULT = "young_adult"
BELOW_TARGET = "below_target"
ABOVE_TARGET = "above_target"


def _check_age(age: int) -> None:
    if age < 0:
        raise ValueError(f"Åldern kan inte vara negativ ({age} år).")


def add_months(d: date, months: int) -> date:
    """Return ``d`` moved by ``months`` (may be negative), day clamped to the month's end."""
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    if not date.min.year <= year <= date.max.year:
        raise ValueError("Datumet hamnar utanför det tillåtna intervallet.")
    # Days 1-28 exist in every month; only later days need the month's length.
    day = d.day if d.day <= 28 else min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def in_target_group(birth_date: date, on: date, *, rules: ContractRules = DEFAULT_RULES) -> bool:
    """Return True if ``on`` falls in a calendar year in which the patient turns 3..19."""
    return rules.target_first_age <= on.year - birth_date.year <= rules.target_last_age


def free_care_ends(birth_date: date, *, rules: ContractRules = DEFAULT_RULES) -> date:
    """Return the last day of free care: 31 December of the year the patient turns 19."""
    return date(birth_date.year + rules.target_last_age, 12, 31)


def first_exam_due(birth_date: date, *, rules: ContractRules = DEFAULT_RULES) -> date:
    """Return the deadline of the first dentist exam: 31 December of the year turning 3."""
    return date(birth_date.year + rules.target_first_age, 12, 31)


def max_revision_interval_months(age: int, *, rules: ContractRules = DEFAULT_RULES) -> int:
    """Return the longest allowed planned revision interval: 24 months up to 15, else 36."""
    _check_age(age)
    return rules.interval_cap(age)


def max_dentist_exam_gap_years(age: int, *, rules: ContractRules = DEFAULT_RULES) -> int:
    """Return the longest allowed gap between dentist exams: 4 years up to 15, else 6."""
    _check_age(age)
    return rules.gap_cap(age)


class IntervalTooLong(ValueError):
    """A planned revision interval above the cap for the patient's age (Swedish message)."""

    def __init__(self, interval_months: int, cap_months: int, age: int) -> None:
        """Build the Swedish message naming the interval, the cap and the age."""
        super().__init__(
            f"Planerat revisionsintervall {interval_months} månader är längre än tillåtna "
            f"{cap_months} månader för en patient som är {age} år."
        )
        self.interval_months = interval_months
        self.cap_months = cap_months
        self.age = age


def next_revision_due(
    exam_date: date,
    interval_months: int,
    birth_date: date,
    *,
    rules: ContractRules = DEFAULT_RULES,
) -> date:
    """Return exam_date + interval_months (day clamped to month end).

    Raises IntervalTooLong above the cap for the age on exam_date, ValueError if below 1.
    """
    if interval_months < 1:
        raise ValueError(
            f"Revisionsintervallet måste vara minst 1 månad (angivet: {interval_months})."
        )
    age = age_on(birth_date, exam_date)
    cap = max_revision_interval_months(age, rules=rules)
    if interval_months > cap:
        raise IntervalTooLong(interval_months, cap, age)
    return add_months(exam_date, interval_months)


def bite_check_required(age: int, *, rules: ContractRules = DEFAULT_RULES) -> bool:
    """Return True if a bite-development check is required at a revision exam (ages 6-13)."""
    return rules.bite_check_from_age <= age <= rules.bite_check_to_age


def tobacco_record_required(age: int, *, rules: ContractRules = DEFAULT_RULES) -> bool:
    """Return True if tobacco habits must be recorded at an exam (age 13 and above)."""
    return age >= rules.tobacco_from_age


def age_band(age: int) -> str:
    """Return "child" (3-17), "young_adult" (18-19), "below_target" (0-2) or "above_target"."""
    _check_age(age)
    if age < TARGET_FIRST_AGE:
        return BELOW_TARGET
    if age <= 17:
        return CHILD
    if age <= TARGET_LAST_AGE:
        return YOUNG_ADULT
    return ABOVE_TARGET


def dentist_exam_gap_allowed(
    previous: date, later: date, birth_date: date, *, rules: ContractRules = DEFAULT_RULES
) -> bool:
    """Return True if a dentist exam on ``later`` keeps the gap rule after one on ``previous``.

    The cap (4 or 6 years) is chosen by the patient's age on ``later``.
    """
    if later < previous:
        raise ValueError("Den senare undersökningen ligger före den tidigare.")
    years = max_dentist_exam_gap_years(age_on(birth_date, later), rules=rules)
    return later <= add_months(previous, 12 * years)


def latest_next_dentist_exam(
    last_dentist_exam: date, birth_date: date, *, rules: ContractRules = DEFAULT_RULES
) -> date:
    """Return the last day of the unbroken period after ``last_dentist_exam`` in which a new
    dentist exam keeps the gap rule (4 years if <= 15 on the new date, 6 years if 16-19).

    Every date from ``last_dentist_exam`` through the returned date is allowed. If the patient
    is 16 on the day after last + 4 years, the deadline is last + 6 years. Otherwise it is
    last + 4 years: an exam just after that, while the patient is still 15, would break the
    4-year rule, even if one after the 16th birthday (and within 6 years) would formally pass.
    Years are added as 12-month steps, so 29 Feb + 6 years is 28 Feb. The result is not cut at
    ``free_care_ends``; callers compare with it when they need to.
    """
    four = add_months(last_dentist_exam, 12 * rules.child_gap_years)
    if age_on(birth_date, four + timedelta(days=1)) > rules.last_child_age:
        return add_months(last_dentist_exam, 12 * rules.young_gap_years)
    return four
