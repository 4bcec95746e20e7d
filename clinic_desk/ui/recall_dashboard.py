"""Delayed recall (seed 003): how many are late and by how much, by dentist and by month."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import RuleViolation
from clinic_desk.domain.people import Profession
from clinic_desk.domain.recall import BANDS, delayed_recall
from clinic_desk.ui.bar_chart import BarChart, place_chart
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.recall_page import COL_DUE, RecallModel
from clinic_desk.ui.table_fill import fill_table
from clinic_desk.workflows.contract_rules import rules_on
from clinic_desk.workflows.recall import (
    lead_months,
    recall_list,
    recall_responsible,
    set_recall_responsible,
)

SPEC = FormSpec(
    "recall_dashboard.ui",
    {
        "responsible": QComboBox,
        "headline": QLabel,
        "refresh": QPushButton,
        "bands_host": QWidget,
        "months_host": QWidget,
        "by_dentist": QTableWidget,
        "late": QTableView,
    },
)


class RecallDashboard(QWidget):
    """The recall-responsible person's view of everyone late."""

    open_patient = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)
        self.form = load_form(SPEC, self)
        self._ctx = ctx
        f = self.form
        self.bands = place_chart(f.bands_host, BarChart("Hur sent (utan bokad tid)", "#b00020"))
        self.months = place_chart(f.months_host, BarChart("Per förfallomånad"))
        self._names = {u.id: u.full_name for u in ctx.store.users.all(include_inactive=True)}
        dentists = {u.id: u.full_name for u in ctx.store.users.with_profession(Profession.DENTIST)}
        self.model = RecallModel(ctx.today(), lead_months(ctx.store), dentists)
        f.late.setModel(self.model)
        f.late.verticalHeader().hide()
        f.late.sortByColumn(COL_DUE, Qt.SortOrder.AscendingOrder)
        f.late.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        f.late.doubleClicked.connect(
            lambda index: self.open_patient.emit(self.model.rows[index.row()].patient_id)
        )
        f.responsible.addItem("– ingen utsedd –", None)
        for user in ctx.store.users.all():
            f.responsible.addItem(f"{user.full_name} ({user.profession.label.lower()})", user.id)
        current = recall_responsible(ctx.store)
        f.responsible.setCurrentIndex(max(0, f.responsible.findData(current)))
        f.responsible.currentIndexChanged.connect(self._responsible_changed)
        f.refresh.clicked.connect(self.refresh)
        shortcut = QShortcut(QKeySequence("F5"), self)
        shortcut.activated.connect(self.refresh)
        self.refresh()

    def _responsible_changed(self) -> None:
        user_id = self.form.responsible.currentData()
        try:
            set_recall_responsible(self._ctx.store, self._ctx.user, user_id)
        except RuleViolation as exc:
            self.form.headline.setText(str(exc))

    def refresh(self) -> None:
        """Compute the figures again."""
        today = self._ctx.today()
        try:
            rows = recall_list(self._ctx.store, today, self._ctx.now())
        except RuleViolation as exc:
            self.form.headline.setText(str(exc))
            return
        summary = delayed_recall(
            rows, today, lead_months(self._ctx.store), rules=rules_on(self._ctx.store, today)
        )
        self.bands.set_data([(band, summary.by_band[band]) for band in BANDS])
        self.months.set_data([(_short_month(key), n) for key, n in summary.by_due_month])
        fill_table(
            self.form.by_dentist,
            ["Ansvarig tandläkare", "Försenade"],
            [
                [self._names.get(key or 0, "Ingen vald"), str(count)]
                for key, count in sorted(summary.by_dentist.items(), key=lambda kv: -kv[1])
            ],
        )
        self.model.set_rows(list(summary.overdue))
        share = 100 * len(summary.overdue) / len(rows) if rows else 0.0
        self.form.headline.setText(
            f"<b>{len(summary.overdue)}</b> försenade av {len(rows)} listade ({share:.1f} %) · "
            f"<b>{len(summary.over_cap)}</b> över avtalets längsta intervall utan bokad tid"
        )


def _short_month(key: str) -> str:
    """'2026-03' -> '03/26' so a year of bars fits; other labels pass through."""
    return f"{key[5:7]}/{key[2:4]}" if len(key) == 7 and key[4] == "-" else key
