"""Opening a clinic database: checks first, then settings, then migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from clinic_desk.store.encryption import (
    DB_ERRORS,
    DatabaseKey,
    encrypt_plain_database,
    file_state,
    open_connection,
)
from clinic_desk.store.errors import DatabaseLocked, DatabaseTooNew, DatabaseUnreadable
from clinic_desk.store.migrations import LATEST_VERSION, MIGRATIONS


def read_user_version(conn: sqlite3.Connection, path: Path, keyed: bool = False) -> int:
    """The schema version of an open file; DatabaseUnreadable when it is not a database."""
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except DB_ERRORS as exc:
        if keyed and file_state(path) == "encrypted":
            raise DatabaseLocked(
                f"Databasen {path} kan inte låsas upp: nyckeln passar inte, eller filen är "
                "skadad. Filen har inte ändrats. Kontrollera nyckeln eller lösenfrasen, "
                "eller återställ en säkerhetskopia."
            ) from exc
        raise DatabaseUnreadable(
            f"Filen {path} går inte att öppna som en Clinic Desk-databas ({exc}). "
            "Filen har inte ändrats. Välj en annan fil eller återställ en säkerhetskopia."
        ) from exc
    return version


def _has_tables(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None


def quick_check_problem(conn: sqlite3.Connection) -> str | None:
    """None when PRAGMA quick_check passes; otherwise its first finding (of often hundreds)."""
    try:
        check = str(conn.execute("PRAGMA quick_check").fetchone()[0])
    except DB_ERRORS as exc:
        check = str(exc)
    if check == "ok":
        return None
    findings = [line for line in check.splitlines() if line and not line.startswith("***")]
    return findings[0] if findings else check


def _damaged(path: Path, problem: str) -> str:
    return (
        f"Databasen {path} är skadad ({problem}). Filen har inte ändrats. "
        "Återställ den senaste säkerhetskopian."
    )


def _check_existing(
    conn: sqlite3.Connection, path: Path, *, keyed: bool, quick_check: bool = True
) -> int:
    """Version, integrity and ownership checks of a file that holds data; its version."""
    version = read_user_version(conn, path, keyed=keyed)
    if version > LATEST_VERSION:
        raise DatabaseTooNew(
            f"Databasen {path} är skapad av en nyare version av Clinic Desk "
            f"(schema {version}, det här programmet känner till {LATEST_VERSION}). "
            "Uppdatera programmet. Filen har inte ändrats."
        )
    problem = quick_check_problem(conn) if quick_check else None
    if problem is not None:
        raise DatabaseUnreadable(_damaged(path, problem))
    if version == 0 and _has_tables(conn):
        # Another program's SQLite file: migrating it would write our tables into it.
        raise DatabaseUnreadable(
            f"Filen {path} är en SQLite-databas men inte Clinic Desks. "
            "Filen har inte ändrats. Välj en annan fil eller återställ en säkerhetskopia."
        )
    return version


def connect(
    path: Path,
    backup_dir: Path,
    *,
    target_version: int = LATEST_VERSION,
    key: DatabaseKey | None = None,
    check_integrity: bool = True,
) -> sqlite3.Connection:
    """Open (or create) the database at `path`, migrated to `target_version`.

    Nothing is migrated or converted until the file has passed the version and integrity
    checks; a backup is taken before any migration of a file that already holds data.
    With a `key` the file is SQLCipher: a plain file is converted once, after a backup.
    `check_integrity=False` skips the integrity check (PRAGMA quick_check, a read of the
    whole file) when no migration is due: the program runs it off the GUI thread once its
    window is shown (Store.integrity_problem).
    """
    state = file_state(path)
    existed = state != "missing"
    path.parent.mkdir(parents=True, exist_ok=True)
    if state == "plain" and key is not None:
        plain: sqlite3.Connection = open_connection(path, None)
        try:
            _check_existing(plain, path, keyed=False)
        finally:
            plain.close()
        encrypt_plain_database(path, backup_dir, key)
    conn: sqlite3.Connection = open_connection(path, key)
    try:
        if existed:
            version = _check_existing(conn, path, keyed=key is not None, quick_check=False)
            if check_integrity or version < target_version:
                problem = quick_check_problem(conn)
                if problem is not None:
                    raise DatabaseUnreadable(_damaged(path, problem))
        else:
            version = read_user_version(conn, path, keyed=key is not None)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA busy_timeout = 5000")
        migrate(conn, backup_dir, version, target_version, has_data=existed, key=key)
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
    key: DatabaseKey | None = None,
) -> Path | None:
    """Apply the pending migrations, each in its own transaction; return the backup made."""
    pending = [m for m in MIGRATIONS if current < m.version <= target]
    if not pending:
        return None
    from clinic_desk.store.backups import backup_database  # only when a step is due

    label = f"v{current}-before-migration"
    backup = backup_database(conn, backup_dir, label, key) if has_data else None
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
