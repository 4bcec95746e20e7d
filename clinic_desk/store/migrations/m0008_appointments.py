"""Appointments (never deleted: statuses) and their event history."""

from __future__ import annotations

import sqlite3

from clinic_desk.store.migrations.m0001_core import _statements

SCHEMA = """
CREATE TABLE appointments (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    practitioner_id INTEGER NOT NULL REFERENCES users(id),
    start_at TEXT NOT NULL,
    end_at TEXT NOT NULL,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    confirmed_how TEXT,
    confirmed_at TEXT,
    confirmed_by_name TEXT NOT NULL DEFAULT '',
    cancel_reason TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    overbooked INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users(id),
    CHECK (end_at > start_at)
);
CREATE INDEX appointments_practitioner ON appointments(practitioner_id, start_at);
CREATE INDEX appointments_patient ON appointments(patient_id, start_at);
CREATE INDEX appointments_start ON appointments(start_at);

-- What happened to each appointment and when (booked, moved, confirmed, cancelled, ...).
CREATE TABLE appointment_events (
    id INTEGER PRIMARY KEY,
    appointment_id INTEGER NOT NULL REFERENCES appointments(id),
    at TEXT NOT NULL,
    user_id INTEGER NOT NULL REFERENCES users(id),
    event TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX appointment_events_appointment ON appointment_events(appointment_id, id);
CREATE TRIGGER appointment_events_no_update BEFORE UPDATE ON appointment_events
BEGIN SELECT RAISE(ABORT, 'appointment history is append-only'); END;
CREATE TRIGGER appointment_events_no_delete BEFORE DELETE ON appointment_events
BEGIN SELECT RAISE(ABORT, 'appointment history is append-only'); END;
CREATE TRIGGER appointments_no_delete BEFORE DELETE ON appointments
BEGIN SELECT RAISE(ABORT, 'appointments are never deleted: cancel them'); END;
"""


def upgrade(conn: sqlite3.Connection) -> None:
    """Add appointments and their history."""
    for statement in _statements(SCHEMA):
        conn.execute(statement)
