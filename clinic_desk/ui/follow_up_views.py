"""The region's follow-up cases on screen (seed 001): record a finding with its colour, the
plan and the region's decisions, the timeline, and the sanction ladder month by month."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Literal

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QWidget,
)

from clinic_desk.domain.billing import format_kronor
from clinic_desk.domain.errors import FieldError, RuleViolation, ValidationError
from clinic_desk.domain.follow_up import (
    COLOUR_LABELS,
    DEVIATION_LABELS,
    SEVERITY_LABELS,
    FollowUpDraft,
    FollowUpRecord,
    colour_today,
    timeline,
)
from clinic_desk.domain.sanctions import Colour, classify, monthly_sanction_kr
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.formatting import from_qdate, to_qdate
from clinic_desk.ui.forms import Form, FormSpec
from clinic_desk.ui.table_fill import fill_table
from clinic_desk.workflows.compliance import sanction_summary
from clinic_desk.workflows.deviations import (
    record_follow_up_case,
    record_plan_sent,
    record_region_decision,
)

CASE_SPEC = FormSpec(
    "follow_up_dialog.ui",
    {
        "title": QLineEdit,
        "request_date": QDateEdit,
        "severity": QComboBox,
        "deviation": QComboBox,
        "colour": QLabel,
        "self_reported": QCheckBox,
        "plan_deadline": QDateEdit,
        "note": QPlainTextEdit,
        "buttons": QDialogButtonBox,
    },
)
DECISION_SPEC = FormSpec(
    "follow_up_decision_dialog.ui",
    {
        "case_label": QLabel,
        "plan_sent": QRadioButton,
        "failed": QRadioButton,
        "approved": QRadioButton,
        "decided_on": QDateEdit,
        "note": QPlainTextEdit,
        "buttons": QDialogButtonBox,
    },
)
COLOUR_HEX = {
    Colour.GREEN: "#2e7d32",
    Colour.YELLOW: "#f9a825",
    Colour.RED: "#c62828",
    Colour.BLACK: "#000000",
}


def _kr(kronor: int) -> str:
    return format_kronor(kronor * 100)


class FollowUpDialog(FormDialog):
    """Record a finding the region asked the clinic to correct."""

    SPEC = CASE_SPEC

    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent, "Nytt uppföljningsärende")
        self._ctx = ctx
        self.saved_id: int | None = None
        f = self.form
        for combo, labels in ((f.severity, SEVERITY_LABELS), (f.deviation, DEVIATION_LABELS)):
            for value, text in labels.items():
                combo.addItem(f"{value} – {text}", value)
            combo.currentIndexChanged.connect(self._colour)
        f.request_date.setDate(to_qdate(ctx.today()))
        f.plan_deadline.setDate(to_qdate(ctx.today() + timedelta(days=30)))
        f.self_reported.toggled.connect(self._colour)
        self._colour()

    def field_widgets(self) -> Mapping[str, QWidget]:
        f = self.form
        return {
            "title": f.title,
            "request_date": f.request_date,
            "plan_deadline": f.plan_deadline,
            "severity": f.severity,
            "deviation": f.deviation,
        }

    def _colour(self) -> None:
        f = self.form
        colour = classify(int(f.severity.currentData()), int(f.deviation.currentData()))
        score = int(f.severity.currentData()) * int(f.deviation.currentData())
        rate = monthly_sanction_kr(colour, f.self_reported.isChecked())
        text = f"{score} = {COLOUR_LABELS[colour].lower()}"
        if colour is Colour.GREEN:
            text += " – ingen handlingsplan, ingen sanktion"
        elif colour is Colour.BLACK:
            text += f" – sanktion {rate} kr per listad och månad direkt"
        else:
            text += f" – underkänd plan ger {rate} kr per listad och månad"
        f.colour.setText(f"<span style='color:{COLOUR_HEX[colour]}'>●</span> {text}")

    def submit(self) -> None:
        f = self.form
        draft = FollowUpDraft(
            title=f.title.text(),
            request_date=from_qdate(f.request_date.date()),
            severity=int(f.severity.currentData()),
            deviation=int(f.deviation.currentData()),
            self_reported=f.self_reported.isChecked(),
            plan_deadline=from_qdate(f.plan_deadline.date()),
            note=f.note.toPlainText(),
        )
        self.saved_id = record_follow_up_case(
            self._ctx.store, self._ctx.user, draft, self._ctx.today()
        )


class DecisionDialog(FormDialog):
    """The plan sent, or the region's decision (failed / approved), on one case."""

    SPEC = DECISION_SPEC

    def __init__(self, parent: QWidget | None, ctx: AppContext, record: FollowUpRecord) -> None:
        super().__init__(parent, "Plan eller beslut")
        self._ctx = ctx
        self._record = record
        f = self.form
        f.case_label.setText(
            f"<b>{record.title}</b> · begäran {record.request_date.isoformat()} · "
            f"{COLOUR_LABELS[colour_today(record, ctx.today())].lower()}"
        )
        f.decided_on.setDate(to_qdate(ctx.today()))
        if record.plan_sent_on is not None:
            f.failed.setChecked(True)
            f.plan_sent.setEnabled(False)

    def field_widgets(self) -> Mapping[str, QWidget]:
        return {"decided_on": self.form.decided_on}

    def submit(self) -> None:
        f = self.form
        on = from_qdate(f.decided_on.date())
        ctx = self._ctx
        try:
            if f.plan_sent.isChecked():
                record_plan_sent(ctx.store, ctx.user, self._record.id, on, ctx.today())
            else:
                kind: Literal["failed", "approved"] = (
                    "approved" if f.approved.isChecked() else "failed"
                )
                record_region_decision(
                    ctx.store,
                    ctx.user,
                    self._record.id,
                    kind,
                    on,
                    f.note.toPlainText(),
                    ctx.today(),
                )
        except RuleViolation as exc:
            raise ValidationError([FieldError("decided_on", str(exc))]) from None


class FollowUpTab(QObject):
    """The follow-up tab of the compliance page: cases, timeline, sanctions by month."""

    changed = Signal()

    def __init__(self, ctx: AppContext, form: Form, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._form = form
        self._parent = parent
        self.records: list[FollowUpRecord] = []
        form.new_case.clicked.connect(self.new)
        form.decision.clicked.connect(self.decide)
        form.cases.itemSelectionChanged.connect(self._selected)
        form.cases.doubleClicked.connect(lambda _index: self.decide())

    def refresh(self) -> None:
        """Read the cases and the ladder again."""
        f = self._form
        today = self._ctx.today()
        self.records = self._ctx.store.follow_ups.all()
        fill_table(
            f.cases,
            ["Begäran", "Påpekande", "Grad", "Färg nu", "Plan senast", "Plan skickad", "Läge"],
            [
                [
                    r.request_date.isoformat(),
                    r.title,
                    f"{r.severity}×{r.deviation}" + (" (egen)" if r.self_reported else ""),
                    COLOUR_LABELS[colour_today(r, today)],
                    r.plan_deadline.isoformat(),
                    r.plan_sent_on.isoformat() if r.plan_sent_on else "–",
                    "Godkänd " + r.approved_on.isoformat()
                    if r.approved_on
                    else (
                        f"Sanktion {r.current_rate_kr(today)} kr/listad"
                        if r.current_rate_kr(today)
                        else "Pågår"
                    ),
                ]
                for r in self.records
            ],
        )
        for row, r in enumerate(self.records):
            item = f.cases.item(row, 3)
            if item is not None:
                item.setForeground(QColor(COLOUR_HEX[colour_today(r, today)]))
        summary = sanction_summary(self._ctx.store, today)
        f.sanction_headline.setText(
            f"Sanktion denna månad: <b>{_kr(summary.month_kr(today))}</b> · "
            f"sammanlagt sedan första begäran: <b>{_kr(summary.total_kr)}</b>"
        )
        fill_table(
            f.sanctions,
            ["Månad", "Listade", "Sanktion", "Löpande summa"],
            _running(summary.by_month),
        )
        if self.records and not f.cases.selectionModel().selectedRows():
            f.cases.selectRow(0)
        self._selected()

    def select(self, case_id: int) -> None:
        """Choose a case in the list."""
        ids = [r.id for r in self.records]
        if case_id in ids:
            self._form.cases.selectRow(ids.index(case_id))

    def _current(self) -> FollowUpRecord | None:
        rows = self._form.cases.selectionModel().selectedRows()
        return self.records[rows[0].row()] if rows and rows[0].row() < len(self.records) else None

    def _selected(self) -> None:
        record = self._current()
        f = self._form
        f.decision.setEnabled(record is not None and record.approved_on is None)
        f.timeline.clear()
        if record is None:
            f.timeline.setRowCount(0)
            return
        entries = timeline(record, self._ctx.today())
        fill_table(
            f.timeline,
            ["Datum", "Händelse"],
            [[e.on.isoformat(), e.text] for e in entries],
        )
        for row, entry in enumerate(entries):
            item = f.timeline.item(row, 0)
            if item is not None:
                item.setForeground(QColor(COLOUR_HEX[entry.colour]))
                item.setData(Qt.ItemDataRole.ToolTipRole, COLOUR_LABELS[entry.colour])

    def new(self) -> None:
        """Record a new finding."""
        dialog = FollowUpDialog(self._parent, self._ctx)
        if dialog.exec() and dialog.saved_id is not None:
            self.changed.emit()
            self.refresh()
            self.select(dialog.saved_id)

    def decide(self) -> None:
        """Record the plan sent or the region's decision on the chosen case."""
        record = self._current()
        if record is None or record.approved_on is not None:
            return
        if DecisionDialog(self._parent, self._ctx, record).exec():
            self.changed.emit()
            self.refresh()
            self.select(record.id)


def _running(by_month: tuple[tuple[object, int, int], ...]) -> list[list[str]]:
    total = 0
    rows = []
    for month, listed, kr in by_month:
        total += kr
        rows.append([f"{month:%Y-%m}", str(listed), _kr(kr), _kr(total)])
    return rows
