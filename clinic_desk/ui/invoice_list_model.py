"""The invoice list: a lazy table model; filtering and sorting happen in SQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from clinic_desk.domain.billing import format_kronor
from clinic_desk.domain.invoicing import InvoiceFilter, InvoiceRow, InvoiceStatus
from clinic_desk.store.invoices import InvoiceRepository

PAGE = 200
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
_Index = QModelIndex | QPersistentModelIndex
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_OVERDUE = QColor("#b00020")


class InvoiceListModel(QAbstractTableModel):
    """Fetches PAGE rows at a time as the view scrolls."""

    def __init__(self, invoices: InvoiceRepository, today: date) -> None:
        super().__init__()
        self._invoices = invoices
        self._today = today
        self._query = InvoiceFilter()
        self._sort = "number"
        self._descending = True
        self._rows: list[InvoiceRow] = []
        self._total = 0

    def set_query(self, query: InvoiceFilter) -> None:
        """Show the invoices this filter finds, from the first row."""
        self._query = query
        self.refresh()

    def refresh(self) -> None:
        """Run the same query again (after a payment, a credit note, ...)."""
        self.beginResetModel()
        self._total = self._invoices.search_count(self._query, self._today)
        self._rows = self._invoices.search(
            self._query, self._today, self._sort, self._descending, PAGE, 0
        )
        self.endResetModel()

    @property
    def total(self) -> int:
        """How many invoices the filter found in all."""
        return self._total

    def invoice_row(self, row: int) -> InvoiceRow:
        """The invoice shown on a row."""
        return self._rows[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index) -> None:
        if parent.isValid():
            return
        more = self._invoices.search(
            self._query, self._today, self._sort, self._descending, PAGE, len(self._rows)
        )
        if not more:
            self._total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section][0]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COL_TOTAL, COL_BALANCE):
            return _RIGHT
        if role == Qt.ItemDataRole.ForegroundRole and column == COL_STATUS:
            if row.status is InvoiceStatus.OVERDUE:
                return _OVERDUE
            if row.status in (InvoiceStatus.PAID, InvoiceStatus.CREDITED):
                return Qt.GlobalColor.darkGreen
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    @staticmethod
    def _display(row: InvoiceRow, column: int) -> str:
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
        self._sort = COLUMNS[column][1]
        self._descending = order == Qt.SortOrder.DescendingOrder
        self.refresh()
