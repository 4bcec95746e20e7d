"""Printing from the exam section: the journal extract and the tobacco information sheet.

Each print is one user action: the PDF is archived (with its SHA-256) in the same
transaction as its audit entry, and the caller shows the archived bytes.
"""

from __future__ import annotations

from datetime import date

from clinic_desk.documents.exam_journal import exam_journal_pdf
from clinic_desk.documents.tobacco_sheet import DEFAULT_REGION_SUPPORT, tobacco_sheet_pdf
from clinic_desk.domain.clinics import Clinic
from clinic_desk.domain.errors import NotFound, RuleViolation
from clinic_desk.domain.people import Patient, User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.store.documents import ArchivedDocument
from clinic_desk.store.store import Store

REGION_SUPPORT_SETTING = "tobacco_region_support"
"""Clinic setting: the region's tobacco-cessation support text on the information sheet."""


def _own_clinic(store: Store) -> Clinic:
    clinic = store.clinics.own()
    if clinic is None:
        raise RuleViolation("Lägg in den egna kliniken under Register → Kliniker först.")
    return clinic


def _patient(store: Store, patient_id: int) -> Patient:
    patient = store.patients.get(patient_id)
    if patient is None:
        raise NotFound(f"Patienten finns inte (id {patient_id}).")
    return patient


@requires(Permission.OPEN_RECORD)
def print_exam_journal(store: Store, actor: User, patient_id: int, today: date) -> ArchivedDocument:
    """Make and archive the journal extract of a patient's exams; returns the archived copy."""
    with store.transaction():
        patient = _patient(store, patient_id)
        clinic = _own_clinic(store)
        exams = store.exams.for_patient(patient_id)
        content = exam_journal_pdf(
            clinic, patient, exams, store.exams.consents(patient_id), today, actor.full_name
        )
        document = store.documents.add(
            "exam_journal",
            f"Journalutdrag undersökningar {patient.personal_id}",
            content,
            actor.id,
            patient_id=patient_id,
            source_table="patients",
            source_id=patient_id,
        )
        store.audit.append(
            actor.id,
            "document.exam_journal",
            patient_id=patient_id,
            entity="document",
            entity_id=document.id,
            detail={"exams": len(exams)},
        )
    return document


@requires(Permission.OPEN_RECORD)
def print_tobacco_sheet(
    store: Store, actor: User, patient_id: int, today: date
) -> ArchivedDocument:
    """Make and archive the tobacco information sheet for a patient."""
    with store.transaction():
        patient = _patient(store, patient_id)
        clinic = _own_clinic(store)
        support = str(store.settings.get(REGION_SUPPORT_SETTING, DEFAULT_REGION_SUPPORT))
        content = tobacco_sheet_pdf(clinic, patient.full_name, support, today)
        document = store.documents.add(
            "tobacco_sheet",
            "Information om stöd att sluta med tobak",
            content,
            actor.id,
            patient_id=patient_id,
            source_table="patients",
            source_id=patient_id,
            recipient=patient.full_name,
        )
        store.audit.append(
            actor.id,
            "document.tobacco_sheet",
            patient_id=patient_id,
            entity="document",
            entity_id=document.id,
        )
    return document
