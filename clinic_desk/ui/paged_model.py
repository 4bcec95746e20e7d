"""A lazy table model: rows come from SQL a page at a time as the view scrolls.

Searching, filtering and sorting happen in SQL; the model only keeps the pages fetched so
far. Subclasses say how to fetch a page, how to show a cell, and what to count.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

PAGE = 200
RowT = TypeVar("RowT")
Index = QModelIndex | QPersistentModelIndex


class PagedTableModel(QAbstractTableModel, Generic[RowT]):
    """Fetches PAGE rows at a time; subclasses implement `_page`, `_display` and `_row_id`."""

    headers: tuple[str, ...] = ()

    def __init__(self) -> None:
        super().__init__()
        self._rows: list[RowT] = []
        self._exhausted = True
        self._loaded = False

    # -- for subclasses ------------------------------------------------------------------
    def _page(self, offset: int) -> list[RowT]:
        """PAGE rows of the current query and order, from `offset`."""
        raise NotImplementedError

    def _counted(self, first_page: list[RowT]) -> None:
        """Called inside every reload with the first page (to count the whole result)."""

    def _display(self, row: RowT, column: int) -> str:
        raise NotImplementedError

    def _row_id(self, row: RowT) -> int:
        raise NotImplementedError

    def _role(self, row: RowT, column: int, role: int) -> Any:
        """Any other role (colour, alignment); None for the default."""
        return None

    def reload(self) -> None:
        """Run the query again from the first row."""
        self._loaded = True
        self.beginResetModel()
        self._rows = self._page(0)
        self._exhausted = len(self._rows) < PAGE
        self._counted(self._rows)
        self.endResetModel()

    def reordered(self, changed: bool) -> None:
        """After a new sort order: read again, unless nothing changed or nothing was asked
        for yet (a view sets its first order before its first query; one read, not two)."""
        if changed and self._loaded:
            self.reload()

    def row_at(self, row: int) -> RowT:
        """The record shown on a row."""
        return self._rows[row]

    # -- Qt model API --------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid():
            return
        more = self._page(len(self._rows))
        self._exhausted = len(more) < PAGE
        if not more:
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, index.column())
        if role == Qt.ItemDataRole.UserRole:
            return self._row_id(row)
        return self._role(row, index.column(), role)
