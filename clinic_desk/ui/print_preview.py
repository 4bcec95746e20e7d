"""The print preview of a document: its pages as they will print, then Skriv ut (choose a
printer) or Spara som PDF. The workstation's printer is preselected when one is set."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewWidget
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.pdf_output import save_pdf
from clinic_desk.ui.printing import (
    PrintFailed,
    page_count,
    paint_pdf,
    prepare_printer,
    preview_dpi,
)

SPEC = FormSpec(
    "print_preview_dialog.ui",
    {
        "preview_area": QWidget,
        "pages": QLabel,
        "printer": QLabel,
        "zoom_in": QPushButton,
        "zoom_out": QPushButton,
        "save_pdf": QPushButton,
        "print_button": QPushButton,
        "buttons": QDialogButtonBox,
    },
)


@dataclass(frozen=True)
class Outcome:
    """What became of a document: pages printed, and/or the file it was saved as."""

    printed_pages: int = 0
    saved_to: Path | None = None


class PrintPreviewDialog(QDialog):
    """Preview, print or save one PDF (the archived bytes, never a fresh render)."""

    def __init__(
        self,
        parent: QWidget | None,
        content: bytes,
        suggested_name: str,
        printer_name: str = "",
        printer: QPrinter | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Förhandsgranska och skriv ut – {suggested_name}")
        self.form = load_form(SPEC, self)
        self.content = content
        self.suggested_name = suggested_name
        self.printed_pages = 0
        self.saved_to: Path | None = None
        self.printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
        self.printer.setDocName(suggested_name)
        note = prepare_printer(self.printer, content, printer_name)
        count = page_count(content)
        self.preview_dpi = preview_dpi(count)
        self.preview = QPrintPreviewWidget(self.printer, self.form.preview_area)
        QVBoxLayout(self.form.preview_area).addWidget(self.preview)
        self.preview.paintRequested.connect(self._paint_preview)
        self.preview.setZoomMode(QPrintPreviewWidget.ZoomMode.FitInView)
        self.form.pages.setText("1 sida" if count == 1 else f"{count} sidor")
        shown = printer_name if printer_name and not note else "datorns standardskrivare"
        self.form.printer.setText(f"Skrivare: {shown}." + (f" {note}" if note else ""))
        self.form.zoom_in.clicked.connect(lambda: self.preview.zoomIn())
        self.form.zoom_out.clicked.connect(lambda: self.preview.zoomOut())
        self.form.print_button.clicked.connect(self.print_document)
        self.form.save_pdf.clicked.connect(self.save_document)
        self.form.buttons.rejected.connect(self.reject)
        QShortcut(QKeySequence.StandardKey.Print, self, self.print_document)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save_document)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self.preview.zoomIn())
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self.preview.zoomOut())
        self.resize(820, 900)

    def _paint_preview(self, printer: QPrinter) -> None:
        paint_pdf(printer, self.content, max_dpi=self.preview_dpi)

    def preview_pages(self) -> int:
        """The pages the preview shows (painted now if not yet)."""
        self.preview.updatePreview()
        return self.preview.pageCount()

    def print_to(self, printer: QPrinter) -> int:
        """Print on `printer` as it is set up; the pages printed (0 when cancelled). A
        document of several pages shows its progress and can be cancelled."""
        total = page_count(self.content)
        progress: QProgressDialog | None = None
        if total > 1:
            progress = QProgressDialog("Skriver ut…", "Avbryt", 0, total, self)
            progress.setWindowTitle("Skriv ut")
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setMinimumDuration(500)

        def go_on(done: int, _total: int) -> bool:
            if progress is None:
                return True
            progress.setValue(done)
            QApplication.processEvents()
            return not progress.wasCanceled()

        try:
            pages = paint_pdf(printer, self.content, go_on=go_on)
        finally:
            if progress is not None:
                progress.close()
        self.printed_pages += pages
        return pages

    def print_document(self) -> None:
        """Choose the printer and copies (the workstation's printer first), then print."""
        dialog = QPrintDialog(self.printer, self)
        dialog.setWindowTitle("Skriv ut")
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            printed = self.print_to(self.printer)
        except PrintFailed as exc:
            QMessageBox.warning(self, "Skriv ut", str(exc))
            return
        if printed:
            self.accept()

    def save_document(self) -> None:
        """Save the PDF where the user chooses."""
        path = save_pdf(self, self.content, self.suggested_name)
        if path is not None:
            self.saved_to = path
            self.accept()

    def outcome(self) -> Outcome:
        """What the user did with the document."""
        return Outcome(self.printed_pages, self.saved_to)
