"""Tests for clinic_desk.domain.clinics: organisation numbers, bankgiro, the clinic form."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_desk.domain.billing import validate_bankgiro
from clinic_desk.domain.clinics import (
    ClinicDraft,
    normalise_org_number,
    validate_clinic,
)
from clinic_desk.domain.personal_id import luhn_check_digit

OWN = ClinicDraft(
    name="  Tandkliniken Testgården ",
    org_number="5590123450",
    code=" TEST ",
    address_line="Storgatan 1 ",
    postal_code="903 26",
    city=" Umeå",
    phone="090-12 34 50",
    email="reception@testgarden.example",
    bankgiro="50501055",
    f_skatt=True,
    is_own=True,
)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("5560360793", "556036-0793"), ("556036-0793", "556036-0793"), ("232100-0222", "232100-0222")],
)
def test_org_number_is_normalised(typed: str, stored: str) -> None:
    assert normalise_org_number(typed) == stored


@pytest.mark.parametrize("typed", ["556036-0794", "55603607", "", "abcdef-ghij", "556036 079"])
def test_bad_org_number_has_a_swedish_message(typed: str) -> None:
    with pytest.raises(ValueError, match="Organisationsnumret stämmer inte"):
        normalise_org_number(typed)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("5050-1055", "5050-1055"),
        ("50501055", "5050-1055"),
        ("5050 1055", "5050-1055"),
        ("9912346", "991-2346"),
        ("991-2346", "991-2346"),
    ],
)
def test_bankgiro_is_normalised(typed: str, stored: str) -> None:
    # The clinic form checks bankgiro with billing.validate_bankgiro: one rule, one place.
    cleaned, errors = validate_clinic(replace(OWN, bankgiro=typed))
    assert errors == []
    assert cleaned.bankgiro == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("5050-1056", "kontrollsiffran stämmer inte"),
        ("123456", "7 eller 8 siffror"),
        ("123456789", "7 eller 8 siffror"),
        ("5050-105x", "7 eller 8 siffror"),
        ("٥٠٥٠١٠٥٥", "7 eller 8 siffror"),
    ],
)
def test_bad_bankgiro_is_refused_at_its_field(typed: str, message: str) -> None:
    _cleaned, errors = validate_clinic(replace(OWN, bankgiro=typed))
    assert [e.field for e in errors] == ["bankgiro"]
    assert message in errors[0].message


def test_the_examples_in_the_bankgiro_message_are_themselves_valid() -> None:
    _cleaned, errors = validate_clinic(replace(OWN, bankgiro="1"))
    examples = re.findall(r"[0-9]{3,4}-[0-9]{4}", errors[0].message)
    assert examples
    for example in examples:
        assert validate_bankgiro(example) == example


@given(st.text(alphabet="0123456789", min_size=6, max_size=7))
def test_any_bankgiro_with_its_check_digit_passes(body: str) -> None:
    number = body + luhn_check_digit(body)
    cleaned, errors = validate_clinic(replace(OWN, bankgiro=number))
    assert errors == []
    assert cleaned.bankgiro == f"{number[:-4]}-{number[-4:]}"


def test_validate_clinic_cleans_every_field() -> None:
    cleaned, errors = validate_clinic(OWN)
    assert errors == []
    assert cleaned.name == "Tandkliniken Testgården"
    assert cleaned.org_number == "559012-3450"
    assert cleaned.code == "TEST"
    assert cleaned.city == "Umeå"
    assert cleaned.address_line == "Storgatan 1"
    assert cleaned.bankgiro == "5050-1055"
    assert cleaned.is_own
    assert cleaned.f_skatt


def test_validate_clinic_reports_every_problem() -> None:
    draft = replace(
        OWN, name=" ", org_number="123", bankgiro="1", postal_code="12", email="nej", phone="x"
    )
    _cleaned, errors = validate_clinic(draft)
    assert sorted(e.field for e in errors) == [
        "bankgiro",
        "email",
        "name",
        "org_number",
        "phone",
        "postal_code",
    ]
    assert all(e.message for e in errors)


def test_own_clinic_needs_a_bankgiro_but_others_do_not() -> None:
    _cleaned, errors = validate_clinic(replace(OWN, bankgiro=" "))
    assert [e.field for e in errors] == ["bankgiro"]
    _cleaned, errors = validate_clinic(replace(OWN, bankgiro="", is_own=False))
    assert errors == []
