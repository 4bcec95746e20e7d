"""Tests for opening a clinic database: checks before any write, settings, backups."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from clinic_desk.store import migrations
from clinic_desk.store.errors import DatabaseProblem, DatabaseTooNew, DatabaseUnreadable
from clinic_desk.store.migrations import LATEST_VERSION, MIGRATIONS
from clinic_desk.store.store import Store


def _snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def _siblings(path: Path) -> set[str]:
    return {p.name for p in path.parent.iterdir()}


def test_a_new_database_is_created_at_the_latest_version(tmp_path: Path) -> None:
    backups = tmp_path / "backups"
    store = Store.open(tmp_path / "clinic.sqlite", backups)
    try:
        assert store.schema_version == LATEST_VERSION
        assert store.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert store.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert store.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        tables = {r[0] for r in store.conn.execute("SELECT name FROM sqlite_master")}
        assert {"users", "clinics", "patients", "audit_log", "guardians", "listings"} <= tables
    finally:
        store.close()
    assert not backups.exists() or not any(backups.iterdir())  # nothing to back up


def test_migrations_are_numbered_one_by_one() -> None:
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST_VERSION + 1))
    assert all(m.name for m in MIGRATIONS)
    folder = Path(migrations.__file__).parent
    modules = sorted(p.stem for p in folder.glob("m[0-9][0-9][0-9][0-9]_*.py"))
    assert [m.module for m in MIGRATIONS] == modules  # every step listed once, in order
    assert all(int(m.module[1:5]) == m.version for m in MIGRATIONS)


def test_reopening_an_up_to_date_database_makes_no_backup(tmp_path: Path) -> None:
    path, backups = tmp_path / "clinic.sqlite", tmp_path / "backups"
    Store.open(path, backups).close()
    Store.open(path, backups).close()
    assert not backups.exists() or not any(backups.iterdir())


def test_close_checkpoints_the_wal(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite"
    store = Store.open(path, tmp_path / "backups")
    store.settings.set("x", 1, None)
    store.close()
    assert not (tmp_path / "clinic.sqlite-wal").exists()


@pytest.mark.parametrize("made_by_program", [True, False])
def test_a_database_newer_than_the_program_is_left_untouched(
    tmp_path: Path, made_by_program: bool
) -> None:
    path = tmp_path / "clinic.sqlite"
    if made_by_program:  # a real clinic file (WAL mode) from a later version
        store = Store.open(path, tmp_path / "backups")
        store.conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
        store.close()
    else:
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE future (x)")
        conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
        conn.commit()
        conn.close()
    before, files = _snapshot(path), _siblings(path)
    with pytest.raises(DatabaseTooNew) as exc:
        Store.open(path, tmp_path / "backups")
    assert "nyare version" in str(exc.value)
    assert "Filen har inte ändrats" in str(exc.value)
    assert _snapshot(path) == before
    assert _siblings(path) == files
    assert not (tmp_path / "clinic.sqlite-wal").exists()


def test_a_file_that_is_not_a_database_is_left_untouched(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite"
    path.write_bytes(os.urandom(8192))
    before, files = _snapshot(path), _siblings(path)
    with pytest.raises(DatabaseUnreadable) as exc:
        Store.open(path, tmp_path / "backups")
    assert "Filen har inte ändrats" in str(exc.value)
    assert _snapshot(path) == before
    assert _siblings(path) == files


def test_a_text_file_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite"
    path.write_text("namn;organisationsnummer\n" * 200, encoding="utf-8")
    before = _snapshot(path)
    with pytest.raises(DatabaseUnreadable):
        Store.open(path, tmp_path / "backups")
    assert _snapshot(path) == before


def test_another_programs_sqlite_file_is_not_migrated(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('kanelbullar')")
    conn.commit()
    conn.close()
    before, files = _snapshot(path), _siblings(path)
    with pytest.raises(DatabaseUnreadable) as exc:
        Store.open(path, tmp_path / "backups")
    assert "inte Clinic Desks" in str(exc.value)
    assert _snapshot(path) == before
    assert _siblings(path) == files


def test_an_empty_file_is_a_new_database(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite"
    path.touch()
    store = Store.open(path, tmp_path / "backups")
    assert store.schema_version == LATEST_VERSION
    store.close()


def _damaged_database(
    tmp_path: Path, first_wrecked_page: int = 2, version: int = LATEST_VERSION
) -> Path:
    """A clinic database whose page headers from `first_wrecked_page` on are wrecked."""
    path = tmp_path / "clinic.sqlite"
    store = Store.open(path, tmp_path / "backups", target_version=version)
    with store.transaction():
        store.conn.executemany(
            "INSERT INTO settings (key, value, updated_at) VALUES (?, ?, '2026-11-23')",
            [(f"key{n}", '"' + "x" * 500 + '"') for n in range(200)],
        )
    store.close()
    page_size = 4096
    data = bytearray(path.read_bytes())
    assert len(data) > 6 * page_size
    first = first_wrecked_page % (len(data) // page_size)  # negative: counted from the end
    for offset in range(first * page_size, len(data) - page_size, page_size):
        data[offset : offset + 64] = os.urandom(64)  # wreck every page header after page 2
    path.write_bytes(bytes(data))
    return path


def test_a_damaged_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    path = _damaged_database(tmp_path)
    before = _snapshot(path)
    with pytest.raises(DatabaseProblem) as exc:
        Store.open(path, tmp_path / "backups")
    assert isinstance(exc.value, DatabaseUnreadable)
    assert _snapshot(path) == before


def test_the_integrity_check_can_follow_the_open_on_a_connection_of_its_own(
    tmp_path: Path,
) -> None:
    """The program opens without the whole-file check and runs it off the GUI thread."""
    path = _damaged_database(tmp_path, first_wrecked_page=-3)  # data pages, not the schema
    store = Store.open(path, tmp_path / "backups", check_integrity=False)
    try:
        problem = store.integrity_problem()
    finally:
        store.conn.close()
    assert problem is not None
    assert "skadad" in problem


def test_a_sound_database_passes_the_later_integrity_check(store: Store) -> None:
    assert store.integrity_problem() is None


def test_a_due_migration_waits_for_the_integrity_check(tmp_path: Path) -> None:
    path = _damaged_database(tmp_path, first_wrecked_page=-3, version=1)
    before = _snapshot(path)
    with pytest.raises(DatabaseUnreadable):
        Store.open(path, tmp_path / "backups", check_integrity=False)
    assert _snapshot(path) == before


def test_manual_backup_is_verified_and_holds_the_data(store: Store) -> None:
    store.settings.set("clinic_name", "Testgården", None)
    copy = store.backup("manual")
    assert copy.parent == store.backup_dir
    assert "manual" in copy.name
    conn = sqlite3.connect(copy)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert conn.execute("SELECT value FROM settings WHERE key='clinic_name'").fetchone() == (
            '"Testgården"',
        )
    finally:
        conn.close()
    second = store.backup("manual")
    assert second != copy
