"""The Store: one long-lived connection to a clinic's database and its repositories."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import sqlite_utils

from clinic_desk.store.audit import AuditLog
from clinic_desk.store.backups import backup_database
from clinic_desk.store.clinics import ClinicRepository
from clinic_desk.store.connection import connect
from clinic_desk.store.documents import DocumentArchive
from clinic_desk.store.guardians import GuardianRepository
from clinic_desk.store.listings import ListingRepository
from clinic_desk.store.migrations import LATEST_VERSION
from clinic_desk.store.patients import PatientRepository
from clinic_desk.store.settings import SettingsRepository
from clinic_desk.store.users import UserRepository


class Store:
    """Everything the workflows read and write. Only this package writes SQL."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        backup_dir: Path,
        now: Callable[[], datetime] = datetime.now,
    ) -> None:
        self.conn = conn
        self.path = path
        self.backup_dir = backup_dir
        self.now = now
        self.db = sqlite_utils.Database(conn)
        self._depth = 0
        self.audit = AuditLog(conn, now)
        self.patients = PatientRepository(conn, now)
        self.guardians = GuardianRepository(conn, now)
        self.listings = ListingRepository(conn, now)
        self.clinics = ClinicRepository(conn, now)
        self.users = UserRepository(conn, now)
        self.settings = SettingsRepository(conn, now)
        self.documents = DocumentArchive(conn, now)

    @classmethod
    def open(
        cls,
        path: Path,
        backup_dir: Path,
        *,
        now: Callable[[], datetime] = datetime.now,
        target_version: int = LATEST_VERSION,
    ) -> Store:
        """Open (creating or migrating) the database file at `path`."""
        return cls(connect(path, backup_dir, target_version=target_version), path, backup_dir, now)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All or nothing: one user action is one transaction. Nested calls join the outer."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.conn.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield
            # A failed COMMIT (a deferred constraint, a busy or full disk) leaves the
            # transaction open; the rollback below must close it.
            self.conn.execute("COMMIT")
        except BaseException:
            # Some errors (disk full, I/O) have already rolled back; don't hide them.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self._depth = 0

    @property
    def schema_version(self) -> int:
        """The number of the last migration applied."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def backup(self, label: str = "manual") -> Path:
        """Copy the database into the backup folder and verify the copy."""
        return backup_database(self.conn, self.backup_dir, label)

    def close(self) -> None:
        """Checkpoint and close the connection."""
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            self.conn.close()
