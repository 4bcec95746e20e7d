"""No-shows: written notices, child-at-risk concerns and patient fees."""

from __future__ import annotations

import sqlite3

from clinic_desk.store.migrations.m0001_core import _statements

SCHEMA = """
-- Covers the no-show statistics (a year of times grouped by month, practitioner or kind).
CREATE INDEX appointments_stats ON appointments(start_at, status, practitioner_id, kind,
                                                patient_id);

-- A written notice after repeated no-shows: one row per recipient, with the archived letter.
CREATE TABLE no_show_notices (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    guardian_id INTEGER REFERENCES guardians(id),
    recipient TEXT NOT NULL,
    sent_on TEXT NOT NULL,
    appointment_ids TEXT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    sent_by INTEGER NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
);
CREATE INDEX no_show_notices_patient ON no_show_notices(patient_id, sent_on);

-- The clinic's child-at-risk routine (barn som far illa): raised by repeated no-shows of a
-- child, closed only by a dentist's recorded decision. Confidential.
CREATE TABLE concern_cases (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    raised_on TEXT NOT NULL,
    raised_reason TEXT NOT NULL,
    decision TEXT CHECK (decision IS NULL OR decision IN ('reported', 'not_reported')),
    decided_on TEXT,
    decided_by INTEGER REFERENCES users(id),
    decision_reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    CHECK ((decision IS NULL) = (decided_on IS NULL)),
    CHECK (decision IS NULL OR length(trim(decision_reason)) > 0)
);
CREATE INDEX concern_cases_patient ON concern_cases(patient_id, id);
CREATE INDEX concern_cases_open ON concern_cases(decision) WHERE decision IS NULL;
CREATE TRIGGER concern_decision_final BEFORE UPDATE ON concern_cases
WHEN OLD.decision IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a recorded concern decision never changes'); END;

-- Fees a patient pays: only for a no-show at an agreed time, or a lost brace or splint.
CREATE TABLE patient_fees (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    appointment_id INTEGER REFERENCES appointments(id),
    kind TEXT NOT NULL CHECK (kind IN ('no_show', 'lost_brace', 'lost_splint')),
    amount_ore INTEGER NOT NULL CHECK (amount_ore > 0),
    recipient TEXT NOT NULL,
    ocr TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    CHECK (kind <> 'no_show' OR appointment_id IS NOT NULL)
);
CREATE UNIQUE INDEX patient_fees_one_per_no_show ON patient_fees(appointment_id)
    WHERE kind = 'no_show';
CREATE TRIGGER patient_fees_no_update BEFORE UPDATE ON patient_fees
BEGIN SELECT RAISE(ABORT, 'an issued fee never changes'); END;
CREATE TRIGGER patient_fees_no_delete BEFORE DELETE ON patient_fees
BEGIN SELECT RAISE(ABORT, 'an issued fee is never deleted'); END;
"""


def upgrade(conn: sqlite3.Connection) -> None:
    """Add notices, concern cases and patient fees."""
    for statement in _statements(SCHEMA):
        conn.execute(statement)
