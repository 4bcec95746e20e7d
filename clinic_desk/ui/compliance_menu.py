"""The main window's "Avtal" menu and its page: the morning view for managers, the deviation
register, the region's follow-up cases and the contract rules. The page is built the first
time it is shown, so it costs nothing at start."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from clinic_desk.domain.permissions import Permission, allowed
from clinic_desk.ui.context import AppContext

PAGE = "compliance"

if TYPE_CHECKING:
    from clinic_desk.ui.compliance_page import CompliancePage
    from clinic_desk.ui.main_window import MainWindow


class ComplianceMenu:
    """Menu, actions and the lazily built compliance page of one main window."""

    def __init__(self, window: MainWindow, ctx: AppContext) -> None:
        self.window = window
        self.ctx = ctx
        self._page: CompliancePage | None = None
        self.menu = QMenu("A&vtal", window)
        self.action_overview = self._action("Avtalsöversikt", "Ctrl+Shift+O", self.show_overview)
        self.action_deviations = self._action("Avvikelser", None, lambda: self.show_tab(1))
        self.action_follow_up = self._action(
            "Uppföljning från regionen", None, lambda: self.show_tab(2)
        )
        self.action_rules = self._action("Avtalsregler och rutiner", None, lambda: self.show_tab(3))
        self.action_new_deviation = self._action(
            "Ny avvikelse…", "Ctrl+Shift+V", self.new_deviation
        )
        self.menu.addActions(
            [self.action_overview, self.action_deviations, self.action_follow_up, self.action_rules]
        )
        self.menu.addSeparator()
        self.menu.addAction(self.action_new_deviation)
        bar = window.menuBar()
        help_menu = next((a for a in bar.actions() if "Hjälp" in a.text()), None)
        if help_menu is not None:
            bar.insertMenu(help_menu, self.menu)
        else:
            bar.addMenu(self.menu)
        self.apply_permissions()
        window.security.user_changed.append(self.apply_permissions)
        window.pages.register(PAGE, self._build_page)

    def _action(self, text: str, shortcut: str | None, slot: object) -> QAction:
        action = QAction(text, self.window)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def apply_permissions(self) -> None:
        """Managers follow up the contract; everyone may report a deviation."""
        manager = allowed(self.ctx.user, Permission.MANAGE_COMPLIANCE)
        for action in (
            self.action_overview,
            self.action_deviations,
            self.action_follow_up,
            self.action_rules,
        ):
            action.setVisible(manager)
            action.setEnabled(manager)
        self.action_new_deviation.setEnabled(allowed(self.ctx.user, Permission.REPORT_DEVIATION))

    def _build_page(self) -> QWidget:
        from clinic_desk.ui.compliance_page import CompliancePage

        page = CompliancePage(self.ctx, self.window.stack)
        page.open_patient.connect(self.window.open_patient)
        page.act_requested.connect(self._act)
        self._page = page
        return page

    @property
    def page(self) -> CompliancePage:
        """The compliance page, built by the window's lazy pages on first use."""
        self.window.pages.page(PAGE)
        assert self._page is not None
        return self._page

    def open_morning_view(self) -> None:
        """At start: the dashboard for those who follow up the contract."""
        if allowed(self.ctx.user, Permission.MANAGE_COMPLIANCE):
            self.show_overview()

    def show_overview(self) -> None:
        """The morning view (Ctrl+Shift+O), computed afresh."""
        self.show_tab(0)

    def show_tab(self, index: int) -> None:
        """The compliance page on one of its tabs, read afresh."""
        if not allowed(self.ctx.user, Permission.MANAGE_COMPLIANCE):
            return
        page = self.page
        page.form.tabs.setCurrentIndex(index)
        page.refresh()
        self.window.stack.setCurrentWidget(page)
        page.form.checks.setFocus()

    def new_deviation(self) -> None:
        """Report a deviation (Ctrl+Shift+V), about the patient on the card if one is open."""
        from clinic_desk.ui.deviation_views import NewDeviationDialog

        record = getattr(self.window.stack.currentWidget(), "record", None)
        patient_id = record.patient.id if record is not None else None
        dialog = NewDeviationDialog(self.window, self.ctx, patient_id)
        if dialog.exec() and self._page is not None:
            self._page.refresh()

    def _act(self, action: str) -> None:
        """Open the screen that fixes a check that is not about one patient."""
        window = self.window
        if action == "emergency":
            window.show_emergency()
        elif action == "invoices":
            window.show_overdue()
        elif action == "no_shows":
            window.show_no_shows()
        elif action == "access_review":
            window.security.show_review()
        elif action == "backup":
            window.security.backup_now()
        if self._page is not None and window.stack.currentWidget() is self._page:
            self._page.refresh()
