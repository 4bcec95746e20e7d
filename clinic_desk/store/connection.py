"""Opening a clinic database: checks first, then settings, then migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from clinic_desk.store.backups import backup_database
from clinic_desk.store.errors import DatabaseTooNew, DatabaseUnreadable
from clinic_desk.store.migrations import LATEST_VERSION, MIGRATIONS


def read_user_version(conn: sqlite3.Connection, path: Path) -> int:
    """The schema version of an open file; DatabaseUnreadable when it is not a database."""
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise DatabaseUnreadable(
            f"Filen {path} går inte att öppna som en Clinic Desk-databas ({exc}). "
            "Filen har inte ändrats. Välj en annan fil eller återställ en säkerhetskopia."
        ) from exc
    return version


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None


def connect(
    path: Path, backup_dir: Path, *, target_version: int = LATEST_VERSION
) -> sqlite3.Connection:
    """Open (or create) the database at `path`, migrated to `target_version`.

    Nothing is written to an existing file until it has passed the version and integrity
    checks; a backup is taken before any migration of a file that already holds data.
    """
    existed = path.exists() and path.stat().st_size > 0
    path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    try:
        version = read_user_version(conn, path)
        if version > LATEST_VERSION:
            raise DatabaseTooNew(
                f"Databasen {path} är skapad av en nyare version av Clinic Desk "
                f"(schema {version}, det här programmet känner till {LATEST_VERSION}). "
                "Uppdatera programmet. Filen har inte ändrats."
            )
        if existed:
            try:
                check = str(conn.execute("PRAGMA quick_check").fetchone()[0])
            except sqlite3.DatabaseError as exc:
                check = str(exc)
            if check != "ok":
                raise DatabaseUnreadable(
                    f"Databasen {path} är skadad ({check}). Filen har inte ändrats. "
                    "Återställ den senaste säkerhetskopian."
                )
            if version == 0 and _has_tables(conn):
                # Another program's SQLite file: migrating it would write our tables into it.
                raise DatabaseUnreadable(
                    f"Filen {path} är en SQLite-databas men inte Clinic Desks. "
                    "Filen har inte ändrats. Välj en annan fil eller återställ en säkerhetskopia."
                )
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        migrate(conn, backup_dir, version, target_version, has_data=existed)
    except BaseException:
        conn.close()
        raise
    return conn


def migrate(
    conn: sqlite3.Connection,
    backup_dir: Path,
    current: int,
    target: int,
    *,
    has_data: bool,
) -> Path | None:
    """Apply the pending migrations, each in its own transaction; return the backup made."""
    pending = [m for m in MIGRATIONS if current < m.version <= target]
    if not pending:
        return None
    backup = backup_database(conn, backup_dir, f"v{current}-before-migration") if has_data else None
    for migration in pending:
        conn.execute("BEGIN IMMEDIATE")
        try:
            migration.upgrade(conn)
            conn.execute(f"PRAGMA user_version = {int(migration.version)}")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    return backup
