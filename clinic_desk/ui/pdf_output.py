"""Handing a finished PDF to the user: saved where they choose (the archive keeps the original).

Printing straight to a printer comes with the printing issue; until then the user saves the
archived bytes and opens or prints the file from there.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget


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
