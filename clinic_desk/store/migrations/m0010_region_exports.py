"""Region exports (Symfoni, RULES.md §7): every batch sent, its files byte for byte, and
which record went in which batch.

Nothing here changes once written (triggers refuse UPDATE and DELETE): a batch is re-sent
from its stored bytes, a mistake is corrected by a new batch that names the one it corrects.
region_export_items is how "each record is sent once" holds: the export leaves out every
record id already sent with action 'add'; corrections list 'replace' and 'withdraw' ids of
records already sent.
"""

from __future__ import annotations

import sqlite3

from clinic_desk.store.migrations.m0001_core import _statements

SCHEMA = """
CREATE TABLE region_export_batches (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('regular', 'correction')),
    period TEXT NOT NULL,
    period_first TEXT NOT NULL,
    period_last TEXT NOT NULL,
    covers_from TEXT NOT NULL,
    corrects_batch_id INTEGER REFERENCES region_export_batches(id),
    format_version TEXT NOT NULL,
    row_count INTEGER NOT NULL CHECK (row_count >= 0),
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    CHECK ((kind = 'correction') = (corrects_batch_id IS NOT NULL)),
    CHECK (covers_from <= period_first AND period_first <= period_last)
);
CREATE INDEX region_export_batches_corrects ON region_export_batches(corrects_batch_id);
CREATE TABLE region_export_files (
    batch_id INTEGER NOT NULL REFERENCES region_export_batches(id),
    name TEXT NOT NULL,
    report_kind TEXT NOT NULL,
    row_count INTEGER NOT NULL CHECK (row_count >= 0),
    sha256 TEXT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (batch_id, name)
);
-- The records each file of a batch carried, by action: their ids one per line, in file
-- order (one row per file and action rather than per record: a year is 100,000 records).
CREATE TABLE region_export_items (
    batch_id INTEGER NOT NULL REFERENCES region_export_batches(id),
    report_kind TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('add', 'replace', 'withdraw')),
    record_ids TEXT NOT NULL,
    PRIMARY KEY (batch_id, report_kind, action)
);
CREATE INDEX region_export_items_kind ON region_export_items(report_kind, action);
CREATE TRIGGER region_export_batches_no_update BEFORE UPDATE ON region_export_batches
BEGIN SELECT RAISE(ABORT, 'sent batches never change: send a correction'); END;
CREATE TRIGGER region_export_batches_no_delete BEFORE DELETE ON region_export_batches
BEGIN SELECT RAISE(ABORT, 'sent batches are never deleted'); END;
CREATE TRIGGER region_export_files_no_update BEFORE UPDATE ON region_export_files
BEGIN SELECT RAISE(ABORT, 'sent files never change'); END;
CREATE TRIGGER region_export_files_no_delete BEFORE DELETE ON region_export_files
BEGIN SELECT RAISE(ABORT, 'sent files are never deleted'); END;
CREATE TRIGGER region_export_items_no_update BEFORE UPDATE ON region_export_items
BEGIN SELECT RAISE(ABORT, 'sent records never change'); END;
CREATE TRIGGER region_export_items_no_delete BEFORE DELETE ON region_export_items
BEGIN SELECT RAISE(ABORT, 'sent records are never deleted'); END;
"""


def upgrade(conn: sqlite3.Connection) -> None:
    """Add the batch log, the stored files and the sent records."""
    for statement in _statements(SCHEMA):
        conn.execute(statement)
