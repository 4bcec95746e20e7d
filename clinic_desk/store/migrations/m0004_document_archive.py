"""The archive of every document sent or printed (PDF bytes, kept inside the database).

Kept in the database, not as loose files, so that the encryption of the database covers
them, backups include them, and a document can never be separated from the row that made it.
"""

from __future__ import annotations

import sqlite3

from clinic_desk.store.migrations.m0001_core import _statements

SCHEMA = """
CREATE TABLE documents (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    patient_id INTEGER REFERENCES patients(id),
    source_table TEXT NOT NULL DEFAULT '',
    source_id TEXT NOT NULL DEFAULT '',
    recipient TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    content BLOB NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX documents_patient ON documents(patient_id, id);
CREATE INDEX documents_source ON documents(source_table, source_id);
CREATE INDEX documents_kind ON documents(kind, id);
CREATE TRIGGER documents_no_update BEFORE UPDATE ON documents
BEGIN SELECT RAISE(ABORT, 'archived documents never change'); END;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN SELECT RAISE(ABORT, 'archived documents are never deleted'); END;
"""


def upgrade(conn: sqlite3.Connection) -> None:
    """Add the document archive."""
    for statement in _statements(SCHEMA):
        conn.execute(statement)
