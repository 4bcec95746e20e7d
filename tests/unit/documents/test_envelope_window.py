"""Every letter's recipient address lies inside the window of a C5/C4 window envelope:
pypdf reads where each string is drawn, and its width is measured in the font it uses."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from clinic_desk.documents.no_show_letters import fee_pdf, notice_pdf
from clinic_desk.documents.pdf_base import ENVELOPE_WINDOW, FONT, PAGE_HEIGHT
from clinic_desk.documents.recall_letter import recall_letter_pdf
from clinic_desk.domain.clinics import Clinic
from clinic_desk.domain.letters import Recipient
from clinic_desk.domain.people import User
from clinic_desk.domain.recall_letters import LetterChild, RecallLetter
from clinic_desk.store.store import Store
from clinic_desk.workflows.emergency import register_emergency_visit
from clinic_desk.workflows.invoices import invoice_document
from tests.unit.workflows.invoicing_support import set_up_invoicing, visit_draft

TODAY = date(2026, 11, 23)
CLINIC = Clinic(
    id=1, code="NORR", name="Tandläkarhuset Norrsken", org_number="559012-3450",
    address_line="Storgatan 1", postal_code="903 25", city="Umeå", phone="090-123 45",
    email="info@norrsken.example", invoice_address="", bankgiro="5050-1055", f_skatt=True,
    hsa_id="", is_own=True, area_responsible=True,
)  # fmt: skip
SHORT = Recipient("Anna Lindqvist", "Storgatan 12", "903 25", "Umeå")
LONG = Recipient(
    "Anna-Karin Margareta Lindqvist-Östergren Johansson",
    "Övre Långgatan 122 B lägenhet 1403 c/o Familjen Berg-Åkerlund",
    "903 25",
    "Umeå",
)
TEMPLATE = "Hej {mottagare}!\n\nDags för tandvårdsundersökning för {barn}.\n\n{tider}"


def _drawn(pdf: bytes) -> list[tuple[str, float, float, float]]:
    """(text, x, baseline y, font size) of every string on the first page."""
    found: list[tuple[str, float, float, float]] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            text = text.strip()
            x = tm[4] * cm[0] + cm[4]
            y = tm[5] * cm[3] + cm[5]
            found.append((text, x, y, size * tm[0]))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return found


def _matches(drawn: str, line: str) -> bool:
    """The same text, or the text cut short with … to fit."""
    return drawn == line or (drawn.endswith("…") and line.startswith(drawn[:-1]))


def _assert_in_window(pdf: bytes, lines: list[str]) -> None:
    """The address lines are drawn one after another, each inside the window's margins."""
    x0, y0, x1, y1 = ENVELOPE_WINDOW.inner()
    drawn = _drawn(pdf)
    start = next(i for i, d in enumerate(drawn) if _matches(d[0], lines[0]))
    block = drawn[start : start + len(lines)]
    assert all(_matches(d[0], line) for d, line in zip(block, lines, strict=True)), block
    for text, x, y, size in block:
        right = x + stringWidth(text, FONT, size)
        assert x >= x0, (text, x / mm)
        assert right <= x1, (text, right / mm)
        assert y - 0.25 * size >= y0, (text, (PAGE_HEIGHT - y) / mm)  # descenders
        assert y + 0.75 * size <= y1, (text, (PAGE_HEIGHT - y) / mm)  # capitals


def test_the_window_is_the_swedish_c5_c4_left_window() -> None:
    assert (ENVELOPE_WINDOW.left, ENVELOPE_WINDOW.top) == (20 * mm, 45 * mm)
    assert (ENVELOPE_WINDOW.width, ENVELOPE_WINDOW.height) == (90 * mm, 45 * mm)


@pytest.mark.parametrize("recipient", [SHORT, LONG], ids=["short", "long"])
def test_recall_letter_address_is_in_the_window(recipient: Recipient) -> None:
    child = LetterChild(1, "Ella Lindqvist", datetime(2026, 12, 3, 9, 0), "Karin Ek")
    pdf = recall_letter_pdf(CLINIC, RecallLetter(recipient, (child,)), TEMPLATE, TODAY)
    _assert_in_window(pdf, [recipient.name, recipient.address_line, "903 25 Umeå"])


@pytest.mark.parametrize("recipient", [SHORT, LONG], ids=["short", "long"])
def test_no_show_letters_address_is_in_the_window(recipient: Recipient) -> None:
    notice = notice_pdf(CLINIC, recipient, "Ella Lindqvist", [datetime(2026, 11, 9, 9)], TODAY)
    _assert_in_window(notice, [recipient.name, recipient.address_line, "903 25 Umeå"])
    fee = fee_pdf(
        CLINIC, recipient, "Ella Lindqvist", "Uteblivet besök", 40_000, "12345678903", 7,
        TODAY, date(2026, 12, 23),
    )  # fmt: skip
    _assert_in_window(fee, [recipient.name, recipient.address_line, "903 25 Umeå"])


def test_nothing_but_the_address_shows_in_the_window() -> None:
    x0, y0, x1, y1 = (
        ENVELOPE_WINDOW.left,
        PAGE_HEIGHT - ENVELOPE_WINDOW.top - ENVELOPE_WINDOW.height,
        ENVELOPE_WINDOW.left + ENVELOPE_WINDOW.width,
        PAGE_HEIGHT - ENVELOPE_WINDOW.top,
    )
    child = LetterChild(1, "Ella Lindqvist", None, "Karin Ek")
    pdf = recall_letter_pdf(CLINIC, RecallLetter(SHORT, (child,)), TEMPLATE, TODAY)
    shown = [t for t, x, y, _s in _drawn(pdf) if x0 <= x <= x1 and y0 <= y <= y1]
    assert shown == [SHORT.name, SHORT.address_line, "903 25 Umeå"]


def test_invoice_buyer_address_is_in_the_window(
    store: Store, actor: User, clinics: dict[str, int], dentist_id: int
) -> None:
    set_up_invoicing(store, actor)
    visit_id = register_emergency_visit(
        store, actor, visit_draft(dentist_id, listed_clinic_id=clinics["third"]), TODAY,
        close=True,
    )  # fmt: skip
    visit = store.emergency.get(visit_id)
    assert visit is not None
    assert visit.invoice_id is not None
    invoice = store.invoices.get(visit.invoice_id)
    assert invoice is not None
    pdf = invoice_document(store, invoice.id)
    _assert_in_window(pdf, [invoice.buyer_name, *invoice.buyer_address])
