"""Tests for ListingRepository: listing periods, their ending and counting per clinic."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date

import pytest

from clinic_desk.domain.listing import ListingKind, responsible_listing_on
from clinic_desk.domain.people import User
from clinic_desk.store.store import Store


@pytest.fixture
def maja(register: Callable[..., int], pid: Callable[..., str]) -> int:
    return register(pid("20150307"), "Maja", "Lindqvist")


def test_insert_end_and_read_back(
    store: Store, actor: User, clinics: dict[str, int], maja: int
) -> None:
    with store.transaction():
        first = store.listings.insert(
            maja,
            clinics["other"],
            date(2018, 3, 7),
            date(2018, 3, 7),
            ListingKind.ASSIGNED,
            "",
            actor.id,
        )
        store.listings.end(first, date(2026, 11, 30), "Omval till annan klinik", actor.id)
        second = store.listings.insert(
            maja,
            clinics["own"],
            date(2026, 11, 23),
            date(2026, 12, 1),
            ListingKind.CHOICE,
            "Anna Lindqvist",
            actor.id,
        )
    old, new = store.listings.for_patient(maja)
    assert (old.id, new.id) == (first, second)
    assert old.clinic_name == "Folktandvården Björkbacken"
    assert old.kind is ListingKind.ASSIGNED
    assert (old.responsible_from, old.responsible_to) == (date(2018, 3, 7), date(2026, 11, 30))
    assert old.end_reason == "Omval till annan klinik"
    assert new.responsible_to is None
    assert new.consent_given_by == "Anna Lindqvist"
    assert new.consent_recorded_by == actor.full_name
    assert new.consent_recorded_at == "2026-11-23T09:30:00"
    listings = store.listings.for_patient(maja)
    assert responsible_listing_on(listings, date(2026, 11, 30)) == old
    assert responsible_listing_on(listings, date(2026, 12, 1)) == new
    ended_by = store.conn.execute("SELECT ended_by, ended_at FROM listings WHERE id=?", (first,))
    assert ended_by.fetchone() == (actor.id, "2026-11-23T09:30:00")


def test_for_patient_is_oldest_first(
    store: Store, actor: User, clinics: dict[str, int], maja: int
) -> None:
    with store.transaction():
        late = store.listings.insert(
            maja,
            clinics["own"],
            date(2026, 1, 1),
            date(2026, 2, 1),
            ListingKind.CHOICE,
            "x",
            actor.id,
        )
        early = store.listings.insert(
            maja,
            clinics["other"],
            date(2020, 1, 1),
            date(2020, 1, 1),
            ListingKind.CHOICE,
            "x",
            actor.id,
        )
    assert [item.id for item in store.listings.for_patient(maja)] == [early, late]
    assert store.listings.for_patient(maja + 100) == []


def test_count_listed_at_a_clinic_on_a_day(
    store: Store,
    actor: User,
    clinics: dict[str, int],
    register: Callable[..., int],
    pid: Callable[..., str],
) -> None:
    patients = [register(pid(f"201{n}0101"), "Barn", f"Nummer{n}") for n in range(4)]
    with store.transaction():
        for patient_id in patients[:3]:
            store.listings.insert(
                patient_id,
                clinics["own"],
                date(2025, 1, 1),
                date(2025, 1, 1),
                ListingKind.CHOICE,
                "x",
                actor.id,
            )
        moving = store.listings.for_patient(patients[0])[0]
        store.listings.end(moving.id, date(2026, 11, 30), "Omval", actor.id)
        store.listings.insert(
            patients[0],
            clinics["other"],
            date(2026, 11, 23),
            date(2026, 12, 1),
            ListingKind.CHOICE,
            "x",
            actor.id,
        )
    assert store.listings.count_listed_at(clinics["own"], date(2024, 12, 31)) == 0
    assert store.listings.count_listed_at(clinics["own"], date(2026, 11, 30)) == 3
    assert store.listings.count_listed_at(clinics["own"], date(2026, 12, 1)) == 2
    assert store.listings.count_listed_at(clinics["other"], date(2026, 11, 30)) == 0
    assert store.listings.count_listed_at(clinics["other"], date(2026, 12, 1)) == 1


def test_the_table_refuses_nonsense(
    store: Store, actor: User, clinics: dict[str, int], maja: int
) -> None:
    with store.transaction():
        listing = store.listings.insert(
            maja,
            clinics["own"],
            date(2026, 1, 10),
            date(2026, 1, 10),
            ListingKind.CHOICE,
            "x",
            actor.id,
        )
    # Ending more than a day before it starts is no period at all.
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.listings.end(listing, date(2026, 1, 8), "x", actor.id)
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.listings.insert(
            maja, 999, date(2026, 1, 1), date(2026, 1, 1), ListingKind.CHOICE, "x", actor.id
        )
