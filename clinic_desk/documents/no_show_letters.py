"""Letters about missed times: the written notice after repeated no-shows and the fee."""

from __future__ import annotations

import io
from datetime import date, datetime

from clinic_desk.documents.pdf_base import (
    Address,
    TextFlow,
    draw_address,
    draw_letterhead,
    new_canvas,
)
from clinic_desk.domain.billing import format_kronor
from clinic_desk.domain.clinics import Clinic
from clinic_desk.domain.invoicing import VAT_EXEMPT_TEXT
from clinic_desk.domain.letters import Recipient


def _address(recipient: Recipient) -> Address:
    return Address(
        tuple(
            x
            for x in (
                recipient.name,
                recipient.address_line,
                f"{recipient.postal_code} {recipient.city}".strip(),
            )
            if x
        )
    )


def notice_pdf(
    clinic: Clinic, recipient: Recipient, patient_name: str, missed: list[datetime], today: date
) -> bytes:
    """The written notice to a guardian (or the young adult) after repeated no-shows."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, "Uteblivna besök", clinic.name)
    draw_letterhead(canvas, clinic, "Uteblivna besök", today)
    draw_address(canvas, _address(recipient))
    flow = TextFlow(canvas, clinic)
    flow.paragraph(f"Hej {recipient.name}!")
    flow.paragraph(f"{patient_name} har inte kommit till följande bokade tider hos oss:")
    flow.rows([0], [[f"{moment:%Y-%m-%d} kl. {moment:%H:%M}"] for moment in missed], size=10)
    flow.paragraph(
        "Regelbundna undersökningar är viktiga för att upptäcka och förebygga problem med "
        "tänderna i tid. Tandvården är avgiftsfri för barn och unga vuxna till och med det år "
        "de fyller 19."
    )
    flow.paragraph(
        f"Ring oss på {clinic.phone or 'kliniken'} så bokar vi en ny tid som passar er. "
        "Kan ni inte komma på en bokad tid – avboka gärna senast dagen före."
    )
    flow.paragraph(f"Med vänliga hälsningar\n{clinic.name}")
    flow.finish()
    canvas.save()
    return buffer.getvalue()


def fee_pdf(
    clinic: Clinic,
    recipient: Recipient,
    patient_name: str,
    reason: str,
    amount_ore: int,
    ocr: str,
    number: int,
    issued: date,
    due: date,
) -> bytes:
    """A payable fee (no-show at an agreed time, or a lost brace or splint), with OCR."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, f"Avgift {number}", clinic.name)
    draw_letterhead(canvas, clinic, "Avgift", issued, f"Nummer: {number}")
    draw_address(canvas, _address(recipient))
    flow = TextFlow(canvas, clinic)
    flow.paragraph(f"Patient: {patient_name}")
    flow.rows([0, 330], [[reason, format_kronor(amount_ore)]], size=10, header=["Avser", "Belopp"])
    flow.paragraph(VAT_EXEMPT_TEXT)
    flow.rows(
        [0, 150],
        [
            ["Att betala", format_kronor(amount_ore)],
            ["Förfallodag", due.isoformat()],
            ["Bankgiro", clinic.bankgiro or "–"],
            ["OCR-nummer", ocr],
        ],
        size=11,
    )
    flow.paragraph(
        f"Ange OCR-numret vid betalning. Frågor om avgiften? Ring {clinic.phone or 'kliniken'}."
    )
    flow.finish()
    canvas.save()
    return buffer.getvalue()
