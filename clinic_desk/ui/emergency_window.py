"""Emergency visits: register new ones, close open ones, and follow up the return reports.

A year holds a few hundred visits at most, so the list is a small table filled at once.
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.billing import format_kronor
from clinic_desk.domain.errors import RuleViolation, ValidationError
from clinic_desk.domain.invoicing import EmergencyVisit, VisitStatus, payer_label
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.emergency_visit_dialog import EmergencyVisitDialog
from clinic_desk.ui.formatting import from_qdate, to_qdate
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.pdf_output import hand_out_pdf
from clinic_desk.ui.table_fill import fill_table
from clinic_desk.workflows.emergency import (
    close_emergency_visit,
    mark_return_report_sent,
    return_report_document,
)

SPEC = FormSpec(
    "emergency_page.ui",
    {
        "visits_from": QDateEdit,
        "visits_to": QDateEdit,
        "unsent_only": QCheckBox,
        "visits_table": QTableWidget,
        "details": QLabel,
        "new_visit": QPushButton,
        "close_visit": QPushButton,
        "show_report": QPushButton,
        "mark_sent": QPushButton,
    },
)
HEADERS = [
    "Behandlad",
    "Patient",
    "Personnummer",
    "Listad vid",
    "Betalare",
    "Belopp",
    "Faktura",
    "Status",
    "Återföring",
]


def report_state(visit: EmergencyVisit) -> str:
    """The return report column: not needed, to send, or sent on a date."""
    if visit.return_report_document_id is None:
        return "Behövs inte" if visit.status is VisitStatus.CLOSED else ""
    if visit.return_report_sent_on is None:
        return "Ej skickad"
    return f"Skickad {visit.return_report_sent_on.isoformat()}"


class EmergencyWindow(QDialog):
    """The list of emergency visits (Ctrl+N registers a new one)."""

    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent)
        self.setWindowTitle("Akutbesök")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        QVBoxLayout(self).setContentsMargins(6, 6, 6, 6)
        self.form = load_form(SPEC, self)
        self._ctx = ctx
        self.visits: list[EmergencyVisit] = []
        f = self.form
        today = ctx.today()
        f.visits_from.setDate(to_qdate(today - timedelta(days=90)))
        f.visits_to.setDate(to_qdate(today))
        f.visits_from.dateChanged.connect(lambda _d: self.refresh())
        f.visits_to.dateChanged.connect(lambda _d: self.refresh())
        f.unsent_only.toggled.connect(lambda _on: self.refresh())
        f.visits_table.itemSelectionChanged.connect(self._selection_changed)
        f.new_visit.clicked.connect(self.new_visit)
        f.close_visit.clicked.connect(self.close_selected)
        f.show_report.clicked.connect(self.save_report)
        f.mark_sent.clicked.connect(self.mark_sent)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_visit)
        self.resize(1120, 600)
        self.refresh()

    def refresh(self) -> None:
        """Read the visits of the period again."""
        f = self.form
        store = self._ctx.store
        if f.unsent_only.isChecked():
            self.visits = list(reversed(store.emergency.return_reports_unsent()))
        else:
            first = from_qdate(f.visits_from.date())
            last = from_qdate(f.visits_to.date())
            self.visits = store.emergency.between(first, last)
        fill_table(
            f.visits_table,
            HEADERS,
            [
                [
                    v.treated_at.strftime("%Y-%m-%d %H:%M"),
                    v.patient_name,
                    v.personal_id,
                    v.listed_clinic_name or "Inte listad",
                    v.payer_name or payer_label(v.payer_kind),
                    format_kronor(v.total_ore),
                    str(v.invoice_number or ""),
                    v.status.label + (" · helg/helgdag" if v.area_duty else ""),
                    report_state(v),
                ]
                for v in self.visits
            ],
        )
        self._selection_changed()

    def selected(self) -> EmergencyVisit | None:
        """The visit on the selected row."""
        row = self.form.visits_table.currentRow()
        return self.visits[row] if 0 <= row < len(self.visits) else None

    def _selection_changed(self) -> None:
        visit = self.selected()
        f = self.form
        f.close_visit.setEnabled(visit is not None and visit.status is VisitStatus.OPEN)
        has_report = visit is not None and visit.return_report_document_id is not None
        f.show_report.setEnabled(has_report)
        f.mark_sent.setEnabled(
            has_report and visit is not None and visit.return_report_sent_on is None
        )
        if visit is None:
            unsent = len(self._ctx.store.emergency.return_reports_unsent())
            f.details.setText(
                f"{len(self.visits)} besök. Återföringar som inte skickats: {unsent}."
            )
            return
        treatments = ", ".join(
            f"{t.code}{' (' + t.tooth + ')' if t.tooth else ''}" for t in visit.treatments
        )
        f.details.setText(
            f"<b>{visit.case_number}</b> · {visit.payer_reason}"
            + (f" · Ändrad betalare: {visit.override_reason}" if visit.override_reason else "")
            + f"<br>Åtgärder: {treatments} · Behandlare: {visit.practitioner_name}"
        )

    def new_visit(self) -> None:
        """Register a new emergency visit."""
        dialog = EmergencyVisitDialog(self, self._ctx)
        if dialog.exec():
            self.refresh()

    def close_selected(self) -> None:
        """Close the selected open visit: invoice and return report are made and archived."""
        visit = self.selected()
        if visit is None:
            return
        try:
            closed = close_emergency_visit(
                self._ctx.store, self._ctx.user, visit.id, self._ctx.today()
            )
        except (ValidationError, RuleViolation) as exc:
            QMessageBox.warning(self, "Avsluta besök", str(exc))
            return
        QMessageBox.information(
            self,
            "Avsluta besök",
            (f"Faktura {closed.invoice_number} är skapad och arkiverad." if closed.invoice_number
             else "Ingen faktura (ingen betalare, eller samlingsfaktura i slutet av månaden).")
            + (" Återföringen till hemkliniken är skapad." if closed.return_report_document_id
               else ""),
        )  # fmt: skip
        self.refresh()

    def save_report(self) -> None:
        """Preview, print or save the archived return report PDF."""
        visit = self.selected()
        if visit is None or visit.return_report_document_id is None:
            return
        hand_out_pdf(
            self,
            self._ctx,
            return_report_document(self._ctx.store, visit.id),
            f"aterforing-{visit.case_number}.pdf",
        )

    def mark_sent(self, sent_on: date | None = None) -> None:
        """Record that the selected visit's return report has gone to the home clinic."""
        visit = self.selected()
        if visit is None:
            return
        today = self._ctx.today()
        try:
            mark_return_report_sent(
                self._ctx.store, self._ctx.user, visit.id, sent_on or today, today
            )
        except (ValidationError, RuleViolation) as exc:
            QMessageBox.warning(self, "Återföring", str(exc))
            return
        self.refresh()
