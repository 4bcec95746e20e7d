"""Tests for clinic_desk.domain.letters: who letters about a patient go to."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from clinic_desk.domain.letters import ADULT_AGE, Recipient, letter_recipients
from clinic_desk.domain.patient_records import Guardian, GuardianLink
from clinic_desk.domain.people import Patient

TODAY = date(2026, 11, 23)

CHILD = Patient(
    id=1,
    personal_id="20150307-2389",
    birth_date=date(2015, 3, 7),
    is_reserve_number=False,
    first_name="Maja",
    last_name="Lindqvist",
    address_line="Storgatan 1",
    postal_code="903 26",
    city="Umeå",
    phone="",
    email="",
    responsible_dentist_id=None,
    protected_identity=False,
    registered_in_region=True,
)
MOTHER = Guardian(
    id=10,
    personal_id="19840612-4027",
    first_name="Anna",
    last_name="Lindqvist",
    address_line="Storgatan 1",
    postal_code="903 26",
    city="Umeå",
    phone="070-123 45 67",
    email="",
)
FATHER = replace(
    MOTHER, id=11, first_name="Johan", address_line="Kungsgatan 9", postal_code="903 30"
)


def test_a_child_gets_letters_through_each_guardian_who_receives_them() -> None:
    links = (GuardianLink(MOTHER, True), GuardianLink(FATHER, True))
    recipients = letter_recipients(CHILD, links, TODAY)
    assert recipients == [
        Recipient("Anna Lindqvist", "Storgatan 1", "903 26", "Umeå", 10),
        Recipient("Johan Lindqvist", "Kungsgatan 9", "903 30", "Umeå", 11),
    ]


def test_a_guardian_who_declines_letters_is_left_out() -> None:
    links = (GuardianLink(MOTHER, False), GuardianLink(FATHER, True))
    assert [r.guardian_id for r in letter_recipients(CHILD, links, TODAY)] == [11]


def test_a_child_without_guardians_gets_their_own_letters() -> None:
    assert letter_recipients(CHILD, (), TODAY) == [
        Recipient("Maja Lindqvist", "Storgatan 1", "903 26", "Umeå", None)
    ]


def test_a_child_whose_guardians_all_decline_still_gets_a_letter() -> None:
    links = (GuardianLink(MOTHER, False), GuardianLink(FATHER, False))
    recipients = letter_recipients(CHILD, links, TODAY)
    assert [(r.name, r.guardian_id) for r in recipients] == [("Maja Lindqvist", None)]


def test_from_eighteen_the_patient_gets_the_letters() -> None:
    young_adult = replace(CHILD, birth_date=date(2008, 11, 23), personal_id="20081123-2388")
    links = (GuardianLink(MOTHER, True),)
    day_before = date(2026, 11, 22)
    assert [r.guardian_id for r in letter_recipients(young_adult, links, day_before)] == [10]
    on_birthday = letter_recipients(young_adult, links, TODAY)
    assert on_birthday == [Recipient("Maja Lindqvist", "Storgatan 1", "903 26", "Umeå")]
    assert ADULT_AGE == 18


def test_siblings_share_an_address_key_whatever_the_spelling() -> None:
    one = Recipient("Anna Lindqvist", "Storgatan 1", "903 26", "Umeå", 10)
    other = Recipient("Anna Lindqvist", " STORGATAN 1 ", "90326", "UMEÅ", 10)
    elsewhere = Recipient("Johan Lindqvist", "Kungsgatan 9", "903 30", "Umeå", 11)
    assert one.address_key == other.address_key
    assert one.address_key != elsewhere.address_key
