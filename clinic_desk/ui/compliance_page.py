"""Contract compliance on screen: the manager's morning view (a light per area, every check
with its count, trend and list, a button to act), the deviation register, the region's
follow-up cases and the dated contract rules."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QWidget,
)

from clinic_desk.domain.compliance import AREAS, CheckResult, Dashboard, Light
from clinic_desk.domain.errors import RuleViolation
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.deviation_views import DeviationsTab
from clinic_desk.ui.follow_up_views import FollowUpTab
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.pdf_output import hand_out_pdf
from clinic_desk.ui.rules_tab import RulesTab
from clinic_desk.workflows.compliance import compliance_dashboard, print_dashboard

SPEC = FormSpec(
    "compliance_page.ui",
    {
        "tabs": QTabWidget,
        "headline": QLabel,
        "refresh": QPushButton,
        "print": QPushButton,
        "areas_host": QWidget,
        "overview_split": QSplitter,
        "checks": QTableWidget,
        "items_title": QLabel,
        "items": QTableWidget,
        "items_note": QLabel,
        "act": QPushButton,
        "new_deviation": QPushButton,
        "handle_deviation": QPushButton,
        "deviation_patient": QPushButton,
        "show_closed": QCheckBox,
        "deviations": QTableWidget,
        "deviation_detail": QLabel,
        "new_case": QPushButton,
        "decision": QPushButton,
        "sanction_headline": QLabel,
        "region_split": QSplitter,
        "cases": QTableWidget,
        "timeline": QTableWidget,
        "sanctions": QTableWidget,
        "rules_note": QLabel,
        "rule_sets": QTableWidget,
        "import_rules": QPushButton,
        "capacity_limited": QCheckBox,
        "capacity": QSpinBox,
        "stop_notice_sent": QCheckBox,
        "stop_notice_on": QDateEdit,
        "save_capacity": QPushButton,
        "safety_year": QSpinBox,
        "safety_done_on": QDateEdit,
        "save_safety": QPushButton,
        "safety_note": QLabel,
    },
)

LIGHT_COLOURS = {Light.GREEN: "#2e7d32", Light.YELLOW: "#f9a825", Light.RED: "#c62828"}
LIGHT_BACKGROUNDS = {Light.GREEN: "#e8f5e9", Light.YELLOW: "#fff8e1", Light.RED: "#ffebee"}
TAB_OVERVIEW, TAB_DEVIATIONS, TAB_REGION, TAB_RULES = range(4)
ACTION_TEXT = {
    "patient": "Öppna patienten",
    "emergency": "Öppna akutbesöken",
    "invoices": "Öppna förfallna fakturor",
    "no_shows": "Öppna uteblivna besök",
    "access_review": "Gör loggkontroll",
    "backup": "Säkerhetskopiera nu",
    "settings": "Öppna avtalsregler och rutiner",
    "deviations": "Öppna avvikelsen",
    "follow_up": "Öppna ärendet",
}


def _light_icon(light: Light) -> QIcon:
    """A filled circle in the light's colour (an icon keeps its colour when selected)."""
    pixmap = QPixmap(14, 14)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(LIGHT_COLOURS[light]))
    painter.drawEllipse(1, 1, 12, 12)
    painter.end()
    return QIcon(pixmap)


class CompliancePage(QWidget):
    """The manager's page: where the clinic stands against its contract."""

    open_patient = Signal(int)
    act_requested = Signal(str)  # a screen the main window opens: emergency, invoices, ...

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = load_form(SPEC, self)
        self._ctx = ctx
        self.dashboard: Dashboard | None = None
        f = self.form
        self._tiles: dict[str, QLabel] = {}
        grid = QGridLayout(f.areas_host)
        grid.setContentsMargins(0, 0, 0, 0)
        f.areas_host.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        for index, area in enumerate(AREAS):
            tile = QLabel(f.areas_host)
            tile.setObjectName(f"area_{area.value}")
            tile.setTextFormat(Qt.TextFormat.RichText)
            tile.setMinimumHeight(46)
            tile.setMaximumHeight(58)
            tile.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(tile, index // 4, index % 4)
            self._tiles[area.value] = tile
        f.checks.itemSelectionChanged.connect(self._show_items)
        f.checks.doubleClicked.connect(lambda _index: self._focus_items())
        f.items.itemSelectionChanged.connect(self._update_act)
        f.items.doubleClicked.connect(lambda _index: self.act())
        f.act.clicked.connect(self.act)
        f.refresh.clicked.connect(self.refresh)
        f.print.clicked.connect(self.print_pdf)
        QShortcut(QKeySequence("F5"), self).activated.connect(self.refresh)
        f.overview_split.setSizes([560, 440])
        f.region_split.setSizes([700, 460])
        self.deviations = DeviationsTab(ctx, self.form, self)
        self.deviations.open_patient.connect(self.open_patient)
        self.deviations.changed.connect(self.refresh)
        self.follow_ups = FollowUpTab(ctx, self.form, self)
        self.follow_ups.changed.connect(self.refresh)
        self.rules = RulesTab(ctx, self.form, self)
        self.rules.changed.connect(self.refresh)

    # -- the overview ------------------------------------------------------------------------
    def refresh(self) -> None:
        """Run every check again (and keep today's snapshot on the first run of the day)."""
        ctx = self._ctx
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.dashboard = compliance_dashboard(
                ctx.store, ctx.user, ctx.today(), ctx.now(), [ctx.paths.backup_dir]
            )
        except RuleViolation as exc:
            self.form.headline.setText(str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self._fill(self.dashboard)
        self.deviations.refresh()
        self.follow_ups.refresh()
        self.rules.refresh()

    def _fill(self, dashboard: Dashboard) -> None:
        f = self.form
        lights = dashboard.lights
        red = sum(1 for r in dashboard.results if r.light is Light.RED)
        yellow = sum(1 for r in dashboard.results if r.light is Light.YELLOW)
        since = (
            f"jämfört med {dashboard.week_ago.isoformat()}"
            if dashboard.week_ago
            else "ingen jämförelse med förra veckan ännu"
        )
        f.headline.setText(
            f"<b>{dashboard.today.isoformat()}</b> · {red} röda och {yellow} gula kontroller · "
            f"regler: {dashboard.rules.label} · trend {since}"
        )
        for area in AREAS:
            light = lights[area]
            results = dashboard.in_area(area)
            found = sum(r.count for r in results if r.light is not Light.GREEN)
            tile = self._tiles[area.value]
            tile.setText(
                f"<span style='color:{LIGHT_COLOURS[light]}; font-size:18pt'>●</span> "
                f"<b>{area.label}</b><br>{light.label} · {found} att åtgärda"
            )
            tile.setStyleSheet(
                f"background:{LIGHT_BACKGROUNDS[light]}; border:1px solid "
                f"{LIGHT_COLOURS[light]}; border-radius:4px; padding:4px"
            )
            tile.setToolTip(", ".join(f"{r.title}: {r.count}" for r in results))
        table = f.checks
        selected = self._selected_key()
        table.setSortingEnabled(False)
        table.clear()
        table.setColumnCount(4)
        table.setHorizontalHeaderLabels(["Kontroll", "Antal", "Vecka", "Område"])
        table.setRowCount(len(dashboard.results))
        table.setWordWrap(False)
        for row, result in enumerate(dashboard.results):
            check = QTableWidgetItem(_light_icon(result.light), result.title)
            check.setData(Qt.ItemDataRole.UserRole, result.key)
            check.setToolTip(f"{result.light.label}: {result.summary}")
            table.setItem(row, 0, check)
            count = QTableWidgetItem(str(result.count))
            count.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, 1, count)
            table.setItem(row, 2, QTableWidgetItem(dashboard.trends[result.key].text))
            table.setItem(row, 3, QTableWidgetItem(result.area.label))
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        table.verticalHeader().hide()
        table.resizeRowsToContents()
        keys = [r.key for r in dashboard.results]
        first_found = next((i for i, r in enumerate(dashboard.results) if r.items), 0)
        table.selectRow(keys.index(selected) if selected in keys else first_found)
        self._show_items()

    def _selected_key(self) -> str | None:
        rows = self.form.checks.selectionModel().selectedRows() if self.form.checks.model() else []
        if not rows:
            return None
        item = self.form.checks.item(rows[0].row(), 0)
        value = item.data(Qt.ItemDataRole.UserRole) if item else None
        return str(value) if value else None

    def selected_result(self) -> CheckResult | None:
        """The check chosen in the list."""
        key = self._selected_key()
        if key is None or self.dashboard is None:
            return None
        return self.dashboard.result(key)

    def select_check(self, key: str) -> None:
        """Choose a check by its key (used by the keyboard and tests)."""
        if self.dashboard is None:
            return
        keys = [r.key for r in self.dashboard.results]
        self.form.checks.selectRow(keys.index(key))

    def _show_items(self) -> None:
        f = self.form
        result = self.selected_result()
        f.items.clear()
        if result is None:
            f.items.setRowCount(0)
            f.items_title.setText("")
            self._update_act()
            return
        f.items_title.setText(f"<b>{result.title}</b> – {result.summary}")
        f.items.setColumnCount(2)
        f.items.setWordWrap(False)
        f.items.setHorizontalHeaderLabels(["Vem / vad", "Uppgift"])
        f.items.setRowCount(len(result.items))
        for row, item in enumerate(result.items):
            f.items.setItem(row, 0, QTableWidgetItem(item.text))
            f.items.setItem(row, 1, QTableWidgetItem(item.detail))
        f.items.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        f.items.horizontalHeader().setStretchLastSection(True)
        f.items.verticalHeader().hide()
        f.items.resizeRowsToContents()
        if result.items:
            f.items.selectRow(0)
        f.items_note.setText("Inget att åtgärda." if not result.items else "")
        self._update_act()

    def _focus_items(self) -> None:
        self.form.items.setFocus()

    def _update_act(self) -> None:
        result = self.selected_result()
        f = self.form
        if result is None:
            f.act.setEnabled(False)
            return
        f.act.setText(ACTION_TEXT.get(result.action, "Öppna"))
        if result.action == "patient" or result.action == "deviations":
            f.act.setEnabled(self._chosen_item() is not None)
        else:
            f.act.setEnabled(True)

    def _chosen_item(self) -> int | None:
        rows = self.form.items.selectionModel().selectedRows() if self.form.items.model() else []
        return rows[0].row() if rows else None

    def act(self) -> None:
        """Do what the chosen check asks: open the patient, or the screen that fixes it."""
        result = self.selected_result()
        if result is None:
            return
        row = self._chosen_item()
        item = result.items[row] if row is not None and row < len(result.items) else None
        if result.action == "patient":
            if item is not None and item.patient_id is not None:
                self.open_patient.emit(item.patient_id)
        elif result.action == "deviations":
            self.form.tabs.setCurrentIndex(TAB_DEVIATIONS)
            if item is not None and item.record_id is not None:
                self.deviations.select(item.record_id)
        elif result.action == "follow_up":
            self.form.tabs.setCurrentIndex(TAB_REGION)
            if item is not None and item.record_id is not None:
                self.follow_ups.select(item.record_id)
        elif result.action == "settings":
            self.form.tabs.setCurrentIndex(TAB_RULES)
        else:
            self.act_requested.emit(result.action)

    def print_pdf(self) -> None:
        """The dashboard as a PDF for the quality meeting (archived), then printed or saved
        from the print preview."""
        if self.dashboard is None:
            self.refresh()
        if self.dashboard is None:
            return
        try:
            document = print_dashboard(self._ctx.store, self._ctx.user, self.dashboard)
        except RuleViolation as exc:
            QMessageBox.warning(self, "Avtalsuppföljning", str(exc))
            return
        hand_out_pdf(
            self,
            self._ctx,
            self._ctx.store.documents.content(document.id),
            f"avtalsuppfoljning-{self.dashboard.today.isoformat()}.pdf",
        )
