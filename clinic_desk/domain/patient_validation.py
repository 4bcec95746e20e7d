"""Checks on what a user typed into the patient and guardian forms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clinic_desk.domain.errors import FieldError, ValidationError
from clinic_desk.domain.patient_records import GuardianDraft, PatientDraft
from clinic_desk.domain.people import check_contact_fields, check_names
from clinic_desk.domain.personal_id import InvalidPersonalId, parse_personal_id
from clinic_desk.domain.reserve_number import (
    is_reserve_number,
    normalize_reserve_number,
    parse_reserve_number,
)


@dataclass(frozen=True)
class CheckedIdentity:
    """A personal number in canonical form, or a request for a new reserve number."""

    canonical: str | None  # None: the store assigns a reserve number for `birth_date`
    birth_date: date
    is_reserve_number: bool


def check_patient_identity(draft: PatientDraft, today: date) -> CheckedIdentity:
    """Parse the patient's personal number, or accept a birth date for a reserve number."""
    text = draft.personal_id.strip()
    if not text:
        if draft.reserve_birth_date is None:
            raise ValidationError(
                [
                    FieldError(
                        "personal_id",
                        "Skriv personnummer, eller välj Reservnummer och ange födelsedatum.",
                    )
                ]
            )
        if draft.reserve_birth_date > today:
            raise ValidationError(
                [FieldError("reserve_birth_date", "Födelsedatumet ligger i framtiden.")]
            )
        return CheckedIdentity(None, draft.reserve_birth_date, True)
    if is_reserve_number(text):
        try:
            birth, _serial = parse_reserve_number(text)
        except InvalidPersonalId as exc:
            raise ValidationError([FieldError("personal_id", str(exc))]) from exc
        if birth > today:
            raise ValidationError(
                [FieldError("personal_id", "Födelsedatumet i reservnumret ligger i framtiden.")]
            )
        return CheckedIdentity(normalize_reserve_number(text), birth, True)
    try:
        pid = parse_personal_id(text, today=today)
    except InvalidPersonalId as exc:
        raise ValidationError([FieldError("personal_id", str(exc))]) from exc
    return CheckedIdentity(pid.canonical, pid.birth_date, False)


def validate_patient_draft(draft: PatientDraft, today: date) -> CheckedIdentity:
    """All checks on a patient draft; raises ValidationError listing every problem."""
    errors: list[FieldError] = []
    identity: CheckedIdentity | None = None
    try:
        identity = check_patient_identity(draft, today)
    except ValidationError as exc:
        errors.extend(exc.errors)
    check_names(errors, draft.first_name, draft.last_name)
    check_contact_fields(
        errors, postal_code=draft.postal_code, phone=draft.phone, email=draft.email
    )
    if errors or identity is None:
        raise ValidationError(errors)
    return identity


def validate_guardian_draft(draft: GuardianDraft, today: date) -> str:
    """Check a guardian draft; return the personal number in canonical form ('' if none)."""
    errors: list[FieldError] = []
    canonical = ""
    if draft.personal_id.strip():
        try:
            canonical = parse_personal_id(draft.personal_id, today=today).canonical
        except InvalidPersonalId as exc:
            errors.append(FieldError("personal_id", str(exc)))
    if draft.existing_id is None:
        check_names(errors, draft.first_name, draft.last_name)
        check_contact_fields(
            errors, postal_code=draft.postal_code, phone=draft.phone, email=draft.email
        )
        if not (draft.phone.strip() or draft.address_line.strip() or draft.email.strip()):
            errors.append(
                FieldError(
                    "phone",
                    "Ange minst ett sätt att nå vårdnadshavaren (telefon, adress eller e-post).",
                )
            )
    if errors:
        raise ValidationError(errors)
    return canonical
