"""Tampering with the audit log through a raw connection, triggers dropped: every edit of
every field, every deletion (inside the log and cut off its end) and every reordering of
entries is detected by the hash chain plus the head kept outside the file."""

from __future__ import annotations

import itertools
import shutil
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from clinic_desk.domain.people import Profession
from clinic_desk.secrets import KeyringChainHead, KeyringSecrets
from clinic_desk.store.audit import entry_hash
from clinic_desk.store.chain_head import ChainHead
from clinic_desk.store.store import Store
from clinic_desk.workflows.access_log import check_chain

NOW = datetime(2026, 11, 23, 9, 30)
ENTRIES = 12
FIELDS = (
    "at",
    "user_id",
    "action",
    "patient_id",
    "entity",
    "entity_id",
    "detail",
    "prev_hash",
    "hash",
)


def _build(folder: Path) -> Path:
    """A clinic with ENTRIES audit entries and its head saved in the (memory) keyring."""
    path = folder / "clinic.sqlite"
    store = Store.open(path, folder / "b", now=lambda: NOW, chain_head=_head(path))
    with store.transaction():
        user_id = store.users.insert("anna", "Anna Berg", Profession.MANAGER, None)
    for n in range(ENTRIES):
        with store.transaction():
            store.audit.append(user_id, "patient.open", entity_id=n % 3 + 1, detail={"n": n})
    store.close()
    return path


def _head(path: Path) -> KeyringChainHead:
    return KeyringChainHead(KeyringSecrets(), path)


def _raw(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER audit_log_no_update")
    conn.execute("DROP TRIGGER audit_log_no_delete")
    return conn


def _detected(path: Path) -> bool:
    store = Store.open(path, path.parent / "b", now=lambda: NOW, chain_head=_head(path))
    try:
        return bool(store.head_break) or not check_chain(store).intact
    finally:
        store.close()


def _edit(field: str, entry_id: int) -> Callable[[sqlite3.Connection], None]:
    def run(conn: sqlite3.Connection) -> None:
        value = conn.execute(f"SELECT {field} FROM audit_log WHERE id = ?", (entry_id,)).fetchone()[
            0
        ]
        changed = value + 1 if isinstance(value, int) else 7 if value is None else f"{value}x"
        conn.execute(f"UPDATE audit_log SET {field} = ? WHERE id = ?", (changed, entry_id))

    return run


def _delete(entry_id: int) -> Callable[[sqlite3.Connection], None]:
    return lambda conn: conn.execute("DELETE FROM audit_log WHERE id = ?", (entry_id,)) and None


def _cut_tail(count: int) -> Callable[[sqlite3.Connection], None]:
    return lambda conn: (
        conn.execute("DELETE FROM audit_log WHERE id > ?", (ENTRIES - count,)) and None
    )


def _swap(a: int, b: int) -> Callable[[sqlite3.Connection], None]:
    columns = ", ".join(FIELDS)

    def run(conn: sqlite3.Connection) -> None:
        first = conn.execute(f"SELECT {columns} FROM audit_log WHERE id = ?", (a,)).fetchone()
        second = conn.execute(f"SELECT {columns} FROM audit_log WHERE id = ?", (b,)).fetchone()
        assignments = ", ".join(f"{c} = ?" for c in FIELDS)
        conn.execute(f"UPDATE audit_log SET {assignments} WHERE id = ?", (*second, a))
        conn.execute(f"UPDATE audit_log SET {assignments} WHERE id = ?", (*first, b))

    return run


def _rechained_edit(entry_id: int) -> Callable[[sqlite3.Connection], None]:
    """The strongest forgery from the file alone: edit one entry and recompute every hash
    after it, so the whole chain in the file is consistent again."""

    def run(conn: sqlite3.Connection) -> None:
        conn.execute("UPDATE audit_log SET action = 'patient.create' WHERE id = ?", (entry_id,))
        rows = conn.execute(
            "SELECT id, at, user_id, action, patient_id, entity, entity_id, detail, prev_hash"
            " FROM audit_log WHERE id >= ? ORDER BY id",
            (entry_id,),
        ).fetchall()
        prev = rows[0][8]
        for row in rows:
            digest = entry_hash(prev, *row[:8])
            conn.execute(
                "UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?", (prev, digest, row[0])
            )
            prev = digest

    return run


ATTACKS: dict[str, Callable[[sqlite3.Connection], None]] = {
    **{f"edit-{f}-{i}": _edit(f, i) for f in FIELDS for i in range(1, ENTRIES + 1)},
    **{f"delete-{i}": _delete(i) for i in range(1, ENTRIES + 1)},
    **{f"cut-last-{n}": _cut_tail(n) for n in range(1, ENTRIES + 1)},
    **{f"swap-{a}-{b}": _swap(a, b) for a, b in itertools.combinations(range(1, ENTRIES + 1), 2)},
    **{f"rechain-{i}": _rechained_edit(i) for i in range(1, ENTRIES + 1)},
}


def test_every_tampering_is_detected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pristine = _build(tmp_path / "pristine")
    assert not _detected(pristine)
    saved = KeyringSecrets().get(f"audit-head:{pristine.resolve()}")
    missed = []
    for number, (name, attack) in enumerate(ATTACKS.items()):
        folder = tmp_path / f"case{number}"
        folder.mkdir()
        path = folder / "clinic.sqlite"
        shutil.copyfile(pristine, path)
        KeyringSecrets().set(f"audit-head:{path.resolve()}", str(saved))
        conn = _raw(path)
        attack(conn)
        conn.close()
        if not _detected(path):
            missed.append(name)
        shutil.rmtree(folder)
    with capsys.disabled():
        print(
            f"\ntampering: {len(ATTACKS)} attacks, {len(ATTACKS) - len(missed)} detected "
            f"({100 * (len(ATTACKS) - len(missed)) / len(ATTACKS):.0f} %)"
        )
    assert missed == []


def test_a_rewind_is_written_into_the_log_when_the_file_is_opened(tmp_path: Path) -> None:
    path = _build(tmp_path)
    conn = _raw(path)
    conn.execute("DELETE FROM audit_log WHERE id > 9")
    conn.close()
    store = Store.open(path, tmp_path / "b", now=lambda: NOW, chain_head=_head(path))
    try:
        assert store.head_break is not None
        assert "rewound" in store.head_break.reason
        row = store.conn.execute(
            "SELECT action, json_extract(detail, '$.saved_id') FROM audit_log"
            " ORDER BY id DESC LIMIT 1"
        ).fetchone()
        assert row == ("audit.head_mismatch", ENTRIES)
        assert store.audit.verify() == []  # the chain in the file itself holds
    finally:
        store.close()


def test_the_head_follows_every_commit(tmp_path: Path) -> None:
    path = _build(tmp_path)
    head = _head(path).load()
    assert head is not None
    assert head.entry_id == ENTRIES
    store = Store.open(path, tmp_path / "b", now=lambda: NOW, chain_head=_head(path))
    try:
        assert store.head_break is None
        with store.transaction():
            store.audit.append(None, "patient.open")
        assert _head(path).load() == ChainHead(
            ENTRIES + 1,
            store.conn.execute(
                "SELECT hash FROM audit_log WHERE id = ?", (ENTRIES + 1,)
            ).fetchone()[0],
        )
    finally:
        store.close()
