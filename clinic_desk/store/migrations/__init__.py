"""Numbered schema migrations. Each module `mNNNN_*.py` has `VERSION` and `upgrade(conn)`.

The list below is the only place that orders them; `PRAGMA user_version` holds the number of
the last one applied.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass

from clinic_desk.store.migrations import (
    m0001_core,
    m0002_guardians_listings,
    m0003_protected_sort_name,
    m0004_document_archive,
    m0005_examinations,
    m0006_emergency_invoices,
    m0007_logins,
    m0008_appointments,
    m0009_no_shows,
    m0010_region_exports,
    m0011_compliance,
)


@dataclass(frozen=True)
class Migration:
    """One step of the schema."""

    version: int
    name: str
    upgrade: Callable[[sqlite3.Connection], None]


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "core: users, clinics, patients, audit log, settings", m0001_core.upgrade),
    Migration(2, "guardians and listing history", m0002_guardians_listings.upgrade),
    Migration(3, "protected identity sorts by its mask", m0003_protected_sort_name.upgrade),
    Migration(4, "document archive", m0004_document_archive.upgrade),
    Migration(5, "examinations and journal consent", m0005_examinations.upgrade),
    Migration(6, "emergency care and invoices", m0006_emergency_invoices.upgrade),
    Migration(7, "personal logins: password hash and HSA-id", m0007_logins.upgrade),
    Migration(8, "appointments, their history and recall due dates", m0008_appointments.upgrade),
    Migration(9, "no-show notices, child-at-risk concerns, patient fees", m0009_no_shows.upgrade),
    Migration(
        m0010_region_exports.VERSION,
        "region export batches, their files and sent records",
        m0010_region_exports.upgrade,
    ),
    Migration(
        m0011_compliance.VERSION,
        "contract rule sets, deviations, follow-up cases, compliance snapshots",
        m0011_compliance.upgrade,
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version
