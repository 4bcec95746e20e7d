"""Ages in completed years: the one calculation the patient list needs at start, kept apart
from the contract's care rules (which re-export it as ``care_rules.age_on``)."""

from __future__ import annotations

from datetime import date


def age_on(birth_date: date, on: date) -> int:
    """Return the age in completed years on ``on``; ValueError if ``on`` is before birth.

    A patient born on 29 February reaches a new age on 1 March in years without a leap day.
    """
    if on < birth_date:
        raise ValueError("Datumet ligger före födelsedatumet.")
    before_birthday = (on.month, on.day) < (birth_date.month, birth_date.day)
    return on.year - birth_date.year - int(before_birthday)
