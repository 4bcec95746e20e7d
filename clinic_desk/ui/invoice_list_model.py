"""The invoice list: a lazy table model; filtering and sorting happen in SQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from clinic_desk.domain.billing import format_kronor
from clinic_desk.domain.invoicing import InvoiceFilter, InvoiceRow, InvoiceStatus
from clinic_desk.store.invoices import InvoiceRepository
from clinic_desk.ui.paged_model import PAGE, PagedTableModel

COLUMNS: tuple[tuple[str, str], ...] = (
    ("Nr", "number"),
    ("Typ", "number"),
    ("Fakturadatum", "issue_date"),
    ("Förfaller", "due_date"),
    ("Betalare", "buyer"),
    ("Patientreferens", "patient"),
    ("Belopp", "total"),
    ("Kvar att betala", "balance"),
    ("Status", "status"),
)
(
    COL_NUMBER,
    COL_KIND,
    COL_ISSUED,
    COL_DUE,
    COL_BUYER,
    COL_PATIENT,
    COL_TOTAL,
    COL_BALANCE,
    COL_STATUS,
) = range(len(COLUMNS))
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_OVERDUE = QColor("#b00020")


class InvoiceListModel(PagedTableModel[InvoiceRow]):
    """The invoices a filter finds, newest number first unless sorted otherwise."""

    headers = tuple(title for title, _key in COLUMNS)

    def __init__(self, invoices: InvoiceRepository, today: date) -> None:
        super().__init__()
        self._invoices = invoices
        self._today = today
        self._query = InvoiceFilter()
        self._sort = "number"
        self._descending = True
        self._total = 0

    def set_query(self, query: InvoiceFilter) -> None:
        """Show the invoices this filter finds, from the first row."""
        self._query = query
        self.reload()

    def refresh(self) -> None:
        """Run the same query again (after a payment, a credit note, ...)."""
        self.reload()

    @property
    def total(self) -> int:
        """How many invoices the filter found in all."""
        return self._total

    def invoice_row(self, row: int) -> InvoiceRow:
        """The invoice shown on a row."""
        return self.row_at(row)

    def _page(self, offset: int) -> list[InvoiceRow]:
        return self._invoices.search(
            self._query, self._today, self._sort, self._descending, PAGE, offset
        )

    def _counted(self, first_page: list[InvoiceRow]) -> None:
        self._total = self._invoices.search_count(self._query, self._today)

    def _row_id(self, row: InvoiceRow) -> int:
        return row.id

    def _role(self, row: InvoiceRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_TOTAL, COL_BALANCE):
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_STATUS:
            if row.status is InvoiceStatus.OVERDUE:
                return _OVERDUE
            if row.status in (InvoiceStatus.PAID, InvoiceStatus.CREDITED):
                return Qt.GlobalColor.darkGreen
        return None

    def _display(self, row: InvoiceRow, column: int) -> str:
        values = {
            COL_NUMBER: str(row.number),
            COL_KIND: row.kind.label,
            COL_ISSUED: row.issue_date.isoformat(),
            COL_DUE: row.due_date.isoformat(),
            COL_BUYER: row.buyer_name,
            COL_PATIENT: row.patient_reference,
            COL_TOTAL: format_kronor(row.total_ore),
            COL_BALANCE: format_kronor(row.balance_ore) if row.balance_ore else "",
            COL_STATUS: row.status.label + (f" ({row.reminders} påminn.)" if row.reminders else ""),
        }
        return values[column]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1]
        descending = order == Qt.SortOrder.DescendingOrder
        changed = (key, descending) != (self._sort, self._descending)
        self._sort, self._descending = key, descending
        self.reordered(changed)
