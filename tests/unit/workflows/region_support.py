"""Building small clinics for the region-export tests straight in SQL: any mix of protected,
unregistered, too young or too old patients, signed and unsigned exams of every kind,
listings and emergency visits, in a few milliseconds."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from clinic_desk.domain.care_rules import add_months, age_on
from clinic_desk.domain.personal_id import luhn_check_digit

STAMP = "2026-01-02T08:00:00"


def personal_number(birth: date, serial: int) -> str:
    """A valid canonical personal number for a birth date and a three-digit serial."""
    body = f"{birth:%y%m%d}{serial:03d}"
    return f"{birth:%Y%m%d}-{serial:03d}{luhn_check_digit(body)}"


@dataclass(frozen=True)
class PatientSpec:
    birth: date
    protected: bool = False
    registered: bool = True


@dataclass(frozen=True)
class ExamSpec:
    patient: int  # index into the patients
    day: date
    kind: str  # dentist_revision | hygienist_revision | health_check | emergency
    signed: bool = True
    dft: int = 0
    perm_dft: int = 0


def insert_patient(conn: sqlite3.Connection, spec: PatientSpec, serial: int, user_id: int) -> int:
    pid = personal_number(spec.birth, serial)
    cursor = conn.execute(
        "INSERT INTO patients (personal_id, pid_digits, birth_date, first_name, last_name,"
        " sort_name, protected_identity, registered_in_region, created_at, created_by,"
        " updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        (
            pid,
            pid.replace("-", ""),
            spec.birth.isoformat(),
            "Test",
            f"Patient{serial}",
            f"patient{serial} test",
            int(spec.protected),
            int(spec.registered),
            STAMP,
            user_id,
            STAMP,
            user_id,
        ),
    )
    return int(cursor.lastrowid or 0)


def insert_listing(
    conn: sqlite3.Connection,
    patient_id: int,
    clinic_id: int,
    start: date,
    end: date | None,
    user_id: int,
) -> int:
    cursor = conn.execute(
        "INSERT INTO listings (patient_id, clinic_id, listed_on, responsible_from,"
        " responsible_to, kind, consent_given_by, consent_recorded_by, consent_recorded_at)"
        " VALUES (?,?,?,?,?,'choice','Vårdnadshavare',?,?)",
        (
            patient_id,
            clinic_id,
            start.isoformat(),
            start.isoformat(),
            end.isoformat() if end else None,
            user_id,
            STAMP,
        ),
    )
    return int(cursor.lastrowid or 0)


def insert_exam(
    conn: sqlite3.Connection, patient_id: int, birth: date, spec: ExamSpec, examiner: int
) -> int:
    """An exam with caries indices; revision exams get risk, interval and due date."""
    revision = spec.kind in ("dentist_revision", "hygienist_revision")
    age = max(age_on(birth, spec.day), 0)
    interval = 12 if revision else None
    cursor = conn.execute(
        "INSERT INTO exams (patient_id, exam_date, kind, examiner_id, age_at_exam, risk_group,"
        " interval_months, created_at, created_by, updated_at, updated_by)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            patient_id,
            spec.day.isoformat(),
            spec.kind,
            examiner,
            age,
            "low" if revision else None,
            interval,
            STAMP,
            examiner,
            STAMP,
            examiner,
        ),
    )
    exam_id = int(cursor.lastrowid or 0)
    conn.execute(
        "INSERT INTO exam_caries_indices (exam_id, primary_dft, primary_dfs, perm_dft, perm_dfs,"
        " perm_dfs_approximal, perm_ds, caries_free) VALUES (?,?,?,?,?,0,0,?)",
        (
            exam_id,
            spec.dft,
            spec.dft,
            spec.perm_dft,
            spec.perm_dft,
            int(spec.dft == 0 and spec.perm_dft == 0),
        ),
    )
    if spec.signed:
        due = add_months(spec.day, interval).isoformat() if interval else None
        conn.execute(
            "UPDATE exams SET signed_at = ?, signed_by = ?, next_revision_due = ? WHERE id = ?",
            (f"{spec.day.isoformat()}T15:00:00", examiner, due, exam_id),
        )
    return exam_id


def insert_emergency(
    conn: sqlite3.Connection,
    patient_id: int,
    day: date,
    listed_clinic_id: int | None,
    payer_clinic_id: int,
    protected: bool,
    user_id: int,
) -> int:
    cursor = conn.execute(
        "INSERT INTO emergency_visits (patient_id, treated_at, treatment_date, listed_clinic_id,"
        " protected_identity, payer_kind, payer_clinic_id, status, created_at, created_by,"
        " updated_at, updated_by) VALUES (?,?,?,?,?,?,?,'closed',?,?,?,?)",
        (
            patient_id,
            f"{day.isoformat()}T10:00",
            day.isoformat(),
            listed_clinic_id,
            int(protected),
            "commissioning_unit" if protected else "listing_clinic",
            None if protected else payer_clinic_id,
            STAMP,
            user_id,
            STAMP,
            user_id,
        ),
    )
    visit_id = int(cursor.lastrowid or 0)
    conn.execute(
        "INSERT INTO emergency_treatments (visit_id, position, code, name, price_ore,"
        " created_at, created_by) VALUES (?, 1, '103', 'Akut undersökning', 42000, ?, ?)",
        (visit_id, STAMP, user_id),
    )
    return visit_id
