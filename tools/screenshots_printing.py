"""Screenshot of the print preview (docs/images/print-preview.png), called from
tools/screenshots.py on its demo clinic: the first recall letter to a family, as printed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtWidgets import QApplication, QWidget

from clinic_desk.documents.recall_letter import recall_letter_pdf
from clinic_desk.domain.letters import Recipient
from clinic_desk.domain.recall_letters import TEMPLATE_BOOKED, LetterChild, RecallLetter
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.print_preview import PrintPreviewDialog
from clinic_desk.workflows.recall_letters import template


def shoot_printing(
    window: MainWindow, ctx: AppContext, save: Callable[[QWidget, str], None]
) -> None:
    """print-preview: a recall letter in the preview, address in the envelope window."""
    store = ctx.store
    clinic = store.clinics.own()
    assert clinic is not None
    row = store.conn.execute(
        "SELECT p.id FROM patients p JOIN patient_guardians pg ON pg.patient_id = p.id"
        " WHERE p.protected_identity = 0 AND p.end_date IS NULL ORDER BY p.id LIMIT 1"
    ).fetchone()
    patient = store.patients.get(int(row[0]))
    assert patient is not None
    guardian = store.guardians.for_patient(patient.id)[0].guardian
    recipient = Recipient(
        guardian.full_name, guardian.address_line, guardian.postal_code, guardian.city
    )
    child = LetterChild(patient.id, patient.first_name, datetime(2026, 12, 3, 9, 0), "Sara Nyström")
    content = recall_letter_pdf(
        clinic,
        RecallLetter(recipient, (child,)),
        template(store, TEMPLATE_BOOKED),
        ctx.today(),
    )
    dialog = PrintPreviewDialog(window, content, "kallelse.pdf")
    dialog.resize(900, 860)
    dialog.show()
    dialog.preview_pages()
    QApplication.processEvents()
    save(dialog, "print-preview")
    dialog.close()
