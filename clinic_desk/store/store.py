"""The Store: one long-lived connection to a clinic's database and its repositories."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

    from clinic_desk.store.access_review import AccessReview
    from clinic_desk.store.appointments import AppointmentRepository
    from clinic_desk.store.compliance import ComplianceRepository
    from clinic_desk.store.deviations import DeviationRepository, FollowUpRepository
    from clinic_desk.store.documents import DocumentArchive
    from clinic_desk.store.emergency import EmergencyRepository
    from clinic_desk.store.exams import ExamRepository
    from clinic_desk.store.guardians import GuardianRepository
    from clinic_desk.store.invoices import InvoiceRepository
    from clinic_desk.store.listings import ListingRepository
    from clinic_desk.store.logins import LoginLog
    from clinic_desk.store.no_shows import NoShowRepository
    from clinic_desk.store.price_lists import PriceListRepository
    from clinic_desk.store.recall import RecallRepository
    from clinic_desk.store.region_reports import RegionReportRepository

from clinic_desk.store.audit import AuditLog, ChainBreak
from clinic_desk.store.chain_head import ChainHead, ChainHeadStore, check_head, current_head
from clinic_desk.store.clinics import ClinicRepository
from clinic_desk.store.connection import connect, quick_check_problem
from clinic_desk.store.encryption import DatabaseKey, open_connection
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
        *,
        key: DatabaseKey | None = None,
        chain_head: ChainHeadStore | None = None,
    ) -> None:
        self.conn = conn
        self.key = key
        self.chain_head = chain_head
        self._saved_head: ChainHead | None = chain_head.load() if chain_head else None
        self.path = path
        self.backup_dir = backup_dir
        self.now = now
        self._repository_now = now  # the clock every repository was given at open
        self._depth = 0
        self._db: sqlite_utils.Database | None = None
        self.audit = AuditLog(conn, now)
        self.patients = PatientRepository(conn, now)
        self.clinics = ClinicRepository(conn, now)
        self.users = UserRepository(conn, now)
        self.settings = SettingsRepository(conn, now)
        self.head_break: ChainBreak | None = None
        if chain_head is not None:
            self._check_chain_head()

    # Repositories that the start of the program does not use are made on first use, so
    # their modules (and the domain modules behind them) are not imported at start.
    @cached_property
    def logins(self) -> LoginLog:
        from clinic_desk.store.logins import LoginLog

        return LoginLog(self.conn)

    @cached_property
    def guardians(self) -> GuardianRepository:
        from clinic_desk.store.guardians import GuardianRepository

        return GuardianRepository(self.conn, self._repository_now)

    @cached_property
    def listings(self) -> ListingRepository:
        from clinic_desk.store.listings import ListingRepository

        return ListingRepository(self.conn, self._repository_now)

    @cached_property
    def documents(self) -> DocumentArchive:
        from clinic_desk.store.documents import DocumentArchive

        return DocumentArchive(self.conn, self._repository_now)

    @cached_property
    def access_review(self) -> AccessReview:
        from clinic_desk.store.access_review import AccessReview

        return AccessReview(self.conn)

    @cached_property
    def appointments(self) -> AppointmentRepository:
        from clinic_desk.store.appointments import AppointmentRepository

        return AppointmentRepository(self.conn, self._repository_now)

    @cached_property
    def recall(self) -> RecallRepository:
        from clinic_desk.store.recall import RecallRepository

        return RecallRepository(self.conn, self._repository_now)

    @cached_property
    def no_shows(self) -> NoShowRepository:
        from clinic_desk.store.no_shows import NoShowRepository

        return NoShowRepository(self.conn, self._repository_now)

    @cached_property
    def exams(self) -> ExamRepository:
        from clinic_desk.store.exams import ExamRepository

        return ExamRepository(self.conn, self._repository_now)

    @cached_property
    def price_lists(self) -> PriceListRepository:
        from clinic_desk.store.price_lists import PriceListRepository

        return PriceListRepository(self.conn, self._repository_now)

    @cached_property
    def emergency(self) -> EmergencyRepository:
        from clinic_desk.store.emergency import EmergencyRepository

        return EmergencyRepository(self.conn, self._repository_now)

    @cached_property
    def invoices(self) -> InvoiceRepository:
        from clinic_desk.store.invoices import InvoiceRepository

        return InvoiceRepository(self.conn, self._repository_now)

    @cached_property
    def compliance(self) -> ComplianceRepository:
        from clinic_desk.store.compliance import ComplianceRepository

        return ComplianceRepository(self.conn, self._repository_now)

    @cached_property
    def deviations(self) -> DeviationRepository:
        from clinic_desk.store.deviations import DeviationRepository

        return DeviationRepository(self.conn, self._repository_now)

    @cached_property
    def follow_ups(self) -> FollowUpRepository:
        from clinic_desk.store.deviations import FollowUpRepository

        return FollowUpRepository(self.conn, self._repository_now)

    @cached_property
    def region_reports(self) -> RegionReportRepository:
        from clinic_desk.store.region_reports import RegionReportRepository

        return RegionReportRepository(self.conn, self._repository_now)

    @property
    def db(self) -> sqlite_utils.Database:
        """The connection seen through sqlite-utils (imported on first use: it is slow)."""
        import sqlite_utils

        if self._db is None:
            self._db = sqlite_utils.Database(self.conn)
        return self._db

    @classmethod
    def open(
        cls,
        path: Path,
        backup_dir: Path,
        *,
        now: Callable[[], datetime] = datetime.now,
        target_version: int = LATEST_VERSION,
        key: DatabaseKey | None = None,
        chain_head: ChainHeadStore | None = None,
        check_integrity: bool = True,
    ) -> Store:
        """Open (creating or migrating) the database file at `path`; encrypted with `key`.

        With `check_integrity=False` the whole-file integrity check is left to the caller
        (integrity_problem, off the GUI thread) unless a migration is due."""
        conn = connect(
            path,
            backup_dir,
            target_version=target_version,
            key=key,
            check_integrity=check_integrity,
        )
        return cls(conn, path, backup_dir, now, key=key, chain_head=chain_head)

    @contextmanager
    def own_connection(self) -> Iterator[sqlite3.Connection]:
        """A second connection to the same file, for work on another thread (a backup, a
        check): the long-lived connection is the GUI thread's alone."""
        conn: sqlite3.Connection = open_connection(self.path, self.key)
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            yield conn
        finally:
            conn.close()

    def integrity_problem(self) -> str | None:
        """PRAGMA quick_check on a connection of its own (safe on a worker thread); None
        when the file passes, else the message for the user."""
        with self.own_connection() as conn:
            problem = quick_check_problem(conn)
        if problem is None:
            return None
        return f"Databasen {self.path} är skadad ({problem})."

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
        self._save_chain_head()

    def _check_chain_head(self) -> None:
        """On open: compare the file with the head saved outside it; a mismatch is written
        into the log itself (so it stays on record) before the saved head moves on."""
        self.head_break = check_head(self.conn, self._saved_head)
        if self.head_break is not None and self._saved_head is not None:
            newest = current_head(self.conn)
            with self.transaction():
                self.audit.append(
                    None,
                    "audit.head_mismatch",
                    entity="audit_log",
                    entity_id=self._saved_head.entry_id,
                    detail={
                        "saved_id": self._saved_head.entry_id,
                        "saved_hash": self._saved_head.hash,
                        "file_newest_id": newest.entry_id if newest else 0,
                        "reason": self.head_break.reason,
                    },
                )
        else:
            self._save_chain_head()

    def adopt_chain_head(self, chain_head: ChainHeadStore) -> None:
        """Start keeping the head outside the file from the file's current head (after a
        restore, which rewinds the log on purpose and records so in it)."""
        self.chain_head = chain_head
        self._saved_head = None
        self.head_break = None
        self._save_chain_head()

    def chain_head_break(self) -> ChainBreak | None:
        """Compare the file with the head saved outside it, now."""
        if self.chain_head is None:
            return None
        return check_head(self.conn, self.chain_head.load())

    def _save_chain_head(self) -> None:
        """After a commit: keep the audit chain's newest entry outside the file."""
        if self.chain_head is None:
            return
        head = current_head(self.conn)
        if head is not None and head != self._saved_head:
            self.chain_head.save(head)
            self._saved_head = head

    @property
    def schema_version(self) -> int:
        """The number of the last migration applied."""
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def backup(self, label: str = "manual") -> Path:
        """Copy the database into the backup folder and verify the copy."""
        from clinic_desk.store.backups import backup_database

        return backup_database(self.conn, self.backup_dir, label, self.key)

    def close(self) -> None:
        """Checkpoint and close the connection."""
        try:
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            self.conn.close()
