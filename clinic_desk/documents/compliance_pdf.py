"""The compliance dashboard on paper, for the quality meeting: a light per area, every check
with its count and the change since last week, and the sanction ladder's running total.

Counts only: the meeting discusses the clinic's standing, so no patient is named.
"""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from clinic_desk.documents.pdf_base import (
    BOLD,
    FONT,
    LEFT,
    PAGE_HEIGHT,
    RIGHT,
    TextFlow,
    draw_letterhead,
    new_canvas,
)
from clinic_desk.domain.billing import format_kronor
from clinic_desk.domain.clinics import Clinic
from clinic_desk.domain.compliance import AREAS, Dashboard, Light

LIGHT_RGB = {
    Light.GREEN: (0.18, 0.60, 0.25),
    Light.YELLOW: (0.93, 0.71, 0.05),
    Light.RED: (0.75, 0.10, 0.10),
}


def _dot(flow: TextFlow, x: float, light: Light, radius: float = 3.2) -> None:
    flow.canvas.setFillColorRGB(*LIGHT_RGB[light])
    flow.canvas.circle(x, flow.y + radius * 0.9, radius, stroke=0, fill=1)
    flow.canvas.setFillColorRGB(0, 0, 0)


def _fit(text: str, width: float, size: float = 8.5) -> str:
    """The text cut to one line of `width` points, with an ellipsis when cut."""
    if stringWidth(text, FONT, size) <= width:
        return text
    while text and stringWidth(text + " …", FONT, size) > width:
        text = text[:-1]
    return text.rstrip() + " …"


def dashboard_pdf(clinic: Clinic, dashboard: Dashboard, printed_by: str) -> bytes:
    """A4: rules in force, lights per area, the checks by area, sanctions."""
    buffer = io.BytesIO()
    title = "Avtalsuppföljning"
    canvas = new_canvas(buffer, title, clinic.name)
    draw_letterhead(canvas, clinic, title, dashboard.today)
    flow = TextFlow(canvas, clinic, top=PAGE_HEIGHT - 50 * mm)
    flow.heading(f"Avtalsuppföljning {dashboard.today.isoformat()}", 14)
    since = (
        f"Förändring jämfört med {dashboard.week_ago.isoformat()}."
        if dashboard.week_ago
        else "Ingen siffra från förra veckan att jämföra med ännu."
    )
    flow.paragraph(
        f"Avtalsregler: {dashboard.rules.label} ({dashboard.rules.source}). {since} "
        f"Utskriven av {printed_by}. Bara antal – inga patienter namnges."
    )
    lights = dashboard.lights
    flow.heading("Läge per område", 12)
    for area in AREAS:
        flow.need(16)
        _dot(flow, LEFT + 4, lights[area], 4)
        canvas.setFont(BOLD, 10)
        canvas.drawString(LEFT + 14, flow.y, area.label)
        canvas.setFont(FONT, 10)
        canvas.drawString(LEFT + 180, flow.y, lights[area].label)
        flow.y -= 15
    flow.y -= 6
    for area in AREAS:
        results = dashboard.in_area(area)
        if not results:
            continue
        flow.heading(area.label, 11)
        canvas.setFont(BOLD, 8.5)
        flow.need(24)
        for x, text in ((14, "Kontroll"), (215, "Antal"), (250, "Vecka"), (285, "Gäller")):
            canvas.drawString(LEFT + x, flow.y, text)
        flow.y -= 12
        for r in results:
            flow.need(13)
            _dot(flow, LEFT + 4, r.light)
            canvas.setFont(FONT, 8.5)
            canvas.drawString(LEFT + 14, flow.y, _fit(r.title, 195))
            canvas.drawRightString(LEFT + 240, flow.y, str(r.count))
            canvas.drawString(LEFT + 250, flow.y, dashboard.trends[r.key].text)
            canvas.drawString(LEFT + 285, flow.y, _fit(r.summary, RIGHT - LEFT - 285))
            flow.y -= 12.5
        flow.y -= 4
    flow.heading("Sanktioner enligt sanktionstrappan", 11)
    sanctions = dashboard.sanctions
    if not sanctions.by_month:
        flow.paragraph("Inga sanktioner.")
    else:
        flow.rows(
            [0, 90, 180],
            [
                (f"{month:%Y-%m}", str(listed), format_kronor(kr * 100))
                for month, listed, kr in sanctions.by_month[-12:]
            ],
            size=9,
            header=("Månad", "Listade", "Sanktion"),
        )
        flow.paragraph(
            f"Sammanlagt sedan första begäran: {format_kronor(sanctions.total_kr * 100)}."
        )
    flow.finish()
    canvas.save()
    return buffer.getvalue()
