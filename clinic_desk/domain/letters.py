"""Who letters about a patient go to (RULES.md §6, issue text: young adults get their own)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clinic_desk.domain.care_rules import age_on
from clinic_desk.domain.patient_records import GuardianLink
from clinic_desk.domain.people import Patient

ADULT_AGE = 18


@dataclass(frozen=True)
class Recipient:
    """A name and a postal address."""

    name: str
    address_line: str
    postal_code: str
    city: str
    guardian_id: int | None = None  # None: the patient themself

    @property
    def address_key(self) -> tuple[str, str]:
        """Letters to one household share this key (siblings get one letter)."""
        return (self.address_line.casefold().strip(), self.postal_code.replace(" ", ""))


def letter_recipients(
    patient: Patient, guardians: tuple[GuardianLink, ...], on: date
) -> list[Recipient]:
    """From 18 the patient; before that each guardian who receives letters.

    A child none of whose guardians is marked for letters gets them at home, addressed to
    the child: a recall letter must reach someone.
    """
    themself = [
        Recipient(patient.full_name, patient.address_line, patient.postal_code, patient.city)
    ]
    if age_on(patient.birth_date, on) >= ADULT_AGE:
        return themself
    chosen = [
        Recipient(
            link.guardian.full_name,
            link.guardian.address_line,
            link.guardian.postal_code,
            link.guardian.city,
            link.guardian.id,
        )
        for link in guardians
        if link.receives_letters
    ]
    return chosen or themself
