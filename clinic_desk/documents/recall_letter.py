"""The recall letter (kallelse) PDF: letterhead, window address, the filled-in template."""

from __future__ import annotations

import io
from datetime import date

from clinic_desk.documents.pdf_base import Address, letter_pdf
from clinic_desk.domain.clinics import Clinic
from clinic_desk.domain.recall_letters import RecallLetter, letter_text


def recall_letter_pdf(clinic: Clinic, letter: RecallLetter, template: str, today: date) -> bytes:
    """One letter as PDF bytes (A4, fits a C5/C4 window envelope)."""
    r = letter.recipient
    address = Address(
        tuple(x for x in (r.name, r.address_line, f"{r.postal_code} {r.city}".strip()) if x)
    )
    text = letter_text(template, letter, clinic.name, clinic.phone)
    paragraphs = [part.strip() for part in text.split("\n\n") if part.strip()]
    return letter_pdf(clinic, address, "Kallelse", today, paragraphs)


def join_pdfs(documents: list[bytes]) -> bytes:
    """Archived PDFs one after another in one file, for printing a batch as it was sent."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for content in documents:
        for page in PdfReader(io.BytesIO(content)).pages:
            writer.add_page(page)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
