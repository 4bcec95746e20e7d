"""Invoicing: issuing invoices for emergency visits, credit notes, payments, reminders and the
invoice journal.

The invoice number is taken inside the transaction that stores the invoice row, its PDF and
the audit entry, so a crash or an error gives the number back: the series never has a gap.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from clinic_desk.documents.invoice_pdf import ReminderFacts, invoice_pdf, reminder_pdf
from clinic_desk.domain.billing import due_date, format_kronor, ocr_reference
from clinic_desk.domain.clinics import Clinic
from clinic_desk.domain.emergency import PayerKind
from clinic_desk.domain.errors import FieldError, NotFound, RuleViolation, ValidationError
from clinic_desk.domain.invoice_settings import InvoiceSettings
from clinic_desk.domain.invoicing import (
    EmergencyVisit,
    Invoice,
    InvoiceKind,
    InvoiceLine,
    InvoiceStatus,
    days_late,
    reminder_interest,
)
from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.export.invoice_journal import journal_csv
from clinic_desk.store.invoices import NewInvoice
from clinic_desk.store.store import Store
from clinic_desk.workflows.invoice_settings import load_invoice_settings

INVOICE_DOC = "invoice"
CREDIT_DOC = "credit_note"
REMINDER_DOC = "invoice_reminder"


@dataclass(frozen=True)
class Buyer:
    """Who an invoice goes to."""

    clinic_id: int | None
    name: str
    address: tuple[str, ...]


def own_clinic(store: Store) -> Clinic:
    """Our own clinic: the seller on every invoice."""
    own = store.clinics.own()
    if own is None:
        raise RuleViolation("Lägg in den egna kliniken under Register → Kliniker först.")
    if not own.bankgiro:
        raise RuleViolation(
            "Den egna kliniken saknar bankgiro. Fyll i det under Register → Kliniker."
        )
    return own


def buyer_for(
    store: Store, kind: PayerKind, clinic_id: int | None, settings: InvoiceSettings
) -> Buyer:
    """The invoice recipient for a payer: a clinic's invoice address, or the commissioning
    unit's address from the settings."""
    if kind is PayerKind.COMMISSIONING_UNIT:
        if not settings.has_commissioning_unit:
            raise ValidationError(
                [
                    FieldError(
                        "payer",
                        "Beställarenhetens namn och fakturaadress saknas. Fyll i dem under "
                        "Fakturor → Fakturainställningar.",
                    )
                ]
            )
        return Buyer(None, settings.commissioning_unit_name, settings.commissioning_unit_address)
    clinic = store.clinics.get(clinic_id) if clinic_id is not None else None
    if clinic is None:
        raise ValidationError([FieldError("payer", "Ange vilken klinik som ska faktureras.")])
    lines = [line.strip() for line in clinic.invoice_address.splitlines() if line.strip()]
    if lines and lines[0] == clinic.name:
        lines = lines[1:]
    if not lines:
        lines = [
            x for x in (clinic.address_line, f"{clinic.postal_code} {clinic.city}".strip()) if x
        ]
    return Buyer(clinic.id, clinic.name, tuple(lines))


def patient_reference(visit: EmergencyVisit, store: Store) -> str:
    """How the invoice names the patient: a case number for protected identity (000 §4.4)."""
    if visit.protected_identity:
        return f"Ärende {visit.case_number}"
    patient = store.patients.get(visit.patient_id)
    name = patient.full_name if patient else visit.patient_name
    return f"{visit.personal_id} {name}"


@requires(Permission.ISSUE_INVOICES)
def issue_for_visits(
    store: Store,
    actor: User,
    visits: Sequence[EmergencyVisit],
    issue_date: date,
    settings: InvoiceSettings,
    seller: Clinic,
) -> Invoice:
    """Issue one invoice billing `visits` (same payer), with its archived PDF. Runs inside
    the caller's transaction and writes no audit entry (the caller's action does)."""
    first = visits[0]
    buyer = buyer_for(store, first.payer_kind, first.payer_clinic_id, settings)
    references = {v.id: patient_reference(v, store) for v in visits}
    collective = len(visits) > 1
    lines: list[InvoiceLine] = []
    for visit in visits:
        for treatment in visit.treatments:
            text = treatment.name + (f" – {treatment.note}" if treatment.note else "")
            if collective:
                text = f"{references[visit.id]}: {text}"
            lines.append(
                InvoiceLine(
                    line_no=len(lines) + 1,
                    visit_id=visit.id,
                    treatment_date=visit.treatment_date,
                    code=treatment.code,
                    description=text,
                    tooth=treatment.tooth,
                    amount_ore=treatment.price_ore,
                )
            )
    total = sum(line.amount_ore for line in lines)
    if total <= 0:
        raise ValidationError(
            [FieldError("treatments", "Besöket har inget att fakturera (summan är 0 kr).")]
        )
    dates = sorted({v.treatment_date for v in visits})
    if collective:
        service = (
            f"Akut tandvård {dates[0].isoformat()}–{dates[-1].isoformat()} "
            f"({len(visits)} besök, samlingsfaktura)"
        )
        reference = "Se raderna"
    else:
        service = f"Akut tandvård {first.treatment_date.isoformat()}"
        reference = references[first.id]
    draft = NewInvoice(
        kind=InvoiceKind.INVOICE,
        payer_kind=first.payer_kind,
        buyer_clinic_id=buyer.clinic_id,
        buyer_name=buyer.name,
        buyer_address=buyer.address,
        issue_date=issue_date,
        due_date=due_date(issue_date, settings.payment_days),
        total_ore=total,
        patient_reference=reference,
        service_text=service,
        lines=tuple(lines),
    )
    return _store_and_archive(store, actor, draft, seller, settings.payment_qr, None, first)


def _store_and_archive(
    store: Store,
    actor: User,
    draft: NewInvoice,
    seller: Clinic,
    with_qr: bool,
    credited: Invoice | None,
    single_visit: EmergencyVisit | None,
) -> Invoice:
    number = store.invoices.take_number()
    ocr = ocr_reference(str(number))
    invoice_id = store.invoices.insert(draft, number, ocr, actor.id)
    invoice = Invoice(
        id=invoice_id,
        number=number,
        kind=draft.kind,
        payer_kind=draft.payer_kind,
        buyer_clinic_id=draft.buyer_clinic_id,
        buyer_name=draft.buyer_name,
        buyer_address=draft.buyer_address,
        issue_date=draft.issue_date,
        due_date=draft.due_date,
        ocr=ocr,
        total_ore=draft.total_ore,
        patient_reference=draft.patient_reference,
        service_text=draft.service_text,
        lines=draft.lines,
        credits_invoice_id=draft.credits_invoice_id,
        credits_number=credited.number if credited else None,
        reason=draft.reason,
        created_by=actor.id,
    )
    pdf = invoice_pdf(invoice, seller, credited=credited, with_qr=with_qr)
    credit = draft.kind is InvoiceKind.CREDIT
    store.documents.add(
        CREDIT_DOC if credit else INVOICE_DOC,
        f"{'Kreditnota' if credit else 'Faktura'} {number}",
        pdf,
        actor.id,
        patient_id=single_visit.patient_id if single_visit else None,
        source_table="invoices",
        source_id=invoice_id,
        recipient=draft.buyer_name,
    )
    if draft.kind is InvoiceKind.INVOICE:
        store.emergency.set_invoice(
            sorted({line.visit_id for line in draft.lines if line.visit_id is not None}),
            invoice_id,
            actor.id,
        )
    return invoice


def invoice_document(store: Store, invoice_id: int) -> bytes:
    """The archived PDF of an invoice or credit note (re-printing never renders anew)."""
    for document in store.documents.for_source("invoices", invoice_id):
        if document.kind in (INVOICE_DOC, CREDIT_DOC):
            return store.documents.content(document.id)
    raise NotFound(f"Fakturan (id {invoice_id}) har ingen arkiverad PDF.")


def _require_invoice(store: Store, invoice_id: int) -> Invoice:
    invoice = store.invoices.get(invoice_id)
    if invoice is None:
        raise NotFound(f"Fakturan finns inte (id {invoice_id}).")
    return invoice


# -- collective invoices -----------------------------------------------------------------------


@requires(Permission.ISSUE_INVOICES)
def create_collective_invoices(
    store: Store, actor: User, month: date, issue_date: date
) -> list[int]:
    """One invoice per payer for the month's closed visits not yet invoiced; returns their
    ids (empty when there was nothing to invoice)."""
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    with store.transaction():
        seller = own_clinic(store)
        settings = load_invoice_settings(store)
        groups: dict[tuple[PayerKind, int | None], list[EmergencyVisit]] = defaultdict(list)
        for visit in store.emergency.awaiting_collective_invoice(first, last):
            groups[(visit.payer_kind, visit.payer_clinic_id)].append(visit)
        ids = [
            issue_for_visits(store, actor, visits, issue_date, settings, seller).id
            for _key, visits in sorted(
                groups.items(), key=lambda kv: (kv[0][0].value, kv[0][1] or 0)
            )
        ]
        if ids:
            store.audit.append(
                actor.id,
                "invoice.collective",
                entity="invoice",
                entity_id=",".join(map(str, ids)),
                detail={"month": first.isoformat()[:7], "invoices": ids},
            )
    return ids


# -- credit notes ------------------------------------------------------------------------------


@requires(Permission.ISSUE_CREDIT_NOTES)
def issue_credit_note(
    store: Store,
    actor: User,
    invoice_id: int,
    today: date,
    reason: str,
    amount_ore: int | None = None,
) -> int:
    """Credit an invoice in full (amount None) or in part; returns the credit note's id.
    The invoice itself never changes. Clinic manager or administrator only."""
    if not reason.strip():
        raise ValidationError([FieldError("reason", "Skriv varför fakturan krediteras.")])
    with store.transaction():
        original = _require_invoice(store, invoice_id)
        if original.kind is not InvoiceKind.INVOICE:
            raise RuleViolation("En kreditnota kan inte krediteras. Kreditera fakturan i stället.")
        row = store.invoices.row(invoice_id, today)
        assert row is not None
        remaining = row.total_ore + row.credited_ore
        if remaining <= 0:
            raise ValidationError([FieldError("amount", "Fakturan är redan helt krediterad.")])
        amount = remaining if amount_ore is None else amount_ore
        if amount <= 0:
            raise ValidationError([FieldError("amount", "Skriv ett belopp större än 0 kr.")])
        if amount > remaining:
            raise ValidationError(
                [
                    FieldError(
                        "amount",
                        f"Högst {format_kronor(remaining)} kan krediteras på faktura "
                        f"{original.number}.",
                    )
                ]
            )
        full = amount == original.total_ore
        if full:
            lines = tuple(replace(line, amount_ore=-line.amount_ore) for line in original.lines)
        else:
            lines = (
                InvoiceLine(
                    1, None, None, "", f"Delkreditering av faktura {original.number}", "", -amount
                ),
            )
        draft = NewInvoice(
            kind=InvoiceKind.CREDIT,
            payer_kind=original.payer_kind,
            buyer_clinic_id=original.buyer_clinic_id,
            buyer_name=original.buyer_name,
            buyer_address=original.buyer_address,
            issue_date=today,
            due_date=today,
            total_ore=-amount,
            patient_reference=original.patient_reference,
            service_text=f"Kreditering av faktura {original.number} ({original.service_text})",
            lines=lines,
            credits_invoice_id=original.id,
            reason=reason.strip(),
        )
        visits = store.emergency.for_invoice(original.id)
        credit = _store_and_archive(
            store,
            actor,
            draft,
            own_clinic(store),
            False,
            original,
            visits[0] if len(visits) == 1 else None,
        )
        store.audit.append(
            actor.id,
            "invoice.credit",
            entity="invoice",
            entity_id=credit.id,
            detail={
                "credits": original.number,
                "number": credit.number,
                "amount_ore": amount,
                "full": full,
                "reason": reason.strip(),
            },
        )
    return credit.id


# -- payments ----------------------------------------------------------------------------------


@requires(Permission.ISSUE_INVOICES)
def register_payment(
    store: Store,
    actor: User,
    invoice_id: int,
    amount_ore: int,
    paid_on: date,
    today: date,
    note: str = "",
) -> int:
    """Record a payment received (full or partial); returns its id."""
    errors: list[FieldError] = []
    if amount_ore <= 0:
        errors.append(FieldError("amount", "Skriv ett belopp större än 0 kr."))
    if paid_on > today:
        errors.append(FieldError("paid_on", "Betaldatumet ligger i framtiden."))
    if errors:
        raise ValidationError(errors)
    with store.transaction():
        invoice = _require_invoice(store, invoice_id)
        if invoice.kind is not InvoiceKind.INVOICE:
            raise RuleViolation("Betalningar registreras på fakturor, inte på kreditnotor.")
        row = store.invoices.row(invoice_id, today)
        assert row is not None
        interest = sum(r.interest_ore for r in store.invoices.reminders(invoice_id))
        # A reminder's interest may be paid on top of the balance; more than that is a mistake.
        ceiling = max(0, row.total_ore + row.credited_ore + interest - row.paid_ore)
        if ceiling == 0:
            raise ValidationError([FieldError("amount", "Fakturan är redan betald.")])
        if amount_ore > ceiling:
            raise ValidationError(
                [
                    FieldError(
                        "amount",
                        f"Beloppet är större än det som återstår ({format_kronor(ceiling)}"
                        + (" inklusive dröjsmålsränta" if interest else "")
                        + ").",
                    )
                ]
            )
        if paid_on < invoice.issue_date:
            raise ValidationError(
                [FieldError("paid_on", "Betaldatumet ligger före fakturadatumet.")]
            )
        payment_id = store.invoices.add_payment(
            invoice_id, paid_on, amount_ore, note.strip(), actor.id
        )
        store.audit.append(
            actor.id,
            "invoice.payment",
            entity="invoice",
            entity_id=invoice_id,
            detail={
                "number": invoice.number,
                "amount_ore": amount_ore,
                "paid_on": paid_on.isoformat(),
                "payment": payment_id,
            },
        )
    return payment_id


# -- reminders ---------------------------------------------------------------------------------


@requires(Permission.ISSUE_INVOICES)
def send_reminder(store: Store, actor: User, invoice_id: int, today: date) -> int:
    """Make and archive a reminder letter with late-payment interest for an overdue invoice;
    returns the archived document's id."""
    settings = load_invoice_settings(store)
    rate = settings.reference_rate
    if rate is None:
        raise ValidationError(
            [
                FieldError(
                    "reference_rate",
                    "Referensräntan saknas. Fyll i den under Fakturor → Fakturainställningar.",
                )
            ]
        )
    if rate.valid_from > today:
        raise ValidationError(
            [FieldError("reference_rate", "Referensräntan gäller först från ett senare datum.")]
        )
    with store.transaction():
        invoice = _require_invoice(store, invoice_id)
        row = store.invoices.row(invoice_id, today)
        assert row is not None
        if row.status is not InvoiceStatus.OVERDUE:
            raise RuleViolation(
                f"Faktura {invoice.number} är inte förfallen ({row.status.label.lower()}): "
                "ingen påminnelse behövs."
            )
        balance = row.balance_ore
        late = days_late(invoice.due_date, today)
        interest = reminder_interest(balance, invoice.due_date, today, rate)
        earlier = store.invoices.reminders(invoice_id)
        facts = ReminderFacts(
            sent_on=today,
            days_late=late,
            balance_ore=balance,
            interest_ore=interest,
            reference_rate=f"{rate.percent}".replace(".", ","),
            reminder_number=len(earlier) + 1,
        )
        seller = own_clinic(store)
        document = store.documents.add(
            REMINDER_DOC,
            f"Påminnelse {facts.reminder_number} faktura {invoice.number}",
            reminder_pdf(invoice, seller, facts),
            actor.id,
            source_table="invoices",
            source_id=invoice_id,
            recipient=invoice.buyer_name,
        )
        store.invoices.add_reminder(
            invoice_id, today, late, balance, interest, str(rate.percent), document.id, actor.id
        )
        store.audit.append(
            actor.id,
            "invoice.reminder",
            entity="invoice",
            entity_id=invoice_id,
            detail={
                "number": invoice.number,
                "days_late": late,
                "balance_ore": balance,
                "interest_ore": interest,
                "reference_rate": str(rate.percent),
            },
        )
    return document.id


# -- journal -----------------------------------------------------------------------------------


@requires(Permission.EXPORT)
def export_invoice_journal(store: Store, actor: User, first: date, last: date) -> bytes:
    """The invoice journal CSV for [first, last] (the caller saves it); the export is logged."""
    if last < first:
        raise ValidationError([FieldError("period", "Slutdatumet ligger före startdatumet.")])
    with store.transaction():
        invoices = store.invoices.issued_between(first, last)
        data = journal_csv(invoices)
        store.audit.append(
            actor.id,
            "invoice.journal_export",
            entity="invoice",
            detail={"from": first.isoformat(), "to": last.isoformat(), "rows": len(invoices)},
        )
    return data
