"""The start-up guide on a fresh data folder, a second start without it, and re-running it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from pathlib import Path

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring
from PySide6.QtCore import QTime, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from clinic_desk.domain.people import Profession
from clinic_desk.paths import paths_for
from clinic_desk.settings import WorkstationSettings
from clinic_desk.store.encryption import file_state
from clinic_desk.ui.app import open_clinic
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.session import LoginDialog, PassphraseDialog
from clinic_desk.ui.setup_wizard import SetupWizard
from clinic_desk.workflows.appointments import opening_hours
from clinic_desk.workflows.setup import setup_complete
from tests.gui.helpers import child, drive_modal, type_text

PASSWORD = "admin-lösen-1"
REGION_CSV = (
    "namn;organisationsnummer;kod;ort;omradesansvarig\n"
    "Folktandvården Björkbacken;232100-0222;BJBK;Umeå;ja\n"
    "Tandläkarhuset Norrsken;556036-0793;NORR;Umeå;nej\n"
)


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Information and warning boxes are recorded instead of shown."""
    shown: list[str] = []

    def record(_parent: object, title: str, text: str, *args: object) -> None:
        shown.append(f"{title}: {text}")

    monkeypatch.setattr(QMessageBox, "information", record)
    monkeypatch.setattr(QMessageBox, "warning", record)
    return shown


def _next(wizard: QWizard) -> None:
    page = wizard.currentPage()
    button = (
        QWizard.WizardButton.CommitButton
        if page.isCommitPage()
        else QWizard.WizardButton.FinishButton
        if wizard.nextId() == -1
        else QWizard.WizardButton.NextButton
    )
    wizard.button(button).click()


def _field(wizard: QWizard, name: str) -> object:
    return child(wizard.currentPage(), object, name)


def _errors(wizard: QWizard) -> list[str]:
    return [
        label.text()
        for label in wizard.currentPage().findChildren(QLabel)
        if label.objectName().startswith("error_") and label.text()
    ]


def test_the_guide_sets_up_a_new_clinic_and_a_second_start_skips_it(
    qtbot: QtBot, tmp_path: Path, messages: list[str]
) -> None:
    paths = paths_for(tmp_path / "new")
    second = tmp_path / "usb"
    second.mkdir()
    region_csv = tmp_path / "region.csv"
    region_csv.write_text(REGION_CSV, encoding="utf-8")
    titles: list[str] = []

    def drive(wizard: QDialog) -> None:
        assert isinstance(wizard, SetupWizard)
        titles.append(wizard.currentPage().title())
        _next(wizard)  # Välkommen
        titles.append(wizard.currentPage().title())
        type_text(qtbot, _field(wizard, "username"), "anna.berg")
        type_text(qtbot, _field(wizard, "full_name"), "Anna Berg")
        type_text(qtbot, _field(wizard, "password"), PASSWORD)
        type_text(qtbot, _field(wizard, "repeat"), "ett-annat-lösen")
        _next(wizard)
        assert _errors(wizard) == ["Lösenorden är inte lika."]  # nothing saved, still here
        type_text(qtbot, _field(wizard, "repeat"), PASSWORD)
        _next(wizard)  # the account is created; no way back to this page
        titles.append(wizard.currentPage().title())
        assert not wizard.button(QWizard.WizardButton.BackButton).isEnabled()
        type_text(qtbot, _field(wizard, "name"), "Tandläkarna på Älvgatan")
        type_text(qtbot, _field(wizard, "org_number"), "5590123451")
        type_text(qtbot, _field(wizard, "address_line"), "Älvgatan 3")
        type_text(qtbot, _field(wizard, "postal_code"), "903 26")
        type_text(qtbot, _field(wizard, "city"), "Umeå")
        type_text(qtbot, _field(wizard, "bankgiro"), "5050-1055")
        _field(wizard, "f_skatt").setChecked(True)  # type: ignore[attr-defined]
        _next(wizard)
        assert any("Organisationsnumret" in text for text in _errors(wizard))
        type_text(qtbot, _field(wizard, "org_number"), "5590123450")
        _next(wizard)
        titles.append(wizard.currentPage().title())
        region = wizard.currentPage().dialog  # type: ignore[attr-defined]
        assert region.import_file(region_csv)
        _next(wizard)
        titles.append(wizard.currentPage().title())
        _field(wizard, "open5").setChecked(True)  # type: ignore[attr-defined]  # Saturday
        _field(wizard, "opens5").setTime(QTime(9, 0))  # type: ignore[attr-defined]
        _field(wizard, "closes5").setTime(QTime(13, 0))  # type: ignore[attr-defined]
        _field(wizard, "break_to5").setTime(QTime(12, 0))  # type: ignore[attr-defined]
        _next(wizard)
        titles.append(wizard.currentPage().title())
        type_text(qtbot, _field(wizard, "username"), "karin.holm")
        type_text(qtbot, _field(wizard, "full_name"), "Karin Holm")
        profession = _field(wizard, "profession")
        profession.setCurrentIndex(profession.findData(Profession.DENTIST))  # type: ignore[attr-defined]
        type_text(qtbot, _field(wizard, "password"), "tandläkare-1")
        _next(wizard)  # typed in but not added: Nästa adds her
        titles.append(wizard.currentPage().title())
        _field(wizard, "second_folder").setText(str(second))  # type: ignore[attr-defined]
        _field(wizard, "idle_minutes").setValue(5)  # type: ignore[attr-defined]
        _next(wizard)
        titles.append(wizard.currentPage().title())
        summary = _field(wizard, "summary").text()  # type: ignore[attr-defined]
        assert "Tandläkarna på Älvgatan" in summary
        assert "Andra kliniker i registret: 2" in summary
        assert "varav behandlare: 1" in summary
        _next(wizard)  # Slutför

    result: list[AppContext | None] = []
    drive_modal(qtbot, lambda: result.append(open_clinic(paths, demo=False)), drive)
    assert titles == [
        "Välkommen",
        "Administratör",
        "Kliniken",
        "Regionens kliniker",
        "Öppettider",
        "Personal",
        "Säkerhetskopior och den här datorn",
        "Klart",
    ]
    ctx = result[0]
    assert ctx is not None
    store = ctx.store
    assert ctx.user.username == "anna.berg"
    assert ctx.user.profession is Profession.ADMINISTRATOR
    assert file_state(paths.database) == "encrypted"  # the program always encrypts
    own = store.clinics.own()
    assert own is not None
    assert (own.name, own.org_number, own.bankgiro, own.f_skatt) == (
        "Tandläkarna på Älvgatan",
        "559012-3450",
        "5050-1055",
        True,
    )
    assert len(store.clinics.all()) == 3
    saturday = opening_hours(store).days[5]
    assert saturday is not None
    assert (saturday.opens, saturday.closes) == (time(9), time(13))
    assert store.settings.get("opening_hours") is not None  # saved, not just the default
    dentists = [u for u in store.users.all() if u.profession is Profession.DENTIST]
    assert [u.username for u in dentists] == ["karin.holm"]
    assert setup_complete(store)
    workstation = WorkstationSettings.load(paths.workstation_settings)
    assert (workstation.second_backup_dir, workstation.idle_lock_minutes) == (str(second), 5)
    actions = [r[0] for r in store.conn.execute("SELECT action FROM audit_log ORDER BY id")]
    assert actions[0] == "user.create"
    assert actions[-1] == "setup.complete"

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.isVisible()
    assert window.windowTitle().startswith("Tandläkarna på Älvgatan")
    window.close()  # closes the store

    seen: list[QDialog] = []

    def log_in(dialog: QDialog) -> None:
        seen.append(dialog)
        type_text(qtbot, child(dialog, object, "username"), "anna.berg")
        type_text(qtbot, child(dialog, object, "password"), PASSWORD)
        child(dialog, object, "buttons").accepted.emit()  # type: ignore[attr-defined]

    again: list[AppContext | None] = []
    drive_modal(qtbot, lambda: again.append(open_clinic(paths, demo=False)), log_in)
    assert len(seen) == 1
    assert isinstance(seen[0], LoginDialog)  # the login, not the guide
    reopened = again[0]
    assert reopened is not None
    assert reopened.user.username == "anna.berg"
    reopened.store.close()


def test_a_guide_left_after_the_account_comes_back_after_login(
    qtbot: QtBot, tmp_path: Path, messages: list[str]
) -> None:
    paths = paths_for(tmp_path / "half")

    def create_account_and_leave(wizard: QDialog) -> None:
        assert isinstance(wizard, SetupWizard)
        _next(wizard)
        type_text(qtbot, _field(wizard, "username"), "anna.berg")
        type_text(qtbot, _field(wizard, "full_name"), "Anna Berg")
        type_text(qtbot, _field(wizard, "password"), PASSWORD)
        type_text(qtbot, _field(wizard, "repeat"), PASSWORD)
        _next(wizard)
        wizard.reject()

    first: list[AppContext | None] = []
    drive_modal(
        qtbot, lambda: first.append(open_clinic(paths, demo=False)), create_account_and_leave
    )
    assert first == [None]  # the program does not open without finishing the first start

    shown: list[str] = []

    def guide() -> None:
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, SetupWizard):
            QTimer.singleShot(20, guide)
            return
        shown.append(wizard.currentPage().title())
        _next(wizard)
        shown.append(wizard.currentPage().title())  # no account page this time
        wizard.reject()

    def log_in_then_leave_guide(dialog: QDialog) -> None:
        assert isinstance(dialog, LoginDialog)
        type_text(qtbot, child(dialog, object, "username"), "anna.berg")
        type_text(qtbot, child(dialog, object, "password"), PASSWORD)
        QTimer.singleShot(0, guide)  # the guide opens once the login has closed
        child(dialog, object, "buttons").accepted.emit()  # type: ignore[attr-defined]

    second: list[AppContext | None] = []
    drive_modal(
        qtbot, lambda: second.append(open_clinic(paths, demo=False)), log_in_then_leave_guide
    )
    assert shown == ["Välkommen", "Kliniken"]
    ctx = second[0]
    assert ctx is not None  # the administrator works on; the guide comes back next start
    assert not setup_complete(ctx.store)
    ctx.store.close()


def _in_turn(
    qtbot: QtBot, open_it: Callable[[], object], *handlers: Callable[[QDialog], None]
) -> None:
    """Run `open_it`; each modal dialog that comes up, one after another, goes to the next
    handler (the passphrase, then the guide or the login)."""
    queue = list(handlers)
    failures: list[BaseException] = []
    last: list[QDialog] = []

    def work() -> None:
        if not queue:
            return
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isVisible() or dialog in last:
            QTimer.singleShot(20, work)
            return
        last.append(dialog)
        try:
            queue.pop(0)(dialog)
        except BaseException as exc:  # re-raised below, after the dialog is closed
            failures.append(exc)
            dialog.reject()
            return
        QTimer.singleShot(20, work)

    QTimer.singleShot(0, work)
    open_it()
    if failures:
        raise failures[0]
    assert not queue, "a dialog did not come up"


def test_without_a_keyring_the_passphrase_comes_first_then_the_guide(
    qtbot: QtBot, tmp_path: Path, messages: list[str]
) -> None:
    keyring.set_keyring(FailKeyring())  # the autouse fixture puts its own back afterwards
    paths = paths_for(tmp_path / "no-keyring")
    phrase = "en lång lösenfras för kliniken"
    seen: list[str] = []

    def choose_passphrase(dialog: QDialog) -> None:
        assert isinstance(dialog, PassphraseDialog)
        seen.append("passphrase")
        type_text(qtbot, child(dialog, object, "passphrase"), phrase)
        type_text(qtbot, child(dialog, object, "repeat"), phrase)
        child(dialog, object, "buttons").accepted.emit()  # type: ignore[attr-defined]

    def guide(wizard: QDialog) -> None:
        assert isinstance(wizard, SetupWizard)
        seen.append("guide")
        _next(wizard)
        type_text(qtbot, _field(wizard, "username"), "anna.berg")
        type_text(qtbot, _field(wizard, "full_name"), "Anna Berg")
        type_text(qtbot, _field(wizard, "password"), PASSWORD)
        type_text(qtbot, _field(wizard, "repeat"), PASSWORD)
        _next(wizard)
        type_text(qtbot, _field(wizard, "name"), "Tandläkarna på Älvgatan")
        type_text(qtbot, _field(wizard, "org_number"), "559012-3450")
        type_text(qtbot, _field(wizard, "bankgiro"), "5050-1055")
        while wizard.isVisible():  # the rest as proposed
            page = wizard.currentId()
            _next(wizard)
            assert wizard.currentId() != page or not wizard.isVisible(), _errors(wizard)

    first: list[AppContext | None] = []
    _in_turn(qtbot, lambda: first.append(open_clinic(paths, demo=False)), choose_passphrase, guide)
    assert seen == ["passphrase", "guide"]
    ctx = first[0]
    assert ctx is not None
    assert file_state(paths.database) == "encrypted"
    assert setup_complete(ctx.store)
    ctx.store.close()

    def give_passphrase(dialog: QDialog) -> None:
        assert isinstance(dialog, PassphraseDialog)
        type_text(qtbot, child(dialog, object, "passphrase"), phrase)
        child(dialog, object, "buttons").accepted.emit()  # type: ignore[attr-defined]

    def log_in(dialog: QDialog) -> None:
        assert isinstance(dialog, LoginDialog)
        type_text(qtbot, child(dialog, object, "username"), "anna.berg")
        type_text(qtbot, child(dialog, object, "password"), PASSWORD)
        child(dialog, object, "buttons").accepted.emit()  # type: ignore[attr-defined]

    again: list[AppContext | None] = []
    _in_turn(qtbot, lambda: again.append(open_clinic(paths, demo=False)), give_passphrase, log_in)
    reopened = again[0]
    assert reopened is not None
    assert reopened.store.clinics.own() is not None
    reopened.store.close()
