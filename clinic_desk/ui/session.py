"""Logging in, the first administrator, the database passphrase, and the lock screen."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from clinic_desk.domain.errors import FieldError, ValidationError
from clinic_desk.domain.people import User
from clinic_desk.store.store import Store
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.workflows.auth import LoginRefused, create_first_administrator, log_in, unlock

LOGIN_SPEC = FormSpec(
    "login_dialog.ui",
    {
        "intro": QLabel,
        "username": QLineEdit,
        "password": QLineEdit,
        "message": QLabel,
        "buttons": QDialogButtonBox,
    },
)
FIRST_ADMIN_SPEC = FormSpec(
    "first_admin_dialog.ui",
    {
        "intro": QLabel,
        "username": QLineEdit,
        "full_name": QLineEdit,
        "hsa_id": QLineEdit,
        "password": QLineEdit,
        "repeat": QLineEdit,
        "buttons": QDialogButtonBox,
    },
)
PASSPHRASE_SPEC = FormSpec(
    "passphrase_dialog.ui",
    {
        "intro": QLabel,
        "passphrase": QLineEdit,
        "repeat": QLineEdit,
        "repeat_label": QLabel,
        "buttons": QDialogButtonBox,
    },
)
MIN_PASSPHRASE = 12


class LoginDialog(QDialog):
    """Login at start, and the lock screen: the locked user's own password unlocks; 'Byt
    användare' lets someone else log in instead (a quick switch)."""

    def __init__(
        self, parent: QWidget | None, store: Store, locked: User | None = None, title: str = ""
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title or ("Skärmen är låst" if locked else "Logga in – Clinic Desk"))
        self.form = load_form(LOGIN_SPEC, self)
        self._store = store
        self._locked = locked
        self.user: User | None = None
        self.switched = False
        self._wait = 0
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._tick)
        self.form.message.setStyleSheet("color: #b00020")
        self.form.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Logga in")
        self.form.buttons.accepted.connect(self._try)
        if locked is not None:
            self.form.intro.setText(
                f"Skärmen är låst. {locked.full_name}: skriv ditt lösenord för att fortsätta."
            )
            self.form.username.setText(locked.username)
            self.form.username.setReadOnly(True)
            self.switch_button = QPushButton("Byt användare", self)
            self.switch_button.setObjectName("switch_user")
            self.form.buttons.addButton(self.switch_button, QDialogButtonBox.ButtonRole.ActionRole)
            self.switch_button.clicked.connect(self.start_switch)
            self.form.buttons.button(QDialogButtonBox.StandardButton.Cancel).hide()
            self.form.password.setFocus()
        else:
            self.form.buttons.rejected.connect(self.reject)
        self.resize(420, self.sizeHint().height())

    def start_switch(self) -> None:
        """Let another user log in from the lock screen."""
        self.form.intro.setText("Logga in som en annan användare.")
        self.form.username.setReadOnly(False)
        self.form.username.clear()
        self.form.password.clear()
        self.form.username.setFocus()
        self.switch_button.setEnabled(False)

    def reject(self) -> None:
        if self._locked is not None:
            return  # a lock screen is only left by unlocking or logging in
        super().reject()

    def _try(self) -> None:
        username = self.form.username.text()
        password = self.form.password.text()
        try:
            if self._locked is not None and username == self._locked.username:
                self.user = unlock(self._store, self._locked, password)
            else:
                self.user = log_in(self._store, username, password, switched_from=self._locked)
                self.switched = self._locked is not None
        except LoginRefused as exc:
            self.form.password.clear()
            self.form.message.setText(str(exc))
            if exc.retry_after:
                self._start_wait(exc.retry_after)
            return
        self._timer.stop()
        self.accept()

    def _start_wait(self, seconds: int) -> None:
        self._wait = seconds
        self.form.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self._timer.start()

    def _tick(self) -> None:
        self._wait -= 1
        if self._wait <= 0:
            self._timer.stop()
            self.form.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)
            self.form.message.setText("Försök igen.")
        else:
            self.form.message.setText(f"Vänta {self._wait} sekunder och försök igen.")


class FirstAdminDialog(FormDialog):
    """First start of a new clinic: create the administrator's account with a password."""

    SPEC = FIRST_ADMIN_SPEC

    def __init__(self, parent: QWidget | None, store: Store) -> None:
        super().__init__(parent, "Första kontot – Clinic Desk")
        self._store = store
        self.user: User | None = None

    def field_widgets(self) -> Mapping[str, QWidget]:
        return {
            "username": self.form.username,
            "full_name": self.form.full_name,
            "password": self.form.password,
            "repeat": self.form.repeat,
        }

    def submit(self) -> None:
        self.user = create_first_administrator(
            self._store,
            self.form.username.text(),
            self.form.full_name.text(),
            self.form.password.text(),
            self.form.repeat.text(),
            self.form.hsa_id.text(),
        )


class PassphraseDialog(FormDialog):
    """Where the PC has no keyring: the passphrase the database key is made from."""

    SPEC = PASSPHRASE_SPEC

    def __init__(self, parent: QWidget | None, new: bool) -> None:
        super().__init__(parent, "Databasens lösenfras")
        self._new = new
        if new:
            text = (
                "Datorn har ingen nyckelring. Välj en lösenfras (minst "
                f"{MIN_PASSPHRASE} tecken) som krypterar databasen. Den sparas ingenstans: "
                "skriv ner den och förvara den säkert. Utan den går databasen och dess "
                "säkerhetskopior inte att öppna."
            )
        else:
            text = (
                "Databasen är krypterad. Skriv lösenfrasen, eller nyckeln (64 tecken) om "
                "den har skrivits ut."
            )
            self.form.repeat.hide()
            self.form.repeat_label.hide()
        self.form.intro.setText(text)
        self.value: str | None = None

    def field_widgets(self) -> Mapping[str, QWidget]:
        return {"passphrase": self.form.passphrase, "repeat": self.form.repeat}

    def submit(self) -> None:
        typed = self.form.passphrase.text()
        errors = []
        if len(typed) < (MIN_PASSPHRASE if self._new else 1):
            errors.append(
                FieldError("passphrase", f"Lösenfrasen ska ha minst {MIN_PASSPHRASE} tecken.")
            )
        if self._new and typed != self.form.repeat.text():
            errors.append(FieldError("repeat", "Lösenfraserna är inte lika."))
        if errors:
            raise ValidationError(errors)
        self.value = typed


def ask_passphrase(new: bool) -> str | None:
    """Show the passphrase dialog; None when cancelled."""
    dialog = PassphraseDialog(None, new)
    return dialog.value if dialog.exec() else None


class Curtain(QWidget):
    """Covers a window while the screen is locked, so nothing of a record shows."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lock_curtain")
        self.setAutoFillBackground(True)
        self.setStyleSheet("background: #2b2b2b")
        label = QLabel("Låst", self)
        label.setStyleSheet("color: #dddddd; font-size: 28px")
        label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom)
        label.setContentsMargins(0, 0, 0, 60)
        self._label = label
        self.setGeometry(window.rect())
        label.setGeometry(self.rect())
        self.raise_()
        self.show()
