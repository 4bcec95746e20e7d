"""The access-log review report (loggkontroll): what was reviewed, by whom, what was found."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.units import mm

from clinic_desk.documents.pdf_base import PAGE_HEIGHT, TextFlow, draw_letterhead, new_canvas
from clinic_desk.domain.clinics import Clinic


@dataclass(frozen=True)
class ReviewReport:
    """Everything the report shows, as text."""

    reviewer: str
    reviewed_at: datetime
    criteria: Sequence[tuple[str, str]]  # (what, value) of the filter
    total: int
    flag_counts: Sequence[tuple[str, int]]  # (flag label, entries)
    flagged: Sequence[Sequence[str]]  # time, user, action, personal number, flags
    chain_status: str
    note: str


def review_pdf(clinic: Clinic, report: ReviewReport) -> bytes:
    """A4 report: criteria, the chain check, counts per flag, every flagged entry, the note."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, "Loggkontroll", clinic.name)
    draw_letterhead(canvas, clinic, "Loggkontroll", report.reviewed_at.date())
    flow = TextFlow(canvas, clinic, top=PAGE_HEIGHT - 55 * mm)
    flow.heading("Granskning av åtkomstloggen")
    flow.rows(
        [0, 150],
        [
            ("Granskad av", report.reviewer),
            ("Granskad", report.reviewed_at.strftime("%Y-%m-%d %H:%M")),
            *report.criteria,
            ("Poster i urvalet", str(report.total)),
            ("Loggkedjan", report.chain_status),
        ],
        size=10,
    )
    flow.heading("Flaggad åtkomst", 11)
    flow.rows([0, 300], [(label, str(count)) for label, count in report.flag_counts], size=10)
    if report.flagged:
        flow.rows(
            [0, 80, 200, 310, 400],
            [tuple(cell[:40] for cell in row) for row in report.flagged],
            size=8,
            header=("Tid", "Användare", "Händelse", "Personnummer", "Flaggor"),
        )
    else:
        flow.paragraph("Ingen flaggad åtkomst i urvalet.")
    flow.heading("Bedömning", 11)
    flow.paragraph(report.note.strip() or "Ingen kommentar.")
    flow.finish()
    canvas.save()
    return buffer.getvalue()
