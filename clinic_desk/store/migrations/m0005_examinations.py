"""Examinations: exams, their caries indices, tobacco rows, amendments; journal consents.

A signed exam is locked by triggers (no UPDATE, and nothing added to or changed in its
index and tobacco rows); corrections go to exam_amendments. Nothing here is ever deleted.

The caries index row (exam_caries_indices, one per exam) holds counts typed in the form
(source 'counts'). A tooth chart later adds per-tooth / per-surface rows in a table of its
own keyed by (exam_id, tooth, surface) and fills the index row from them (source 'chart'),
so reports keep reading the same row.
"""

from __future__ import annotations

import sqlite3

from clinic_desk.store.migrations.m0001_core import _statements

SCHEMA = """
CREATE TABLE exams (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    exam_date TEXT NOT NULL,
    kind TEXT NOT NULL
        CHECK (kind IN ('dentist_revision', 'hygienist_revision', 'health_check', 'emergency')),
    examiner_id INTEGER NOT NULL REFERENCES users(id),
    age_at_exam INTEGER NOT NULL CHECK (age_at_exam >= 0),
    risk_group TEXT CHECK (risk_group IS NULL OR risk_group IN ('low', 'medium', 'high')),
    risk_factors TEXT NOT NULL DEFAULT '',
    interval_months INTEGER CHECK (interval_months IS NULL OR interval_months BETWEEN 1 AND 36),
    treatment_plan TEXT NOT NULL DEFAULT '',
    findings TEXT NOT NULL DEFAULT '',
    bite_check TEXT NOT NULL DEFAULT 'not_done'
        CHECK (bite_check IN ('not_done', 'normal', 'deviation')),
    bite_findings TEXT NOT NULL DEFAULT '',
    tobacco_recorded INTEGER NOT NULL DEFAULT 0 CHECK (tobacco_recorded IN (0, 1)),
    tobacco_referral_offered INTEGER CHECK (tobacco_referral_offered IN (0, 1)),
    tobacco_referral_answer TEXT
        CHECK (tobacco_referral_answer IN ('accepted', 'declined', 'undecided')),
    next_revision_due TEXT,
    signed_at TEXT,
    signed_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users(id),
    CHECK ((signed_at IS NULL) = (signed_by IS NULL)),
    CHECK (signed_at IS NULL OR next_revision_due IS NOT NULL
           OR kind IN ('health_check', 'emergency'))
);
CREATE INDEX exams_patient ON exams(patient_id, exam_date, id);
-- Recall and reporting read the latest signed revision exam of each patient.
CREATE INDEX exams_signed_revisions ON exams(patient_id, exam_date, id)
    WHERE signed_at IS NOT NULL AND kind IN ('dentist_revision', 'hygienist_revision');
CREATE TRIGGER exams_signed_locked BEFORE UPDATE ON exams WHEN OLD.signed_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed exam is locked: add an amendment'); END;
CREATE TRIGGER exams_no_delete BEFORE DELETE ON exams
BEGIN SELECT RAISE(ABORT, 'exams are never deleted'); END;

CREATE TABLE exam_caries_indices (
    exam_id INTEGER PRIMARY KEY REFERENCES exams(id),
    source TEXT NOT NULL DEFAULT 'counts' CHECK (source IN ('counts', 'chart')),
    primary_dft INTEGER NOT NULL CHECK (primary_dft BETWEEN 0 AND 20),
    primary_dfs INTEGER NOT NULL CHECK (primary_dfs BETWEEN primary_dft AND 88),
    perm_dft INTEGER NOT NULL CHECK (perm_dft BETWEEN 0 AND 32),
    perm_dfs INTEGER NOT NULL CHECK (perm_dfs BETWEEN perm_dft AND 148),
    perm_dfs_approximal INTEGER NOT NULL
        CHECK (perm_dfs_approximal BETWEEN 0 AND min(perm_dfs, 2 * perm_dft)),
    perm_ds INTEGER NOT NULL CHECK (perm_ds BETWEEN 0 AND perm_dfs),
    caries_free INTEGER NOT NULL
        CHECK (caries_free = (primary_dft = 0 AND perm_dft = 0))
);
CREATE TRIGGER exam_indices_locked_insert BEFORE INSERT ON exam_caries_indices
WHEN (SELECT signed_at FROM exams WHERE id = NEW.exam_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed exam is locked: add an amendment'); END;
CREATE TRIGGER exam_indices_locked_update BEFORE UPDATE ON exam_caries_indices
WHEN (SELECT signed_at FROM exams WHERE id = OLD.exam_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed exam is locked: add an amendment'); END;
CREATE TRIGGER exam_indices_locked_delete BEFORE DELETE ON exam_caries_indices
WHEN (SELECT signed_at FROM exams WHERE id = OLD.exam_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed exam is locked: add an amendment'); END;

-- One dated row per product per exam: the history is the rows of every exam, never a
-- status overwritten in place.
CREATE TABLE exam_tobacco (
    id INTEGER PRIMARY KEY,
    exam_id INTEGER NOT NULL REFERENCES exams(id),
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    recorded_on TEXT NOT NULL,
    product TEXT NOT NULL CHECK (product IN
        ('cigarettes', 'snus', 'white_snus', 'e_cigarettes', 'waterpipe', 'other')),
    status TEXT NOT NULL CHECK (status IN ('never', 'former', 'occasional', 'daily')),
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    UNIQUE (exam_id, product)
);
CREATE INDEX exam_tobacco_patient ON exam_tobacco(patient_id, recorded_on);
CREATE TRIGGER exam_tobacco_locked_insert BEFORE INSERT ON exam_tobacco
WHEN (SELECT signed_at FROM exams WHERE id = NEW.exam_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed exam is locked: add an amendment'); END;
CREATE TRIGGER exam_tobacco_locked_update BEFORE UPDATE ON exam_tobacco
WHEN (SELECT signed_at FROM exams WHERE id = OLD.exam_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed exam is locked: add an amendment'); END;
CREATE TRIGGER exam_tobacco_locked_delete BEFORE DELETE ON exam_tobacco
WHEN (SELECT signed_at FROM exams WHERE id = OLD.exam_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'a signed exam is locked: add an amendment'); END;

CREATE TABLE exam_amendments (
    id INTEGER PRIMARY KEY,
    exam_id INTEGER NOT NULL REFERENCES exams(id),
    field TEXT NOT NULL
        CHECK (field IN ('findings', 'treatment_plan', 'risk_group', 'interval_months', 'note')),
    old_value TEXT NOT NULL,
    new_value TEXT NOT NULL,
    next_revision_due TEXT,
    reason TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX exam_amendments_exam ON exam_amendments(exam_id, id);
CREATE TRIGGER exam_amendments_signed_only BEFORE INSERT ON exam_amendments
WHEN (SELECT signed_at FROM exams WHERE id = NEW.exam_id) IS NULL
BEGIN SELECT RAISE(ABORT, 'only a signed exam takes amendments'); END;
CREATE TRIGGER exam_amendments_no_update BEFORE UPDATE ON exam_amendments
BEGIN SELECT RAISE(ABORT, 'amendments never change'); END;
CREATE TRIGGER exam_amendments_no_delete BEFORE DELETE ON exam_amendments
BEGIN SELECT RAISE(ABORT, 'amendments are never deleted'); END;

-- Consent to share the journal with another care provider (000 §3.12). A withdrawal is a
-- new dated row pointing at the consent it ends.
CREATE TABLE journal_consents (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    action TEXT NOT NULL CHECK (action IN ('given', 'withdrawn')),
    scope TEXT NOT NULL,
    given_by TEXT NOT NULL,
    collected_by INTEGER NOT NULL REFERENCES users(id),
    collected_on TEXT NOT NULL,
    withdraws_id INTEGER REFERENCES journal_consents(id),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    CHECK ((action = 'withdrawn') = (withdraws_id IS NOT NULL))
);
CREATE INDEX journal_consents_patient ON journal_consents(patient_id, id);
CREATE UNIQUE INDEX journal_consents_one_withdrawal ON journal_consents(withdraws_id)
    WHERE withdraws_id IS NOT NULL;
CREATE TRIGGER journal_consents_no_update BEFORE UPDATE ON journal_consents
BEGIN SELECT RAISE(ABORT, 'consent rows never change: record a withdrawal'); END;
CREATE TRIGGER journal_consents_no_delete BEFORE DELETE ON journal_consents
BEGIN SELECT RAISE(ABORT, 'consent rows are never deleted'); END;
"""


def upgrade(conn: sqlite3.Connection) -> None:
    """Add exams, caries indices, tobacco rows, amendments and journal consents."""
    for statement in _statements(SCHEMA):
        conn.execute(statement)
