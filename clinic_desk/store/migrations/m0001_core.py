"""Users, clinics, patients with their search terms, the append-only audit log, settings."""

from __future__ import annotations

import sqlite3

SCHEMA = """
CREATE TABLE users (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    profession TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by INTEGER REFERENCES users(id)
);

CREATE TABLE clinics (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL DEFAULT '',
    name TEXT NOT NULL,
    org_number TEXT NOT NULL,
    address_line TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    invoice_address TEXT NOT NULL DEFAULT '',
    bankgiro TEXT NOT NULL DEFAULT '',
    f_skatt INTEGER NOT NULL DEFAULT 0,
    hsa_id TEXT NOT NULL DEFAULT '',
    is_own INTEGER NOT NULL DEFAULT 0,
    area_responsible INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE UNIQUE INDEX clinics_one_own ON clinics(is_own) WHERE is_own = 1;
CREATE UNIQUE INDEX clinics_org_number ON clinics(org_number) WHERE active = 1;

CREATE TABLE patients (
    id INTEGER PRIMARY KEY,
    personal_id TEXT NOT NULL UNIQUE,
    pid_digits TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    is_reserve_number INTEGER NOT NULL DEFAULT 0,
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    sort_name TEXT NOT NULL,
    address_line TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    phone_digits TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    responsible_dentist_id INTEGER REFERENCES users(id),
    protected_identity INTEGER NOT NULL DEFAULT 0,
    registered_in_region INTEGER NOT NULL DEFAULT 1,
    end_date TEXT,
    end_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX patients_pid_digits ON patients(pid_digits);
CREATE INDEX patients_phone ON patients(phone_digits);
CREATE INDEX patients_sort_name ON patients(sort_name, id);
CREATE INDEX patients_birth_date ON patients(birth_date);

-- One row per word of a name (casefolded, accents off but å ä ö kept): prefix search by range.
CREATE TABLE patient_name_terms (
    term TEXT NOT NULL,
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    PRIMARY KEY (term, patient_id)
) WITHOUT ROWID;

-- Trigram index of the whole name, for a fragment from inside a name ('ndqv' in Lindqvist).
CREATE VIRTUAL TABLE patient_name_trigrams USING fts5(name, tokenize = 'trigram');

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user_id INTEGER REFERENCES users(id),
    action TEXT NOT NULL,
    patient_id INTEGER REFERENCES patients(id),
    entity TEXT NOT NULL DEFAULT '',
    entity_id TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}',
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_log_patient ON audit_log(patient_id, id);
CREATE INDEX audit_log_user ON audit_log(user_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by INTEGER REFERENCES users(id)
);

CREATE TABLE reserve_number_serials (
    birth_date TEXT PRIMARY KEY,
    last_serial INTEGER NOT NULL
);
"""


def upgrade(conn: sqlite3.Connection) -> None:
    """Create the first version of the schema."""
    for statement in _statements(SCHEMA):
        conn.execute(statement)


def _statements(script: str) -> list[str]:
    """Split a script into statements; triggers keep their inner semicolons."""
    out: list[str] = []
    buffer = ""
    for line in script.splitlines():
        if line.strip().startswith("--") or not line.strip():
            continue
        buffer += line + "\n"
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    return out
