"""Backups as the program runs them: daily, rotated, copied to a second folder, restored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.store.backups import (
    DAILY,
    BackupFailed,
    BackupFile,
    copy_backup,
    daily_backup_due,
    newest_backup,
    restore_database,
    rotate,
    verify_backup,
)
from clinic_desk.store.encryption import DatabaseKey
from clinic_desk.store.store import Store

WARN_AFTER = timedelta(days=2)


@dataclass(frozen=True)
class DailyResult:
    """What the daily backup did: the copy (None when one was already taken today) and a
    message for the user when the second folder could not be written."""

    path: Path | None
    problem: str = ""


def run_daily_backup(store: Store, second_folder: Path | None, now: datetime) -> DailyResult:
    """Take today's backup if none exists yet, copy it to the second folder, rotate both.

    The copy is read through a connection of its own, so this may run on a worker thread."""
    if not daily_backup_due(store.backup_dir, now.date()):
        return DailyResult(None)
    from clinic_desk.store.backups import backup_database

    with store.own_connection() as conn:
        path = backup_database(conn, store.backup_dir, DAILY, store.key, now)
    rotate(store.backup_dir)
    problem = ""
    if second_folder is not None:
        try:
            copy_backup(path, second_folder, store.key)
            rotate(second_folder)
        except OSError as exc:
            problem = (
                f"Säkerhetskopian kunde inte kopieras till {second_folder} ({exc}). "
                "Kontrollera att USB-minnet eller nätverksmappen är ansluten."
            )
    return DailyResult(path, problem)


def backup_warning(folders: list[Path], now: datetime) -> str:
    """A warning when the newest backup is older than two days (or none exists), else ''."""
    newest = newest_backup(folders)
    if newest is None:
        return "Det finns ingen säkerhetskopia av databasen. Ta en nu (Arkiv → Säkerhetskopiera)."
    if now - newest.taken_at > WARN_AFTER:
        days = (now - newest.taken_at).days
        return (
            f"Den senaste säkerhetskopian är {days} dagar gammal "
            f"({newest.taken_at:%Y-%m-%d %H:%M}). Ta en ny nu (Arkiv → Säkerhetskopiera)."
        )
    return ""


@requires(Permission.MANAGE_BACKUPS)
def take_backup(store: Store, actor: User) -> Path:
    """A backup taken by hand (logged)."""
    path = store.backup("manual")
    with store.transaction():
        store.audit.append(actor.id, "backup.create", entity="backup", detail={"file": path.name})
    return path


def restore_file(backup: Path, database: Path, backup_dir: Path, key: DatabaseKey | None) -> Path:
    """Put a verified backup in place of the (closed) database; the replaced file is kept
    in the backup folder and its path returned. Raises BackupFailed for a bad backup."""
    return restore_database(backup, database, backup_dir, key)


@requires(Permission.MANAGE_BACKUPS)
def check_restorable(store: Store, actor: User, backup: BackupFile) -> None:
    """Refuse before anything is closed when the chosen backup does not pass its checks."""
    problem = verify_backup(backup.path, store.key)
    if problem is not None:
        raise BackupFailed(f"Säkerhetskopian {backup.path.name} kan inte återställas: {problem}")


def record_restore(store: Store, user_id: int | None, backup: Path, replaced: Path) -> None:
    """Write the restore into the restored database's audit log (one entry)."""
    with store.transaction():
        store.audit.append(
            user_id,
            "backup.restore",
            entity="backup",
            detail={"file": backup.name, "replaced_kept_as": replaced.name},
        )
