"""Tests for clinic_desk.domain.sanctions (RULES.md §8, Region Kalmar appendix, seed 001)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from clinic_desk.domain.sanctions import (
    Colour,
    FollowUpCase,
    SanctionEvent,
    SanctionPeriod,
    classify,
    colour_on,
    escalate,
    monthly_sanction_kr,
    monthly_sanctions,
    sanction_periods,
)

G, Y, R, B = Colour.GREEN, Colour.YELLOW, Colour.RED, Colour.BLACK

# Rows: severity 1-4; columns: deviation 1-4 (products 1..16).
CLASSIFY_TABLE = [
    [G, G, Y, Y],  # 1 2 3 4
    [G, Y, Y, R],  # 2 4 6 8
    [Y, Y, R, R],  # 3 6 9 12
    [Y, R, R, B],  # 4 8 12 16
]


@pytest.mark.parametrize(
    ("severity", "deviation", "colour"),
    [(s + 1, d + 1, CLASSIFY_TABLE[s][d]) for s in range(4) for d in range(4)],
)
def test_classify_all_16(severity: int, deviation: int, colour: Colour) -> None:
    assert classify(severity, deviation) is colour


@pytest.mark.parametrize(("severity", "deviation"), [(0, 1), (1, 0), (5, 1), (1, 5), (-1, 2)])
def test_classify_out_of_range(severity: int, deviation: int) -> None:
    with pytest.raises(ValueError, match="från 1 till 4"):
        classify(severity, deviation)


def test_classify_rejects_non_integers() -> None:
    bad: Any = 2.0
    with pytest.raises(ValueError, match="heltal"):
        classify(bad, 2)
    with pytest.raises(ValueError, match="heltal"):
        classify(True, 2)


@pytest.mark.parametrize(
    ("colour", "full", "reduced"), [(G, 0, 0), (Y, 3, 1), (R, 6, 2), (B, 6, 2)]
)
def test_monthly_sanction_kr(colour: Colour, full: int, reduced: int) -> None:
    assert monthly_sanction_kr(colour) == full
    assert monthly_sanction_kr(colour, self_reported=True) == reduced


def test_escalate() -> None:
    assert [escalate(c) for c in (G, Y, R, B)] == [G, R, B, B]


def _case(
    severity: int,
    deviation: int,
    events: tuple[SanctionEvent, ...] = (),
    self_reported: bool = False,
    request: date = date(2025, 1, 15),
) -> FollowUpCase:
    return FollowUpCase(
        request_date=request,
        severity=severity,
        deviation=deviation,
        self_reported=self_reported,
        plan_deadline=request + timedelta(days=30),
        events=events,
    )


# A yellow case (2 x 2 = 4): request 15 Jan, failed 15 Mar (two months later), then, as a red
# case, failed again 20 May; correction approved 10 Aug.
YELLOW_THEN_RED: tuple[SanctionEvent, ...] = (
    (date(2025, 3, 15), "failed"),
    (date(2025, 5, 20), "failed"),
    (date(2025, 8, 10), "approved"),
)


def _months(year: int, first: int, last: int) -> list[date]:
    return [date(year, m, 1) for m in range(first, last + 1)]


def test_yellow_failed_then_red_failed_1000_listed() -> None:
    case = _case(2, 2, YELLOW_THEN_RED)
    result = monthly_sanctions([case], 1000, date(2024, 12, 1), date(2025, 9, 30))
    assert result == [
        (date(2024, 12, 1), 0),  # before the request
        (date(2025, 1, 1), 3000),  # counted from the request date once yellow failed
        (date(2025, 2, 1), 3000),
        (date(2025, 3, 1), 3000),  # yellow failed, case turns red
        (date(2025, 4, 1), 3000),
        (date(2025, 5, 1), 6000),  # red failed on 20 May, 6 kr, case turns black
        (date(2025, 6, 1), 6000),
        (date(2025, 7, 1), 6000),
        (date(2025, 8, 1), 6000),  # approved 10 Aug: sanction ran 1-9 Aug
        (date(2025, 9, 1), 0),
    ]


def test_self_reported_path_uses_1_and_2_kr() -> None:
    case = _case(2, 2, YELLOW_THEN_RED, self_reported=True)
    result = monthly_sanctions([case], 1000, date(2025, 1, 1), date(2025, 9, 1))
    assert [amount for _, amount in result] == [1000, 1000, 1000, 1000, 2000, 2000, 2000, 2000, 0]


def test_periods_and_colours_of_yellow_then_red() -> None:
    case = _case(2, 2, YELLOW_THEN_RED)
    assert sanction_periods(case) == (
        SanctionPeriod(date(2025, 1, 15), date(2025, 5, 20), 3),
        SanctionPeriod(date(2025, 5, 20), date(2025, 8, 10), 6),
    )
    assert colour_on(case, date(2025, 3, 14)) is Y
    assert colour_on(case, date(2025, 3, 15)) is R
    assert colour_on(case, date(2025, 6, 1)) is B


def test_yellow_without_failure_costs_nothing() -> None:
    approved = _case(1, 3, ((date(2025, 4, 2), "approved"),))
    pending = _case(1, 3)
    result = monthly_sanctions([approved, pending], 500, date(2025, 1, 1), date(2025, 6, 1))
    assert all(amount == 0 for _, amount in result)
    assert sanction_periods(pending) == ()


def test_red_failed_runs_from_request_until_approval() -> None:
    case = _case(3, 3, ((date(2025, 4, 1), "failed"), (date(2025, 6, 1), "approved")))
    result = monthly_sanctions([case], 200, date(2025, 1, 1), date(2025, 7, 1))
    # approval on 1 June: June is not charged
    assert [a for _, a in result] == [1200, 1200, 1200, 1200, 1200, 0, 0]


def test_black_costs_at_once_from_request_date() -> None:
    case = _case(4, 4, request=date(2025, 2, 20))
    result = monthly_sanctions([case], 100, date(2025, 1, 1), date(2025, 4, 1))
    assert result == [
        (date(2025, 1, 1), 0),
        (date(2025, 2, 1), 600),
        (date(2025, 3, 1), 600),
        (date(2025, 4, 1), 600),
    ]
    assert sanction_periods(case) == (SanctionPeriod(date(2025, 2, 20), None, 6),)


def test_black_self_reported_and_failure_keeps_rate() -> None:
    case = _case(4, 4, ((date(2025, 3, 1), "failed"),), self_reported=True)
    assert sanction_periods(case) == (SanctionPeriod(date(2025, 1, 15), None, 2),)
    assert colour_on(case, date(2025, 12, 31)) is B


def test_black_approved_on_request_day_costs_nothing() -> None:
    case = _case(4, 4, ((date(2025, 1, 15), "approved"),))
    assert sanction_periods(case) == ()


def test_green_case_never_costs() -> None:
    case = _case(1, 2, ((date(2025, 2, 1), "approved"),))
    assert monthly_sanctions([case], 1000, date(2025, 1, 1), date(2025, 3, 1)) == [
        (date(2025, 1, 1), 0),
        (date(2025, 2, 1), 0),
        (date(2025, 3, 1), 0),
    ]


def test_cases_add_up_and_end_separately() -> None:
    yellow = _case(1, 4, ((date(2025, 2, 10), "failed"), (date(2025, 3, 5), "approved")))
    black = _case(4, 4, ((date(2025, 5, 1), "approved"),), request=date(2025, 2, 1))
    result = monthly_sanctions((yellow, black), 10, date(2025, 1, 1), date(2025, 5, 1))
    assert result == [
        (date(2025, 1, 1), 30),
        (date(2025, 2, 1), 90),
        (date(2025, 3, 1), 90),
        (date(2025, 4, 1), 60),
        (date(2025, 5, 1), 0),
    ]


def test_months_span_year_end_and_accept_any_day() -> None:
    case = _case(4, 4, request=date(2025, 12, 31))
    result = monthly_sanctions([case], 1, date(2025, 11, 17), date(2026, 2, 3))
    assert result == [
        (date(2025, 11, 1), 0),
        (date(2025, 12, 1), 6),
        (date(2026, 1, 1), 6),
        (date(2026, 2, 1), 6),
    ]


def test_no_cases_or_no_listed() -> None:
    assert monthly_sanctions([], 1000, date(2025, 1, 1), date(2025, 2, 1)) == [
        (date(2025, 1, 1), 0),
        (date(2025, 2, 1), 0),
    ]
    case = _case(4, 4)
    assert monthly_sanctions([case], 0, date(2025, 1, 1), date(2025, 1, 1)) == [
        (date(2025, 1, 1), 0)
    ]


def test_events_are_sorted_by_date() -> None:
    shuffled = (YELLOW_THEN_RED[2], YELLOW_THEN_RED[0], YELLOW_THEN_RED[1])
    assert sanction_periods(_case(2, 2, shuffled)) == sanction_periods(_case(2, 2, YELLOW_THEN_RED))


def test_month_range_validation() -> None:
    with pytest.raises(ValueError, match="efter sista"):
        monthly_sanctions([], 1, date(2025, 3, 1), date(2025, 2, 28))
    with pytest.raises(ValueError, match="negativt"):
        monthly_sanctions([], -1, date(2025, 1, 1), date(2025, 2, 1))


@pytest.mark.parametrize(
    ("events", "message"),
    [
        (((date(2025, 1, 14), "failed"),), "före begäran"),
        (((date(2025, 2, 1), "approved"), (date(2025, 3, 1), "failed")), "redan avslutat"),
        (((date(2025, 2, 1), "approved"), (date(2025, 3, 1), "approved")), "redan avslutat"),
        (((date(2025, 2, 1), "rejected"),), "Okänd händelse"),
    ],
)
def test_bad_events_rejected(events: Any, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        _case(2, 2, events)


def test_green_case_cannot_fail() -> None:
    with pytest.raises(ValueError, match="grönt"):
        _case(1, 1, ((date(2025, 2, 1), "failed"),))


def test_deadline_before_request_rejected() -> None:
    with pytest.raises(ValueError, match="handlingsplanen"):
        FollowUpCase(date(2025, 2, 1), 2, 2, False, date(2025, 1, 31))


def test_case_severity_validated() -> None:
    with pytest.raises(ValueError, match="Allvarlighetsgraden"):
        _case(5, 1)
