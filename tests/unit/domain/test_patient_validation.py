"""Tests for clinic_desk.domain.patient_validation: checks on the patient and guardian forms."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.patient_records import GuardianDraft, PatientDraft
from clinic_desk.domain.patient_validation import (
    CheckedIdentity,
    check_patient_identity,
    validate_guardian_draft,
    validate_patient_draft,
)
from clinic_desk.domain.personal_id import luhn_check_digit

TODAY = date(2026, 11, 23)


def _pid(yyyymmdd: str, serial: str) -> str:
    return f"{yyyymmdd}-{serial}{luhn_check_digit(yyyymmdd[2:] + serial)}"


CHILD = _pid("20150307", "238")
PARENT = _pid("19840612", "402")
DRAFT = PatientDraft(personal_id=CHILD, first_name="Maja", last_name="Lindqvist")
GUARDIAN = GuardianDraft(
    personal_id=PARENT, first_name="Anna", last_name="Lindqvist", phone="070-123 45 67"
)


def _fields(exc: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [error.field for error in exc.value.errors]


def test_a_valid_personal_number_in_short_form_is_made_canonical() -> None:
    identity = validate_patient_draft(replace(DRAFT, personal_id=CHILD[2:]), TODAY)
    assert identity == CheckedIdentity(CHILD, date(2015, 3, 7), False)


def test_a_personal_number_wins_over_a_reserve_birth_date() -> None:
    draft = replace(DRAFT, reserve_birth_date=date(2010, 1, 1))
    assert check_patient_identity(draft, TODAY).canonical == CHILD


def test_no_number_and_a_birth_date_asks_for_a_new_reserve_number() -> None:
    draft = replace(DRAFT, personal_id="  ", reserve_birth_date=date(2019, 5, 4))
    assert check_patient_identity(draft, TODAY) == CheckedIdentity(None, date(2019, 5, 4), True)


def test_no_number_and_no_birth_date_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        check_patient_identity(replace(DRAFT, personal_id=""), TODAY)
    assert _fields(exc) == ["personal_id"]
    assert "Reservnummer" in str(exc.value)


def test_a_reserve_birth_date_in_the_future_is_refused() -> None:
    draft = replace(DRAFT, personal_id="", reserve_birth_date=date(2026, 11, 24))
    with pytest.raises(ValidationError) as exc:
        check_patient_identity(draft, TODAY)
    assert _fields(exc) == ["reserve_birth_date"]
    today_is_fine = replace(draft, reserve_birth_date=TODAY)
    assert check_patient_identity(today_is_fine, TODAY).birth_date == TODAY


def test_a_typed_reserve_number_is_kept_in_stored_form() -> None:
    identity = check_patient_identity(replace(DRAFT, personal_id=" 20150307-r004 "), TODAY)
    assert identity == CheckedIdentity("20150307-R004", date(2015, 3, 7), True)


def test_a_typed_reserve_number_with_a_future_birth_date_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        check_patient_identity(replace(DRAFT, personal_id="20270101-R001"), TODAY)
    assert _fields(exc) == ["personal_id"]


@pytest.mark.parametrize(
    "typed",
    [
        "20150307-2385",  # wrong check digit
        "20151307-2384",  # no month 13
        "2015030",  # too short
        "abc",
        "20991231-1234",
        "20150307-R000",  # serial out of range
    ],
)
def test_an_invalid_number_is_refused_on_the_personal_id_field(typed: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_patient_draft(replace(DRAFT, personal_id=typed), TODAY)
    assert _fields(exc) == ["personal_id"]
    assert exc.value.message_for("personal_id")


def test_every_problem_is_reported_at_once() -> None:
    draft = PatientDraft(
        personal_id="nonsense",
        first_name=" ",
        last_name="",
        postal_code="9032",
        phone="ring mig",
        email="a@b",
    )
    with pytest.raises(ValidationError) as exc:
        validate_patient_draft(draft, TODAY)
    assert sorted(_fields(exc)) == [
        "email",
        "first_name",
        "last_name",
        "personal_id",
        "phone",
        "postal_code",
    ]


def test_contact_fields_in_good_form_pass() -> None:
    draft = replace(DRAFT, postal_code="903 26", phone="+46 70-123 45 67", email="maja@exempel.se")
    assert validate_patient_draft(draft, TODAY).canonical == CHILD


def test_guardian_with_a_number_returns_it_canonical() -> None:
    assert validate_guardian_draft(replace(GUARDIAN, personal_id=PARENT[2:]), TODAY) == PARENT


def test_guardian_without_a_number_is_fine() -> None:
    assert validate_guardian_draft(replace(GUARDIAN, personal_id=""), TODAY) == ""


def test_guardian_with_a_bad_number_is_refused() -> None:
    with pytest.raises(ValidationError) as exc:
        validate_guardian_draft(replace(GUARDIAN, personal_id="19840612-4020"), TODAY)
    assert "personal_id" in _fields(exc)


def test_a_new_guardian_needs_names_and_one_way_to_reach_them() -> None:
    draft = GuardianDraft(personal_id="", first_name="", last_name="")
    with pytest.raises(ValidationError) as exc:
        validate_guardian_draft(draft, TODAY)
    assert sorted(_fields(exc)) == ["first_name", "last_name", "phone"]
    for reach in ({"phone": "070-1234567"}, {"address_line": "Storgatan 1"}, {"email": "a@b.se"}):
        ok = replace(draft, first_name="Anna", last_name="Lind", **reach)
        assert validate_guardian_draft(ok, TODAY) == ""


def test_an_existing_guardian_needs_no_details() -> None:
    draft = GuardianDraft(personal_id="", first_name="", last_name="", existing_id=7)
    assert validate_guardian_draft(draft, TODAY) == ""
