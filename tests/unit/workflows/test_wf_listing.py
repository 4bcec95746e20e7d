"""Tests for listing a patient at a clinic and ending a listing (RULES.md §6)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from clinic_desk.domain.errors import NotFound, ValidationError
from clinic_desk.domain.listing import ListingKind, responsible_listing_on
from clinic_desk.domain.people import User
from clinic_desk.store.store import Store
from clinic_desk.workflows.listing import ListingDraft, end_listing, list_patient
from clinic_desk.workflows.patients import end_patient

Counts = Callable[[], dict[str, int]]


@pytest.fixture
def maja(register: Callable[..., int], pid: Callable[..., str]) -> int:
    return register(pid("20150307"), "Maja", "Lindqvist")


def _choice(clinic_id: int, listed_on: date, consent: str = "Anna Lindqvist") -> ListingDraft:
    return ListingDraft(clinic_id, listed_on, ListingKind.CHOICE, consent)


def test_a_first_listing_is_responsible_from_the_listing_day(
    store: Store, actor: User, clinics: dict[str, int], maja: int, counts: Counts
) -> None:
    before = counts()
    listing_id = list_patient(store, actor, maja, _choice(clinics["own"], date(2026, 11, 23)))
    assert counts()["audit_log"] == before["audit_log"] + 1
    (item,) = store.listings.for_patient(maja)
    assert item.id == listing_id
    assert (item.listed_on, item.responsible_from, item.responsible_to) == (
        date(2026, 11, 23),
        date(2026, 11, 23),
        None,
    )
    assert responsible_listing_on([item], date(2026, 11, 23)) == item
    assert responsible_listing_on([item], date(2026, 11, 22)) is None
    entry = store.audit.for_patient(maja, limit=1)[0]
    assert (entry.action, entry.detail) == (
        "listing.create",
        {"clinic_id": clinics["own"], "listed_on": "2026-11-23", "kind": "choice"},
    )


def test_moving_to_another_clinic_takes_effect_the_month_after(
    store: Store, actor: User, clinics: dict[str, int], maja: int, counts: Counts
) -> None:
    list_patient(store, actor, maja, _choice(clinics["other"], date(2019, 8, 14)))
    before = counts()
    list_patient(store, actor, maja, _choice(clinics["own"], date(2026, 11, 23)))
    assert counts()["audit_log"] == before["audit_log"] + 1
    assert counts()["listings"] == before["listings"] + 1
    old, new = store.listings.for_patient(maja)
    assert (old.clinic_id, old.responsible_to, old.end_reason) == (
        clinics["other"],
        date(2026, 11, 30),
        "Omval till annan klinik",
    )
    assert (new.clinic_id, new.listed_on, new.responsible_from, new.responsible_to) == (
        clinics["own"],
        date(2026, 11, 23),
        date(2026, 12, 1),
        None,
    )
    listings = store.listings.for_patient(maja)
    on_30th = responsible_listing_on(listings, date(2026, 11, 30))
    on_1st = responsible_listing_on(listings, date(2026, 12, 1))
    assert on_30th is not None
    assert on_1st is not None
    assert on_30th.clinic_id == clinics["other"]
    assert on_1st.clinic_id == clinics["own"]
    assert store.listings.count_listed_at(clinics["other"], date(2026, 11, 30)) == 1
    assert store.listings.count_listed_at(clinics["own"], date(2026, 11, 30)) == 0
    assert store.listings.count_listed_at(clinics["own"], date(2026, 12, 1)) == 1


def test_a_move_at_the_end_of_december_crosses_the_year(
    store: Store, actor: User, clinics: dict[str, int], maja: int
) -> None:
    list_patient(store, actor, maja, _choice(clinics["other"], date(2019, 8, 14)))
    list_patient(store, actor, maja, _choice(clinics["own"], date(2026, 12, 31)))
    old, new = store.listings.for_patient(maja)
    assert old.responsible_to == date(2026, 12, 31)
    assert new.responsible_from == date(2027, 1, 1)


def test_two_moves_in_one_month_leave_no_overlap(
    store: Store, actor: User, clinics: dict[str, int], maja: int
) -> None:
    list_patient(store, actor, maja, _choice(clinics["other"], date(2019, 8, 14)))
    list_patient(store, actor, maja, _choice(clinics["third"], date(2026, 11, 5)))
    list_patient(store, actor, maja, _choice(clinics["own"], date(2026, 11, 23)))
    first, middle, last = store.listings.for_patient(maja)
    assert first.responsible_to == date(2026, 11, 30)
    assert (middle.responsible_from, middle.responsible_to) == (
        date(2026, 12, 1),
        date(2026, 11, 30),
    )
    assert last.responsible_from == date(2026, 12, 1)
    listings = store.listings.for_patient(maja)
    for day in (date(2026, 11, 30), date(2026, 12, 1)):
        covering = [item for item in listings if item.covers(day)]
        assert len(covering) == 1
    assert responsible_listing_on(listings, date(2026, 12, 1)) == last


def test_listing_at_the_same_clinic_again_is_refused(
    store: Store, actor: User, clinics: dict[str, int], maja: int, counts: Counts
) -> None:
    list_patient(store, actor, maja, _choice(clinics["own"], date(2025, 1, 1)))
    before = counts()
    with pytest.raises(ValidationError) as exc:
        list_patient(store, actor, maja, _choice(clinics["own"], date(2026, 11, 23)))
    assert "redan listad" in (exc.value.message_for("clinic_id") or "")
    assert counts() == before
    (item,) = store.listings.for_patient(maja)
    assert item.responsible_to is None


def test_a_listing_older_than_the_current_one_is_refused(
    store: Store, actor: User, clinics: dict[str, int], maja: int, counts: Counts
) -> None:
    list_patient(store, actor, maja, _choice(clinics["own"], date(2025, 1, 1)))
    before = counts()
    with pytest.raises(ValidationError) as exc:
        list_patient(store, actor, maja, _choice(clinics["other"], date(2024, 12, 31)))
    assert exc.value.message_for("listed_on")
    assert counts() == before


def test_a_choice_needs_consent_but_an_assignment_does_not(
    store: Store, actor: User, clinics: dict[str, int], maja: int, counts: Counts
) -> None:
    before = counts()
    with pytest.raises(ValidationError) as exc:
        list_patient(store, actor, maja, _choice(clinics["own"], date(2026, 11, 23), " "))
    assert exc.value.message_for("consent_given_by")
    assert counts() == before
    assigned = ListingDraft(clinics["own"], date(2026, 11, 23), ListingKind.ASSIGNED, "")
    list_patient(store, actor, maja, assigned)
    (item,) = store.listings.for_patient(maja)
    assert item.kind is ListingKind.ASSIGNED


def test_unknown_clinic_or_patient(
    store: Store, actor: User, clinics: dict[str, int], maja: int, counts: Counts
) -> None:
    before = counts()
    with pytest.raises(ValidationError) as exc:
        list_patient(store, actor, maja, _choice(9999, date(2026, 11, 23)))
    assert exc.value.message_for("clinic_id")
    with pytest.raises(NotFound):
        list_patient(store, actor, maja + 100, _choice(clinics["own"], date(2026, 11, 23)))
    assert counts() == before


def test_end_listing_needs_a_reason(
    store: Store, actor: User, clinics: dict[str, int], maja: int, counts: Counts
) -> None:
    listing_id = list_patient(store, actor, maja, _choice(clinics["own"], date(2025, 1, 1)))
    before = counts()
    with pytest.raises(ValidationError) as exc:
        end_listing(store, actor, maja, listing_id, date(2026, 11, 23), "   ")
    assert exc.value.message_for("end_reason")
    assert counts() == before
    end_listing(store, actor, maja, listing_id, date(2026, 11, 23), " Flyttat till Luleå ")
    assert counts()["audit_log"] == before["audit_log"] + 1
    (item,) = store.listings.for_patient(maja)
    assert (item.responsible_to, item.end_reason) == (date(2026, 11, 23), "Flyttat till Luleå")
    entry = store.audit.for_patient(maja, limit=1)[0]
    assert (entry.action, entry.detail) == (
        "listing.end",
        {"end_date": "2026-11-23", "reason": "Flyttat till Luleå"},
    )


def test_end_listing_refuses_what_makes_no_sense(
    store: Store, actor: User, clinics: dict[str, int], maja: int, counts: Counts
) -> None:
    listing_id = list_patient(store, actor, maja, _choice(clinics["own"], date(2025, 1, 10)))
    before = counts()
    with pytest.raises(ValidationError) as exc:
        end_listing(store, actor, maja, listing_id, date(2025, 1, 8), "Fel")
    assert exc.value.message_for("end_date")
    with pytest.raises(NotFound):
        end_listing(store, actor, maja, listing_id + 100, date(2026, 1, 1), "Fel")
    with pytest.raises(NotFound):
        end_listing(store, actor, maja + 100, listing_id, date(2026, 1, 1), "Fel")
    assert counts() == before
    end_listing(store, actor, maja, listing_id, date(2025, 1, 9), "Ångrat samma dag")
    with pytest.raises(ValidationError) as exc:
        end_listing(store, actor, maja, listing_id, date(2026, 1, 1), "Igen")
    assert "redan avslutad" in (exc.value.message_for("end_date") or "")


def test_a_new_listing_after_an_ended_one_starts_on_its_day(
    store: Store, actor: User, clinics: dict[str, int], maja: int
) -> None:
    listing_id = list_patient(store, actor, maja, _choice(clinics["own"], date(2025, 1, 10)))
    end_listing(store, actor, maja, listing_id, date(2026, 3, 31), "Flyttat från regionen")
    list_patient(store, actor, maja, _choice(clinics["own"], date(2026, 11, 23)))
    _old, new = store.listings.for_patient(maja)
    assert new.responsible_from == date(2026, 11, 23)


def test_ending_a_patient_ends_the_open_listings(
    store: Store, actor: User, clinics: dict[str, int], maja: int, today: date
) -> None:
    list_patient(store, actor, maja, _choice(clinics["other"], date(2019, 8, 14)))
    list_patient(store, actor, maja, _choice(clinics["own"], date(2026, 11, 2)))
    end_patient(store, actor, maja, today, "Flyttat från regionen")
    old, new = store.listings.for_patient(maja)
    assert old.responsible_to == date(2026, 11, 30)  # already closed by the move
    assert old.end_reason == "Omval till annan klinik"
    # The new one had not started yet: it closes the day before it would have begun.
    assert (new.responsible_to, new.end_reason) == (date(2026, 11, 30), "Patienten avslutad")
    assert not any(item.covers(date(2026, 12, 1)) for item in (old, new))
