"""The invoice follow-up window: filter, pay, credit, remind, export the journal.

Everything here is one short database action at a time (a payment, one credit note, one
reminder PDF, a journal of a year's invoices: each well under 100 ms at a clinic's volume),
so it runs on the GUI thread; the window shows a wait cursor for the journal and the monthly
collective invoices.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.billing import format_kronor
from clinic_desk.domain.emergency import PayerKind
from clinic_desk.domain.errors import RuleViolation, ValidationError
from clinic_desk.domain.invoicing import InvoiceFilter, InvoiceRow, InvoiceStatus
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.formatting import from_qdate, to_qdate
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.invoice_dialogs import CreditDialog, InvoiceSettingsDialog, PaymentDialog
from clinic_desk.ui.invoice_list_model import InvoiceListModel
from clinic_desk.ui.pdf_output import hand_out_pdf
from clinic_desk.workflows.invoice_settings import load_invoice_settings
from clinic_desk.workflows.invoices import (
    create_collective_invoices,
    export_invoice_journal,
    invoice_document,
    send_reminder,
)

SPEC = FormSpec(
    "invoices_page.ui",
    {
        "status_filter": QComboBox,
        "payer_filter": QComboBox,
        "issued_from": QDateEdit,
        "issued_to": QDateEdit,
        "search_text": QLineEdit,
        "invoice_table": QTableView,
        "summary": QLabel,
        "show_pdf": QPushButton,
        "register_payment": QPushButton,
        "credit": QPushButton,
        "remind": QPushButton,
        "collective": QPushButton,
        "export_journal": QPushButton,
        "settings": QPushButton,
    },
)
STATUS_CHOICES: tuple[tuple[str, InvoiceStatus | None], ...] = (
    ("Alla", None),
    ("Förfallna", InvoiceStatus.OVERDUE),
    ("Obetalda", InvoiceStatus.UNPAID),
    ("Delbetalda", InvoiceStatus.PARTLY_PAID),
    ("Betalda", InvoiceStatus.PAID),
    ("Krediterade", InvoiceStatus.CREDITED),
    ("Kreditnotor", InvoiceStatus.CREDIT_NOTE),
)


class InvoicesWindow(QDialog):
    """Invoices and credit notes with their status; Ctrl+B pays, Ctrl+R reminds."""

    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent)
        self.setWindowTitle("Fakturor")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        QVBoxLayout(self).setContentsMargins(6, 6, 6, 6)
        self.form = load_form(SPEC, self)
        self._ctx = ctx
        f = self.form
        today = ctx.today()
        self.model = InvoiceListModel(ctx.store.invoices, today)
        view: QTableView = f.invoice_table
        view.setModel(self.model)
        view.setSortingEnabled(True)
        view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        view.verticalHeader().hide()
        for text, status in STATUS_CHOICES:
            f.status_filter.addItem(text, status)
        f.payer_filter.addItem("Alla betalare", None)
        f.payer_filter.addItem("Beställarenheten", ("kind", PayerKind.COMMISSIONING_UNIT))
        for clinic in ctx.store.clinics.all(include_inactive=True):
            if not clinic.is_own:
                f.payer_filter.addItem(clinic.name, ("clinic", clinic.id))
        f.issued_from.setDate(to_qdate(date(today.year - 1, 1, 1)))
        f.issued_to.setDate(to_qdate(today))
        for signal in (
            f.status_filter.currentIndexChanged,
            f.payer_filter.currentIndexChanged,
            f.issued_from.dateChanged,
            f.issued_to.dateChanged,
            f.search_text.textChanged,
        ):
            signal.connect(self.apply_filter)
        view.selectionModel().selectionChanged.connect(lambda *_a: self._selection_changed())
        view.doubleClicked.connect(lambda _i: self.save_selected_pdf())
        f.show_pdf.clicked.connect(self.save_selected_pdf)
        f.register_payment.clicked.connect(self.pay_selected)
        f.credit.clicked.connect(self.credit_selected)
        f.remind.clicked.connect(self.remind_selected)
        f.collective.clicked.connect(self.make_collective)
        f.export_journal.clicked.connect(self.export_journal)
        f.settings.clicked.connect(self.edit_settings)
        QShortcut(QKeySequence("Ctrl+B"), self, self.pay_selected)
        QShortcut(QKeySequence("Ctrl+R"), self, self.remind_selected)
        QShortcut(QKeySequence("Ctrl+P"), self, self.save_selected_pdf)
        self.resize(1180, 640)
        self.apply_filter()

    # -- the list ----------------------------------------------------------------------------
    def current_filter(self) -> InvoiceFilter:
        """What the filter row asks for."""
        f = self.form
        payer = f.payer_filter.currentData()
        return InvoiceFilter(
            status=f.status_filter.currentData(),
            payer_kind=payer[1] if payer and payer[0] == "kind" else None,
            buyer_clinic_id=payer[1] if payer and payer[0] == "clinic" else None,
            issued_from=from_qdate(f.issued_from.date()),
            issued_to=from_qdate(f.issued_to.date()),
            text=f.search_text.text(),
        )

    def show_status(self, status: InvoiceStatus | None) -> None:
        """Pick a status in the filter (the overdue list is status Förfallna)."""
        index = next(i for i, (_t, s) in enumerate(STATUS_CHOICES) if s is status)
        self.form.status_filter.setCurrentIndex(index)

    def apply_filter(self) -> None:
        """Run the filter again (in SQL)."""
        self.model.set_query(self.current_filter())
        self._selection_changed()

    def refresh(self) -> None:
        """Show the list again after a change, keeping the filter."""
        self.model.refresh()
        self._selection_changed()

    def selected(self) -> InvoiceRow | None:
        """The invoice on the selected row."""
        rows = self.form.invoice_table.selectionModel().selectedRows()
        return self.model.invoice_row(rows[0].row()) if rows else None

    def select_row(self, row: int) -> None:
        """Select a row (keyboard users and tests)."""
        self.form.invoice_table.selectRow(row)

    def _selection_changed(self) -> None:
        row = self.selected()
        is_invoice = row is not None and row.kind.value == "invoice"
        f = self.form
        f.show_pdf.setEnabled(row is not None)
        f.register_payment.setEnabled(is_invoice and row is not None and row.balance_ore > 0)
        f.credit.setEnabled(
            is_invoice and row is not None and row.status is not InvoiceStatus.CREDITED
        )
        f.remind.setEnabled(row is not None and row.status is InvoiceStatus.OVERDUE)
        f.collective.setVisible(load_invoice_settings(self._ctx.store).collective_monthly)
        f.summary.setText(self._summary())

    def _summary(self) -> str:
        shown = self.model.total
        text = f"{shown} fakturor och kreditnotor"
        row = self.selected()
        if row is not None:
            text += (
                f" · Vald: nr {row.number}, {row.status.label.lower()}, betalt "
                f"{format_kronor(row.paid_ore)}"
                + (f", krediterat {format_kronor(-row.credited_ore)}" if row.credited_ore else "")
            )
        return text

    # -- actions -----------------------------------------------------------------------------
    def _warn(self, title: str, exc: Exception) -> None:
        QMessageBox.warning(self, title, str(exc))

    def save_selected_pdf(self, _index: QModelIndex | None = None) -> None:
        """Preview, print or save the archived PDF of the selected invoice (never a fresh
        render)."""
        row = self.selected()
        if row is None:
            return
        prefix = "kreditnota" if row.kind.value == "credit" else "faktura"
        content = invoice_document(self._ctx.store, row.id)
        hand_out_pdf(self, self._ctx, content, f"{prefix}-{row.number}.pdf")

    def pay_selected(self) -> None:
        """Register a payment for the selected invoice (Ctrl+B)."""
        row = self.selected()
        if row is not None and row.balance_ore > 0 and PaymentDialog(self, self._ctx, row).exec():
            self.refresh()

    def credit_selected(self) -> None:
        """Credit the selected invoice in full or in part."""
        row = self.selected()
        if row is None or row.kind.value != "invoice":
            return
        if CreditDialog(self, self._ctx, row).exec():
            self.refresh()

    def remind_selected(self) -> None:
        """Make the reminder letter with late-payment interest for the selected invoice."""
        row = self.selected()
        if row is None:
            return
        try:
            document_id = send_reminder(self._ctx.store, self._ctx.user, row.id, self._ctx.today())
        except (ValidationError, RuleViolation) as exc:
            self._warn("Påminnelse", exc)
            return
        self.refresh()
        content = self._ctx.store.documents.content(document_id)
        hand_out_pdf(self, self._ctx, content, f"paminnelse-faktura-{row.number}.pdf")

    def make_collective(self) -> None:
        """Invoice last month's visits, one collective invoice per payer."""
        today = self._ctx.today()
        last_month = today.replace(day=1) - timedelta(days=1)
        text, ok = QInputDialog.getText(
            self,
            "Samlingsfakturor",
            "Månad att fakturera (ÅÅÅÅ-MM):",
            text=last_month.isoformat()[:7],
        )
        if not ok:
            return
        try:
            month = date.fromisoformat(text.strip() + "-01")
        except ValueError:
            QMessageBox.warning(self, "Samlingsfakturor", "Skriv månaden som ÅÅÅÅ-MM.")
            return
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            ids = create_collective_invoices(self._ctx.store, self._ctx.user, month, today)
        except (ValidationError, RuleViolation) as exc:
            self._warn("Samlingsfakturor", exc)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        QMessageBox.information(
            self, "Samlingsfakturor", f"{len(ids)} samlingsfakturor skapade och arkiverade."
        )
        self.refresh()

    def export_journal(self) -> None:
        """Save the invoice journal of the filter's period as CSV for the bookkeeping."""
        f = self.form
        first, last = from_qdate(f.issued_from.date()), from_qdate(f.issued_to.date())
        name, _filter = QFileDialog.getSaveFileName(
            self,
            "Exportera fakturajournal",
            str(Path.home() / f"fakturajournal-{first.isoformat()}-{last.isoformat()}.csv"),
            "CSV-filer (*.csv)",
        )
        if name:
            self.export_journal_to(Path(name), first, last)

    def export_journal_to(self, path: Path, first: date, last: date) -> bool:
        """Write the journal for [first, last] to `path`; True when written."""
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            data = export_invoice_journal(self._ctx.store, self._ctx.user, first, last)
            path.write_bytes(data)
        except (ValidationError, OSError) as exc:
            self._warn("Fakturajournal", exc)
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        return True

    def edit_settings(self) -> None:
        """The invoicing settings (commissioning unit, reference rate, price list)."""
        if InvoiceSettingsDialog(self, self._ctx).exec():
            self.refresh()
