"""Numbered schema migrations. Each module `mNNNN_*.py` has `upgrade(conn)`; NNNN is its
schema version (a test checks every module is listed below once, in order, with its number).

The list below is the only place that orders them; `PRAGMA user_version` holds the number of
the last one applied.
"""

from __future__ import annotations

import importlib
import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    """One step of the schema; its module is imported only when the step is applied (a
    database already up to date, as at every start, needs none of them)."""

    version: int
    name: str
    module: str

    def upgrade(self, conn: sqlite3.Connection) -> None:
        """Apply this step (the caller holds the transaction)."""
        importlib.import_module(f"{__name__}.{self.module}").upgrade(conn)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "core: users, clinics, patients, audit log, settings", "m0001_core"),
    Migration(2, "guardians and listing history", "m0002_guardians_listings"),
    Migration(3, "protected identity sorts by its mask", "m0003_protected_sort_name"),
    Migration(4, "document archive", "m0004_document_archive"),
    Migration(5, "examinations and journal consent", "m0005_examinations"),
    Migration(6, "emergency care and invoices", "m0006_emergency_invoices"),
    Migration(7, "personal logins: password hash and HSA-id", "m0007_logins"),
    Migration(8, "appointments, their history and recall due dates", "m0008_appointments"),
    Migration(9, "no-show notices, child-at-risk concerns, patient fees", "m0009_no_shows"),
    Migration(10, "region export batches, their files and sent records", "m0010_region_exports"),
    Migration(
        11,
        "contract rule sets, deviations, follow-up cases, compliance snapshots",
        "m0011_compliance",
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version
