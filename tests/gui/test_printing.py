"""Printing: the preview shows every page of the archived PDF, the printer gets them all,
the address stays where the envelope window is, and a missing printer is said plainly."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

from pypdf import PdfReader
from PySide6.QtGui import QImage, QPageLayout
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from clinic_desk.documents.pdf_base import ENVELOPE_WINDOW
from clinic_desk.documents.recall_letter import join_pdfs, recall_letter_pdf
from clinic_desk.domain.clinics import Clinic
from clinic_desk.domain.letters import Recipient
from clinic_desk.domain.recall_letters import LetterChild, RecallLetter
from clinic_desk.settings import WorkstationSettings
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.pdf_output import hand_out_pdf
from clinic_desk.ui.print_preview import Outcome, PrintPreviewDialog
from clinic_desk.ui.printing import page_count, paint_pdf, prepare_printer, preview_dpi
from tests.gui.helpers import drive_modal

CLINIC = Clinic(
    id=1, code="NORR", name="Tandläkarhuset Norrsken", org_number="559012-3450",
    address_line="Storgatan 1", postal_code="903 25", city="Umeå", phone="090-123 45",
    email="", invoice_address="", bankgiro="5050-1055", f_skatt=True, hsa_id="",
    is_own=True, area_responsible=True,
)  # fmt: skip


def _letters(count: int) -> bytes:
    letters = [
        recall_letter_pdf(
            CLINIC,
            RecallLetter(
                Recipient(f"Förälder {n}", f"Storgatan {n}", "903 25", "Umeå"),
                (LetterChild(n, f"Barn {n}", datetime(2026, 12, 3, 9, 0), "Karin Ek"),),
            ),
            "Hej {mottagare}!\n\nDags för undersökning för {barn}.\n\n{tider}",
            date(2026, 11, 23),
        )
        for n in range(1, count + 1)
    ]
    return join_pdfs(letters)


def _pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def test_the_preview_shows_every_page(qtbot: QtBot) -> None:
    content = _letters(3)
    dialog = PrintPreviewDialog(None, content, "kallelser.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.preview_pages() == 3
    assert dialog.form.pages.text() == "3 sidor"
    assert "standardskrivare" in dialog.form.printer.text()


def test_printing_sends_every_page_to_the_printer(qtbot: QtBot, tmp_path: Path) -> None:
    content = _letters(3)
    out = tmp_path / "printed.pdf"
    printer = _pdf_printer(out)
    dialog = PrintPreviewDialog(None, content, "kallelser.pdf", printer=printer)
    qtbot.addWidget(dialog)
    assert dialog.print_to(printer) == 3
    pages = PdfReader(io.BytesIO(out.read_bytes())).pages
    assert len(pages) == 3
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    assert (round(width / mm), round(height / mm)) == (210, 297)  # A4, as the letter
    assert dialog.outcome().printed_pages == 3


def test_the_printed_address_lands_in_the_envelope_window(qtbot: QtBot, tmp_path: Path) -> None:
    """The sheet is drawn from its very corner: dark pixels of the address block lie in
    the window, none of them outside it in the band of the window's height."""
    content = _letters(1)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "one.pdf"
    printer.setOutputFileName(str(out))
    prepare_printer(printer, content)
    assert paint_pdf(printer, content) == 1
    assert page_count(out.read_bytes()) == 1
    # Render the printed file back and look where the ink is.
    import pypdfium2

    document = pypdfium2.PdfDocument(out.read_bytes())
    dpi = 72
    bitmap = document[0].render(scale=dpi / 72, rev_byteorder=True, prefer_bgrx=True)
    image = QImage(
        bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, QImage.Format.Format_RGBX8888
    ).copy()
    document.close()
    per_mm = dpi / 25.4

    def ink(x0: float, y0: float, x1: float, y1: float) -> int:
        return sum(
            1
            for x in range(int(x0 * per_mm), int(x1 * per_mm))
            for y in range(int(y0 * per_mm), int(y1 * per_mm))
            if image.pixelColor(x, y).lightness() < 128
        )

    left, top = ENVELOPE_WINDOW.left / mm, ENVELOPE_WINDOW.top / mm
    width, height = ENVELOPE_WINDOW.width / mm, ENVELOPE_WINDOW.height / mm
    assert ink(left, top, left + width, top + height) > 50
    assert ink(0, top, left, top + height) == 0  # nothing left of the window
    assert ink(left + width, top, 118, top + height) == 0  # nor between it and the facts


def test_a_workstation_printer_that_is_gone_is_said_and_the_default_used(
    qtbot: QtBot,
) -> None:
    content = _letters(1)
    dialog = PrintPreviewDialog(None, content, "kallelse.pdf", printer_name="Skrivare som saknas")
    qtbot.addWidget(dialog)
    assert "Skrivare som saknas finns inte" in dialog.form.printer.text()
    assert dialog.form.pages.text() == "1 sida"


def test_a_long_batch_is_previewed_coarser_to_save_memory() -> None:
    assert preview_dpi(1) == 110
    assert 50 < preview_dpi(100) < 110
    assert preview_dpi(2000) == 50


def test_the_workstations_printer_comes_from_its_settings(qtbot: QtBot, ctx: AppContext) -> None:
    settings = WorkstationSettings.load(ctx.paths.workstation_settings)
    settings.printer_name = "Receptionen HP"
    settings.save(ctx.paths.workstation_settings)
    seen: list[str] = []

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, PrintPreviewDialog)
        seen.append(dialog.form.printer.text())
        dialog.reject()

    outcome: list[Outcome] = []
    drive_modal(qtbot, lambda: outcome.append(hand_out_pdf(None, ctx, _letters(1), "x.pdf")), look)
    assert "Receptionen HP finns inte" in seen[0]  # not installed here: said, default used
    assert outcome == [Outcome()]


def test_a_cancelled_print_job_stops_and_counts_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    content = _letters(3)
    printer = _pdf_printer(tmp_path / "cancelled.pdf")
    asked: list[tuple[int, int]] = []

    def go_on(done: int, total: int) -> bool:
        asked.append((done, total))
        return done < 1  # the user cancels after the first page

    assert paint_pdf(printer, content, go_on=go_on) == 0
    assert asked == [(0, 3), (1, 3)]  # no page after the cancel (a real printer aborts)


def test_a_landscape_page_prints_landscape(qtbot: QtBot, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=landscape(A4))
    canvas.drawString(72, 72, "Tvärs")
    canvas.showPage()
    canvas.save()
    content = buffer.getvalue()
    out = tmp_path / "landscape.pdf"
    printer = _pdf_printer(out)
    prepare_printer(printer, content)
    assert printer.pageLayout().orientation() == QPageLayout.Orientation.Landscape
    assert paint_pdf(printer, content) == 1
    page = PdfReader(io.BytesIO(out.read_bytes())).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width / mm), round(height / mm)) == (297, 210)
