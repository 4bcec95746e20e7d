"""Copies of the database file: taken with SQLite's online backup API, verified, rotated,
copied to a second folder and restored.

A backup of an encrypted database is encrypted with the same key. Only files named
`clinic-<label>-<YYYYmmdd-HHMMSS-ffffff>.sqlite` count as backups; a database replaced by a
restore is kept beside them as `replaced-<stamp>.sqlite` and never offered for restoring.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from clinic_desk.store.encryption import DB_ERRORS, DatabaseKey, file_state, open_connection

DAILY = "daily"
KEEP_DAILY = 14
KEEP_MONTHLY = 12
_NAME = re.compile(r"^clinic-(?P<label>.+)-(?P<stamp>\d{8}-\d{6}-\d{6})\.sqlite$")


class BackupFailed(OSError):
    """A copy could not be made or did not pass its check; the message says why."""


@dataclass(frozen=True)
class BackupFile:
    """One backup in a folder."""

    path: Path
    label: str
    taken_at: datetime


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%d-%H%M%S-%f")


def backup_database(
    conn: Any,
    backup_dir: Path,
    label: str,
    key: DatabaseKey | None = None,
    now: datetime | None = None,
) -> Path:
    """Copy the open database into `backup_dir`, verify the copy; return its path."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    moment = now or datetime.now()
    target = backup_dir / f"clinic-{label}-{_stamp(moment)}.sqlite"
    while target.exists():  # two copies in the same microsecond (a fixed test clock)
        moment = moment.replace(microsecond=(moment.microsecond + 1) % 1_000_000)
        target = backup_dir / f"clinic-{label}-{_stamp(moment)}.sqlite"
    copy = open_connection(target, key)
    try:
        conn.backup(copy)
    finally:
        copy.close()
    problem = verify_backup(target, key)
    if problem is not None:
        target.unlink(missing_ok=True)
        raise BackupFailed(f"Säkerhetskopian {target} klarade inte kontrollen: {problem}")
    return target


def verify_backup(path: Path, key: DatabaseKey | None) -> str | None:
    """None when `path` opens with `key`, passes integrity_check and holds a Clinic Desk
    schema; otherwise what is wrong (in Swedish)."""
    if file_state(path) == "missing":
        return "filen saknas eller är tom"
    if (file_state(path) == "encrypted") != (key is not None):
        return "filen är krypterad men nyckeln saknas" if key is None else "filen är okrypterad"
    try:
        conn = open_connection(path, key)
    except DB_ERRORS as exc:
        return f"går inte att öppna ({exc})"
    try:
        result = str(conn.execute("PRAGMA integrity_check").fetchone()[0])
        if result != "ok":
            return f"integritetskontrollen: {result}"
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a test read
        if int(conn.execute("PRAGMA user_version").fetchone()[0]) >= 1:
            conn.execute("SELECT count(*) FROM audit_log").fetchone()
    except DB_ERRORS as exc:
        return f"går inte att läsa ({exc})"
    finally:
        conn.close()
    return None


def list_backups(folder: Path) -> list[BackupFile]:
    """Every backup in `folder`, newest first."""
    if not folder.is_dir():
        return []
    found = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            taken = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S-%f")
            found.append(BackupFile(path, match["label"], taken))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def newest_backup(folders: Iterable[Path]) -> BackupFile | None:
    """The newest backup in any of the folders."""
    every = [b for folder in folders for b in list_backups(folder)]
    return max(every, key=lambda b: b.taken_at, default=None)


def newest_good_backup(folders: Iterable[Path], key: DatabaseKey | None) -> BackupFile | None:
    """The newest backup that passes verify_backup (older ones are tried in turn)."""
    every = sorted(
        (b for folder in folders for b in list_backups(folder)),
        key=lambda b: b.taken_at,
        reverse=True,
    )
    return next((b for b in every if verify_backup(b.path, key) is None), None)


def daily_backup_due(folder: Path, today: date) -> bool:
    """No daily backup has been taken today."""
    return not any(b.label == DAILY and b.taken_at.date() == today for b in list_backups(folder))


def rotate(
    folder: Path, keep_daily: int = KEEP_DAILY, keep_monthly: int = KEEP_MONTHLY
) -> list[Path]:
    """Delete daily backups beyond the newest of each of the last `keep_daily` days and the
    newest of each of the last `keep_monthly` months; other labels are kept. Returns what
    was deleted."""
    daily = [b for b in list_backups(folder) if b.label == DAILY]  # newest first
    keep: set[Path] = set()
    days: list[date] = []
    months: list[tuple[int, int]] = []
    for backup in daily:
        day = backup.taken_at.date()
        if day not in days:
            days.append(day)
            if len(days) <= keep_daily:
                keep.add(backup.path)
        month = (day.year, day.month)
        if month not in months:
            months.append(month)
            if len(months) <= keep_monthly:
                keep.add(backup.path)
    removed = [b.path for b in daily if b.path not in keep]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def copy_backup(backup: Path, folder: Path, key: DatabaseKey | None) -> Path:
    """Copy a backup into another folder (a USB stick, a network share) and verify it."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / backup.name
    temporary = folder / (backup.name + ".part")
    shutil.copyfile(backup, temporary)
    with temporary.open("rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(temporary, target)
    problem = verify_backup(target, key)
    if problem is not None:
        target.unlink(missing_ok=True)
        raise BackupFailed(f"Kopian {target} klarade inte kontrollen: {problem}")
    return target


def restore_database(
    backup: Path, database: Path, backup_dir: Path, key: DatabaseKey | None
) -> Path:
    """Put a verified backup in place of the database (which must be closed).

    The current file, damaged or not, is never written: it is moved into `backup_dir` as
    `replaced-<stamp>.sqlite` (with its WAL), and the path it was moved to is returned.
    """
    problem = verify_backup(backup, key)
    if problem is not None:
        raise BackupFailed(f"Säkerhetskopian {backup.name} kan inte återställas: {problem}")
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = _stamp(datetime.now())
    kept = backup_dir / f"replaced-{stamp}.sqlite"
    temporary = database.with_name(database.name + ".restoring")
    shutil.copyfile(backup, temporary)
    with temporary.open("rb+") as handle:
        os.fsync(handle.fileno())
    if database.exists():
        os.replace(database, kept)
    for suffix in ("-wal", "-shm"):
        side = Path(str(database) + suffix)
        if side.exists():
            os.replace(side, Path(str(kept) + suffix))
    os.replace(temporary, database)
    return kept
