"""The patient search result: a lazy table model; searching and sorting happen in SQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from clinic_desk.domain.care_rules import age_on
from clinic_desk.domain.patient_search import PatientSearch, SortColumn
from clinic_desk.domain.people import PROTECTED_MASK, PatientRow
from clinic_desk.store.patients import COUNT_CAP, PatientRepository

PAGE = 200
COLUMNS: tuple[tuple[str, SortColumn | None], ...] = (
    ("Personnummer", SortColumn.PERSONAL_ID),
    ("Namn", SortColumn.NAME),
    ("Ålder", None),
    ("Ort", SortColumn.CITY),
    ("Telefon", SortColumn.PHONE),
    ("Status", SortColumn.STATUS),
)
COL_PERSONAL_ID, COL_NAME, COL_AGE, COL_CITY, COL_PHONE, COL_STATUS = range(len(COLUMNS))
_Index = QModelIndex | QPersistentModelIndex


class PatientListModel(QAbstractTableModel):
    """Fetches PAGE rows at a time as the view scrolls."""

    def __init__(self, patients: PatientRepository, today: date) -> None:
        super().__init__()
        self._patients = patients
        self._today = today
        self._query = PatientSearch()
        self._sort = SortColumn.NAME
        self._descending = False
        self._rows: list[PatientRow] = []
        self._total = 0
        self._exhausted = True
        self._capped = False

    # -- what to show --------------------------------------------------------------------
    def set_query(self, query: PatientSearch) -> None:
        """Run a new search from the first row."""
        self._query = query
        self._reload()

    def refresh(self) -> None:
        """Run the same search again (after a change)."""
        self._reload()

    def _reload(self) -> None:
        self.beginResetModel()
        self._rows = self._patients.search(self._query, self._sort, self._descending, PAGE, 0)
        if len(self._rows) < PAGE:  # the whole result is on the first page: no count needed
            self._total, self._capped = len(self._rows), False
        else:  # every patient is counted exactly (cheap); a search stops at COUNT_CAP
            cap = None if self._query.is_everything else COUNT_CAP
            self._total = self._patients.search_count(self._query, cap)
            self._capped = cap is not None and self._total > cap
        self._exhausted = len(self._rows) < PAGE
        self.endResetModel()

    @property
    def total(self) -> int:
        """How many patients the search found (COUNT_CAP + 1 means more than COUNT_CAP)."""
        return self._total

    @property
    def more_than_cap(self) -> bool:
        """True when the search found more patients than it counts."""
        return self._capped

    def patient_id(self, row: int) -> int:
        """The patient on a row."""
        return self._rows[row].id

    # -- Qt model API --------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: _Index) -> None:
        if parent.isValid():
            return
        more = self._patients.search(
            self._query, self._sort, self._descending, PAGE, len(self._rows)
        )
        self._exhausted = len(more) < PAGE
        if not more:
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
        if role == Qt.ItemDataRole.ForegroundRole and row.end_date is not None:
            return Qt.GlobalColor.gray
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None

    def _display(self, row: PatientRow, column: int) -> str:
        if column == COL_PERSONAL_ID:
            return row.personal_id
        if column == COL_NAME:
            return (
                PROTECTED_MASK if row.protected_identity else f"{row.last_name}, {row.first_name}"
            )
        if column == COL_AGE:
            return str(age_on(row.birth_date, self._today))
        if column == COL_CITY:
            return "" if row.protected_identity else row.city
        if column == COL_PHONE:
            return "" if row.protected_identity else row.phone
        return f"Avslutad {row.end_date.isoformat()}" if row.end_date else "Aktiv"

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][1]
        if key is None:
            return
        self._sort = key
        self._descending = order == Qt.SortOrder.DescendingOrder
        self._reload()
