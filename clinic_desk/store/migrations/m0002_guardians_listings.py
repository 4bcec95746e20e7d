"""Guardians (linked to several children) and the listing history."""

from __future__ import annotations

import sqlite3

from clinic_desk.store.migrations.m0001_core import _statements

SCHEMA = """
CREATE TABLE guardians (
    id INTEGER PRIMARY KEY,
    personal_id TEXT NOT NULL DEFAULT '',
    first_name TEXT NOT NULL,
    last_name TEXT NOT NULL,
    address_line TEXT NOT NULL DEFAULT '',
    postal_code TEXT NOT NULL DEFAULT '',
    city TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    email TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE UNIQUE INDEX guardians_personal_id ON guardians(personal_id) WHERE personal_id <> '';

CREATE TABLE patient_guardians (
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    guardian_id INTEGER NOT NULL REFERENCES guardians(id),
    receives_letters INTEGER NOT NULL DEFAULT 1,
    relation TEXT NOT NULL DEFAULT '',
    ended_at TEXT,
    ended_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (patient_id, guardian_id)
);
CREATE INDEX patient_guardians_guardian ON patient_guardians(guardian_id);

CREATE TABLE listings (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    clinic_id INTEGER NOT NULL REFERENCES clinics(id),
    listed_on TEXT NOT NULL,
    responsible_from TEXT NOT NULL,
    responsible_to TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('choice', 'assigned')),
    consent_given_by TEXT NOT NULL DEFAULT '',
    consent_recorded_by INTEGER NOT NULL REFERENCES users(id),
    consent_recorded_at TEXT NOT NULL,
    end_reason TEXT NOT NULL DEFAULT '',
    ended_by INTEGER REFERENCES users(id),
    ended_at TEXT,
    CHECK (responsible_to IS NULL OR responsible_to >= date(responsible_from, '-1 day'))
);
CREATE INDEX listings_patient ON listings(patient_id, responsible_from);
CREATE INDEX listings_clinic ON listings(clinic_id, responsible_to);
"""


def upgrade(conn: sqlite3.Connection) -> None:
    """Add guardians, their links to patients, and listings."""
    for statement in _statements(SCHEMA):
        conn.execute(statement)
