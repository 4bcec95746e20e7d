"""Patient register tasks: register, edit, end, open a record, manage guardians.

Each function is one user action: one transaction and one audit entry, all or nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from clinic_desk.domain.errors import DuplicatePersonalId, FieldError, NotFound, ValidationError
from clinic_desk.domain.patient_records import Guardian, GuardianDraft, PatientDraft, PatientRecord
from clinic_desk.domain.patient_validation import validate_guardian_draft, validate_patient_draft
from clinic_desk.domain.people import Patient, User, format_postal_code
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.domain.personal_id import InvalidPersonalId, parse_personal_id
from clinic_desk.store.store import Store
from clinic_desk.workflows.listing import ListingDraft, add_listing

_ONE_DAY = timedelta(days=1)


def _patient_from_draft(
    draft: PatientDraft, patient_id: int, personal_id: str, birth_date: date, reserve: bool
) -> Patient:
    return Patient(
        id=patient_id,
        personal_id=personal_id,
        birth_date=birth_date,
        is_reserve_number=reserve,
        first_name=draft.first_name.strip(),
        last_name=draft.last_name.strip(),
        address_line=draft.address_line.strip(),
        postal_code=format_postal_code(draft.postal_code),
        city=draft.city.strip(),
        phone=draft.phone.strip(),
        email=draft.email.strip(),
        responsible_dentist_id=draft.responsible_dentist_id,
        protected_identity=draft.protected_identity,
        registered_in_region=draft.registered_in_region,
    )


def _check_duplicate(store: Store, personal_id: str, own_id: int | None) -> None:
    existing = store.patients.by_personal_id(personal_id)
    if existing is not None and existing.id != own_id:
        raise DuplicatePersonalId(existing.id, existing.full_name)


@requires(Permission.REGISTER_PATIENT)
def register_patient(
    store: Store,
    actor: User,
    draft: PatientDraft,
    today: date,
    guardians: tuple[GuardianDraft, ...] = (),
    listing: ListingDraft | None = None,
) -> int:
    """Create a patient with guardians and a first listing; returns the new patient id."""
    identity = validate_patient_draft(draft, today)
    checked_guardians = _validate_guardians(guardians, today)
    with store.transaction():
        personal_id = identity.canonical or store.patients.next_reserve_number(identity.birth_date)
        _check_duplicate(store, personal_id, None)
        patient = _patient_from_draft(
            draft, 0, personal_id, identity.birth_date, identity.is_reserve_number
        )
        patient_id = store.patients.insert(patient, actor.id)
        guardian_ids = [
            _save_guardian_link(store, actor, patient_id, g, pid, "guardians")
            for g, pid in checked_guardians
        ]
        listing_id = add_listing(store, actor, patient_id, listing) if listing else None
        store.audit.append(
            actor.id,
            "patient.create",
            patient_id=patient_id,
            entity="patient",
            entity_id=patient_id,
            detail={
                "guardians": guardian_ids,
                "listing": listing_id,
                "reserve_number": identity.is_reserve_number,
            },
        )
    return patient_id


def _validate_guardians(
    guardians: tuple[GuardianDraft, ...], today: date
) -> list[tuple[GuardianDraft, str]]:
    checked: list[tuple[GuardianDraft, str]] = []
    errors: list[FieldError] = []
    for number, guardian in enumerate(guardians, start=1):
        try:
            checked.append((guardian, validate_guardian_draft(guardian, today)))
        except ValidationError as exc:
            errors += [
                FieldError("guardians", f"Vårdnadshavare {number}: {e.message}") for e in exc.errors
            ]
    if errors:
        raise ValidationError(errors)
    return checked


def _save_guardian_link(
    store: Store,
    actor: User,
    patient_id: int,
    draft: GuardianDraft,
    personal_id: str,
    field: str = "personal_id",
) -> int:
    """Link an existing guardian (a sibling's), or the one with this number, or a new one."""
    guardian_id = draft.existing_id
    if guardian_id is None and personal_id:
        known = store.guardians.by_personal_id(personal_id)
        guardian_id = known.id if known else None
    if guardian_id is None:
        guardian_id = store.guardians.insert(draft, personal_id, actor.id)
    elif draft.first_name.strip():
        _update_guardian(store, actor, guardian_id, draft, personal_id, field)
    store.guardians.link(patient_id, guardian_id, draft.receives_letters, draft.relation, actor.id)
    return guardian_id


def _update_guardian(
    store: Store,
    actor: User,
    guardian_id: int,
    draft: GuardianDraft,
    personal_id: str,
    field: str = "personal_id",
) -> None:
    """Overwrite a guardian's details; a number that is another guardian's is refused."""
    if store.guardians.get(guardian_id) is None:
        raise NotFound(f"Vårdnadshavaren finns inte (id {guardian_id}).")
    other = store.guardians.by_personal_id(personal_id) if personal_id else None
    if other is not None and other.id != guardian_id:
        raise ValidationError(
            [
                FieldError(
                    field,
                    f"Personnumret hör redan till en annan registrerad vårdnadshavare "
                    f"({other.full_name}). Hämta den i stället.",
                )
            ]
        )
    store.guardians.update(guardian_id, draft, personal_id, actor.id)


@requires(Permission.REGISTER_PATIENT)
def update_patient(
    store: Store, actor: User, patient_id: int, draft: PatientDraft, today: date
) -> None:
    """Save changed details of a patient."""
    identity = validate_patient_draft(draft, today)
    with store.transaction():
        before = _require(store, patient_id)
        if identity.canonical is not None:
            personal_id = identity.canonical
        elif before.is_reserve_number and before.birth_date == identity.birth_date:
            personal_id = before.personal_id
        else:  # switched to a reserve number, or its birth date corrected: a new number
            personal_id = store.patients.next_reserve_number(identity.birth_date)
        _check_duplicate(store, personal_id, patient_id)
        after = replace(
            _patient_from_draft(
                draft, patient_id, personal_id, identity.birth_date, identity.is_reserve_number
            ),
            end_date=before.end_date,
            end_reason=before.end_reason,
        )
        store.patients.update(after, actor.id)
        changed = sorted(
            name
            for name in Patient.__dataclass_fields__
            if getattr(before, name) != getattr(after, name)
        )
        store.audit.append(
            actor.id,
            "patient.update",
            patient_id=patient_id,
            entity="patient",
            entity_id=patient_id,
            detail={"fields": changed},
        )


@requires(Permission.REGISTER_PATIENT)
def end_patient(store: Store, actor: User, patient_id: int, end_date: date, reason: str) -> None:
    """Mark that a patient has left the clinic; nothing is deleted."""
    if not reason.strip():
        raise ValidationError([FieldError("end_reason", "Skriv varför patienten avslutas.")])
    with store.transaction():
        patient = _require(store, patient_id)
        if patient.end_date is not None:
            raise ValidationError([FieldError("end_date", "Patienten är redan avslutad.")])
        store.patients.set_end(patient_id, end_date, reason.strip(), actor.id)
        current = [
            item for item in store.listings.for_patient(patient_id) if item.responsible_to is None
        ]
        for item in current:
            store.listings.end(
                item.id,
                max(end_date, item.responsible_from - _ONE_DAY),
                "Patienten avslutad",
                actor.id,
            )
        store.audit.append(
            actor.id,
            "patient.end",
            patient_id=patient_id,
            entity="patient",
            entity_id=patient_id,
            detail={"end_date": end_date.isoformat(), "reason": reason.strip()},
        )


@requires(Permission.REGISTER_PATIENT)
def resume_patient(store: Store, actor: User, patient_id: int) -> None:
    """Undo an ending: the patient is active again (the ending stays in the history)."""
    with store.transaction():
        _require(store, patient_id)
        store.patients.set_end(patient_id, None, "", actor.id)
        store.audit.append(
            actor.id,
            "patient.resume",
            patient_id=patient_id,
            entity="patient",
            entity_id=patient_id,
        )


@requires(Permission.OPEN_RECORD)
def open_patient_record(store: Store, actor: User, patient_id: int) -> PatientRecord:
    """Read a patient's record for the card; every opening is logged (loggkontroll)."""
    with store.transaction():
        patient = _require(store, patient_id)
        record = PatientRecord(
            patient=patient,
            guardians=tuple(store.guardians.for_patient(patient_id)),
            listings=tuple(store.listings.for_patient(patient_id)),
        )
        store.audit.append(
            actor.id, "patient.open", patient_id=patient_id, entity="patient", entity_id=patient_id
        )
    return record


@requires(Permission.REVEAL_PROTECTED)
def reveal_protected_identity(store: Store, actor: User, patient_id: int, reason: str) -> Patient:
    """Show a protected patient's name and address on purpose; logged with the reason."""
    if not reason.strip():
        raise ValidationError([FieldError("reason", "Skriv varför uppgifterna behöver visas.")])
    with store.transaction():
        patient = _require(store, patient_id)
        store.audit.append(
            actor.id,
            "patient.reveal_protected",
            patient_id=patient_id,
            entity="patient",
            entity_id=patient_id,
            detail={"reason": reason.strip()},
        )
    return patient


@requires(Permission.REGISTER_PATIENT)
def add_guardian(
    store: Store, actor: User, patient_id: int, draft: GuardianDraft, today: date
) -> int:
    """Link a new or already registered guardian to a patient; returns the guardian id."""
    personal_id = validate_guardian_draft(draft, today)
    with store.transaction():
        _require(store, patient_id)
        guardian_id = _save_guardian_link(store, actor, patient_id, draft, personal_id)
        store.audit.append(
            actor.id,
            "guardian.link",
            patient_id=patient_id,
            entity="guardian",
            entity_id=guardian_id,
        )
    return guardian_id


@requires(Permission.REGISTER_PATIENT)
def update_guardian(
    store: Store,
    actor: User,
    patient_id: int,
    guardian_id: int,
    draft: GuardianDraft,
    today: date,
) -> None:
    """Save a guardian's details (seen by all their children) and the letter choice."""
    personal_id = validate_guardian_draft(replace(draft, existing_id=None), today)
    with store.transaction():
        _update_guardian(store, actor, guardian_id, draft, personal_id)
        store.guardians.set_receives_letters(patient_id, guardian_id, draft.receives_letters)
        store.audit.append(
            actor.id,
            "guardian.update",
            patient_id=patient_id,
            entity="guardian",
            entity_id=guardian_id,
        )


@requires(Permission.REGISTER_PATIENT)
def remove_guardian(store: Store, actor: User, patient_id: int, guardian_id: int) -> None:
    """End a guardian's link to a patient (kept in the history)."""
    with store.transaction():
        store.guardians.unlink(patient_id, guardian_id, actor.id)
        store.audit.append(
            actor.id,
            "guardian.unlink",
            patient_id=patient_id,
            entity="guardian",
            entity_id=guardian_id,
        )


def find_guardian(store: Store, personal_id_text: str, today: date) -> Guardian | None:
    """A registered guardian with this personal number (to link a sibling's guardian)."""
    try:
        canonical = parse_personal_id(personal_id_text, today=today).canonical
    except InvalidPersonalId:
        return None
    return store.guardians.by_personal_id(canonical)


def _require(store: Store, patient_id: int) -> Patient:
    patient = store.patients.get(patient_id)
    if patient is None:
        raise NotFound(f"Patienten finns inte (id {patient_id}).")
    return patient
