"""Tests for the append-only audit log and its hash chain."""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Callable, Iterator

import pytest

from clinic_desk.domain.people import User
from clinic_desk.store.audit import GENESIS, entry_hash
from clinic_desk.store.store import Store

COLUMNS = "at, user_id, action, patient_id, entity, entity_id, detail, prev_hash, hash"


@pytest.fixture
def patient_ids(register: Callable[..., int], pid: Callable[..., str]) -> list[int]:
    """Two patients: entries 2 and 3 (after the actor's own 'user.create')."""
    return [
        register(pid("20150307"), "Maja", "Lindqvist"),
        register(pid("20120101"), "Östen", "Åberg"),
    ]


@pytest.fixture
def logged(store: Store, actor: User, patient_ids: list[int]) -> list[int]:
    """Six more entries, alternating between the two patients: ids 4..9."""
    ids = []
    with store.transaction():
        for n in range(6):
            ids.append(
                store.audit.append(
                    actor.id,
                    "patient.open" if n % 2 else "patient.update",
                    patient_id=patient_ids[n % 2],
                    entity="patient",
                    entity_id=patient_ids[n % 2],
                    detail={"n": n, "namn": "Åsa Öström"},
                )
            )
    return ids


@pytest.fixture
def raw(store: Store) -> Iterator[sqlite3.Connection]:
    """A second connection to the same file, as someone with the file in hand would use."""
    conn = sqlite3.connect(store.path, isolation_level=None)
    yield conn
    conn.close()


def _drop_triggers(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")


def _detail(conn: sqlite3.Connection, entry_id: int) -> str:
    return str(conn.execute("SELECT detail FROM audit_log WHERE id = ?", (entry_id,)).fetchone()[0])


def test_entries_are_numbered_and_chained(store: Store, logged: list[int]) -> None:
    assert logged == [4, 5, 6, 7, 8, 9]
    assert store.audit.count() == 9
    rows = store.conn.execute("SELECT id, prev_hash, hash FROM audit_log ORDER BY id").fetchall()
    assert [row[0] for row in rows] == list(range(1, 10))
    assert rows[0][1] == GENESIS
    for before, after in itertools.pairwise(rows):
        assert after[1] == before[2]
    assert len({row[2] for row in rows}) == len(rows)


def test_the_hash_covers_every_field(store: Store, logged: list[int]) -> None:
    row = store.conn.execute(
        f"SELECT id, {COLUMNS} FROM audit_log WHERE id = ?", (logged[0],)
    ).fetchone()
    assert entry_hash(row[8], *row[:8]) == row[9]
    for index in range(8):
        changed = list(row[:8])
        changed[index] = 999 if isinstance(changed[index], int) else f"{changed[index]}x"
        assert entry_hash(row[8], *changed) != row[9]
    assert entry_hash("f" * 64, *row[:8]) != row[9]


def test_for_patient_is_newest_first_with_the_users_name(
    store: Store, actor: User, patient_ids: list[int], logged: list[int]
) -> None:
    second = patient_ids[1]
    entries = store.audit.for_patient(second)
    assert [e.id for e in entries] == [9, 7, 5, 3]
    assert [e.action for e in entries] == ["patient.open"] * 3 + ["patient.create"]
    assert entries[0].user_name == actor.full_name
    assert entries[0].at == "2026-11-23T09:30:00"
    assert entries[0].detail == {"n": 5, "namn": "Åsa Öström"}
    assert entries[0].entity_id == str(second)
    assert entries[0].patient_id == second
    assert [e.id for e in store.audit.for_patient(second, limit=2)] == [9, 7]
    assert store.audit.for_patient(999) == []


def test_an_intact_chain_verifies(store: Store, logged: list[int]) -> None:
    assert store.audit.verify() == []


def test_an_empty_log_verifies(store: Store) -> None:  # no actor fixture: no entries
    assert store.audit.count() == 0
    assert store.audit.verify() == []


def test_update_is_refused(store: Store, logged: list[int], raw: sqlite3.Connection) -> None:
    for conn in (store.conn, raw):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("UPDATE audit_log SET action = 'x' WHERE id = 3")
    assert store.audit.verify() == []


def test_delete_is_refused(store: Store, logged: list[int], raw: sqlite3.Connection) -> None:
    for conn in (store.conn, raw):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute("DELETE FROM audit_log WHERE id = 3")
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("DELETE FROM audit_log")
    assert store.audit.count() == 9


def test_an_edit_around_the_triggers_is_detected(
    store: Store, logged: list[int], raw: sqlite3.Connection
) -> None:
    _drop_triggers(raw)
    raw.execute("UPDATE audit_log SET user_id = NULL WHERE id = 6")
    breaks = store.audit.verify()
    assert [(b.entry_id, b.reason) for b in breaks] == [(6, "content changed after it was written")]


def test_an_edit_with_a_recomputed_hash_is_detected_by_the_next_entry(
    store: Store, logged: list[int], raw: sqlite3.Connection
) -> None:
    _drop_triggers(raw)
    row = raw.execute(f"SELECT id, {COLUMNS} FROM audit_log WHERE id = 6").fetchone()
    forged = list(row[:8])
    forged[3] = "patient.create"
    raw.execute(
        "UPDATE audit_log SET action = ?, hash = ? WHERE id = 6",
        (forged[3], entry_hash(row[8], *forged)),
    )
    breaks = store.audit.verify()
    assert [(b.entry_id, b.reason) for b in breaks] == [(7, "does not follow the entry before it")]


def test_a_deleted_entry_is_detected(
    store: Store, logged: list[int], raw: sqlite3.Connection
) -> None:
    _drop_triggers(raw)
    raw.execute("DELETE FROM audit_log WHERE id = 6")
    breaks = store.audit.verify()
    assert {b.entry_id for b in breaks} == {7}
    assert {b.reason for b in breaks} == {
        "entries 6..6 missing",
        "does not follow the entry before it",
    }


def test_a_deleted_first_entry_is_detected(
    store: Store, logged: list[int], raw: sqlite3.Connection
) -> None:
    _drop_triggers(raw)
    raw.execute("DELETE FROM audit_log WHERE id = 1")
    assert {b.entry_id for b in store.audit.verify()} == {2}


def test_swapped_entries_are_detected(
    store: Store, logged: list[int], raw: sqlite3.Connection
) -> None:
    _drop_triggers(raw)
    four = raw.execute(f"SELECT {COLUMNS} FROM audit_log WHERE id = 4").fetchone()
    eight = raw.execute(f"SELECT {COLUMNS} FROM audit_log WHERE id = 8").fetchone()
    assignments = ", ".join(f"{c.strip()} = ?" for c in COLUMNS.split(","))
    raw.execute(f"UPDATE audit_log SET {assignments} WHERE id = 4", eight)
    raw.execute(f"UPDATE audit_log SET {assignments} WHERE id = 8", four)
    broken = {b.entry_id for b in store.audit.verify()}
    assert {4, 8} <= broken


def test_swapped_details_are_detected(
    store: Store, logged: list[int], raw: sqlite3.Connection
) -> None:
    # Swapping only what was done, hashes left in place, breaks both entries.
    _drop_triggers(raw)
    four, eight = _detail(raw, 4), _detail(raw, 8)
    assert four != eight
    raw.execute("UPDATE audit_log SET detail = ? WHERE id = 4", (eight,))
    raw.execute("UPDATE audit_log SET detail = ? WHERE id = 8", (four,))
    breaks = store.audit.verify()
    assert [(b.entry_id, b.reason) for b in breaks] == [
        (4, "content changed after it was written"),
        (8, "content changed after it was written"),
    ]


def test_a_forged_entry_at_the_end_is_detected(
    store: Store, logged: list[int], raw: sqlite3.Connection
) -> None:
    raw.execute(
        "INSERT INTO audit_log (id, at, user_id, action, prev_hash, hash)"
        " VALUES (10, '2026-11-23T10:00:00', 1, 'patient.open', 'x', 'y')"
    )
    breaks = store.audit.verify()
    assert {b.entry_id for b in breaks} == {10}
    assert len(breaks) == 2


def test_appending_continues_the_chain_after_a_reopen(
    store: Store, actor: User, logged: list[int]
) -> None:
    store.close()
    reopened = Store.open(store.path, store.backup_dir, now=store.now)
    try:
        with reopened.transaction():
            assert reopened.audit.append(actor.id, "patient.open", patient_id=1) == 10
        assert reopened.audit.verify() == []
    finally:
        reopened.close()
