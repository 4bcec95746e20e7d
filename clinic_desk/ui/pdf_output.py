"""Handing a finished PDF to the user: a print preview from which it is printed or saved
(the archive keeps the original; what is printed or saved is the archived bytes)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog, QWidget

from clinic_desk.settings import WorkstationSettings
from clinic_desk.ui.context import AppContext

if TYPE_CHECKING:
    from clinic_desk.ui.print_preview import Outcome


def save_pdf(parent: QWidget, content: bytes, suggested_name: str) -> Path | None:
    """Ask where to save the PDF and write it; None when the user cancels."""
    start = str(Path.home() / suggested_name)
    chosen, _filter = QFileDialog.getSaveFileName(parent, "Spara PDF", start, "PDF (*.pdf)")
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".pdf":
        path = path.with_suffix(".pdf")
    path.write_bytes(content)
    return path


def hand_out_pdf(parent: QWidget, ctx: AppContext, content: bytes, suggested_name: str) -> Outcome:
    """The print preview of a document, with this workstation's printer preselected: the
    user prints it, saves it as a PDF, or closes. Returns what was done."""
    from clinic_desk.ui.print_preview import PrintPreviewDialog

    printer_name = WorkstationSettings.load(ctx.paths.workstation_settings).printer_name
    dialog = PrintPreviewDialog(parent, content, suggested_name, printer_name)
    dialog.exec()
    return dialog.outcome()


def hand_out_documents(
    parent: QWidget, ctx: AppContext, document_ids: list[int], suggested_name: str
) -> Outcome | None:
    """Archived documents (letters to each guardian, say) in one print preview, one after
    another; None when there are none."""
    if not document_ids:
        return None
    from clinic_desk.documents.recall_letter import join_pdfs

    contents = [ctx.store.documents.content(i) for i in document_ids]
    content = contents[0] if len(contents) == 1 else join_pdfs(contents)
    return hand_out_pdf(parent, ctx, content, suggested_name)


def outcome_text(outcome: Outcome) -> str:
    """' och skrevs ut' / ' och sparades i …' / '' for a status line after 'arkiverades'."""
    if outcome.printed_pages:
        return " och skrevs ut"
    if outcome.saved_to is not None:
        return f" och sparades i {outcome.saved_to}"
    return ""
