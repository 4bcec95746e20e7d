"""Every workflow action is one transaction with exactly one audit entry (DESIGN.md)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import pytest

from clinic_desk.domain.clinics import ClinicDraft
from clinic_desk.domain.listing import ListingKind
from clinic_desk.domain.patient_records import GuardianDraft, PatientDraft
from clinic_desk.domain.people import Profession, User
from clinic_desk.store.store import Store
from clinic_desk.workflows import clinics as wf_clinics
from clinic_desk.workflows import listing as wf_listing
from clinic_desk.workflows import patients as wf_patients
from clinic_desk.workflows import staff as wf_staff


@dataclass
class World:
    store: Store
    actor: User
    today: date
    clinics: dict[str, int]
    dentist_id: int
    patient_id: int
    guardian_id: int
    listing_id: int
    pid: Callable[..., str]


@pytest.fixture
def world(
    store: Store,
    actor: User,
    today: date,
    clinics: dict[str, int],
    dentist_id: int,
    pid: Callable[..., str],
) -> World:
    guardian = GuardianDraft(pid("19840612", "402"), "Anna", "Lindqvist", phone="070-1234567")
    patient_id = wf_patients.register_patient(
        store,
        actor,
        PatientDraft(pid("20150307"), "Maja", "Lindqvist"),
        today,
        (guardian,),
        wf_listing.ListingDraft(clinics["other"], date(2020, 1, 1), ListingKind.CHOICE, "Anna"),
    )
    (link,) = store.guardians.for_patient(patient_id)
    (listing,) = store.listings.for_patient(patient_id)
    return World(
        store, actor, today, clinics, dentist_id, patient_id, link.guardian.id, listing.id, pid
    )


def _draft(w: World, **more: object) -> PatientDraft:
    return PatientDraft(w.pid("20150307"), "Maja", "Öberg", **more)  # type: ignore[arg-type]


ACTIONS: dict[str, tuple[str, Callable[[World], object]]] = {
    "register": (
        "patient.create",
        lambda w: wf_patients.register_patient(
            w.store, w.actor, PatientDraft(w.pid("20120101"), "Olle", "L"), w.today
        ),
    ),
    "update": (
        "patient.update",
        lambda w: wf_patients.update_patient(w.store, w.actor, w.patient_id, _draft(w), w.today),
    ),
    "end": (
        "patient.end",
        lambda w: wf_patients.end_patient(w.store, w.actor, w.patient_id, w.today, "Flyttat"),
    ),
    "resume": (
        "patient.resume",
        lambda w: wf_patients.resume_patient(w.store, w.actor, w.patient_id),
    ),
    "open": (
        "patient.open",
        lambda w: wf_patients.open_patient_record(w.store, w.actor, w.patient_id),
    ),
    "reveal": (
        "patient.reveal_protected",
        lambda w: wf_patients.reveal_protected_identity(w.store, w.actor, w.patient_id, "Brev"),
    ),
    "add_guardian": (
        "guardian.link",
        lambda w: wf_patients.add_guardian(
            w.store, w.actor, w.patient_id, GuardianDraft("", "Johan", "L", phone="070-1"), w.today
        ),
    ),
    "update_guardian": (
        "guardian.update",
        lambda w: wf_patients.update_guardian(
            w.store,
            w.actor,
            w.patient_id,
            w.guardian_id,
            GuardianDraft("", "Anna", "Berg", phone="070-2"),
            w.today,
        ),
    ),
    "remove_guardian": (
        "guardian.unlink",
        lambda w: wf_patients.remove_guardian(w.store, w.actor, w.patient_id, w.guardian_id),
    ),
    "list": (
        "listing.create",
        lambda w: wf_listing.list_patient(
            w.store,
            w.actor,
            w.patient_id,
            wf_listing.ListingDraft(w.clinics["own"], w.today, ListingKind.CHOICE, "Anna"),
        ),
    ),
    "end_listing": (
        "listing.end",
        lambda w: wf_listing.end_listing(
            w.store, w.actor, w.patient_id, w.listing_id, w.today, "Flyttat"
        ),
    ),
    "save_clinic": (
        "clinic.create",
        lambda w: wf_clinics.save_clinic(
            w.store, w.actor, ClinicDraft("Kustens Tandklinik", "556703-7485")
        ),
    ),
    "update_clinic": (
        "clinic.update",
        lambda w: wf_clinics.save_clinic(
            w.store, w.actor, ClinicDraft("Björkbacken", "232100-0222"), w.clinics["other"]
        ),
    ),
    "import": (
        "clinic.import",
        lambda w: wf_clinics.import_clinics(
            w.store, w.actor, "namn;organisationsnummer\nKusten;556703-7485\nLärkan;5560360793"
        ),
    ),
    "deactivate_clinic": (
        "clinic.deactivate",
        lambda w: wf_clinics.set_clinic_active(w.store, w.actor, w.clinics["third"], False),
    ),
    "add_staff": (
        "user.create",
        lambda w: wf_staff.add_staff(
            w.store, w.actor, "petra.ek", "Petra Ek", Profession.RECEPTIONIST
        ),
    ),
    "close_account": (
        "user.deactivate",
        lambda w: wf_staff.set_staff_active(w.store, w.actor, w.dentist_id, False),
    ),
}


@pytest.mark.parametrize("name", list(ACTIONS))
def test_one_action_one_audit_entry(world: World, name: str) -> None:
    expected_action, action = ACTIONS[name]
    store = world.store
    before = store.audit.count()
    action(world)
    assert store.audit.count() == before + 1
    row = store.conn.execute("SELECT action, user_id FROM audit_log ORDER BY id DESC").fetchone()
    assert row == (expected_action, world.actor.id)
    assert store.audit.verify() == []
    assert not store.conn.in_transaction
