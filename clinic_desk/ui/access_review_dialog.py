"""Loggkontroll: the access log filtered and flagged, the chain check, a PDF of the review."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QWidget,
)

from clinic_desk.domain.errors import RuleViolation
from clinic_desk.domain.personal_id import InvalidPersonalId, parse_personal_id
from clinic_desk.store.access_review import FLAG_LABELS, AccessReview, ReviewFilter, ReviewRow
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.pdf_output import hand_out_pdf, outcome_text
from clinic_desk.workflows.access_log import (
    SHORT_FLAGS,
    describe_break,
    export_review,
    open_access_review,
    verify_access_log,
)

SPEC = FormSpec(
    "access_review.ui",
    {
        "user": QComboBox,
        "patient": QLineEdit,
        "action": QComboBox,
        "first": QDateEdit,
        "last": QDateEdit,
        "flagged_only": QCheckBox,
        "search": QPushButton,
        "entries": QTableView,
        "summary": QLabel,
        "chain_status": QLabel,
        "verify": QPushButton,
        "note": QLineEdit,
        "export_pdf": QPushButton,
        "buttons": QDialogButtonBox,
    },
)
PAGE = 200
ACTION_LABELS = {
    "patient.open": "Öppnade journal",
    "patient.reveal_protected": "Visade skyddade uppgifter",
    "patient.create": "Registrerade patient",
    "patient.update": "Ändrade patient",
    "patient.end": "Avslutade patient",
    "login.ok": "Inloggning",
    "login.failed": "Misslyckad inloggning",
    "login.throttled": "Inloggning för tidigt",
    "session.lock": "Låste skärmen",
    "session.unlock": "Låste upp",
    "audit.verify": "Kontrollerade loggen",
    "audit.review": "Granskade loggen",
    "audit.review_open": "Öppnade loggkontrollen",
    "audit.head_mismatch": "Loggens slut stämde inte",
    "backup.restore": "Återställde säkerhetskopia",
    "backup.create": "Tog säkerhetskopia",
    "user.create": "Skapade konto",
    "user.password": "Ändrade lösenord",
}


def action_label(action: str) -> str:
    """The action in Swedish where we have a word for it, else its code."""
    return ACTION_LABELS.get(action, action)


COLUMNS = ("Nr", "Tid", "Användare", "Händelse", "Personnummer", "Patient", "Flaggor")
_Index = QModelIndex | QPersistentModelIndex


class AccessReviewModel(QAbstractTableModel):
    """The filtered log, PAGE rows at a time; filtering and flags are computed in SQL."""

    def __init__(self, review: AccessReview) -> None:
        super().__init__()
        self._review = review
        self._filter = ReviewFilter()
        self._newest_first = True
        self._rows: list[ReviewRow] = []
        self._exhausted = True
        self.total = 0

    def set_filter(self, where: ReviewFilter) -> None:
        """Run a new query from the first row."""
        self._filter = where
        self._reload()

    def _reload(self) -> None:
        self.beginResetModel()
        self.total = self._review.count(self._filter)
        self._rows = self._review.rows(self._filter, PAGE, 0, self._newest_first)
        self._exhausted = len(self._rows) < PAGE
        self.endResetModel()

    def row(self, number: int) -> ReviewRow:
        """The entry on a row."""
        return self._rows[number]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and not self._exhausted

    def fetchMore(self, parent: _Index) -> None:
        if parent.isValid():
            return
        more = self._review.rows(self._filter, PAGE, len(self._rows), self._newest_first)
        self._exhausted = len(more) < PAGE
        if more:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
            self._rows.extend(more)
            self.endInsertRows()

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                str(row.id),
                row.at.replace("T", " "),
                row.user_name or "–",
                action_label(row.action),
                row.personal_id,
                row.patient_name,
                ", ".join(SHORT_FLAGS[f] for f in sorted(row.flags)),
            )[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and row.flags:
            return QColor("#ffe9c2")
        if role == Qt.ItemDataRole.ToolTipRole and row.flags:
            return "\n".join(FLAG_LABELS[f] for f in sorted(row.flags))
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        # Entries are numbered in time order: any column sorts by number (time).
        self._newest_first = order == Qt.SortOrder.DescendingOrder
        self._reload()


class AccessReviewDialog(QDialog):
    """Filters on top, the entries in the middle, the chain check and the PDF below."""

    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent)
        self.setWindowTitle("Loggkontroll")
        self.form = load_form(SPEC, self)
        self._ctx = ctx
        review = open_access_review(ctx.store, ctx.user)  # refuses without the permission
        self.model = AccessReviewModel(review)
        self.form.entries.setModel(self.model)
        self.form.entries.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )
        self.form.entries.verticalHeader().hide()
        self.form.entries.horizontalHeader().setStretchLastSection(True)
        self.form.entries.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)
        self.form.user.addItem("Alla", None)
        for user in ctx.store.users.all(include_inactive=True):
            self.form.user.addItem(f"{user.full_name} ({user.username})", user.id)
        self.form.action.addItem("Alla", None)
        self.form.action.addItem("Öppnade journaler", "patient.open")
        self.form.action.addItem("Visade skyddade uppgifter", "patient.reveal_protected")
        self.form.action.addItem("Inloggningar", "login.")
        for action in review.actions():
            if self.form.action.findData(action) < 0:
                self.form.action.addItem(action_label(action), action)
        today = ctx.today()
        self.form.last.setDate(QDate(today.year, today.month, today.day))
        first = date.fromordinal(today.toordinal() - 30)
        self.form.first.setDate(QDate(first.year, first.month, first.day))
        self.form.search.clicked.connect(self.run)
        self.form.patient.returnPressed.connect(self.run)
        self.form.verify.clicked.connect(self.verify)
        self.form.export_pdf.clicked.connect(self.export)
        self.form.buttons.rejected.connect(self.reject)
        self.form.chain_status.setText("Loggkedjan är inte kontrollerad i den här granskningen.")
        self.resize(1100, 640)
        self.run()
        self.form.entries.resizeColumnsToContents()

    def current_filter(self) -> ReviewFilter | None:
        """The filter as typed; None (with a message) for a malformed personal number."""
        patient_id = None
        typed = self.form.patient.text().strip()
        if typed:
            try:
                canonical = parse_personal_id(typed, today=self._ctx.today()).canonical
            except InvalidPersonalId as exc:
                self.form.summary.setText(str(exc))
                return None
            patient = self._ctx.store.patients.by_personal_id(canonical)
            if patient is None:
                self.form.summary.setText(f"Ingen patient har personnumret {canonical}.")
                return None
            patient_id = patient.id
        return ReviewFilter(
            user_id=self.form.user.currentData(),
            patient_id=patient_id,
            first=self.form.first.date().toPython(),
            last=self.form.last.date().toPython(),
            action=self.form.action.currentData(),
            flagged_only=self.form.flagged_only.isChecked(),
        )

    def run(self) -> None:
        """Show the entries the filter finds."""
        where = self.current_filter()
        if where is None:
            return
        self.model.set_filter(where)
        self.form.summary.setText(f"{self.model.total} poster.")

    def verify(self) -> None:
        """Walk the hash chain and compare its head; show the result."""
        report = verify_access_log(self._ctx.store, self._ctx.user)
        lines = [report.summary(), *(describe_break(b) for b in report.breaks[:20])]
        self.form.chain_status.setText("\n".join(lines))
        self.form.chain_status.setStyleSheet("" if report.intact else "color: #b00020")
        self.run()

    def export(self) -> None:
        """Archive the review as a PDF with the reviewer's name and note; then preview,
        print or save it."""
        where = self.current_filter()
        if where is None:
            return
        try:
            _document, content = export_review(
                self._ctx.store, self._ctx.user, where, self.form.note.text(), self._ctx.store.now()
            )
        except RuleViolation as exc:
            QMessageBox.warning(self, "Loggkontroll", str(exc))
            return
        name = f"loggkontroll-{self._ctx.today().isoformat()}.pdf"
        outcome = hand_out_pdf(self, self._ctx, content, name)
        self.form.summary.setText(f"Granskningen arkiverades{outcome_text(outcome)}.")
