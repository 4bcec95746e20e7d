"""The clinic registry: our own clinic and the other clinics of the region."""

from __future__ import annotations

from dataclasses import dataclass

from clinic_desk.domain.errors import FieldError
from clinic_desk.domain.people import check_contact_fields


@dataclass(frozen=True)
class Clinic:
    """A clinic as stored. Exactly one clinic is our own (`is_own`)."""

    id: int
    code: str
    name: str
    org_number: str
    address_line: str
    postal_code: str
    city: str
    phone: str
    email: str
    invoice_address: str
    bankgiro: str
    f_skatt: bool
    hsa_id: str
    is_own: bool
    area_responsible: bool
    active: bool = True


@dataclass(frozen=True)
class ClinicDraft:
    """What the clinic form or one CSV row holds before it is saved."""

    name: str
    org_number: str
    code: str = ""
    address_line: str = ""
    postal_code: str = ""
    city: str = ""
    phone: str = ""
    email: str = ""
    invoice_address: str = ""
    bankgiro: str = ""
    f_skatt: bool = False
    hsa_id: str = ""
    is_own: bool = False
    area_responsible: bool = False


def normalise_org_number(text: str) -> str:
    """'5560360793' -> '556036-0793'; raises ValueError with a Swedish message."""
    try:
        from stdnum.se import orgnr  # imported on first use (slow to import)

        return str(orgnr.format(orgnr.validate(text)))
    except Exception as exc:  # stdnum raises several ValidationError subclasses
        raise ValueError(
            "Organisationsnumret stämmer inte (tio siffror med rätt kontrollsiffra, "
            "t.ex. 556036-0793)."
        ) from exc


def validate_clinic(draft: ClinicDraft) -> tuple[ClinicDraft, list[FieldError]]:
    """Check a clinic draft; return it with numbers in standard form, and the errors."""
    errors: list[FieldError] = []
    org = draft.org_number
    bankgiro = draft.bankgiro
    if not draft.name.strip():
        errors.append(FieldError("name", "Skriv klinikens namn."))
    try:
        org = normalise_org_number(draft.org_number)
    except ValueError as exc:
        errors.append(FieldError("org_number", str(exc)))
    if draft.bankgiro.strip():
        from clinic_desk.domain.billing import validate_bankgiro  # not needed at start

        try:
            bankgiro = validate_bankgiro(draft.bankgiro)
        except ValueError as exc:
            errors.append(FieldError("bankgiro", str(exc)))
    elif draft.is_own:
        errors.append(FieldError("bankgiro", "Egen klinik behöver bankgiro för fakturorna."))
    check_contact_fields(
        errors, postal_code=draft.postal_code, phone=draft.phone, email=draft.email
    )
    cleaned = ClinicDraft(
        name=draft.name.strip(),
        org_number=org,
        code=draft.code.strip(),
        address_line=draft.address_line.strip(),
        postal_code=draft.postal_code.strip(),
        city=draft.city.strip(),
        phone=draft.phone.strip(),
        email=draft.email.strip(),
        invoice_address=draft.invoice_address.strip(),
        bankgiro=bankgiro,
        f_skatt=draft.f_skatt,
        hsa_id=draft.hsa_id.strip(),
        is_own=draft.is_own,
        area_responsible=draft.area_responsible,
    )
    return cleaned, errors
