"""Inställningar: every setting in one window, grouped in a list on the left.

Each group is the program's own dialog for it, shown as a page with its own Spara (one save
= one change in the audit log). Clinic-wide settings are saved in the database; "Den här
datorn" is saved in this PC's workstation file (docs/admin-guide.md lists which is where).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.permissions import Permission, allowed
from clinic_desk.settings import WorkstationSettings
from clinic_desk.ui.book_settings import LetterTemplatesDialog, OpeningHoursDialog
from clinic_desk.ui.clinic_dialogs import ClinicDialog, ClinicsDialog
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.embedding import embed
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.invoice_dialogs import InvoiceSettingsDialog
from clinic_desk.ui.setup_wizard import SetupWizard
from clinic_desk.ui.staff_dialog import StaffDialog
from clinic_desk.ui.workstation_panel import WorkstationPanel
from clinic_desk.workflows.setup import may_run_setup

SPEC = FormSpec(
    "settings_dialog.ui",
    {
        "groups": QListWidget,
        "page_title": QLabel,
        "page_where": QLabel,
        "pages": QStackedWidget,
        "rerun_wizard": QPushButton,
        "status": QLabel,
        "buttons": QDialogButtonBox,
    },
)
IN_DATABASE = "Gäller hela kliniken och sparas i databasen."


@dataclass(frozen=True)
class Group:
    """One entry of the list: its name, who may change it, where it is kept, its page."""

    key: str
    title: str
    permission: Permission | None
    where: str
    build: Callable[[SettingsDialog], QWidget]


def _own_clinic(window: SettingsDialog) -> QWidget:
    ctx = window.ctx
    dialog = ClinicDialog(None, ctx, ctx.store.clinics.own(), own=True)
    for name in ("is_own", "area_responsible"):
        dialog.form.get(name).hide()
    return dialog


def _workstation(window: SettingsDialog) -> QWidget:
    panel = WorkstationPanel(None, window.ctx.paths)
    buttons: QDialogButtonBox = panel.form.buttons
    buttons.setStandardButtons(QDialogButtonBox.StandardButton.Save)
    buttons.button(QDialogButtonBox.StandardButton.Save).setText("Spara")
    buttons.accepted.connect(lambda: window.save_workstation(panel))
    return panel


GROUPS = (
    Group("clinic", "Egen klinik", Permission.EDIT_CLINICS, IN_DATABASE, _own_clinic),
    Group(
        "clinics",
        "Regionens kliniker",
        Permission.EDIT_CLINICS,
        IN_DATABASE,
        lambda w: ClinicsDialog(None, w.ctx),
    ),
    Group(
        "staff",
        "Personal och behandlare",
        Permission.MANAGE_USERS,
        IN_DATABASE + " Tidboken har en kolumn per behandlare; rum finns inte i programmet.",
        lambda w: StaffDialog(None, w.ctx),
    ),
    Group(
        "book",
        "Öppettider, kallelser och avgifter",
        Permission.EDIT_CLINIC_SETTINGS,
        IN_DATABASE + " Här finns också sen avbokning, hur tidigt kallelser skickas, gränsen för "
        "skriftlig påminnelse om uteblivna besök och avgiften för uteblivet besök.",
        lambda w: OpeningHoursDialog(None, w.ctx),
    ),
    Group(
        "letters",
        "Brevmallar",
        Permission.EDIT_CLINIC_SETTINGS,
        IN_DATABASE + " Förhandsvisningen visar brevet med påhittade namn.",
        lambda w: LetterTemplatesDialog(None, w.ctx),
    ),
    Group(
        "invoices",
        "Fakturor och prislista",
        Permission.EDIT_CLINIC_SETTINGS,
        IN_DATABASE + " Priserna för åtgärder kommer från regionens prislista.",
        lambda w: InvoiceSettingsDialog(None, w.ctx),
    ),
    Group(
        "workstation",
        "Den här datorn",
        None,
        "Gäller bara den här datorn och sparas i en fil på den, inte i databasen.",
        _workstation,
    ),
)


class SettingsDialog(QDialog):
    """The settings groups the user may change; pages are built when first opened."""

    ctx: AppContext

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        on_workstation: Callable[[WorkstationSettings], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Inställningar")
        self.form = load_form(SPEC, self)
        self.ctx = ctx
        self._on_workstation = on_workstation
        self.groups = [g for g in GROUPS if g.permission is None or allowed(ctx.user, g.permission)]
        self.built: dict[str, QWidget] = {}
        self._as_saved: dict[str, list[object]] = {}  # what each tracked page held when saved
        f = self.form
        for group in self.groups:
            f.groups.addItem(group.title)
            f.pages.addWidget(QWidget())  # replaced by the real page when first shown
        f.groups.currentRowChanged.connect(self.show_group)
        f.rerun_wizard.clicked.connect(self.rerun_wizard)
        f.rerun_wizard.setVisible(may_run_setup(ctx.user))
        f.buttons.rejected.connect(self.reject)
        self.resize(1100, 700)
        f.groups.setCurrentRow(0)

    def group_row(self, key: str) -> int:
        """The list row of a group (-1 when the user may not change it)."""
        return next((i for i, g in enumerate(self.groups) if g.key == key), -1)

    def open_group(self, key: str) -> QWidget:
        """Show a group by its key and return its page (tests, screenshots)."""
        row = self.group_row(key)
        if row < 0:
            raise KeyError(key)
        self.form.groups.setCurrentRow(row)
        return self.built[key]

    def show_group(self, row: int) -> None:
        """Show one group, building its page the first time."""
        if not 0 <= row < len(self.groups):
            return
        group = self.groups[row]
        f = self.form
        if group.key not in self.built:
            holder = QWidget()
            layout = QVBoxLayout(holder)
            layout.setContentsMargins(0, 0, 0, 0)
            page = group.build(self)
            if isinstance(page, QDialog):
                embed(page, layout, save_text="Spara")
                if isinstance(page, FormDialog):
                    page.saved.connect(lambda g=group: self._saved(g.title, g.key))
            else:
                layout.addWidget(page)
            old = f.pages.widget(row)
            f.pages.insertWidget(row, holder)
            f.pages.removeWidget(old)
            old.deleteLater()
            self.built[group.key] = page
            self._remember(group.key)
        else:
            refresh = getattr(self.built[group.key], "refresh", None)
            if callable(refresh):  # lists another page may have changed (own clinic, staff)
                refresh()
        f.pages.setCurrentIndex(row)
        f.page_title.setText(group.title)
        f.page_where.setText(group.where)
        f.status.clear()

    def _saved(self, title: str, key: str) -> None:
        self.form.status.setText(f"Sparat: {title}.")
        self._remember(key)

    def _remember(self, key: str) -> None:
        page = self.built[key]
        if isinstance(page, FormDialog | StaffDialog | WorkstationPanel):
            self._as_saved[key] = _held(page)
            for edit in page.findChildren(QPlainTextEdit):
                edit.document().setModified(False)

    def unsaved(self) -> list[str]:
        """Titles of the pages with changes not saved yet."""
        changed = []
        for group in self.groups:
            page = self.built.get(group.key)
            if page is None or group.key not in self._as_saved:
                continue
            edited = any(
                e.document().isModified()
                for e in page.findChildren(QPlainTextEdit)
                if not e.isReadOnly()
            )
            if edited or _held(page) != self._as_saved[group.key]:
                changed.append(group.title)
        return changed

    def reject(self) -> None:
        """Stäng, Esc or the window's close box: ask first when a page is not saved."""
        changed = self.unsaved()
        if changed:
            answer = QMessageBox.question(
                self,
                "Inte sparat",
                "Ändringarna i " + ", ".join(changed) + " är inte sparade. Stäng ändå?",
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        super().reject()

    def save_workstation(self, panel: WorkstationPanel) -> None:
        """Save this PC's settings and use them at once."""
        try:
            fresh = panel.save()
        except OSError as exc:
            QMessageBox.warning(self, "Inställningar", f"Kunde inte spara: {exc}")
            return
        if self._on_workstation is not None:
            self._on_workstation(fresh)
        self._saved("Den här datorn", "workstation")

    def rerun_wizard(self) -> None:
        """Run the start-up guide again, filled in with what is saved; then read it all anew."""
        wizard = SetupWizard(self, self.ctx.store, self.ctx.paths, self.ctx.user)
        wizard.exec()
        if self._on_workstation is not None:
            self._on_workstation(WorkstationSettings.load(self.ctx.paths.workstation_settings))
        row = self.form.groups.currentRow()
        for key in list(self.built):
            index = self.group_row(key)
            old = self.form.pages.widget(index)
            self.form.pages.insertWidget(index, QWidget())
            self.form.pages.removeWidget(old)
            old.deleteLater()
        self.built.clear()
        self._as_saved.clear()
        self.show_group(row)


# Combo boxes that choose what to look at (the letter) or preset an empty form (the new
# account's profession): changing them alone changes nothing that would be saved.
_NOT_DATA = {"template", "profession"}


def _held(page: QWidget) -> list[object]:
    """What a page's fields hold now (texts, ticks, numbers, times, choices)."""
    values: list[object] = []
    for widget in page.findChildren(QWidget):
        if isinstance(widget, QLineEdit) and not isinstance(
            widget.parentWidget(), QAbstractSpinBox
        ):
            values.append(widget.text())
        elif isinstance(widget, QAbstractButton) and widget.isCheckable():
            values.append(widget.isChecked())
        elif isinstance(widget, QAbstractSpinBox):
            values.append(widget.text())
        elif isinstance(widget, QComboBox) and widget.objectName() not in _NOT_DATA:
            values.append(widget.currentIndex())
    return values
