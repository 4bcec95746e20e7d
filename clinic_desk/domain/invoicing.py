"""Emergency visits, invoices, credit notes, payments and reminders as values (RULES.md §5, §9).

Money is integer öre. An issued invoice never changes: a credit note (negative total) refers
to it; its status follows from its credit notes and payments, never from an edited row.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import Enum

from clinic_desk.domain.billing import late_interest_ore
from clinic_desk.domain.emergency import PayerKind, Placement

__all__ = [
    "VAT_EXEMPT_TEXT",
    "EmergencyVisit",
    "EmergencyVisitDraft",
    "Invoice",
    "InvoiceFilter",
    "InvoiceKind",
    "InvoiceLine",
    "InvoiceRow",
    "InvoiceStatus",
    "NewPatientDraft",
    "PayerOverride",
    "Payment",
    "ReferenceRate",
    "Reminder",
    "TreatmentDraft",
    "VisitStatus",
    "VisitTreatment",
    "case_number",
    "days_late",
    "invoice_status",
    "payer_label",
    "reminder_interest",
    "usingqr_payload",
]

# An invoice for a VAT-exempt supply must say so (mervärdesskattelagen 2023:200, 17 kap.:
# a reference to the provision or another statement that the supply is exempt). Dental care
# is exempt as medical care: ML 2023:200 10 kap. and article 132.1 c of the VAT directive.
VAT_EXEMPT_TEXT = (
    "Momsfri tandvård: undantagen från mervärdesskatt enligt 10 kap. mervärdesskattelagen "
    "(2023:200), jfr artikel 132.1 c i direktiv 2006/112/EG."
)


class VisitStatus(Enum):
    """An emergency visit is open until it is closed; closing invoices it."""

    OPEN = "open"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return "Öppet" if self is VisitStatus.OPEN else "Avslutat"


class InvoiceKind(Enum):
    """An invoice, or a credit note that refers to one."""

    INVOICE = "invoice"
    CREDIT = "credit"

    @property
    def label(self) -> str:
        return "Faktura" if self is InvoiceKind.INVOICE else "Kreditnota"


class InvoiceStatus(Enum):
    """Where an invoice stands on a given day."""

    UNPAID = "unpaid"
    PARTLY_PAID = "partly_paid"
    OVERDUE = "overdue"
    PAID = "paid"
    CREDITED = "credited"
    CREDIT_NOTE = "credit_note"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    InvoiceStatus.UNPAID: "Obetald",
    InvoiceStatus.PARTLY_PAID: "Delbetald",
    InvoiceStatus.OVERDUE: "Förfallen",
    InvoiceStatus.PAID: "Betald",
    InvoiceStatus.CREDITED: "Krediterad",
    InvoiceStatus.CREDIT_NOTE: "Kreditnota",
}

_PAYER_LABELS = {
    PayerKind.COMMISSIONING_UNIT: "Beställarenheten",
    PayerKind.NO_INVOICE: "Ingen faktura",
    PayerKind.LISTING_CLINIC: "Listningskliniken",
    PayerKind.AREA_CLINIC: "Områdesansvarig klinik",
}

PLACEMENT_LABELS = {
    Placement.NONE: "Inte placerad",
    Placement.INSIDE_REGION: "Placerad inom regionen",
    Placement.OUTSIDE_REGION: "Placerad utanför regionen",
}


def payer_label(kind: PayerKind) -> str:
    """Swedish name of a payer kind."""
    return _PAYER_LABELS[kind]


def invoice_status(
    kind: InvoiceKind,
    total_ore: int,
    credited_ore: int,
    paid_ore: int,
    due: date,
    today: date,
) -> InvoiceStatus:
    """The status of an invoice on `today`. `credited_ore` is the sum of its credit notes
    (zero or negative); the store's SQL filter mirrors this function."""
    if kind is InvoiceKind.CREDIT:
        return InvoiceStatus.CREDIT_NOTE
    if total_ore + credited_ore <= 0:
        return InvoiceStatus.CREDITED
    if paid_ore >= total_ore + credited_ore:
        return InvoiceStatus.PAID
    if due < today:
        return InvoiceStatus.OVERDUE
    if paid_ore > 0:
        return InvoiceStatus.PARTLY_PAID
    return InvoiceStatus.UNPAID


def days_late(due: date, on: date) -> int:
    """Days past the due date (0 when not late)."""
    return max(0, (on - due).days)


@dataclass(frozen=True)
class ReferenceRate:
    """The Riksbank reference rate (percent) and the day it applies from; the clinic updates
    it each half-year (1 January and 1 July)."""

    percent: Decimal
    valid_from: date


def reminder_interest(balance_ore: int, due: date, on: date, rate: ReferenceRate) -> int:
    """Late-payment interest (räntelagen 6 §: reference rate + 8 points) on the open balance
    from the day after the due date up to and including `on`."""
    return late_interest_ore(max(balance_ore, 0), days_late(due, on), rate.percent)


def case_number(visit_id: int, treatment_date: date) -> str:
    """The reference used instead of a protected patient's identity (000 §4.4)."""
    return f"AKUT-{treatment_date.year}-{visit_id:05d}"


def usingqr_payload(
    *,
    seller_name: str,
    org_number: str,
    ocr: str,
    issue_date: date,
    due_date: date,
    amount_ore: int,
    bankgiro: str,
) -> str:
    """The JSON of a Swedish invoice payment QR code (UsingQR format, version 1): bank apps
    read payee, bankgiro, OCR, amount and due date from it."""
    kronor, ore = divmod(amount_ore, 100)
    return json.dumps(
        {
            "uqr": 1,
            "tp": 1,
            "nme": seller_name,
            "cc": "SE",
            "cid": org_number,
            "iref": ocr,
            "idt": issue_date.strftime("%Y%m%d"),
            "ddt": due_date.strftime("%Y%m%d"),
            "due": float(f"{kronor}.{ore:02d}"),
            "cur": "SEK",
            "pt": "BG",
            "acc": bankgiro,
        },
        # ASCII only (å as \u00e5): QR byte mode has no agreed text encoding, and readers
        # guess; escaped JSON reads the same whatever they guess.
        ensure_ascii=True,
        separators=(",", ":"),
    )


# -- drafts (what the screens hand to the workflows) ----------------------------------------


@dataclass(frozen=True)
class TreatmentDraft:
    """One treatment of a visit: a price list code, optionally a tooth and a note."""

    code: str
    tooth: str = ""
    note: str = ""


@dataclass(frozen=True)
class NewPatientDraft:
    """An emergency patient not yet in the register: the least that is needed."""

    personal_id: str
    first_name: str
    last_name: str
    guardian_phone: str = ""


@dataclass(frozen=True)
class PayerOverride:
    """A clinic manager's decision that someone else pays than the rules say, and why."""

    kind: PayerKind
    clinic_id: int | None
    reason: str


@dataclass(frozen=True)
class EmergencyVisitDraft:
    """What the emergency visit form holds."""

    treated_at: datetime
    practitioner_id: int | None
    treatments: tuple[TreatmentDraft, ...]
    patient_id: int | None = None
    new_patient: NewPatientDraft | None = None
    listed_clinic_id: int | None = None
    registered_in_region: bool = True
    placement: Placement = Placement.NONE
    protected_identity: bool = False
    guardian_phone: str = ""
    complaint: str = ""
    findings: str = ""
    advice: str = ""
    area_clinic_id: int | None = None
    override: PayerOverride | None = None


# -- stored values ---------------------------------------------------------------------------


@dataclass(frozen=True)
class VisitTreatment:
    """A treatment as given, with the price valid on the treatment date."""

    id: int
    code: str
    name: str
    price_ore: int
    tooth: str
    note: str


@dataclass(frozen=True)
class EmergencyVisit:
    """An emergency visit as stored."""

    id: int
    patient_id: int
    patient_name: str
    personal_id: str
    treated_at: datetime
    practitioner_id: int | None
    practitioner_name: str
    listed_clinic_id: int | None
    listed_clinic_name: str
    registered_in_region: bool
    placement: Placement
    protected_identity: bool
    guardian_phone: str
    complaint: str
    findings: str
    advice: str
    payer_kind: PayerKind
    payer_clinic_id: int | None
    payer_name: str
    payer_reason: str
    override_reason: str
    area_duty: bool
    status: VisitStatus
    case_number: str
    invoice_id: int | None = None
    invoice_number: int | None = None
    return_report_document_id: int | None = None
    return_report_sent_on: date | None = None
    treatments: tuple[VisitTreatment, ...] = ()

    @property
    def treatment_date(self) -> date:
        return self.treated_at.date()

    @property
    def total_ore(self) -> int:
        return sum(t.price_ore for t in self.treatments)


@dataclass(frozen=True)
class InvoiceLine:
    """One printed row of an invoice."""

    line_no: int
    visit_id: int | None
    treatment_date: date | None
    code: str
    description: str
    tooth: str
    amount_ore: int


@dataclass(frozen=True)
class Invoice:
    """An issued invoice or credit note; never changed after it is issued."""

    id: int
    number: int
    kind: InvoiceKind
    payer_kind: PayerKind
    buyer_clinic_id: int | None
    buyer_name: str
    buyer_address: tuple[str, ...]
    issue_date: date
    due_date: date
    ocr: str
    total_ore: int
    patient_reference: str
    service_text: str
    lines: tuple[InvoiceLine, ...] = ()
    credits_invoice_id: int | None = None
    credits_number: int | None = None
    reason: str = ""
    created_at: str = ""
    created_by: int = 0


@dataclass(frozen=True)
class InvoiceRow:
    """One line of the invoice list, with its payments and credits summed."""

    id: int
    number: int
    kind: InvoiceKind
    issue_date: date
    due_date: date
    buyer_name: str
    payer_kind: PayerKind
    patient_reference: str
    total_ore: int
    credited_ore: int
    paid_ore: int
    reminders: int
    status: InvoiceStatus

    @property
    def balance_ore(self) -> int:
        """What is still to be paid (0 for credit notes)."""
        if self.kind is InvoiceKind.CREDIT:
            return 0
        return max(0, self.total_ore + self.credited_ore - self.paid_ore)


@dataclass(frozen=True)
class InvoiceFilter:
    """What the invoice list shows: status, payer and an issue-date period."""

    status: InvoiceStatus | None = None
    payer_kind: PayerKind | None = None
    buyer_clinic_id: int | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    text: str = ""
    kinds: tuple[InvoiceKind, ...] = field(default=(InvoiceKind.INVOICE, InvoiceKind.CREDIT))


@dataclass(frozen=True)
class Payment:
    """A payment received against an invoice."""

    id: int
    invoice_id: int
    paid_on: date
    amount_ore: int
    note: str
    created_by: int


@dataclass(frozen=True)
class Reminder:
    """A reminder letter sent for an overdue invoice, with the interest claimed."""

    id: int
    invoice_id: int
    sent_on: date
    days_late: int
    balance_ore: int
    interest_ore: int
    reference_rate: str
    document_id: int
