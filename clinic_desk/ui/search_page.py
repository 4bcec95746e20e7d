"""The centre of the program: one search box and the patients it finds."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.patient_search import interpret_search
from clinic_desk.store.patients import COUNT_CAP
from clinic_desk.ui.compiled import search_page as compiled_form
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.patient_list_model import COL_NAME, PatientListModel

SPEC = FormSpec(
    "search_page.ui",
    {
        "search_box": QLineEdit,
        "include_ended": QCheckBox,
        "new_patient": QPushButton,
        "results": QTableView,
        "result_count": QLabel,
    },
    compiled=compiled_form.UI,  # on screen at every start (tools/compile_forms.py)
)
TYPING_PAUSE_MS = 150


class SearchPage(QWidget):
    """Searches as you type (after a short pause); Enter opens the selected patient."""

    open_patient = Signal(int)
    new_patient = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)
        self.form = load_form(SPEC, self)
        self._ctx = ctx
        self.model = PatientListModel(ctx.store.patients, ctx.today())
        table: QTableView = self.form.results
        table.setModel(self.model)
        table.sortByColumn(COL_NAME, Qt.SortOrder.AscendingOrder)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((130, 240, 50, 140, 130)):
            table.setColumnWidth(column, width)
        table.verticalHeader().hide()
        table.activated.connect(self._activated)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPING_PAUSE_MS)
        self._timer.timeout.connect(self.run_search)
        box: QLineEdit = self.form.search_box
        box.textEdited.connect(lambda _text: self._timer.start())
        box.returnPressed.connect(self._open_first_or_selected)
        box.installEventFilter(self)
        self.form.include_ended.toggled.connect(lambda _on: self.run_search())
        self.form.new_patient.clicked.connect(self.new_patient.emit)
        self.run_search()

    def run_search(self) -> None:
        """Search for what the box holds now."""
        self._timer.stop()
        query = interpret_search(
            self.form.search_box.text(), self._ctx.today(), self.form.include_ended.isChecked()
        )
        self.model.set_query(query)
        total = self.model.total
        if total == 0:
            text = "Ingen patient hittades."
        elif self.model.more_than_cap:
            text = f"Över {COUNT_CAP:,} patienter – skriv mer för att begränsa.".replace(",", " ")
        else:
            text = f"{total} patient{'er' if total != 1 else ''}"
        self.form.result_count.setText(text)
        if total:
            self.form.results.selectRow(0)

    def focus_search(self) -> None:
        """Put the cursor in the search box with its text selected."""
        box: QLineEdit = self.form.search_box
        box.setFocus()
        box.selectAll()

    def refresh(self) -> None:
        """Search again (after a patient was changed)."""
        self.run_search()

    def _open_first_or_selected(self) -> None:
        if self._timer.isActive():
            self.run_search()
        rows = self.form.results.selectionModel().selectedRows()
        row = rows[0].row() if rows else 0
        if self.model.rowCount() > row:
            self.open_patient.emit(self.model.patient_id(row))

    def _activated(self, index: QModelIndex) -> None:
        self.open_patient.emit(self.model.patient_id(index.row()))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up/Down in the search box move the selection in the list."""
        if watched is self.form.search_box and isinstance(event, QKeyEvent):
            key = event.key()
            if event.type() == QEvent.Type.KeyPress and key in (
                Qt.Key.Key_Down,
                Qt.Key.Key_Up,
                Qt.Key.Key_PageDown,
                Qt.Key.Key_PageUp,
            ):
                table: QTableView = self.form.results
                rows = table.selectionModel().selectedRows()
                current = rows[0].row() if rows else -1
                step = {
                    Qt.Key.Key_Down: 1,
                    Qt.Key.Key_Up: -1,
                    Qt.Key.Key_PageDown: 10,
                    Qt.Key.Key_PageUp: -10,
                }[Qt.Key(key)]
                target = max(0, min(self.model.rowCount() - 1, current + step))
                if self.model.rowCount():
                    table.selectRow(target)
                    table.scrollTo(self.model.index(target, 0))
                return True
        return super().eventFilter(watched, event)
