"""Invoices after the visit: credit notes, payments, reminders with interest, the journal,
monthly collective invoices, and a number series without gaps."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date, datetime

import pytest

from clinic_desk.domain.billing import is_valid_ocr, late_interest_ore
from clinic_desk.domain.errors import RuleViolation, ValidationError
from clinic_desk.domain.invoicing import InvoiceFilter, InvoiceKind, InvoiceStatus
from clinic_desk.domain.people import Profession, User
from clinic_desk.store.store import Store
from clinic_desk.workflows.emergency import register_emergency_visit
from clinic_desk.workflows.invoices import (
    create_collective_invoices,
    export_invoice_journal,
    invoice_document,
    issue_credit_note,
    register_payment,
    send_reminder,
)
from clinic_desk.workflows.staff import add_staff
from tests.unit.workflows.invoicing_support import (
    TREATMENTS_TOTAL,
    set_up_invoicing,
    visit_draft,
)

TODAY = date(2026, 11, 23)
ISSUED = date(2026, 9, 1)  # due 2026-10-01: overdue on TODAY
TREATED = datetime(2026, 8, 28, 10, 15)


@pytest.fixture
def invoice_id(store: Store, actor: User, clinics: dict[str, int], dentist_id: int) -> int:
    set_up_invoicing(store, actor)
    visit_id = register_emergency_visit(
        store,
        actor,
        visit_draft(dentist_id, listed_clinic_id=clinics["third"], treated_at=TREATED),
        ISSUED,
        close=True,
    )  # fmt: skip
    visit = store.emergency.get(visit_id)
    assert visit is not None
    assert visit.invoice_id is not None
    return visit.invoice_id


def _row(store: Store, invoice_id: int, today: date = TODAY) -> object:
    row = store.invoices.row(invoice_id, today)
    assert row is not None
    return row


def test_the_invoice_carries_number_ocr_and_due_date(store: Store, invoice_id: int) -> None:
    invoice = store.invoices.get(invoice_id)
    assert invoice is not None
    assert invoice.number == 1
    assert invoice.ocr == "133"
    assert is_valid_ocr(invoice.ocr)
    assert invoice.issue_date == ISSUED
    assert invoice.due_date == date(2026, 10, 1)
    assert invoice.total_ore == TREATMENTS_TOTAL
    assert [line.code for line in invoice.lines] == ["103", "301", "401"]
    documents = store.documents.for_source("invoices", invoice_id)
    assert [d.kind for d in documents] == ["invoice"]


def test_an_issued_invoice_never_changes(store: Store, invoice_id: int) -> None:
    with pytest.raises(sqlite3.IntegrityError, match="never change"):
        store.conn.execute("UPDATE invoices SET total_ore = 1 WHERE id = ?", (invoice_id,))
    with pytest.raises(sqlite3.IntegrityError, match="never"):
        store.conn.execute("DELETE FROM invoice_lines WHERE invoice_id = ?", (invoice_id,))


def test_full_credit_note_refers_to_the_invoice(store: Store, actor: User, invoice_id: int) -> None:
    credit_id = issue_credit_note(store, actor, invoice_id, TODAY, "Fel patient")
    credit = store.invoices.get(credit_id)
    assert credit is not None
    assert credit.kind is InvoiceKind.CREDIT
    assert credit.credits_invoice_id == invoice_id
    assert credit.credits_number == 1
    assert credit.number == 2
    assert credit.total_ore == -TREATMENTS_TOTAL
    assert [line.amount_ore for line in credit.lines] == [-42_000, -46_000, -120_500]
    assert _row(store, invoice_id).status is InvoiceStatus.CREDITED  # type: ignore[attr-defined]
    assert invoice_document(store, credit_id).startswith(b"%PDF")
    with pytest.raises(ValidationError, match="redan helt krediterad"):
        issue_credit_note(store, actor, invoice_id, TODAY, "Igen")
    with pytest.raises(RuleViolation, match="kreditnota kan inte"):
        issue_credit_note(store, actor, credit_id, TODAY, "Kreditera krediten")


def test_partial_credits_add_up_to_the_invoice(store: Store, actor: User, invoice_id: int) -> None:
    issue_credit_note(store, actor, invoice_id, TODAY, "Fel tand på rad 3", 48_000)
    row = store.invoices.row(invoice_id, TODAY)
    assert row is not None
    assert row.credited_ore == -48_000
    assert row.balance_ore == TREATMENTS_TOTAL - 48_000
    with pytest.raises(ValidationError, match=r"Högst 1.605,00.kr"):
        issue_credit_note(store, actor, invoice_id, TODAY, "För mycket", TREATMENTS_TOTAL)
    issue_credit_note(store, actor, invoice_id, TODAY, "Resten", TREATMENTS_TOTAL - 48_000)
    row = store.invoices.row(invoice_id, TODAY)
    assert row is not None
    assert row.status is InvoiceStatus.CREDITED


def test_only_a_manager_issues_credit_notes(store: Store, actor: User, invoice_id: int) -> None:
    nurse = store.users.get(
        add_staff(store, actor, "lena.sjoberg", "Lena Sjöberg", Profession.DENTAL_NURSE)
    )
    assert nurse is not None
    with pytest.raises(RuleViolation, match="klinikchef"):
        issue_credit_note(store, nurse, invoice_id, TODAY, "Fel")
    with pytest.raises(ValidationError, match="varför"):
        issue_credit_note(store, actor, invoice_id, TODAY, "  ")
    assert store.invoices.count() == 1


def test_payments_partial_then_full(store: Store, actor: User, invoice_id: int) -> None:
    assert _row(store, invoice_id).status is InvoiceStatus.OVERDUE  # type: ignore[attr-defined]
    register_payment(store, actor, invoice_id, 100_000, date(2026, 10, 20), TODAY, "Delbetalning")
    row = store.invoices.row(invoice_id, date(2026, 9, 15))
    assert row is not None
    assert row.status is InvoiceStatus.PARTLY_PAID  # before the due date
    with pytest.raises(ValidationError, match="större än det som återstår"):
        register_payment(store, actor, invoice_id, TREATMENTS_TOTAL, TODAY, TODAY)
    register_payment(store, actor, invoice_id, TREATMENTS_TOTAL - 100_000, TODAY, TODAY)
    assert _row(store, invoice_id).status is InvoiceStatus.PAID  # type: ignore[attr-defined]
    with pytest.raises(ValidationError, match="redan betald"):
        register_payment(store, actor, invoice_id, 100, TODAY, TODAY)
    assert [p.amount_ore for p in store.invoices.payments(invoice_id)] == [
        100_000,
        TREATMENTS_TOTAL - 100_000,
    ]


def test_payment_fields_are_checked(store: Store, actor: User, invoice_id: int) -> None:
    with pytest.raises(ValidationError) as exc:
        register_payment(store, actor, invoice_id, 0, date(2026, 12, 1), TODAY)
    assert {e.field for e in exc.value.errors} == {"amount", "paid_on"}
    with pytest.raises(ValidationError, match="före fakturadatumet"):
        register_payment(store, actor, invoice_id, 100, date(2026, 8, 1), TODAY)


def test_overdue_reminder_claims_interest_on_the_balance(
    store: Store, actor: User, invoice_id: int
) -> None:
    register_payment(store, actor, invoice_id, 8_500, date(2026, 10, 10), TODAY)
    balance = TREATMENTS_TOTAL - 8_500
    document_id = send_reminder(store, actor, invoice_id, TODAY)
    reminders = store.invoices.reminders(invoice_id)
    assert len(reminders) == 1
    reminder = reminders[0]
    assert reminder.days_late == 53  # 2026-10-01 -> 2026-11-23
    assert reminder.balance_ore == balance
    assert reminder.interest_ore == late_interest_ore(balance, 53, 2.25)
    assert reminder.interest_ore == 2_977  # 200 000 öre x 10.25 % x 53/365 = 2 976.7
    assert store.documents.content(document_id).startswith(b"%PDF")
    overdue = store.invoices.search(InvoiceFilter(status=InvoiceStatus.OVERDUE), TODAY)
    assert [r.id for r in overdue] == [invoice_id]
    assert overdue[0].reminders == 1
    # The interest may be paid on top of the balance, but not more.
    register_payment(store, actor, invoice_id, balance + reminder.interest_ore, TODAY, TODAY)


def test_no_reminder_before_the_due_date_or_without_a_rate(
    store: Store, actor: User, invoice_id: int
) -> None:
    with pytest.raises(RuleViolation, match="inte förfallen"):
        send_reminder(store, actor, invoice_id, date(2026, 9, 20))
    store.settings.set("reference_rate", None, actor.id)
    with pytest.raises(ValidationError, match="Referensräntan saknas"):
        send_reminder(store, actor, invoice_id, TODAY)
    assert store.invoices.reminders(invoice_id) == []


def test_journal_export_lists_every_invoice_in_number_order(
    store: Store, actor: User, invoice_id: int
) -> None:
    issue_credit_note(store, actor, invoice_id, TODAY, "Fel tand", 48_000)
    data = export_invoice_journal(store, actor, date(2026, 1, 1), date(2026, 12, 31))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Nummer", "Typ", "Fakturadatum"]
    assert [r[0] for r in rows[1:]] == ["1", "2"]
    assert rows[1][7] == "2085,00"
    assert rows[2][1] == "Kreditnota"
    assert rows[2][7] == "-480,00"
    assert rows[2][9] == "1"
    last = store.conn.execute("SELECT action FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    assert last[0] == "invoice.journal_export"
    with pytest.raises(ValidationError):
        export_invoice_journal(store, actor, TODAY, date(2026, 1, 1))


def test_monthly_collective_invoice_per_payer(
    store: Store, actor: User, clinics: dict[str, int], dentist_id: int
) -> None:
    set_up_invoicing(store, actor, collective=True)
    pids = ["20150307-2389", "20120101-2380", "20091231-9878"]
    for number, pid in enumerate(pids):
        register_emergency_visit(
            store,
            actor,
            visit_draft(dentist_id, personal_id=pid, listed_clinic_id=clinics["third"]),
            date(2026, 11, 20 + number),
            close=True,
        )
    register_emergency_visit(
        store, actor, visit_draft(dentist_id, personal_id="20100610-2386"), TODAY, close=True
    )
    assert store.invoices.count() == 0
    ids = create_collective_invoices(store, actor, date(2026, 11, 1), date(2026, 11, 30))
    assert len(ids) == 2
    by_buyer = {}
    for found in (store.invoices.get(i) for i in ids):
        assert found is not None
        by_buyer[found.buyer_clinic_id] = found
    norrsken = by_buyer[clinics["third"]]
    assert len(norrsken.lines) == 9
    assert norrsken.total_ore == 3 * TREATMENTS_TOTAL
    assert norrsken.patient_reference == "Se raderna"
    assert norrsken.lines[0].description.startswith("20150307-2389 Maja Lindqvist:")
    assert by_buyer[clinics["other"]].total_ore == TREATMENTS_TOTAL
    assert create_collective_invoices(store, actor, date(2026, 11, 1), date(2026, 11, 30)) == []


def test_a_failed_invoice_gives_its_number_back(store: Store, actor: User, invoice_id: int) -> None:
    taken: list[int] = []

    def fail_after_taking_a_number() -> None:
        with store.transaction():
            taken.append(store.invoices.take_number())
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        fail_after_taking_a_number()
    assert taken == [2]
    assert store.invoices.last_number() == 1
    credit_id = issue_credit_note(store, actor, invoice_id, TODAY, "Fel")
    credit = store.invoices.get(credit_id)
    assert credit is not None
    assert credit.number == 2
    assert store.invoices.numbers() == [1, 2]


def test_a_number_is_only_taken_inside_a_transaction(store: Store, invoice_id: int) -> None:
    with pytest.raises(RuntimeError, match="inside"):
        store.invoices.take_number()
