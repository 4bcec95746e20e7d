"""Tests for PatientRepository: storing, reading, ending, reserve numbers, search terms."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from clinic_desk.domain.patient_search import interpret_search
from clinic_desk.domain.people import PROTECTED_MASK, Patient, User
from clinic_desk.domain.text import sort_key
from clinic_desk.store.store import Store

TODAY = date(2026, 11, 23)


def _patient(personal_id: str, **changes: object) -> Patient:
    base = Patient(
        id=0,
        personal_id=personal_id,
        birth_date=date.fromisoformat(
            f"{personal_id[:4]}-{personal_id[4:6]}-{int(personal_id[6:8]) % 60:02d}"
        ),
        is_reserve_number="R" in personal_id,
        first_name="Maja",
        last_name="Lindqvist",
        address_line="Storgatan 1",
        postal_code="903 26",
        city="Umeå",
        phone="070-123 45 67",
        email="maja@exempel.se",
        responsible_dentist_id=None,
        protected_identity=False,
        registered_in_region=True,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def _ids(store: Store, text: str) -> list[int]:
    return [row.id for row in store.patients.search(interpret_search(text, TODAY))]


def _row(store: Store, patient_id: int, columns: str) -> tuple[object, ...]:
    return tuple(
        store.conn.execute(f"SELECT {columns} FROM patients WHERE id = ?", (patient_id,)).fetchone()
    )


def test_insert_and_get_round_trip(store: Store, actor: User, pid: Callable[..., str]) -> None:
    patient = _patient(pid("20150307"), responsible_dentist_id=actor.id)
    with store.transaction():
        patient_id = store.patients.insert(patient, actor.id)
    stored = store.patients.get(patient_id)
    assert stored == replace(patient, id=patient_id)
    assert store.patients.by_personal_id(patient.personal_id) == stored
    assert store.patients.get(patient_id + 1) is None
    assert store.patients.by_personal_id("19990101-0000") is None
    assert store.patients.count_all() == 1


def test_insert_stores_who_and_when_and_the_derived_columns(
    store: Store, actor: User, pid: Callable[..., str]
) -> None:
    with store.transaction():
        patient_id = store.patients.insert(
            _patient(pid("20150307"), phone="+46 70-123 45 67"), actor.id
        )
    assert _row(store, patient_id, "created_at, created_by, updated_at, updated_by") == (
        "2026-11-23T09:30:00",
        actor.id,
        "2026-11-23T09:30:00",
        actor.id,
    )
    pid_digits, phone_digits, sort_name = _row(
        store, patient_id, "pid_digits, phone_digits, sort_name"
    )
    assert pid_digits == pid("20150307").replace("-", "")
    assert phone_digits == "0701234567"
    assert sort_name == sort_key("Lindqvist Maja")


def test_protected_identity_sorts_by_its_mask(
    store: Store, actor: User, pid: Callable[..., str]
) -> None:
    with store.transaction():
        patient_id = store.patients.insert(
            _patient(pid("20150307"), protected_identity=True), actor.id
        )
    assert _row(store, patient_id, "sort_name") == (sort_key(PROTECTED_MASK),)
    patient = store.patients.get(patient_id)
    assert patient is not None
    with store.transaction():
        store.patients.update(replace(patient, protected_identity=False), actor.id)
    assert _row(store, patient_id, "sort_name") == (sort_key("Lindqvist Maja"),)


def test_update_reindexes_the_name(store: Store, actor: User, pid: Callable[..., str]) -> None:
    with store.transaction():
        patient_id = store.patients.insert(_patient(pid("20150307")), actor.id)
    assert _ids(store, "ndqv") == [patient_id]
    patient = store.patients.get(patient_id)
    assert patient is not None
    with store.transaction():
        store.patients.update(
            replace(patient, last_name="Öberg", first_name="Maja-Li", phone="090-11 22 33"),
            actor.id,
        )
    assert _ids(store, "ndqv") == []
    assert _ids(store, "lindqvist") == []
    assert _ids(store, "öberg") == [patient_id]
    assert _ids(store, "li") == [patient_id]  # 'Maja-Li' is two words
    assert _ids(store, "berg") == [patient_id]
    assert _ids(store, "090-11") == [patient_id]
    assert _ids(store, "070-123") == []
    terms = store.conn.execute(
        "SELECT term FROM patient_name_terms WHERE patient_id = ? ORDER BY term", (patient_id,)
    ).fetchall()
    assert terms == [("li",), ("maja",), ("öberg",)]
    trigram_rows = store.conn.execute("SELECT count(*) FROM patient_name_trigrams").fetchone()
    assert trigram_rows == (1,)


def test_update_keeps_the_end_date_and_stamps_the_change(
    store: Store, actor: User, pid: Callable[..., str], dentist_id: int
) -> None:
    with store.transaction():
        patient_id = store.patients.insert(_patient(pid("20150307")), actor.id)
        store.patients.set_end(patient_id, date(2026, 6, 30), "Flyttat", actor.id)
    patient = store.patients.get(patient_id)
    assert patient is not None
    with store.transaction():
        store.patients.update(replace(patient, city="Holmsund", end_date=None), dentist_id)
    after = store.patients.get(patient_id)
    assert after is not None
    assert after.city == "Holmsund"
    assert after.end_date == date(2026, 6, 30)  # update() does not touch the ending
    assert _row(store, patient_id, "updated_by") == (dentist_id,)


def test_set_end_and_resume(store: Store, actor: User, pid: Callable[..., str]) -> None:
    with store.transaction():
        patient_id = store.patients.insert(_patient(pid("20150307")), actor.id)
        store.patients.set_end(patient_id, date(2026, 6, 30), "Flyttat från regionen", actor.id)
    ended = store.patients.get(patient_id)
    assert ended is not None
    assert (ended.end_date, ended.end_reason, ended.active) == (
        date(2026, 6, 30),
        "Flyttat från regionen",
        False,
    )
    with store.transaction():
        store.patients.set_end(patient_id, None, "", actor.id)
    resumed = store.patients.get(patient_id)
    assert resumed is not None
    assert resumed.active
    assert resumed.end_reason == ""


def test_personal_numbers_are_unique(store: Store, actor: User, pid: Callable[..., str]) -> None:
    with store.transaction():
        store.patients.insert(_patient(pid("20150307")), actor.id)
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.patients.insert(_patient(pid("20150307"), first_name="Tvilling"), actor.id)
    assert store.patients.count_all() == 1


def test_reserve_numbers_count_up_per_birth_date(store: Store) -> None:
    with store.transaction():
        first = store.patients.next_reserve_number(date(2019, 5, 4))
        second = store.patients.next_reserve_number(date(2019, 5, 4))
        other_day = store.patients.next_reserve_number(date(2019, 5, 5))
    assert (first, second, other_day) == ("20190504-R001", "20190504-R002", "20190505-R001")


def test_a_rolled_back_reserve_number_is_given_again(store: Store) -> None:
    def action() -> None:
        with store.transaction():
            assert store.patients.next_reserve_number(date(2019, 5, 4)) == "20190504-R001"
            raise RuntimeError

    with pytest.raises(RuntimeError):
        action()
    with store.transaction():
        assert store.patients.next_reserve_number(date(2019, 5, 4)) == "20190504-R001"


def test_reserve_numbers_skip_one_typed_in_by_hand(store: Store, actor: User) -> None:
    with store.transaction():
        store.patients.insert(_patient("20190504-R001"), actor.id)
        store.patients.insert(_patient("20190504-R002"), actor.id)
        assert store.patients.next_reserve_number(date(2019, 5, 4)) == "20190504-R003"
        assert store.patients.next_reserve_number(date(2019, 5, 4)) == "20190504-R004"


def test_a_coordination_number_keeps_its_day_plus_sixty(
    store: Store, actor: User, pid: Callable[..., str]
) -> None:
    coordination = pid("20150367")
    with store.transaction():
        patient_id = store.patients.insert(_patient(coordination), actor.id)
    stored = store.patients.get(patient_id)
    assert stored is not None
    assert stored.personal_id == coordination
    assert stored.birth_date == date(2015, 3, 7)
    assert _ids(store, coordination) == [patient_id]
