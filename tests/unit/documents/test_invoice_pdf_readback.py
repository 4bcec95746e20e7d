"""The archived invoice and credit note PDFs say what RULES.md §9 requires: pypdf reads the
number, OCR, amount, due date, organisation number and VAT exemption back from the bytes."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from pypdf import PdfReader

from clinic_desk.domain.invoicing import usingqr_payload
from clinic_desk.domain.people import User
from clinic_desk.store.store import Store
from clinic_desk.workflows.emergency import register_emergency_visit, return_report_document
from clinic_desk.workflows.invoices import (
    invoice_document,
    issue_credit_note,
    send_reminder,
)
from tests.unit.workflows.invoicing_support import set_up_invoicing, visit_draft

TODAY = date(2026, 11, 23)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # pypdf returns each drawn string on its own line: compare with single spaces.
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.fixture
def visit_id(store: Store, actor: User, clinics: dict[str, int], dentist_id: int) -> int:
    set_up_invoicing(store, actor)
    return register_emergency_visit(
        store, actor, visit_draft(dentist_id, listed_clinic_id=clinics["third"]), TODAY,
        close=True,
    )  # fmt: skip


def test_invoice_pdf_reads_back(store: Store, visit_id: int) -> None:
    visit = store.emergency.get(visit_id)
    assert visit is not None
    assert visit.invoice_id is not None
    invoice = store.invoices.get(visit.invoice_id)
    assert invoice is not None
    text = _text(invoice_document(store, invoice.id))
    assert "FAKTURA" in text
    assert f"Fakturanummer {invoice.number}" in text
    assert f"OCR-nummer {invoice.ocr}" in text
    assert "Att betala 2 085,00 kr" in text
    assert "Förfallodatum 2026-12-23" in text
    assert "Fakturadatum 2026-11-23" in text
    assert "559012-3450" in text  # the seller's organisation number
    assert "Godkänd för F-skatt" in text
    assert "Momsfri tandvård" in text
    assert "undantagen från mervärdesskatt" in text
    assert "Bankgiro 5050-1055" in text
    assert "Tandläkarhuset Norrsken" in text  # the buyer
    assert "Storgatan 1" in text  # the seller's address
    assert "Akut tandvård 2026-11-20" in text  # service and treatment date
    assert "Patientreferens: 20150307-2389 Maja Lindqvist" in text
    for code in ("103", "301", "401"):
        assert code in text


def test_credit_note_pdf_reads_back_and_refers_to_the_invoice(
    store: Store, actor: User, visit_id: int
) -> None:
    visit = store.emergency.get(visit_id)
    assert visit is not None
    assert visit.invoice_id is not None
    credit_id = issue_credit_note(store, actor, visit.invoice_id, TODAY, "Fel tand", 48_000)
    credit = store.invoices.get(credit_id)
    assert credit is not None
    text = _text(invoice_document(store, credit_id))
    assert "KREDITNOTA" in text
    assert f"Kreditnotanummer {credit.number}" in text
    assert "Krediterar faktura 1" in text
    assert f"OCR-nummer {credit.ocr}" in text
    assert "Att kreditera -480,00 kr" in text
    assert "Förfallodatum 2026-11-23" in text
    assert "559012-3450" in text
    assert "Momsfri tandvård" in text
    assert "Orsak: Fel tand" in text


def test_reminder_and_return_report_read_back(store: Store, actor: User, visit_id: int) -> None:
    visit = store.emergency.get(visit_id)
    assert visit is not None
    assert visit.invoice_id is not None
    report = _text(return_report_document(store, visit_id))
    assert "Återföring efter akut tandvård" in report
    assert "Djup karies 46" in report
    assert "Följ upp 46 inom två veckor" in report
    document_id = send_reminder(store, actor, visit.invoice_id, date(2027, 1, 22))
    reminder = _text(store.documents.content(document_id))
    assert "BETALNINGSPÅMINNELSE" in reminder
    assert "Dagar efter förfallodag 30" in reminder
    # 208 500 öre x 10.25 % x 30/365 = 1 756.5 -> 1 757 öre
    assert "Dröjsmålsränta 17,57 kr" in reminder
    assert "Att betala nu 2 102,57 kr" in reminder


def test_payment_qr_payload_follows_usingqr() -> None:
    payload = json.loads(
        usingqr_payload(
            seller_name="Tandkliniken Testgården",
            org_number="559012-3450",
            ocr="133",
            issue_date=date(2026, 11, 23),
            due_date=date(2026, 12, 23),
            amount_ore=208_550,
            bankgiro="5050-1055",
        )
    )
    assert payload == {
        "uqr": 1,
        "tp": 1,
        "nme": "Tandkliniken Testgården",
        "cc": "SE",
        "cid": "559012-3450",
        "iref": "133",
        "idt": "20261123",
        "ddt": "20261223",
        "due": 2085.5,
        "cur": "SEK",
        "pt": "BG",
        "acc": "5050-1055",
    }


def test_the_qr_code_is_drawn_only_when_asked(
    store: Store, actor: User, clinics: dict[str, int], dentist_id: int
) -> None:
    set_up_invoicing(store, actor, qr=False)
    plain_visit = register_emergency_visit(
        store, actor, visit_draft(dentist_id, listed_clinic_id=clinics["third"]), TODAY,
        close=True,
    )  # fmt: skip
    found = store.emergency.get(plain_visit)
    assert found is not None
    assert found.invoice_id is not None
    plain = invoice_document(store, found.invoice_id)
    assert "Skanna med bankappen" not in _text(plain)
    set_up_invoicing(store, actor, qr=True)
    qr_visit = register_emergency_visit(
        store, actor, visit_draft(dentist_id, personal_id="20120101-2380",
                                  listed_clinic_id=clinics["third"]), TODAY, close=True,
    )  # fmt: skip
    found = store.emergency.get(qr_visit)
    assert found is not None
    assert found.invoice_id is not None
    assert "Skanna med bankappen" in _text(invoice_document(store, found.invoice_id))
