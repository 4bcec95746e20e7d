"""Appointments (never deleted: statuses), their history, and the recall due dates.

recall_due holds each patient's latest signed revision exam and the next revision due after
it, kept in step by triggers on exams and their amendments, so that a month's recall list
is an index range rather than a search through every patient's exams.
"""

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

CREATE TABLE recall_due (
    patient_id INTEGER PRIMARY KEY REFERENCES patients(id),
    exam_id INTEGER NOT NULL REFERENCES exams(id),
    exam_date TEXT NOT NULL,
    due_date TEXT NOT NULL
);
CREATE INDEX recall_due_date ON recall_due(due_date);

CREATE TRIGGER recall_after_exam_insert AFTER INSERT ON exams
WHEN NEW.signed_at IS NOT NULL AND NEW.next_revision_due IS NOT NULL
 AND NEW.kind IN ('dentist_revision', 'hygienist_revision')
BEGIN
    INSERT OR REPLACE INTO recall_due (patient_id, exam_id, exam_date, due_date)
    SELECT NEW.patient_id, NEW.id, NEW.exam_date, NEW.next_revision_due
    WHERE NOT EXISTS (SELECT 1 FROM recall_due r WHERE r.patient_id = NEW.patient_id
        AND (r.exam_date > NEW.exam_date OR (r.exam_date = NEW.exam_date AND r.exam_id > NEW.id)));
END;
CREATE TRIGGER recall_after_exam_signed AFTER UPDATE OF signed_at ON exams
WHEN NEW.signed_at IS NOT NULL AND OLD.signed_at IS NULL AND NEW.next_revision_due IS NOT NULL
 AND NEW.kind IN ('dentist_revision', 'hygienist_revision')
BEGIN
    INSERT OR REPLACE INTO recall_due (patient_id, exam_id, exam_date, due_date)
    SELECT NEW.patient_id, NEW.id, NEW.exam_date, NEW.next_revision_due
    WHERE NOT EXISTS (SELECT 1 FROM recall_due r WHERE r.patient_id = NEW.patient_id
        AND (r.exam_date > NEW.exam_date OR (r.exam_date = NEW.exam_date AND r.exam_id > NEW.id)));
END;
CREATE TRIGGER recall_after_interval_amended AFTER INSERT ON exam_amendments
WHEN NEW.field = 'interval_months' AND NEW.next_revision_due IS NOT NULL
BEGIN
    UPDATE recall_due SET due_date = NEW.next_revision_due WHERE exam_id = NEW.exam_id;
END;

-- A due date set by hand (with a reason) for the current exam; a newer exam replaces it.
CREATE TABLE recall_overrides (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    exam_id INTEGER REFERENCES exams(id),
    due_date TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX recall_overrides_patient ON recall_overrides(patient_id, id);
"""

BACKFILL = """
INSERT INTO recall_due (patient_id, exam_id, exam_date, due_date)
SELECT e.patient_id, e.id, e.exam_date,
       coalesce((SELECT a.next_revision_due FROM exam_amendments a WHERE a.exam_id = e.id
                 AND a.field = 'interval_months' ORDER BY a.id DESC LIMIT 1),
                e.next_revision_due)
FROM exams e
WHERE e.id = (SELECT x.id FROM exams x WHERE x.patient_id = e.patient_id
              AND x.signed_at IS NOT NULL AND x.next_revision_due IS NOT NULL
              AND x.kind IN ('dentist_revision', 'hygienist_revision')
              ORDER BY x.exam_date DESC, x.id DESC LIMIT 1)
"""


def upgrade(conn: sqlite3.Connection) -> None:
    """Add appointments, their history and the recall due dates (filled from the exams)."""
    for statement in _statements(SCHEMA):
        conn.execute(statement)
    conn.execute(BACKFILL)
