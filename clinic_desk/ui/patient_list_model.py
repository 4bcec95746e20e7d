"""The patient search result: a lazy table model; searching and sorting happen in SQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt

from clinic_desk.domain.ages import age_on
from clinic_desk.domain.patient_search import PatientSearch, SortColumn
from clinic_desk.domain.people import PROTECTED_MASK, PatientRow
from clinic_desk.store.patients import COUNT_CAP, PatientRepository
from clinic_desk.ui.paged_model import PAGE, PagedTableModel

COLUMNS: tuple[tuple[str, SortColumn | None], ...] = (
    ("Personnummer", SortColumn.PERSONAL_ID),
    ("Namn", SortColumn.NAME),
    ("Ålder", None),
    ("Ort", SortColumn.CITY),
    ("Telefon", SortColumn.PHONE),
    ("Status", SortColumn.STATUS),
)
COL_PERSONAL_ID, COL_NAME, COL_AGE, COL_CITY, COL_PHONE, COL_STATUS = range(len(COLUMNS))


class PatientListModel(PagedTableModel[PatientRow]):
    """The patients a search finds, by name unless sorted otherwise."""

    headers = tuple(title for title, _key in COLUMNS)

    def __init__(self, patients: PatientRepository, today: date) -> None:
        super().__init__()
        self._patients = patients
        self._today = today
        self._query = PatientSearch()
        self._sort = SortColumn.NAME
        self._descending = False
        self._total = 0
        self._capped = False

    # -- what to show --------------------------------------------------------------------
    def set_query(self, query: PatientSearch) -> None:
        """Run a new search from the first row."""
        self._query = query
        self.reload()

    def refresh(self) -> None:
        """Run the same search again (after a change)."""
        self.reload()

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
        return self.row_at(row).id

    # -- paging --------------------------------------------------------------------------
    def _page(self, offset: int) -> list[PatientRow]:
        return self._patients.search(self._query, self._sort, self._descending, PAGE, offset)

    def _counted(self, first_page: list[PatientRow]) -> None:
        if len(first_page) < PAGE:  # the whole result is on the first page: no count needed
            self._total, self._capped = len(first_page), False
        else:  # every patient is counted exactly (cheap); a search stops at COUNT_CAP
            cap = None if self._query.is_everything else COUNT_CAP
            self._total = self._patients.search_count(self._query, cap)
            self._capped = cap is not None and self._total > cap

    def _row_id(self, row: PatientRow) -> int:
        return row.id

    def _role(self, row: PatientRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and row.end_date is not None:
            return Qt.GlobalColor.gray
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
        descending = order == Qt.SortOrder.DescendingOrder
        changed = (key, descending) != (self._sort, self._descending)
        self._sort, self._descending = key, descending
        self.reordered(changed)
