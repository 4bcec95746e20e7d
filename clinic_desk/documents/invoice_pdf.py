"""Invoice and credit note PDFs with every field of RULES.md §9, and the reminder letter.

Layout: letterhead, buyer in the envelope window, the invoice facts to the right of it, the
rows with TLV code and amount, the total with the VAT exemption, a payment box (bankgiro, OCR,
amount, due date, and optionally a payment QR code) and the seller's footer.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import segno
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from clinic_desk.documents.pdf_base import (
    ADDRESS_TOP,
    BOLD,
    BOTTOM,
    FONT,
    LEFT,
    PAGE_HEIGHT,
    RIGHT,
    Address,
    draw_address,
    draw_footer,
    draw_letterhead,
    new_canvas,
    wrap,
)
from clinic_desk.domain.billing import format_kronor
from clinic_desk.domain.clinics import Clinic
from clinic_desk.domain.invoicing import (
    VAT_EXEMPT_TEXT,
    Invoice,
    InvoiceKind,
    usingqr_payload,
)

FACTS_X = 118 * mm
_COLUMNS = (0.0, 24 * mm, 38 * mm, 122 * mm)  # date, code, treatment, tooth; amount at RIGHT
_ROW = 13.0


@dataclass(frozen=True)
class ReminderFacts:
    """What a reminder letter states about the overdue invoice."""

    sent_on: date
    days_late: int
    balance_ore: int
    interest_ore: int
    reference_rate: str
    reminder_number: int


def _text(value: str) -> str:
    # Helvetica (WinAnsi) has no glyph for U+2212; the hyphen is what banks expect anyway.
    return value.replace("\u2212", "-")


def _facts(invoice: Invoice, seller: Clinic) -> list[tuple[str, str]]:
    credit = invoice.kind is InvoiceKind.CREDIT
    facts = [
        ("Kreditnotanummer" if credit else "Fakturanummer", str(invoice.number)),
        ("Fakturadatum", invoice.issue_date.isoformat()),
        ("Förfallodatum", invoice.due_date.isoformat()),
        ("OCR-nummer", invoice.ocr),
    ]
    if credit and invoice.credits_number is not None:
        facts.append(("Krediterar faktura", str(invoice.credits_number)))
    if not credit:
        days = (invoice.due_date - invoice.issue_date).days
        facts.append(("Betalningsvillkor", f"{days} dagar netto"))
    facts.append(("Bankgiro", seller.bankgiro or "–"))
    facts.append(("Org.nr säljare", seller.org_number))
    return facts


class _Page:
    """Tracks the y position and starts new pages with the footer."""

    def __init__(self, canvas: Canvas, seller: Clinic) -> None:
        self.canvas = canvas
        self.seller = seller
        self.y = 0.0
        self.page = 1

    def need(self, height: float) -> None:
        if self.y - height < BOTTOM + 10 * mm:
            draw_footer(self.canvas, self.seller, self.page)
            self.canvas.showPage()
            self.page += 1
            self.y = PAGE_HEIGHT - 25 * mm

    def line(self, text: str, size: float = 9, bold: bool = False, x: float = LEFT) -> None:
        self.need(size * 1.5)
        self.canvas.setFont(BOLD if bold else FONT, size)
        self.canvas.drawString(x, self.y, _text(text))
        self.y -= size * 1.45

    def wrapped(self, text: str, size: float = 9, bold: bool = False) -> None:
        for part in wrap(_text(text), RIGHT - LEFT, BOLD if bold else FONT, size):
            self.line(part, size, bold)


def _draw_rows(page: _Page, invoice: Invoice) -> None:
    c = page.canvas
    page.need(_ROW * 3)
    c.setFont(BOLD, 9)
    for x, head in zip(_COLUMNS, ("Datum", "Kod", "Åtgärd", "Tand"), strict=True):
        c.drawString(LEFT + x, page.y, head)
    c.drawRightString(RIGHT, page.y, "Belopp")
    page.y -= 4
    c.line(LEFT, page.y, RIGHT, page.y)
    page.y -= _ROW - 2
    for line in invoice.lines:
        parts = wrap(_text(line.description), _COLUMNS[3] - _COLUMNS[2] - 6, FONT, 9)
        page.need(_ROW * len(parts))
        c.setFont(FONT, 9)
        c.drawString(LEFT, page.y, line.treatment_date.isoformat() if line.treatment_date else "")
        c.drawString(LEFT + _COLUMNS[1], page.y, line.code)
        c.drawString(LEFT + _COLUMNS[3], page.y, line.tooth)
        c.drawRightString(RIGHT, page.y, _text(format_kronor(line.amount_ore)))
        for index, part in enumerate(parts):
            c.drawString(LEFT + _COLUMNS[2], page.y - index * _ROW, part)
        page.y -= _ROW * len(parts)
    c.line(LEFT, page.y + _ROW - 4, RIGHT, page.y + _ROW - 4)


def _draw_total(page: _Page, invoice: Invoice) -> None:
    c = page.canvas
    credit = invoice.kind is InvoiceKind.CREDIT
    page.need(_ROW * 4)
    c.setFont(FONT, 9)
    c.drawString(LEFT + _COLUMNS[2], page.y, "Moms")
    c.drawRightString(RIGHT, page.y, _text(format_kronor(0)))
    page.y -= _ROW + 2
    c.setFont(BOLD, 11)
    c.drawString(LEFT + _COLUMNS[2], page.y, "Att kreditera" if credit else "Att betala")
    c.drawRightString(RIGHT, page.y, _text(format_kronor(invoice.total_ore)))
    page.y -= _ROW + 6
    page.wrapped(VAT_EXEMPT_TEXT, 8.5)


def _draw_qr(c: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """A QR code as one filled path of dark runs (no image: sharp in print, nothing to
    embed). The mask is fixed: every QR reader accepts any of the eight masks, and letting
    segno score all eight took 10 ms of the invoice's 12."""
    qr = segno.make(payload, error="m", micro=False, mask=4, boost_error=False)
    matrix = qr.matrix
    count = len(matrix) + 8  # the quiet zone of four modules on each side
    module = size / count
    c.setFillColorRGB(1, 1, 1)
    c.rect(x, y, size, size, stroke=0, fill=1)
    c.setFillColorRGB(0, 0, 0)
    path = c.beginPath()
    for r, row in enumerate(matrix):
        bottom = y + size - (r + 5) * module
        start = None
        for col, dark in enumerate((*row, 0)):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                path.rect(x + (start + 4) * module, bottom, (col - start) * module, module)
                start = None
    c.drawPath(path, stroke=0, fill=1)


def _draw_payment_box(page: _Page, invoice: Invoice, seller: Clinic, with_qr: bool) -> None:
    c = page.canvas
    height = 34 * mm
    page.need(height + 8 * mm)
    top = page.y - 4 * mm
    c.setLineWidth(0.8)
    c.rect(LEFT, top - height, RIGHT - LEFT, height, stroke=1, fill=0)
    c.setFont(BOLD, 10)
    c.drawString(LEFT + 4 * mm, top - 6 * mm, "Betalning")
    rows = (
        ("Bankgiro", seller.bankgiro or "–"),
        ("OCR-nummer", invoice.ocr),
        ("Belopp", _text(format_kronor(invoice.total_ore))),
        ("Förfallodatum", invoice.due_date.isoformat()),
    )
    for index, (label, value) in enumerate(rows):
        y = top - 12 * mm - index * 5 * mm
        c.setFont(FONT, 9)
        c.drawString(LEFT + 4 * mm, y, label)
        c.setFont(BOLD, 10)
        c.drawString(LEFT + 34 * mm, y, value)
    c.setFont(FONT, 8)
    c.drawString(
        LEFT + 4 * mm, top - height + 3 * mm, "Ange OCR-numret som referens vid betalning."
    )
    if with_qr and seller.bankgiro:
        payload = usingqr_payload(
            seller_name=seller.name,
            org_number=seller.org_number,
            ocr=invoice.ocr,
            issue_date=invoice.issue_date,
            due_date=invoice.due_date,
            amount_ore=invoice.total_ore,
            bankgiro=seller.bankgiro,
        )
        side = height - 4 * mm
        _draw_qr(c, payload, RIGHT - side - 2 * mm, top - height + 2 * mm, side)
        c.setFont(FONT, 7)
        c.drawRightString(RIGHT - side - 4 * mm, top - height + 4 * mm, "Skanna med bankappen")
    page.y = top - height - 4 * mm


def invoice_pdf(
    invoice: Invoice,
    seller: Clinic,
    *,
    credited: Invoice | None = None,
    with_qr: bool = False,
) -> bytes:
    """The PDF of an invoice or a credit note (`credited` = the invoice a credit note refers
    to). `with_qr` adds a payment QR code to invoices (never to credit notes)."""
    credit = invoice.kind is InvoiceKind.CREDIT
    title = "KREDITNOTA" if credit else "FAKTURA"
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, f"{title.capitalize()} {invoice.number}", seller.name)
    draw_letterhead(canvas, seller, title, invoice.issue_date, f"Nr {invoice.number}")
    draw_address(canvas, Address((invoice.buyer_name, *invoice.buyer_address)))
    for index, (label, value) in enumerate(_facts(invoice, seller)):
        y = ADDRESS_TOP - index * 12
        canvas.setFont(FONT, 8.5)
        canvas.drawString(FACTS_X, y, label)
        canvas.setFont(BOLD, 9)
        canvas.drawString(FACTS_X + 30 * mm, y, value)
    page = _Page(canvas, seller)
    page.y = ADDRESS_TOP - 9 * 14
    page.line(f"Avser: {invoice.service_text}", 10, bold=True)
    page.line(f"Patientreferens: {invoice.patient_reference}", 9)
    if credit:
        original = credited.issue_date.isoformat() if credited else ""
        page.line(
            f"Kreditnotan avser faktura {invoice.credits_number}"
            + (f" daterad {original}" if original else "")
            + (f", OCR {credited.ocr}" if credited else "")
            + ".",
            9,
        )
        if invoice.reason:
            page.wrapped(f"Orsak: {invoice.reason}", 9)
    page.y -= 6
    _draw_rows(page, invoice)
    _draw_total(page, invoice)
    if credit:
        page.y -= 4
        page.wrapped(
            "Beloppet dras av från den krediterade fakturan. Redan betalt belopp som blir "
            "över återbetalas till er.",
            9,
        )
    else:
        _draw_payment_box(page, invoice, seller, with_qr)
    draw_footer(canvas, seller, page.page)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def reminder_pdf(invoice: Invoice, seller: Clinic, facts: ReminderFacts) -> bytes:
    """A reminder letter for an overdue invoice, with the late-payment interest claimed."""
    buffer = io.BytesIO()
    title = "BETALNINGSPÅMINNELSE"
    canvas = new_canvas(buffer, f"Påminnelse faktura {invoice.number}", seller.name)
    draw_letterhead(canvas, seller, title, facts.sent_on, f"Faktura {invoice.number}")
    draw_address(canvas, Address((invoice.buyer_name, *invoice.buyer_address)))
    page = _Page(canvas, seller)
    page.y = ADDRESS_TOP - 9 * 14
    page.line(f"Påminnelse {facts.reminder_number} – faktura {invoice.number}", 11, bold=True)
    page.y -= 4
    page.wrapped(
        f"Vi har inte fått full betalning för faktura {invoice.number} daterad "
        f"{invoice.issue_date.isoformat()} med förfallodag {invoice.due_date.isoformat()}. "
        "Om betalningen redan är gjord kan ni bortse från den här påminnelsen.",
        10,
    )
    page.y -= 6
    lines: Sequence[tuple[str, str]] = (
        ("Avser", invoice.service_text),
        ("Patientreferens", invoice.patient_reference),
        ("Fakturabelopp", format_kronor(invoice.total_ore)),
        ("Kvar att betala", format_kronor(facts.balance_ore)),
        ("Dagar efter förfallodag", str(facts.days_late)),
        (
            "Dröjsmålsränta",
            f"{format_kronor(facts.interest_ore)} (referensränta {facts.reference_rate} % "
            "+ 8 procentenheter, räntelagen 6 §)",
        ),
        ("Att betala nu", format_kronor(facts.balance_ore + facts.interest_ore)),
    )
    for label, value in lines:
        page.need(14)
        canvas.setFont(FONT, 9.5)
        canvas.drawString(LEFT, page.y, label)
        canvas.setFont(BOLD if label == "Att betala nu" else FONT, 9.5)
        canvas.drawString(LEFT + 48 * mm, page.y, _text(value))
        page.y -= 14
    page.y -= 6
    page.wrapped(
        f"Betala till bankgiro {seller.bankgiro} och ange OCR-nummer {invoice.ocr}. "
        "Räntan löper till dess betalning sker.",
        10,
    )
    page.wrapped(VAT_EXEMPT_TEXT, 8.5)
    draw_footer(canvas, seller, page.page)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
