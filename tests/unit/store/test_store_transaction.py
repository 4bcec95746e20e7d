"""Tests for Store.transaction(): one user action, all or nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date

import pytest

from clinic_desk.domain.patient_records import PatientDraft
from clinic_desk.domain.people import Patient, User
from clinic_desk.store.store import Store
from clinic_desk.workflows.patients import register_patient


class Boom(Exception):
    pass


def _patient(personal_id: str) -> Patient:
    return Patient(
        0,
        personal_id,
        date(2015, 3, 7),
        False,
        "Maja",
        "Lindqvist",
        "",
        "",
        "Umeå",
        "",
        "",
        None,
        False,
        True,
    )


def test_an_exception_in_the_middle_rolls_back_everything(
    store: Store,
    actor: User,
    pid: Callable[..., str],
    counts: Callable[[], dict[str, int]],
) -> None:
    before = counts()

    def action() -> None:
        with store.transaction():
            patient_id = store.patients.insert(_patient(pid("20150307")), actor.id)
            store.audit.append(actor.id, "patient.create", patient_id=patient_id)
            assert store.patients.get(patient_id) is not None
            raise Boom

    with pytest.raises(Boom):
        action()
    assert counts() == before
    assert store.patients.by_personal_id(pid("20150307")) is None
    assert store.conn.execute("SELECT count(*) FROM patient_name_terms").fetchone()[0] == 0
    assert not store.conn.in_transaction


def test_a_keyboard_interrupt_rolls_back_too(
    store: Store, actor: User, pid: Callable[..., str], counts: Callable[[], dict[str, int]]
) -> None:
    before = counts()

    def action() -> None:
        with store.transaction():
            store.patients.insert(_patient(pid("20150307")), actor.id)
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        action()
    assert counts() == before


def test_a_workflow_inside_an_outer_transaction_is_rolled_back_with_it(
    store: Store,
    actor: User,
    pid: Callable[..., str],
    today: date,
    counts: Callable[[], dict[str, int]],
) -> None:
    before = counts()
    draft = PatientDraft(pid("20150307"), "Maja", "Lindqvist")

    def action() -> None:
        with store.transaction():
            register_patient(store, actor, draft, today)  # its own transaction joins this one
            assert counts()["patients"] == before["patients"] + 1
            raise Boom

    with pytest.raises(Boom):
        action()
    assert counts() == before


def test_nested_transactions_commit_only_at_the_outer_end(
    store: Store, actor: User, pid: Callable[..., str]
) -> None:
    observer = sqlite3.connect(store.path)
    try:

        def seen() -> int:
            return int(observer.execute("SELECT count(*) FROM patients").fetchone()[0])

        with store.transaction():
            with store.transaction():
                store.patients.insert(_patient(pid("20150307")), actor.id)
            assert store.conn.in_transaction
            assert seen() == 0  # the inner block did not commit
            with store.transaction():
                store.patients.insert(_patient(pid("20120101")), actor.id)
        assert not store.conn.in_transaction
        assert seen() == 2
    finally:
        observer.close()


def test_an_exception_in_a_nested_block_rolls_back_the_outer_work_too(
    store: Store, actor: User, pid: Callable[..., str]
) -> None:
    def action() -> None:
        with store.transaction():
            store.patients.insert(_patient(pid("20150307")), actor.id)
            with store.transaction():
                store.patients.insert(_patient(pid("20120101")), actor.id)
                raise Boom

    with pytest.raises(Boom):
        action()
    assert store.patients.count_all() == 0


def test_the_store_is_usable_after_a_rollback(
    store: Store, actor: User, pid: Callable[..., str]
) -> None:
    with pytest.raises(Boom), store.transaction(), store.transaction():
        raise Boom
    with store.transaction():
        store.patients.insert(_patient(pid("20150307")), actor.id)
    assert store.patients.count_all() == 1


def test_a_failed_commit_is_rolled_back_and_the_store_stays_usable(
    store: Store, actor: User, pid: Callable[..., str]
) -> None:
    # A deferred foreign key fails only at COMMIT; the transaction must not stay open.
    def action() -> None:
        with store.transaction():
            store.conn.execute("PRAGMA defer_foreign_keys = ON")
            store.patients.insert(_patient(pid("20150307")), actor.id)
            store.conn.execute(
                "INSERT INTO settings (key, value, updated_at, updated_by)"
                " VALUES ('x', '1', '2026-11-23', 999)"
            )

    with pytest.raises(sqlite3.IntegrityError):
        action()
    assert not store.conn.in_transaction
    assert store.patients.count_all() == 0
    with store.transaction():
        store.patients.insert(_patient(pid("20150307")), actor.id)
    assert store.patients.count_all() == 1


def test_sqlite_errors_roll_back_like_any_other(
    store: Store, actor: User, pid: Callable[..., str]
) -> None:
    def action() -> None:
        with store.transaction():
            store.patients.insert(_patient(pid("20150307")), actor.id)
            store.patients.insert(_patient(pid("20150307")), actor.id)  # UNIQUE personal_id

    with pytest.raises(sqlite3.IntegrityError):
        action()
    assert store.patients.count_all() == 0
