"""Screenshots of exams and emergency care (docs/images/*.png), called from
tools/screenshots.py on its demo clinic: the exam form as a dentist sees it, a card's exam
history, a new emergency visit, the emergency visit list, invoice settings and the overdue
invoices."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtWidgets import QApplication, QDialog, QWidget

from clinic_desk.domain.invoicing import InvoiceStatus
from clinic_desk.domain.people import Profession
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.emergency_visit_dialog import EmergencyVisitDialog
from clinic_desk.ui.emergency_window import EmergencyWindow
from clinic_desk.ui.exam_dialog import ExamDialog
from clinic_desk.ui.invoice_dialogs import InvoiceSettingsDialog
from clinic_desk.ui.invoices_window import InvoicesWindow
from clinic_desk.ui.main_window import MainWindow


def _shoot(dialog: QDialog, name: str, save: Callable[[QWidget, str], None]) -> None:
    dialog.show()
    QApplication.processEvents()
    save(dialog, name)
    dialog.close()


def shoot_care(window: MainWindow, ctx: AppContext, save: Callable[[QWidget, str], None]) -> None:
    """exam-form, exams-card, emergency-visit-dialog, emergency-visits, invoice-settings,
    invoices-overdue."""
    store = ctx.store
    row = store.conn.execute(
        "SELECT e.patient_id FROM exams e JOIN patients p ON p.id = e.patient_id"
        " WHERE p.protected_identity = 0 AND p.end_date IS NULL"
        " AND p.birth_date BETWEEN '2013-01-01' AND '2016-12-31'"
        " GROUP BY e.patient_id HAVING count(*) >= 4 ORDER BY e.patient_id LIMIT 1"
    ).fetchone()
    patient = store.patients.get(int(row[0]))
    assert patient is not None
    dentist = store.users.with_profession(Profession.DENTIST)[0]
    as_dentist = replace(ctx, user=dentist)
    exam = ExamDialog(window, as_dentist, patient)
    exam.resize(900, 760)
    _shoot(exam, "exam-form", save)

    window.open_patient(patient.id)
    tabs = window.card.form.tabs
    exams_tab = next(i for i in range(tabs.count()) if tabs.tabText(i) == "Undersökningar")
    tabs.setCurrentIndex(exams_tab)
    save(window, "exams-card")
    tabs.setCurrentIndex(0)
    window.show_search()

    _shoot(EmergencyVisitDialog(window, ctx), "emergency-visit-dialog", save)
    emergency = EmergencyWindow(window, ctx)
    emergency.resize(1100, 620)
    _shoot(emergency, "emergency-visits", save)
    _shoot(InvoiceSettingsDialog(window, ctx), "invoice-settings", save)
    invoices = InvoicesWindow(window, ctx)
    invoices.resize(1100, 620)
    invoices.show_status(InvoiceStatus.OVERDUE)
    _shoot(invoices, "invoices-overdue", save)
