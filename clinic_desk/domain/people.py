"""Value types for patients and staff, and the checks their forms share (names, contact
fields); guardians, drafts and the whole patient record are in `patient_records`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import Enum

from clinic_desk.domain.errors import FieldError, ValidationError

PROTECTED_MASK = "Skyddad identitet"
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Profession(Enum):
    """What a member of staff does; decides what they may record."""

    DENTIST = "dentist"
    HYGIENIST = "hygienist"
    DENTAL_NURSE = "dental_nurse"
    RECEPTIONIST = "receptionist"
    MANAGER = "manager"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        return _PROFESSION_LABELS[self]


_PROFESSION_LABELS = {
    Profession.DENTIST: "Tandläkare",
    Profession.HYGIENIST: "Tandhygienist",
    Profession.DENTAL_NURSE: "Tandsköterska",
    Profession.RECEPTIONIST: "Receptionist",
    Profession.MANAGER: "Klinikchef",
    Profession.ADMINISTRATOR: "Administratör",
}


@dataclass(frozen=True)
class User:
    """A member of staff with an account."""

    id: int
    username: str
    full_name: str
    profession: Profession
    active: bool = True
    hsa_id: str = ""  # the national HSA-id of licensed staff, where they have one


@dataclass(frozen=True)
class Patient:
    """A patient as stored."""

    id: int
    personal_id: str
    birth_date: date
    is_reserve_number: bool
    first_name: str
    last_name: str
    address_line: str
    postal_code: str
    city: str
    phone: str
    email: str
    responsible_dentist_id: int | None
    protected_identity: bool
    registered_in_region: bool
    end_date: date | None = None
    end_reason: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def active(self) -> bool:
        return self.end_date is None


@dataclass(frozen=True)
class PatientRow:
    """One line of the patient search result."""

    id: int
    personal_id: str
    first_name: str
    last_name: str
    city: str
    phone: str
    protected_identity: bool
    end_date: date | None
    birth_date: date


def shown_name(first_name: str, last_name: str, protected: bool) -> str:
    """The name as lists show it: masked for protected identity."""
    return PROTECTED_MASK if protected else f"{last_name}, {first_name}".strip(", ")


def check_contact_fields(
    errors: list[FieldError], *, postal_code: str, phone: str, email: str
) -> None:
    """Add a message for a malformed postal code, phone number or e-mail address."""
    digits = postal_code.replace(" ", "")
    if postal_code.strip() and not (len(digits) == 5 and digits.isascii() and digits.isdigit()):
        errors.append(FieldError("postal_code", "Postnumret ska ha fem siffror, t.ex. 903 25."))
    if phone.strip() and not re.fullmatch(r"\+?[0-9 ()\-]{5,20}", phone.strip()):
        errors.append(
            FieldError("phone", "Telefonnumret får bara innehålla siffror, +, - och mellanslag.")
        )
    if email.strip() and not _EMAIL.match(email.strip()):
        errors.append(FieldError("email", "E-postadressen ser inte rätt ut (namn@exempel.se)."))


def check_names(errors: list[FieldError], first_name: str, last_name: str) -> None:
    """Both names are required."""
    if not first_name.strip():
        errors.append(FieldError("first_name", "Skriv förnamn."))
    if not last_name.strip():
        errors.append(FieldError("last_name", "Skriv efternamn."))


def format_postal_code(postal_code: str) -> str:
    """'90325' -> '903 25'; anything else is returned stripped."""
    digits = postal_code.replace(" ", "")
    return (
        f"{digits[:3]} {digits[3:]}"
        if len(digits) == 5 and digits.isdigit()
        else postal_code.strip()
    )


def raise_if(errors: list[FieldError]) -> None:
    """Raise ValidationError when there is anything in `errors`."""
    if errors:
        raise ValidationError(errors)
