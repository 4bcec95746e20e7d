"""Tests for clinic_desk.domain.people: value types and the shared form checks."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_desk.domain.errors import DuplicatePersonalId, FieldError, ValidationError
from clinic_desk.domain.patient_records import Guardian
from clinic_desk.domain.people import (
    PROTECTED_MASK,
    Patient,
    Profession,
    check_contact_fields,
    check_names,
    format_postal_code,
    raise_if,
    shown_name,
)


def test_shown_name_masks_protected_identity() -> None:
    assert shown_name("Maja", "Lindqvist", False) == "Lindqvist, Maja"
    assert shown_name("Maja", "Lindqvist", True) == PROTECTED_MASK == "Skyddad identitet"
    assert shown_name("", "Lindqvist", False) == "Lindqvist"


def test_full_names_and_activity() -> None:
    patient = Patient(
        1,
        "20150307-2389",
        date(2015, 3, 7),
        False,
        "Maja",
        "Lindqvist",
        "",
        "",
        "",
        "",
        "",
        None,
        False,
        True,
    )
    assert patient.full_name == "Maja Lindqvist"
    assert patient.active
    ended = Patient(**{**patient.__dict__, "end_date": date(2026, 1, 1)})
    assert not ended.active
    guardian = Guardian(1, "", "Anna", "Lindqvist", "", "", "", "", "")
    assert guardian.full_name == "Anna Lindqvist"


def test_every_profession_has_a_swedish_label() -> None:
    assert Profession.DENTIST.label == "Tandläkare"
    assert Profession.HYGIENIST.label == "Tandhygienist"
    assert all(p.label for p in Profession)


@pytest.mark.parametrize(
    ("postal_code", "phone", "email", "fields"),
    [
        ("903 26", "070-123 45 67", "a@b.se", []),
        ("90326", "+46 (0)70 123 45 67", "", []),
        ("", "", "", []),
        ("9032", "", "", ["postal_code"]),
        ("903 2A", "", "", ["postal_code"]),
        ("٩٠٣٢٦", "", "", ["postal_code"]),
        ("", "070 ring", "", ["phone"]),
        ("", "1234", "", ["phone"]),
        ("", "", "anna@", ["email"]),
        ("", "", "anna lind@exempel.se", ["email"]),
    ],
)
def test_check_contact_fields(postal_code: str, phone: str, email: str, fields: list[str]) -> None:
    errors: list[FieldError] = []
    check_contact_fields(errors, postal_code=postal_code, phone=phone, email=email)
    assert [e.field for e in errors] == fields


def test_check_names() -> None:
    errors: list[FieldError] = []
    check_names(errors, " ", "")
    assert [e.field for e in errors] == ["first_name", "last_name"]
    errors = []
    check_names(errors, "Maja", "Lindqvist")
    assert errors == []


@pytest.mark.parametrize(
    ("typed", "shown"), [("90326", "903 26"), ("903 26", "903 26"), (" 9032 ", "9032"), ("", "")]
)
def test_format_postal_code(typed: str, shown: str) -> None:
    assert format_postal_code(typed) == shown


def test_raise_if_and_validation_error() -> None:
    raise_if([])
    with pytest.raises(ValidationError) as exc:
        raise_if(
            [FieldError("a", "Första."), FieldError("b", "Andra."), FieldError("a", "Tredje.")]
        )
    assert str(exc.value) == "Första.; Andra.; Tredje."
    assert exc.value.message_for("a") == "Första."
    assert exc.value.message_for("c") is None


def test_duplicate_personal_id_names_the_existing_patient() -> None:
    exc = DuplicatePersonalId(42, "Maja Lindqvist")
    assert isinstance(exc, ValidationError)
    assert exc.existing_patient_id == 42
    assert "Maja Lindqvist" in (exc.message_for("personal_id") or "")
