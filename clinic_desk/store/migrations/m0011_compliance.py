"""Contract compliance: dated contract rule sets, the deviation register (avvikelser),
the region's follow-up cases with their decisions, and a daily snapshot of the checks.

Nothing here is deleted. Follow-up decisions are append-only (the sanction ladder is worked
out from them); a closed deviation keeps its lessons and never reopens.
"""

from __future__ import annotations

import sqlite3

from clinic_desk.store.migrations.m0001_core import _statements

SCHEMA = """
-- A year's contract parameters, imported from a checked file (the shipped 2025 set is read
-- from the package and needs no row). The newest import for a year wins.
CREATE TABLE contract_rule_sets (
    id INTEGER PRIMARY KEY,
    valid_from_year INTEGER NOT NULL,
    region TEXT NOT NULL,
    body TEXT NOT NULL,
    file_name TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX contract_rule_sets_year ON contract_rule_sets(valid_from_year, id);
CREATE TRIGGER contract_rule_sets_no_update BEFORE UPDATE ON contract_rule_sets
BEGIN SELECT RAISE(ABORT, 'an imported rule set never changes: import a new one'); END;
CREATE TRIGGER contract_rule_sets_no_delete BEFORE DELETE ON contract_rule_sets
BEGIN SELECT RAISE(ABORT, 'imported rule sets are never deleted'); END;

-- The deviation register (000 §2.15): own deviations and those from other providers, which
-- must always be answered; closed with the lessons learnt.
CREATE TABLE deviations (
    id INTEGER PRIMARY KEY,
    occurred_on TEXT NOT NULL,
    reported_on TEXT NOT NULL,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    description TEXT NOT NULL DEFAULT '',
    origin TEXT NOT NULL CHECK (origin IN ('own', 'other_provider')),
    other_provider TEXT NOT NULL DEFAULT '',
    category TEXT CHECK (category IS NULL OR category IN
        ('care', 'records', 'medication', 'hygiene', 'access', 'appointments', 'other')),
    severity TEXT CHECK (severity IS NULL OR severity IN
        ('minor', 'moderate', 'serious', 'lex_maria')),
    patient_id INTEGER REFERENCES patients(id),
    exam_id INTEGER REFERENCES exams(id),
    assigned_to INTEGER REFERENCES users(id),
    answer TEXT NOT NULL DEFAULT '',
    answered_on TEXT,
    lessons TEXT NOT NULL DEFAULT '',
    closed_on TEXT,
    closed_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users(id),
    CHECK (origin = 'own' OR length(trim(other_provider)) > 0),
    CHECK ((closed_on IS NULL) = (closed_by IS NULL)),
    CHECK (closed_on IS NULL OR length(trim(lessons)) > 0)
);
CREATE INDEX deviations_open ON deviations(closed_on, reported_on);
CREATE INDEX deviations_patient ON deviations(patient_id);
CREATE TRIGGER deviations_closed_final BEFORE UPDATE ON deviations
WHEN OLD.closed_on IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a closed deviation never changes'); END;
CREATE TRIGGER deviations_no_delete BEFORE DELETE ON deviations
BEGIN SELECT RAISE(ABORT, 'deviations are never deleted'); END;

-- A finding the region asked the clinic to correct (begäran om rättelse, seed 001).
CREATE TABLE follow_up_cases (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    request_date TEXT NOT NULL,
    severity INTEGER NOT NULL CHECK (severity BETWEEN 1 AND 4),
    deviation INTEGER NOT NULL CHECK (deviation BETWEEN 1 AND 4),
    self_reported INTEGER NOT NULL CHECK (self_reported IN (0, 1)),
    plan_deadline TEXT NOT NULL CHECK (plan_deadline >= request_date),
    plan_sent_on TEXT,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE TRIGGER follow_up_cases_no_delete BEFORE DELETE ON follow_up_cases
BEGIN SELECT RAISE(ABORT, 'follow-up cases are never deleted'); END;

-- The region's decisions on a case: the plan or its follow-up failed, or the correction
-- was approved (which ends the case and its sanction).
CREATE TABLE follow_up_events (
    id INTEGER PRIMARY KEY,
    case_id INTEGER NOT NULL REFERENCES follow_up_cases(id),
    decided_on TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('failed', 'approved')),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX follow_up_events_case ON follow_up_events(case_id, decided_on, id);
CREATE TRIGGER follow_up_events_no_update BEFORE UPDATE ON follow_up_events
BEGIN SELECT RAISE(ABORT, 'a recorded decision never changes'); END;
CREATE TRIGGER follow_up_events_no_delete BEFORE DELETE ON follow_up_events
BEGIN SELECT RAISE(ABORT, 'recorded decisions are never deleted'); END;

-- The dashboard's counts, one row per check and day, so the trend since last week exists.
CREATE TABLE compliance_snapshots (
    day TEXT NOT NULL,
    check_key TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (day, check_key)
) WITHOUT ROWID;

-- The dentist-gap check reads each patient's latest signed dentist exam.
CREATE INDEX exams_signed_dentist ON exams(patient_id, exam_date)
    WHERE signed_at IS NOT NULL AND kind = 'dentist_revision';
-- Exams without tobacco habits or without a bite check, by age: the checks read only the
-- ages the rules name.
CREATE INDEX exams_no_tobacco ON exams(age_at_exam, patient_id, exam_date)
    WHERE signed_at IS NOT NULL AND tobacco_recorded = 0;
CREATE INDEX exams_no_bite_check ON exams(age_at_exam, patient_id)
    WHERE signed_at IS NOT NULL AND bite_check = 'not_done'
    AND kind IN ('dentist_revision', 'hygienist_revision');
-- Unsigned drafts are few; the check for drafts older than two days reads only them.
CREATE INDEX exams_unsigned ON exams(exam_date) WHERE signed_at IS NULL;
"""


def upgrade(conn: sqlite3.Connection) -> None:
    """Add rule sets, deviations, follow-up cases and their decisions, snapshots."""
    for statement in _statements(SCHEMA):
        conn.execute(statement)
