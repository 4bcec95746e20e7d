"""Recall states, lateness, the contract cap and the delayed-recall figures."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.recall import (
    RecallRow,
    RecallState,
    check_override,
    delayed_recall,
    lateness_band,
    over_cap,
)

TODAY = date(2026, 11, 23)


def _row(
    due: date,
    last: date | None = date(2025, 11, 1),
    born: date = date(2015, 3, 7),
    next_time: datetime | None = None,
    summoned: bool = False,
    dentist: int = 1,
    patient_id: int = 1,
) -> RecallRow:
    return RecallRow(
        patient_id,
        "20150307-2389",
        "Märta",
        "Lindqvist",
        born,
        False,
        dentist,
        due,
        last,
        False,
        next_time,
        summoned,
    )


def test_states() -> None:
    assert _row(date(2027, 3, 1)).state(TODAY) is RecallState.NOT_DUE
    assert _row(date(2027, 1, 23)).state(TODAY) is RecallState.DUE  # exactly two months
    assert _row(date(2027, 1, 24)).state(TODAY) is RecallState.NOT_DUE
    assert _row(date(2026, 11, 22)).state(TODAY) is RecallState.OVERDUE
    assert _row(date(2026, 11, 23)).state(TODAY) is RecallState.DUE  # due today: not late
    booked = _row(date(2026, 1, 1), next_time=datetime(2026, 12, 1, 9))
    assert booked.state(TODAY) is RecallState.BOOKED
    summoned = _row(date(2026, 1, 1), next_time=datetime(2026, 12, 1, 9), summoned=True)
    assert summoned.state(TODAY) is RecallState.SUMMONED
    assert _row(date(2027, 1, 10)).state(TODAY, lead_months=1) is RecallState.NOT_DUE


@pytest.mark.parametrize(
    ("due", "months", "band"),
    [
        (date(2026, 11, 1), 0, "0–1 mån"),
        (date(2026, 10, 23), 1, "1–3 mån"),
        (date(2026, 10, 24), 0, "0–1 mån"),
        (date(2026, 8, 23), 3, "3–6 mån"),
        (date(2026, 5, 22), 6, "> 6 mån"),
    ],
)
def test_lateness(due: date, months: int, band: str) -> None:
    assert _row(due).months_late(TODAY) == months
    assert lateness_band(months) == band


def test_the_cap_depends_on_the_age_today() -> None:
    # 15 years old: 24 months
    fifteen = date(2011, 6, 1)
    assert not over_cap(_row(TODAY, last=date(2024, 11, 23), born=fifteen), TODAY)
    assert over_cap(_row(TODAY, last=date(2024, 11, 22), born=fifteen), TODAY)
    # 16 years old (the day of the 16th birthday): 36 months
    sixteen = date(2010, 11, 23)
    assert not over_cap(_row(TODAY, last=date(2024, 11, 22), born=sixteen), TODAY)
    assert over_cap(_row(TODAY, last=date(2023, 11, 22), born=sixteen), TODAY)
    # never examined: over once the first-exam deadline has passed
    assert over_cap(_row(date(2025, 12, 31), last=None), TODAY)
    assert not over_cap(_row(date(2026, 12, 31), last=None), TODAY)


def test_a_hand_set_date_is_checked_against_the_cap_for_the_age_at_the_last_exam() -> None:
    check_override(date(2027, 11, 1), date(2025, 11, 1), date(2015, 3, 7), TODAY, "Flytt")
    with pytest.raises(ValidationError) as caught:
        check_override(date(2027, 11, 2), date(2025, 11, 1), date(2015, 3, 7), TODAY, "Flytt")
    assert "2027-11-01" in (caught.value.message_for("due_date") or "")
    # 16 at the last exam: 36 months
    check_override(date(2028, 11, 1), date(2025, 11, 1), date(2009, 3, 7), TODAY, "Flytt")
    with pytest.raises(ValidationError):
        check_override(date(2026, 11, 1), date(2025, 11, 1), date(2015, 3, 7), TODAY, "x")


def test_delayed_recall_figures() -> None:
    rows = [
        _row(date(2026, 11, 1), patient_id=1, dentist=1),
        _row(date(2026, 9, 1), patient_id=2, dentist=2),
        _row(date(2026, 2, 1), patient_id=3, dentist=2),
        _row(date(2024, 1, 1), patient_id=4, dentist=1),
        _row(date(2026, 1, 1), patient_id=5, next_time=datetime(2026, 12, 1, 9)),  # booked
        _row(date(2027, 6, 1), patient_id=6),
    ]
    summary = delayed_recall(rows, TODAY)
    assert [r.patient_id for r in summary.overdue] == [4, 3, 2, 1]
    assert summary.by_band == {"0–1 mån": 1, "1–3 mån": 1, "3–6 mån": 0, "> 6 mån": 2}
    assert summary.by_dentist == {1: 2, 2: 2}
    assert summary.by_due_month[0] == ("före 2025-12", 1)
    months = dict(summary.by_due_month)
    assert months["2026-02"] == 1
    assert months["2026-11"] == 1
    assert len(summary.by_due_month) == 13
