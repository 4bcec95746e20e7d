"""The tobacco information sheet handed to a patient who uses tobacco or nicotine (000 §2.5).

It names the national quit line (Sluta-röka-linjen, 020-84 00 00, free of charge) and the
region's own support; the region's text is a clinic setting so that it can be kept current
without a new program version.
"""

from __future__ import annotations

import io
from datetime import date

from clinic_desk.documents.pdf_base import (
    Address,
    TextFlow,
    draw_address,
    draw_letterhead,
    new_canvas,
)
from clinic_desk.domain.clinics import Clinic

TITLE = "Vill du sluta med tobak eller nikotin?"
QUIT_LINE = "Sluta-röka-linjen 020-84 00 00"
DEFAULT_REGION_SUPPORT = (
    "Region Västerbotten: på din hälsocentral finns tobaksavvänjare som hjälper dig att "
    "sluta, gratis. Kontakta din hälsocentral eller logga in på 1177.se."
)


def tobacco_sheet_paragraphs(clinic: Clinic, region_support: str) -> list[str]:
    """The sheet's text, paragraph by paragraph."""
    return [
        "Cigaretter, snus, vitt snus och nikotinpåsar, e-cigaretter och vattenpipa skadar "
        "munnen: tandköttet drar sig tillbaka, tänderna missfärgas, sår läker sämre och risken "
        "för tandlossning och cancer i munnen ökar. Nikotin är starkt beroendeframkallande, "
        "särskilt för unga.",
        "Det går att sluta, och det är lättare med stöd. Du behöver inte ha bestämt dig – "
        "du kan ringa och prata om hur du använder tobak eller nikotin.",
        f"{QUIT_LINE} – gratis rådgivning per telefon och chatt för dig som vill sluta röka, "
        "snusa, vejpa eller använda nikotinpåsar. Webb: slutarokalinjen.se.",
        region_support.strip() or DEFAULT_REGION_SUPPORT,
        f"Du kan också fråga oss på {clinic.name}"
        + (f", telefon {clinic.phone}" if clinic.phone else "")
        + ". Vi följer upp dina tobaksvanor vid nästa undersökning.",
    ]


def tobacco_sheet_pdf(
    clinic: Clinic, patient_name: str, region_support: str, printed_on: date
) -> bytes:
    """A one-page information sheet addressed to the patient, the quit line in bold."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, TITLE, clinic.name)
    draw_letterhead(canvas, clinic, "Information", printed_on)
    draw_address(canvas, Address((patient_name,)))
    flow = TextFlow(canvas, clinic)
    flow.heading(TITLE, size=14)
    paragraphs = tobacco_sheet_paragraphs(clinic, region_support)
    flow.paragraph(paragraphs[0])
    flow.paragraph(paragraphs[1])
    flow.heading(f"Ring {QUIT_LINE}", size=13)
    for text in paragraphs[2:]:
        flow.paragraph(text)
    flow.finish()
    canvas.save()
    return buffer.getvalue()
