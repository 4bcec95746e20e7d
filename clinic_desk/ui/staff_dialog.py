"""Staff accounts: dentists and hygienists become responsible practitioners."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QWidget,
)

from clinic_desk.domain.errors import RuleViolation, ValidationError
from clinic_desk.domain.people import Profession, User
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.field_errors import FieldErrors
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.table_fill import fill_table
from clinic_desk.workflows.auth import check_new_password, hash_password, set_password
from clinic_desk.workflows.staff import add_staff, set_staff_active

SPEC = FormSpec(
    "staff_dialog.ui",
    {
        "staff_table": QTableWidget,
        "username": QLineEdit,
        "full_name": QLineEdit,
        "profession": QComboBox,
        "add_staff": QPushButton,
        "password": QLineEdit,
        "new_password": QPushButton,
        "toggle_active": QPushButton,
        "buttons": QDialogButtonBox,
    },
)


class StaffDialog(QDialog):
    """List of accounts, a short form to add one, and close/reopen."""

    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent)
        self.setWindowTitle("Personal")
        self.form = load_form(SPEC, self)
        self._ctx = ctx
        self._users: list[User] = []
        for profession in Profession:
            self.form.profession.addItem(profession.label, profession)
        self.errors = FieldErrors(
            {
                "username": self.form.username,
                "full_name": self.form.full_name,
                "password": self.form.password,
            }
        )
        self.form.new_password.clicked.connect(self._new_password)
        self.form.add_staff.clicked.connect(self._add)
        self.form.toggle_active.clicked.connect(self._toggle)
        self.form.staff_table.itemSelectionChanged.connect(self._selection_changed)
        self.form.buttons.rejected.connect(self.reject)
        self.resize(640, 520)
        self.refresh()

    def refresh(self) -> None:
        """Read the accounts again."""
        self._users = self._ctx.store.users.all(include_inactive=True)
        fill_table(
            self.form.staff_table,
            ["Namn", "Användarnamn", "Yrke", "Status"],
            [
                [u.full_name, u.username, u.profession.label, "Aktiv" if u.active else "Stängt"]
                for u in self._users
            ],
        )
        self._selection_changed()

    def _selected(self) -> User | None:
        row = self.form.staff_table.currentRow()
        return self._users[row] if 0 <= row < len(self._users) else None

    def _selection_changed(self) -> None:
        user = self._selected()
        self.form.toggle_active.setEnabled(user is not None and user.id != self._ctx.user.id)
        self.form.new_password.setEnabled(user is not None)
        self.form.toggle_active.setText(
            "Öppna konto" if user and not user.active else "Stäng konto"
        )

    def _add(self) -> None:
        password = self.form.password.text()
        try:
            check_new_password(password, password)
            add_staff(
                self._ctx.store,
                self._ctx.user,
                self.form.username.text(),
                self.form.full_name.text(),
                self.form.profession.currentData(),
                password_hash=hash_password(password),
            )
        except ValidationError as exc:
            self.errors.show(exc)
            return
        except RuleViolation as exc:
            QMessageBox.warning(self, "Personal", str(exc))
            return
        self.errors.clear()
        self.form.username.clear()
        self.form.full_name.clear()
        self.form.password.clear()
        self.refresh()

    def _new_password(self) -> None:
        """A new password for the selected account (forgotten, or never set)."""
        user = self._selected()
        if user is None:
            return
        password, ok = QInputDialog.getText(
            self,
            "Nytt lösenord",
            f"Nytt lösenord för {user.full_name} (minst 8 tecken):",
            QLineEdit.EchoMode.Password,
        )
        if not ok:
            return
        try:
            set_password(self._ctx.store, self._ctx.user, user.id, password, password)
        except (ValidationError, RuleViolation) as exc:
            QMessageBox.warning(self, "Nytt lösenord", str(exc))

    def _toggle(self) -> None:
        user = self._selected()
        if user is not None:
            set_staff_active(self._ctx.store, self._ctx.user, user.id, not user.active)
            self.refresh()
