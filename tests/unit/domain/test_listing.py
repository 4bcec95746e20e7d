"""Tests for clinic_desk.domain.listing: who is responsible for a patient on a given day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_desk.domain.listing import (
    Listing,
    ListingKind,
    current_listing,
    previous_listing_ends,
    responsibility_starts,
    responsible_listing_on,
)


def _listing(
    listing_id: int,
    clinic_id: int,
    responsible_from: date,
    responsible_to: date | None = None,
    listed_on: date | None = None,
) -> Listing:
    return Listing(
        id=listing_id,
        patient_id=1,
        clinic_id=clinic_id,
        clinic_name=f"Klinik {clinic_id}",
        listed_on=listed_on or responsible_from,
        responsible_from=responsible_from,
        responsible_to=responsible_to,
        kind=ListingKind.CHOICE,
        consent_given_by="Anna Andersson",
        consent_recorded_by="Karin Holm",
        consent_recorded_at="2026-11-23T09:30:00",
    )


@pytest.mark.parametrize(
    ("listed_on", "starts", "previous_ends"),
    [
        (date(2026, 11, 23), date(2026, 12, 1), date(2026, 11, 30)),
        (date(2026, 11, 1), date(2026, 12, 1), date(2026, 11, 30)),
        (date(2026, 12, 31), date(2027, 1, 1), date(2026, 12, 31)),
        (date(2026, 12, 1), date(2027, 1, 1), date(2026, 12, 31)),
        (date(2028, 2, 10), date(2028, 3, 1), date(2028, 2, 29)),  # leap year
        (date(2027, 2, 28), date(2027, 3, 1), date(2027, 2, 28)),
        (date(2026, 1, 31), date(2026, 2, 1), date(2026, 1, 31)),
    ],
)
def test_new_clinic_takes_over_the_month_after(
    listed_on: date, starts: date, previous_ends: date
) -> None:
    assert responsibility_starts(listed_on) == starts
    assert previous_listing_ends(listed_on) == previous_ends


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9998, 12, 31)))
def test_responsibility_passes_over_without_gap_or_overlap(listed_on: date) -> None:
    starts = responsibility_starts(listed_on)
    ends = previous_listing_ends(listed_on)
    assert starts.day == 1
    assert starts > listed_on
    assert (starts.year, starts.month) != (listed_on.year, listed_on.month)
    assert ends == starts - timedelta(days=1)
    assert (ends.year, ends.month) == (listed_on.year, listed_on.month)


def test_covers_is_inclusive_at_both_ends() -> None:
    closed = _listing(1, 1, date(2026, 1, 1), date(2026, 11, 30))
    assert not closed.covers(date(2025, 12, 31))
    assert closed.covers(date(2026, 1, 1))
    assert closed.covers(date(2026, 11, 30))
    assert not closed.covers(date(2026, 12, 1))
    open_ended = _listing(2, 2, date(2026, 12, 1))
    assert not open_ended.covers(date(2026, 11, 30))
    assert open_ended.covers(date(2126, 1, 1))


def test_an_empty_period_covers_nothing() -> None:
    # A move listed twice in one month leaves the middle clinic with no days at all.
    empty = _listing(1, 1, date(2026, 12, 1), date(2026, 11, 30))
    assert not any(empty.covers(date(2026, 11, 30) + timedelta(days=n)) for n in range(3))


def test_responsible_listing_on_a_move() -> None:
    old = _listing(1, 10, date(2024, 5, 2), date(2026, 11, 30))
    new = _listing(2, 20, date(2026, 12, 1), listed_on=date(2026, 11, 23))
    listings = [new, old]
    assert responsible_listing_on(listings, date(2024, 5, 1)) is None
    assert responsible_listing_on(listings, date(2026, 11, 23)) == old
    assert responsible_listing_on(listings, date(2026, 11, 30)) == old
    assert responsible_listing_on(listings, date(2026, 12, 1)) == new
    assert responsible_listing_on([], date(2026, 12, 1)) is None


def test_responsible_listing_prefers_the_newest_when_periods_touch() -> None:
    ended = _listing(1, 10, date(2025, 1, 1), date(2026, 11, 30))
    relisted = _listing(2, 20, date(2026, 11, 23))  # first listing after an ending: same day
    assert responsible_listing_on([ended, relisted], date(2026, 11, 25)) == relisted
    twin = _listing(3, 30, date(2026, 11, 23))
    assert responsible_listing_on([twin, relisted], date(2026, 11, 25)) == twin


def test_current_listing_is_the_open_one() -> None:
    old = _listing(1, 10, date(2024, 5, 2), date(2026, 11, 30))
    new = _listing(2, 20, date(2026, 12, 1))
    assert current_listing([old, new]) == new
    assert current_listing([old]) is None
    assert current_listing([]) is None


def test_listing_kind_labels_are_swedish() -> None:
    assert ListingKind.CHOICE.label == "Eget val"
    assert ListingKind.ASSIGNED.label == "Tilldelad (icke-val)"
    assert ListingKind("choice") is ListingKind.CHOICE
