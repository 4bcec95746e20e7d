"""Building blocks shared by every PDF: letterhead, window-envelope address, footer, text.

A4, reportlab's built-in Helvetica (covers å ä ö and is fast: no font embedding). The
recipient's address sits inside ENVELOPE_WINDOW, the window of a Swedish C5/C4 window
envelope (left window: 20 mm from the left edge, 45 mm from the top, 90 × 45 mm), with a
margin all round for the play of the folded sheet in the envelope.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from clinic_desk.domain.clinics import Clinic

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = 22 * mm
RIGHT = PAGE_WIDTH - 20 * mm
BODY_TOP = PAGE_HEIGHT - 105 * mm
BOTTOM = 28 * mm
FONT = "Helvetica"
BOLD = "Helvetica-Bold"


@dataclass(frozen=True)
class EnvelopeWindow:
    """Where an envelope's window lies over the letter, in points from the sheet's top
    left corner (the way it is measured on the envelope)."""

    left: float
    top: float
    width: float
    height: float
    margin: float  # the address keeps this far inside every edge

    def inner(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) in PDF coordinates (from the bottom left) where text may go."""
        return (
            self.left + self.margin,
            PAGE_HEIGHT - (self.top + self.height - self.margin),
            self.left + self.width - self.margin,
            PAGE_HEIGHT - (self.top + self.margin),
        )


# The one place the envelope is described: every letter, notice and invoice uses it.
ENVELOPE_WINDOW = EnvelopeWindow(
    left=20 * mm, top=45 * mm, width=90 * mm, height=45 * mm, margin=4 * mm
)
ADDRESS_SIZE = 11  # points; shrunk (down to ADDRESS_MIN_SIZE) for a line too long
ADDRESS_MIN_SIZE = 8
ADDRESS_LEADING = 14
ADDRESS_X = ENVELOPE_WINDOW.inner()[0]
ADDRESS_TOP = ENVELOPE_WINDOW.inner()[3] - ADDRESS_SIZE  # the first line's baseline
ADDRESS_MAX_LINES = int((ADDRESS_TOP - ENVELOPE_WINDOW.inner()[1]) // ADDRESS_LEADING) + 1


@dataclass(frozen=True)
class Address:
    """Lines for the envelope window (name first)."""

    lines: tuple[str, ...]


def new_canvas(buffer: io.BytesIO, title: str, author: str) -> Canvas:
    """An A4 canvas with document metadata; no compression of fonts (built-in only)."""
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(title)
    canvas.setAuthor(author)
    canvas.setCreator("Clinic Desk")
    return canvas


def draw_letterhead(
    canvas: Canvas, clinic: Clinic, doc_title: str, doc_date: date, reference: str = ""
) -> None:
    """Clinic name and contact top left; document title, date and reference top right."""
    top = PAGE_HEIGHT - 20 * mm
    canvas.setFont(BOLD, 14)
    canvas.drawString(LEFT, top, clinic.name)
    canvas.setFont(FONT, 9)
    lines = [
        clinic.address_line,
        f"{clinic.postal_code} {clinic.city}".strip(),
        " · ".join(x for x in (clinic.phone, clinic.email) if x),
    ]
    for index, line in enumerate(x for x in lines if x):
        canvas.drawString(LEFT, top - 12 - index * 11, line)
    canvas.setFont(BOLD, 12)
    canvas.drawRightString(RIGHT, top, doc_title)
    canvas.setFont(FONT, 9)
    canvas.drawRightString(RIGHT, top - 12, f"Datum: {doc_date.isoformat()}")
    if reference:
        canvas.drawRightString(RIGHT, top - 23, reference)


def draw_address(canvas: Canvas, address: Address) -> None:
    """The recipient inside the envelope window: a line too wide is set smaller, and cut
    (with …) only if it is too wide even at the smallest size."""
    x0, _y0, x1, _y1 = ENVELOPE_WINDOW.inner()
    room = x1 - x0
    for index, line in enumerate(address.lines[:ADDRESS_MAX_LINES]):
        size: float = ADDRESS_SIZE
        while size > ADDRESS_MIN_SIZE and stringWidth(line, FONT, size) > room:
            size -= 0.5
        while stringWidth(line, FONT, size) > room and len(line) > 1:
            line = line[:-2] + "…"
        canvas.setFont(FONT, size)
        canvas.drawString(ADDRESS_X, ADDRESS_TOP - index * ADDRESS_LEADING, line)


def draw_footer(canvas: Canvas, clinic: Clinic, page: int, pages: int | None = None) -> None:
    """Organisation number, F-skatt, bankgiro and the page number at the bottom."""
    canvas.setFont(FONT, 8)
    parts = [clinic.name, f"Org.nr {clinic.org_number}"]
    if clinic.f_skatt:
        parts.append("Godkänd för F-skatt")
    if clinic.bankgiro:
        parts.append(f"Bankgiro {clinic.bankgiro}")
    canvas.line(LEFT, 20 * mm, RIGHT, 20 * mm)
    canvas.drawString(LEFT, 15 * mm, " · ".join(parts))
    label = f"Sida {page}" + (f" av {pages}" if pages else "")
    canvas.drawRightString(RIGHT, 15 * mm, label)


def wrap(text: str, width: float, font: str = FONT, size: float = 10) -> list[str]:
    """Split text into lines that fit `width` points (paragraphs kept)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines.extend(simpleSplit(paragraph, font, size, width) or [""])
    return lines


class TextFlow:
    """Writes wrapped paragraphs down the page, starting new pages as needed."""

    def __init__(
        self,
        canvas: Canvas,
        clinic: Clinic,
        top: float = BODY_TOP,
        on_new_page: Sequence[object] = (),
    ) -> None:
        self.canvas = canvas
        self.clinic = clinic
        self.y = top
        self.page = 1
        self._on_new_page = on_new_page

    def new_page(self) -> None:
        """Finish this page and start the next one."""
        draw_footer(self.canvas, self.clinic, self.page)
        self.canvas.showPage()
        self.page += 1
        self.y = PAGE_HEIGHT - 25 * mm

    def need(self, height: float) -> None:
        """Start a new page unless `height` points are left."""
        if self.y - height < BOTTOM:
            self.new_page()

    def heading(self, text: str, size: float = 12) -> None:
        """A bold line with some space above."""
        self.need(size * 2.2)
        self.y -= size * 0.6
        self.canvas.setFont(BOLD, size)
        self.canvas.drawString(LEFT, self.y, text)
        self.y -= size * 1.5

    def paragraph(self, text: str, size: float = 10, indent: float = 0) -> None:
        """Wrapped text followed by a small gap."""
        leading = size * 1.35
        for line in wrap(text, RIGHT - LEFT - indent, FONT, size):
            self.need(leading)
            self.canvas.setFont(FONT, size)
            self.canvas.drawString(LEFT + indent, self.y, line)
            self.y -= leading
        self.y -= size * 0.5

    def rows(
        self,
        columns: Sequence[float],
        rows: Iterable[Sequence[str]],
        size: float = 9,
        header: Sequence[str] | None = None,
    ) -> None:
        """A simple table: x offsets (points from LEFT) and rows of text."""
        leading = size * 1.45
        if header is not None:
            self.need(leading * 2)
            self.canvas.setFont(BOLD, size)
            for x, cell in zip(columns, header, strict=False):
                self.canvas.drawString(LEFT + x, self.y, cell)
            self.y -= leading
        self.canvas.setFont(FONT, size)
        for row in rows:
            self.need(leading)
            self.canvas.setFont(FONT, size)
            for x, cell in zip(columns, row, strict=False):
                self.canvas.drawString(LEFT + x, self.y, cell)
            self.y -= leading
        self.y -= size * 0.5

    def finish(self) -> None:
        """Footer on the last page and close the page."""
        draw_footer(self.canvas, self.clinic, self.page)
        self.canvas.showPage()


def letter_pdf(
    clinic: Clinic,
    address: Address,
    title: str,
    letter_date: date,
    paragraphs: Sequence[str],
    reference: str = "",
) -> bytes:
    """A one- or more-page letter: letterhead, window address, title and paragraphs."""
    buffer = io.BytesIO()
    canvas = new_canvas(buffer, title, clinic.name)
    draw_letterhead(canvas, clinic, title, letter_date, reference)
    draw_address(canvas, address)
    flow = TextFlow(canvas, clinic)
    for text in paragraphs:
        flow.paragraph(text)
    flow.finish()
    canvas.save()
    return buffer.getvalue()
