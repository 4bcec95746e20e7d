"""The recall list: who is due, by month, dentist, status and age; book the next free time."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.documents.recall_letter import join_pdfs
from clinic_desk.domain.appointments import AppointmentKind
from clinic_desk.domain.care_rules import add_months, age_on
from clinic_desk.domain.errors import RuleViolation
from clinic_desk.domain.people import PROTECTED_MASK, Profession
from clinic_desk.domain.recall import RecallRow, RecallState
from clinic_desk.store.recall import RecallFilter
from clinic_desk.ui.booking_dialogs import BookingDialog
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.formatting import from_qdate, to_qdate
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.pdf_output import hand_out_pdf
from clinic_desk.workflows.appointments import BOOKABLE
from clinic_desk.workflows.recall import lead_months, next_free_time, recall_list
from clinic_desk.workflows.recall_letters import plan_letters, send_letter, summon

SPEC = FormSpec(
    "recall_page.ui",
    {
        "month": QDateEdit,
        "all_months": QCheckBox,
        "dentist": QComboBox,
        "state": QComboBox,
        "age_band": QComboBox,
        "rows": QTableView,
        "summary": QLabel,
        "open_patient": QPushButton,
        "book_next": QPushButton,
        "summon_all": QPushButton,
    },
)
AGE_BANDS = (
    ("Alla åldrar", None),
    ("3–5 år", (3, 5)),
    ("6–12 år", (6, 12)),
    ("13–15 år", (13, 15)),
    ("16–19 år", (16, 19)),
)
HEADERS = (
    "Personnummer",
    "Namn",
    "Ålder",
    "Ansvarig",
    "Förfaller",
    "Senaste us.",
    "Status",
    "Nästa tid",
)
COL_DUE = HEADERS.index("Förfaller")
_Index = QModelIndex | QPersistentModelIndex


class RecallModel(QAbstractTableModel):
    """A month's recall list (bounded: the month's due patients), sortable by column."""

    def __init__(self, today: date, lead: int, names: dict[int, str]) -> None:
        super().__init__()
        self.rows: list[RecallRow] = []
        self._today = today
        self._lead = lead
        self._names = names

    def set_rows(self, rows: list[RecallRow]) -> None:
        """Show these rows."""
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def _value(self, row: RecallRow, column: int) -> Any:
        state = row.state(self._today, self._lead)
        return (
            row.personal_id,
            PROTECTED_MASK if row.protected_identity else f"{row.last_name}, {row.first_name}",
            age_on(row.birth_date, self._today),
            self._names.get(row.responsible_dentist_id or 0, ""),
            row.due_date.isoformat() + (" (ändrat)" if row.overridden else ""),
            row.last_exam_date.isoformat() if row.last_exam_date else "Ingen",
            state.label + (f", {late} mån" if (late := row.months_late(self._today)) else ""),
            f"{row.next_time:%Y-%m-%d %H:%M}" if row.next_time else "",
        )[column]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self._value(row, index.column()))
        if role == Qt.ItemDataRole.ForegroundRole and row.state(self._today, self._lead) is (
            RecallState.OVERDUE
        ):
            return Qt.GlobalColor.darkRed
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.beginResetModel()
        self.rows.sort(
            key=lambda r: (self._value(r, column), r.patient_id),
            reverse=order == Qt.SortOrder.DescendingOrder,
        )
        self.endResetModel()


class RecallPage(QWidget):
    """Filters on top, the list in the middle, book or open at the bottom."""

    open_patient = Signal(int)
    booked = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)
        self.form = load_form(SPEC, self)
        self._ctx = ctx
        dentists = ctx.store.users.with_profession(Profession.DENTIST)
        self.model = RecallModel(
            ctx.today(), lead_months(ctx.store), {u.id: u.full_name for u in dentists}
        )
        f = self.form
        table: QTableView = f.rows
        table.setModel(self.model)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        table.verticalHeader().hide()
        table.sortByColumn(COL_DUE, Qt.SortOrder.AscendingOrder)
        table.doubleClicked.connect(
            lambda index: self.open_patient.emit(self.model.rows[index.row()].patient_id)
        )
        f.month.setDate(to_qdate(ctx.today().replace(day=1)))
        f.dentist.addItem("Alla", None)
        for user in dentists:
            f.dentist.addItem(user.full_name, user.id)
        f.state.addItem("Alla", None)
        for state in RecallState:
            f.state.addItem(state.label, state)
        for label, band in AGE_BANDS:
            f.age_band.addItem(label, band)
        for widget in (f.month, f.dentist, f.state, f.age_band):
            signal = widget.dateChanged if widget is f.month else widget.currentIndexChanged
            signal.connect(lambda *_a: self.refresh())
        f.all_months.toggled.connect(self._all_months_toggled)
        f.open_patient.clicked.connect(self._open_selected)
        f.book_next.clicked.connect(self.book_selected)
        f.summon_all.clicked.connect(self.summon_all)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.activated.connect(self.book_selected)
        self.refresh()

    def _all_months_toggled(self, on: bool) -> None:
        self.form.month.setEnabled(not on)
        self.refresh()

    def selection(self) -> RecallFilter:
        """The SQL filter for the chosen month, dentist and age band."""
        f = self.form
        due_from = due_to = None
        if not f.all_months.isChecked():
            due_from = from_qdate(f.month.date()).replace(day=1)
            due_to = add_months(due_from, 1) - timedelta(days=1)
        band = f.age_band.currentData()
        year = self._ctx.today().year
        return RecallFilter(
            due_from=due_from,
            due_to=due_to,
            dentist_id=f.dentist.currentData(),
            min_age_year=year - band[1] if band else None,
            max_age_year=year - band[0] if band else None,
        )

    def refresh(self) -> None:
        """Read the list again."""
        try:
            rows = recall_list(
                self._ctx.store, self._ctx.today(), self._ctx.now(), self.selection()
            )
        except RuleViolation as exc:
            self.form.summary.setText(str(exc))
            self.model.set_rows([])
            return
        wanted = self.form.state.currentData()
        lead = lead_months(self._ctx.store)
        today = self._ctx.today()
        if wanted is not None:
            rows = [r for r in rows if r.state(today, lead) is wanted]
        self.model.set_rows(rows)
        counts: dict[RecallState, int] = {}
        for row in rows:
            state = row.state(today, lead)
            counts[state] = counts.get(state, 0) + 1
        parts = [f"{state.label}: {counts[state]}" for state in RecallState if state in counts]
        self.form.summary.setText(
            f"{len(rows)} patienter" + (" · " + ", ".join(parts) if parts else "")
        )

    def selected(self) -> RecallRow | None:
        """The row the user has chosen."""
        rows = self.form.rows.selectionModel().selectedRows()
        index = rows[0].row() if rows else self.form.rows.currentIndex().row()
        return self.model.rows[index] if 0 <= index < len(self.model.rows) else None

    def _open_selected(self) -> None:
        row = self.selected()
        if row is not None:
            self.open_patient.emit(row.patient_id)

    def book_selected(self) -> int | None:
        """Book the selected patient's revision at the first free suitable time."""
        row = self.selected()
        if row is None:
            return None
        if row.next_time is not None:
            QMessageBox.information(
                self, "Kallelse", f"Patienten har redan en tid {row.next_time:%Y-%m-%d %H:%M}."
            )
            return None
        practitioner = row.responsible_dentist_id
        bookable = {u.id for u in self._ctx.store.users.with_profession(*BOOKABLE)}
        if practitioner not in bookable:
            practitioner = next(iter(sorted(bookable)), None)
        if practitioner is None:
            QMessageBox.warning(self, "Kallelse", "Det finns ingen behandlare att boka.")
            return None
        tomorrow = datetime.combine(self._ctx.today() + timedelta(days=1), datetime.min.time())
        earliest = max(
            tomorrow, datetime.combine(add_months(row.due_date, -1), datetime.min.time())
        )
        start = (
            next_free_time(
                self._ctx.store, practitioner, earliest, AppointmentKind.REVISION.default_minutes
            )
            or earliest
        )
        patient = self._ctx.store.patients.get(row.patient_id)
        dialog = BookingDialog(self, self._ctx, start, practitioner, patient)
        if dialog.exec() and dialog.saved_id is not None:
            self.refresh()
            self.booked.emit()
            return dialog.saved_id
        return None

    def summon_candidates(self) -> list[RecallRow]:
        """Patients in the list who are due or late and have no time yet."""
        today = self._ctx.today()
        lead = lead_months(self._ctx.store)
        return [
            r
            for r in self.model.rows
            if r.state(today, lead) in (RecallState.DUE, RecallState.OVERDUE)
        ]

    def summon_all(self, ask_file: bool = True) -> BatchResult | None:
        """Offer times to everyone due in the list, then write and archive their letters.

        Runs on the GUI thread in small steps (one booking or one letter at a time, each its
        own transaction) with a progress dialog; Avbryt stops after the current step and
        keeps what is done. SQLite's connection belongs to this thread, so this is simpler
        and as responsive as a worker thread.
        """
        rows = self.summon_candidates()
        if not rows:
            QMessageBox.information(self, "Kallelse", "Ingen i listan behöver kallas.")
            return None
        question = (
            f"Boka kallelsetider för {len(rows)} patienter och skriva deras brev? "
            "Tiderna blir kallelser tills vårdnadshavaren bekräftar dem."
        )
        if QMessageBox.question(self, "Kalla alla", question) != QMessageBox.StandardButton.Yes:
            return None
        ctx = self._ctx
        ids = [r.patient_id for r in rows]
        progress = QProgressDialog("Bokar tider…", "Avbryt", 0, len(ids), self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)

        def step(done: int, _total: int) -> None:
            progress.setValue(done)
            QApplication.processEvents()

        booked = summon(
            ctx.store,
            ctx.user,
            ids,
            {r.patient_id: r.due_date for r in rows},
            ctx.today(),
            ctx.now(),
            progress.wasCanceled,
            step,
        )
        plan = plan_letters(ctx.store, ids, ctx.today(), ctx.now())
        progress.setLabelText("Skriver och arkiverar brev…")
        progress.setRange(0, len(plan.letters))
        progress.setValue(0)
        letters: list[bytes] = []
        for number, letter in enumerate(plan.letters, start=1):
            if progress.wasCanceled():
                break
            archived = send_letter(ctx.store, ctx.user, letter, ctx.today())
            letters.append(ctx.store.documents.content(archived[0].id))
            step(number, len(plan.letters))
        progress.close()
        result = BatchResult(len(booked), len(letters), plan.skipped_protected, None)
        if letters and ask_file:
            result = replace(result, saved_to=self._save_batch(letters))
        self.refresh()
        self.booked.emit()
        message = f"{result.booked} tider bokade och {result.letters} brev arkiverade."
        if result.skipped_protected:
            message += (
                f" {result.skipped_protected} med skyddade personuppgifter togs inte med:"
                " skicka deras kallelser en och en via Skatteverket."
            )
        if result.saved_to:
            message += f"\n\nBreven sparades i {result.saved_to}."
        QMessageBox.information(self, "Kallelse", message)
        return result

    def _save_batch(self, letters: list[bytes]) -> Path | None:
        """The batch in one print preview: printed at once, or saved as one PDF."""
        name = f"kallelser-{self._ctx.today().isoformat()}.pdf"
        return hand_out_pdf(self, self._ctx, join_pdfs(letters), name).saved_to


@dataclass(frozen=True)
class BatchResult:
    """What one "summon all" did."""

    booked: int
    letters: int
    skipped_protected: int
    saved_to: Path | None
