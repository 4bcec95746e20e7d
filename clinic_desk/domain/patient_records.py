"""What the patient card shows and what the patient and guardian forms hold.

A patient's guardians and listings with the patient (PatientRecord), and the drafts the
forms hand to the workflows. Kept apart from `people` so that the patient list, which the
program shows at every start, does not load them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clinic_desk.domain.listing import Listing
from clinic_desk.domain.people import Patient


@dataclass(frozen=True)
class Guardian:
    """A guardian (vårdnadshavare) as stored; may be linked to several children."""

    id: int
    personal_id: str
    first_name: str
    last_name: str
    address_line: str
    postal_code: str
    city: str
    phone: str
    email: str

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class GuardianLink:
    """A guardian of one patient, with whether letters go to them."""

    guardian: Guardian
    receives_letters: bool
    relation: str = ""


@dataclass(frozen=True)
class PatientDraft:
    """What the patient form holds before it is saved (raw text where the user typed it)."""

    personal_id: str
    first_name: str
    last_name: str
    address_line: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    responsible_dentist_id: int | None = None
    protected_identity: bool = False
    registered_in_region: bool = True
    reserve_birth_date: date | None = None  # used when no Swedish number exists


@dataclass(frozen=True)
class GuardianDraft:
    """A guardian as the guardian form holds it."""

    personal_id: str
    first_name: str
    last_name: str
    address_line: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    receives_letters: bool = True
    relation: str = ""
    existing_id: int | None = None  # link an already registered guardian (a sibling's)


@dataclass(frozen=True)
class PatientRecord:
    """Everything the patient card shows."""

    patient: Patient
    guardians: tuple[GuardianLink, ...] = ()
    listings: tuple[Listing, ...] = ()
