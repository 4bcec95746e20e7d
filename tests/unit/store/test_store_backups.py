"""Backups: verified copies, rotation, the daily copy, a second folder, restore."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from clinic_desk.store.backups import (
    BackupFailed,
    copy_backup,
    daily_backup_due,
    list_backups,
    newest_good_backup,
    restore_database,
    rotate,
    verify_backup,
)
from clinic_desk.store.encryption import DatabaseKey
from clinic_desk.store.errors import DatabaseUnreadable
from clinic_desk.store.store import Store
from clinic_desk.workflows.backups import backup_warning, record_restore, run_daily_backup

NOW = datetime(2026, 11, 23, 9, 30)


@pytest.fixture
def key() -> DatabaseKey:
    return DatabaseKey.generate()


@pytest.fixture
def clinic(tmp_path: Path, key: DatabaseKey) -> Store:
    store = Store.open(tmp_path / "clinic.sqlite", tmp_path / "backups", now=lambda: NOW, key=key)
    with store.transaction():
        store.settings.set("version", 1, None)
        store.audit.append(None, "test.write")
    return store


def _fake(folder: Path, label: str, moment: datetime) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"clinic-{label}-{moment:%Y%m%d-%H%M%S-%f}.sqlite"
    path.write_bytes(b"x")
    return path


def test_rotation_keeps_14_days_and_12_months_of_daily_backups(tmp_path: Path) -> None:
    folder = tmp_path / "b"
    start = datetime(2025, 1, 1, 8, 0)
    for day in range(700):  # two a day for almost two years
        moment = start + timedelta(days=day)
        _fake(folder, "daily", moment)
        _fake(folder, "daily", moment + timedelta(hours=5))
    migration = _fake(folder, "v6-before-migration", start)
    removed = rotate(folder)
    left = list_backups(folder)
    daily = [b for b in left if b.label == "daily"]
    days = {b.taken_at.date() for b in daily}
    months = {(b.taken_at.year, b.taken_at.month) for b in daily}
    newest_day = (start + timedelta(days=699)).date()
    assert {newest_day - timedelta(days=n) for n in range(14)} <= days
    assert len(months) == 12
    assert len(daily) == len(days)  # one a day: the newest of it
    assert len(daily) <= 14 + 12
    assert migration.exists()  # other labels are never rotated away
    assert len(removed) == 1400 - len(daily)
    assert all(b.taken_at.hour == 13 for b in daily)


def test_a_daily_backup_is_taken_once_a_day_verified_and_copied(
    clinic: Store, tmp_path: Path, key: DatabaseKey
) -> None:
    second = tmp_path / "usb"
    first = run_daily_backup(clinic, second, NOW)
    assert first.path is not None
    assert first.problem == ""
    assert verify_backup(first.path, key) is None
    assert verify_backup(second / first.path.name, key) is None
    assert run_daily_backup(clinic, second, NOW + timedelta(hours=3)).path is None
    assert not daily_backup_due(clinic.backup_dir, NOW.date())
    assert daily_backup_due(clinic.backup_dir, NOW.date() + timedelta(days=1))


def test_a_missing_second_folder_is_reported_and_the_backup_kept(
    clinic: Store, tmp_path: Path
) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the folder should be")
    result = run_daily_backup(clinic, blocked, NOW)
    assert result.path is not None
    assert result.path.exists()
    assert "kunde inte kopieras" in result.problem


def test_the_warning_comes_when_the_newest_backup_is_over_two_days_old(
    clinic: Store,
) -> None:
    folders = [clinic.backup_dir]
    assert "ingen säkerhetskopia" in backup_warning(folders, NOW)
    run_daily_backup(clinic, None, NOW)
    assert backup_warning(folders, NOW + timedelta(days=2)) == ""
    assert "3 dagar gammal" in backup_warning(folders, NOW + timedelta(days=3))


def test_a_damaged_backup_fails_verification_and_the_good_one_before_it_is_chosen(
    clinic: Store, key: DatabaseKey
) -> None:
    good = clinic.backup("manual")
    bad = clinic.backup("manual")
    data = bytearray(bad.read_bytes())
    data[5000:5100] = b"\0" * 100
    bad.write_bytes(bytes(data))
    assert verify_backup(bad, key) is not None
    assert verify_backup(good, key) is None
    chosen = newest_good_backup([clinic.backup_dir], key)
    assert chosen is not None
    assert chosen.path == good


def test_copy_to_a_second_folder_is_verified(
    clinic: Store, tmp_path: Path, key: DatabaseKey
) -> None:
    copy = copy_backup(clinic.backup("manual"), tmp_path / "share", key)
    assert verify_backup(copy, key) is None
    assert not list((tmp_path / "share").glob("*.part"))


def test_restore_puts_the_backup_in_place_and_keeps_the_replaced_file(
    clinic: Store, key: DatabaseKey
) -> None:
    backup = clinic.backup("manual")
    with clinic.transaction():
        clinic.settings.set("version", 2, None)
    path, backups = clinic.path, clinic.backup_dir
    clinic.close()
    before = path.read_bytes()
    kept = restore_database(backup, path, backups, key)
    assert kept.read_bytes() == before
    assert kept not in [b.path for b in list_backups(backups)]  # never offered again
    restored = Store.open(path, backups, key=key)
    try:
        assert restored.settings.get("version") == 1
        record_restore(restored, None, backup, kept)
        assert restored.audit.verify() == []
    finally:
        restored.close()


def test_a_damaged_database_is_refused_and_restore_never_writes_into_it(
    clinic: Store, key: DatabaseKey
) -> None:
    clinic.backup("manual")
    path, backups = clinic.path, clinic.backup_dir
    clinic.close()
    data = bytearray(path.read_bytes())
    data[4096 + 200 : 4096 + 400] = b"\xff" * 200
    path.write_bytes(bytes(data))
    damaged = path.read_bytes()
    with pytest.raises(DatabaseUnreadable):
        Store.open(path, backups, key=key)
    assert path.read_bytes() == damaged
    newest = newest_good_backup([backups], key)
    assert newest is not None
    kept = restore_database(newest.path, path, backups, key)
    assert kept.read_bytes() == damaged  # moved aside whole, not written
    Store.open(path, backups, key=key).close()


def test_a_bad_backup_is_not_restored(clinic: Store, tmp_path: Path, key: DatabaseKey) -> None:
    bad = tmp_path / "clinic-manual-20261123-093000-000000.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    path = clinic.path
    clinic.close()
    before = path.read_bytes()
    with pytest.raises(BackupFailed, match="kan inte återställas"):
        restore_database(bad, path, tmp_path / "backups", key)
    assert path.read_bytes() == before


def test_a_plain_backup_of_a_plain_database_verifies(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "p.sqlite", tmp_path / "b")
    copy = store.backup("manual")
    store.close()
    assert verify_backup(copy, None) is None
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
