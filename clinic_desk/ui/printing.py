"""Printing the program's documents: the archived PDF drawn page by page on a QPrinter.

PySide6-Essentials has no PDF module, so each page is rasterised with PDFium (pypdfium2) at
the printer's resolution (at most 300 dpi) and drawn on the whole sheet, edge to edge: a
letter's address lands where its PDF puts it, in the envelope window. The same painting
feeds the print preview, so what the preview shows is what the printer gets.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pypdfium2
from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrinterInfo

MAX_DPI = 300  # more only makes pages of tens of megabytes; text is sharp at 300
PREVIEW_MAX_DPI = 110  # readable at full size on screen
PREVIEW_BUDGET = 200 * 1024 * 1024
A4_SQUARE_INCHES = 8.27 * 11.69
POINTS_PER_INCH = 72


class PrintFailed(Exception):
    """The printer (or the output file) could not be opened; the message says so in Swedish."""


@contextmanager
def _open_pdf(content: bytes) -> Iterator[pypdfium2.PdfDocument]:
    document = pypdfium2.PdfDocument(content)
    try:
        yield document
    finally:
        document.close()


def page_count(content: bytes) -> int:
    """The number of pages of a PDF."""
    with _open_pdf(content) as document:
        return len(document)


def render_page(page: pypdfium2.PdfPage, dpi: float) -> QImage:
    """One PDF page as an image of `dpi` dots per inch (white paper, no transparency)."""
    bitmap = page.render(
        scale=dpi / POINTS_PER_INCH, rev_byteorder=True, prefer_bgrx=True, optimize_mode="print"
    )
    try:
        image = QImage(
            bitmap.buffer,
            bitmap.width,
            bitmap.height,
            bitmap.stride,
            QImage.Format.Format_RGBX8888,
        )
        return image.copy()  # the bitmap's memory is PDFium's, freed below
    finally:
        bitmap.close()


def prepare_printer(printer: QPrinter, content: bytes, printer_name: str = "") -> str:
    """Set the printer up for the document: the workstation's printer when it exists, the
    first page's paper size and orientation, drawing from the sheet's edge. Returns a
    Swedish note when the chosen printer is missing (the system's default is used), else ''."""
    note = ""
    if printer_name:
        if printer_name in QPrinterInfo.availablePrinterNames():
            printer.setPrinterName(printer_name)
        else:
            note = f"Skrivaren {printer_name} finns inte på datorn; standardskrivaren används."
    with _open_pdf(content) as document:
        width, height = document[0].get_size() if len(document) else (595.0, 842.0)
    # The paper named by its portrait size (A4 is found as A4); the orientation apart.
    size = QPageSize(
        QSizeF(min(width, height), max(width, height)),
        QPageSize.Unit.Point,
        "",
        QPageSize.SizeMatchPolicy.FuzzyMatch,
    )
    orientation = (
        QPageLayout.Orientation.Landscape if width > height else QPageLayout.Orientation.Portrait
    )
    printer.setPageSize(size)
    printer.setPageOrientation(orientation)
    printer.setFullPage(True)  # coordinates from the paper's corner: the envelope window
    return note


def preview_dpi(pages: int) -> int:
    """The resolution for a preview of `pages` A4 pages: the preview keeps every page as a
    32-bit image in memory, so a long batch of letters is shown coarser (never below 50 dpi)
    to stay near PREVIEW_BUDGET bytes."""
    per_page = PREVIEW_BUDGET / max(pages, 1)
    return max(50, min(PREVIEW_MAX_DPI, int(math.sqrt(per_page / (A4_SQUARE_INCHES * 4)))))


def paint_pdf(
    printer: QPrinter,
    content: bytes,
    max_dpi: int = MAX_DPI,
    go_on: Callable[[int, int], bool] | None = None,
) -> int:
    """Draw every page of the PDF on the printer (or preview); returns the pages drawn.
    `go_on(done, total)` is asked before each page; False stops and cancels the print job
    (nothing is printed). Raises PrintFailed when the printer cannot be opened."""
    printer.setFullPage(True)
    dpi = min(printer.resolution(), max_dpi)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintFailed(
            "Skrivaren kunde inte startas. Kontrollera att den är påslagen och ansluten, "
            "eller spara dokumentet som PDF."
        )
    drawn = 0
    try:
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        with _open_pdf(content) as document:
            for index in range(len(document)):
                if go_on is not None and not go_on(index, len(document)):
                    printer.abort()
                    return 0
                if index and not printer.newPage():
                    raise PrintFailed("Skrivaren tog inte emot nästa sida. Försök igen.")
                page = document[index]
                try:
                    width, height = page.get_size()
                    image = render_page(page, dpi)
                finally:
                    page.close()
                sheet = printer.paperRect(QPrinter.Unit.DevicePixel)
                # Same size as the sheet for A4 on A4; a different paper keeps the scale 1:1
                # from the top left corner (where letters and envelopes line up) if it fits.
                per_point = printer.resolution() / POINTS_PER_INCH
                target = QRectF(0, 0, width * per_point, height * per_point)
                if target.width() > sheet.width() + 1 or target.height() > sheet.height() + 1:
                    factor = min(sheet.width() / target.width(), sheet.height() / target.height())
                    target = QRectF(0, 0, target.width() * factor, target.height() * factor)
                painter.drawImage(target, image)
                drawn += 1
    finally:
        painter.end()
    return drawn
