"""The invoice journal (fakturajournal) as CSV for the clinic's bookkeeping.

One row per invoice and credit note, in number order, so a gap in the series would show.
Semicolon-separated UTF-8 with a byte order mark, amounts in kronor with a decimal comma and
no thousands separator: what Swedish spreadsheet and bookkeeping programs read without
questions. Protected patients appear only by their case number (the invoice's reference).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from clinic_desk.domain.invoicing import Invoice, InvoiceKind, payer_label

HEADER = (
    "Nummer",
    "Typ",
    "Fakturadatum",
    "Förfallodatum",
    "Betalare",
    "Betalartyp",
    "OCR",
    "Belopp",
    "Moms",
    "Krediterar",
    "Avser",
    "Patientreferens",
)


def kronor_plain(ore: int) -> str:
    """Öre as plain kronor for bookkeeping: 123450 -> "1234,50", -500 -> "-5,00"."""
    sign = "-" if ore < 0 else ""
    kronor, rest = divmod(abs(ore), 100)
    return f"{sign}{kronor},{rest:02d}"


def journal_csv(invoices: Sequence[Invoice]) -> bytes:
    """The journal of the given invoices and credit notes (already in number order)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for invoice in invoices:
        writer.writerow(
            (
                invoice.number,
                "Kreditnota" if invoice.kind is InvoiceKind.CREDIT else "Faktura",
                invoice.issue_date.isoformat(),
                invoice.due_date.isoformat(),
                invoice.buyer_name,
                payer_label(invoice.payer_kind),
                invoice.ocr,
                kronor_plain(invoice.total_ore),
                kronor_plain(0),
                invoice.credits_number or "",
                invoice.service_text,
                invoice.patient_reference,
            )
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
