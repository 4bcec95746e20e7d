"""Tests for GuardianRepository: guardians shared by siblings, links that end and return."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from clinic_desk.domain.patient_records import Guardian, GuardianDraft
from clinic_desk.domain.people import User
from clinic_desk.store.store import Store

ANNA = GuardianDraft(
    personal_id="ignored: the canonical number is passed on its own",
    first_name=" Anna ",
    last_name="Lindqvist ",
    address_line="Storgatan 1",
    postal_code="903 26",
    city="Umeå",
    phone="070-123 45 67",
    email="anna@exempel.se",
)
JOHAN = GuardianDraft(personal_id="", first_name="Johan", last_name="Åberg", phone="070-1")


@pytest.fixture
def children(register: Callable[..., int], pid: Callable[..., str]) -> tuple[int, int]:
    return (
        register(pid("20150307"), "Maja", "Lindqvist"),
        register(pid("20120101"), "Olle", "Lindqvist"),
    )


def test_insert_strips_and_get_reads_back(store: Store, actor: User) -> None:
    with store.transaction():
        guardian_id = store.guardians.insert(ANNA, "19840612-4027", actor.id)
    assert store.guardians.get(guardian_id) == Guardian(
        guardian_id,
        "19840612-4027",
        "Anna",
        "Lindqvist",
        "Storgatan 1",
        "903 26",
        "Umeå",
        "070-123 45 67",
        "anna@exempel.se",
    )
    assert store.guardians.by_personal_id("19840612-4027") == store.guardians.get(guardian_id)
    assert store.guardians.get(guardian_id + 1) is None
    assert store.guardians.by_personal_id("19840612-4022") is None


def test_personal_numbers_are_unique_but_many_may_have_none(store: Store, actor: User) -> None:
    with store.transaction():
        store.guardians.insert(ANNA, "19840612-4027", actor.id)
        store.guardians.insert(JOHAN, "", actor.id)
        store.guardians.insert(JOHAN, "", actor.id)
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.guardians.insert(ANNA, "19840612-4027", actor.id)
    assert store.guardians.by_personal_id("") is None  # '' is not a number to look up by


def test_one_guardian_for_two_siblings(
    store: Store, actor: User, children: tuple[int, int]
) -> None:
    maja, olle = children
    with store.transaction():
        anna = store.guardians.insert(ANNA, "19840612-4027", actor.id)
        johan = store.guardians.insert(JOHAN, "", actor.id)
        store.guardians.link(maja, anna, True, "Förälder", actor.id)
        store.guardians.link(olle, anna, True, "Förälder", actor.id)
        store.guardians.link(olle, johan, False, "Bonusförälder", actor.id)
    assert sorted(store.guardians.children_of(anna)) == [maja, olle]
    assert store.guardians.children_of(johan) == [olle]
    links = store.guardians.for_patient(olle)
    assert [(link.guardian.id, link.receives_letters, link.relation) for link in links] == [
        (anna, True, "Förälder"),
        (johan, False, "Bonusförälder"),
    ]


def test_a_change_to_a_guardian_is_seen_by_every_child(
    store: Store, actor: User, children: tuple[int, int]
) -> None:
    maja, olle = children
    with store.transaction():
        anna = store.guardians.insert(ANNA, "19840612-4027", actor.id)
        store.guardians.link(maja, anna, True, "", actor.id)
        store.guardians.link(olle, anna, True, "", actor.id)
        store.guardians.update(
            anna, GuardianDraft("", "Anna", "Berg", phone="070-9"), "19840612-4027", actor.id
        )
    for child in children:
        (link,) = store.guardians.for_patient(child)
        assert link.guardian.last_name == "Berg"
        assert link.guardian.phone == "070-9"


def test_letters_are_chosen_per_child(store: Store, actor: User, children: tuple[int, int]) -> None:
    maja, olle = children
    with store.transaction():
        anna = store.guardians.insert(ANNA, "19840612-4027", actor.id)
        store.guardians.link(maja, anna, True, "", actor.id)
        store.guardians.link(olle, anna, True, "", actor.id)
        store.guardians.set_receives_letters(maja, anna, False)
    assert [link.receives_letters for link in store.guardians.for_patient(maja)] == [False]
    assert [link.receives_letters for link in store.guardians.for_patient(olle)] == [True]


def test_an_ended_link_is_kept_and_can_return(
    store: Store, actor: User, children: tuple[int, int]
) -> None:
    maja, _olle = children
    with store.transaction():
        anna = store.guardians.insert(ANNA, "19840612-4027", actor.id)
        store.guardians.link(maja, anna, True, "Förälder", actor.id)
        store.guardians.unlink(maja, anna, actor.id)
    assert store.guardians.for_patient(maja) == []
    assert store.guardians.children_of(anna) == []
    kept = store.conn.execute(
        "SELECT ended_at, ended_by FROM patient_guardians WHERE patient_id = ?", (maja,)
    ).fetchall()
    assert kept == [("2026-11-23T09:30:00", actor.id)]
    with store.transaction():
        store.guardians.link(maja, anna, False, "Vårdnadshavare", actor.id)
    (link,) = store.guardians.for_patient(maja)
    assert (link.receives_letters, link.relation) == (False, "Vårdnadshavare")
    rows = store.conn.execute("SELECT count(*) FROM patient_guardians").fetchone()
    assert rows == (1,)


def test_a_link_needs_a_real_patient_and_guardian(store: Store, actor: User) -> None:
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.guardians.link(999, 999, True, "", actor.id)
