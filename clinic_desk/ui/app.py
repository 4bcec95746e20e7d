"""Starting the program's window: open the clinic, then show the main window."""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, Qt, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from clinic_desk.domain.people import User
from clinic_desk.paths import AppPaths
from clinic_desk.resources import resource_path
from clinic_desk.secrets import (
    KeyringSecrets,
    KeyUnavailable,
    chain_head_store,
    database_key,
    remember_key,
)
from clinic_desk.settings import WorkstationSettings
from clinic_desk.store.chain_head import ChainHeadStore
from clinic_desk.store.encryption import DatabaseKey
from clinic_desk.store.errors import DatabaseLocked, DatabaseProblem, DatabaseUnreadable
from clinic_desk.store.store import Store
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.crash import install_crash_handler
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.workflows.auth import enter_demo, needs_first_administrator
from clinic_desk.workflows.setup import may_run_setup, setup_complete


def application() -> QApplication:
    """The one QApplication (created on first use)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    # The style is named on Qt's command line rather than with setStyle(): from Python,
    # setStyle builds PySide's QStyle type with its ~600 enum values first (~5 ms at start).
    app = QApplication([*sys.argv[:1], "-style", "fusion"])
    app.setApplicationName("Clinic Desk")
    app.setOrganizationName("ClinicDesk")
    install_swedish(app)
    app.setWindowIcon(QIcon(str(resource_path("clinic-desk.svg"))))
    return app


def install_swedish(app: QApplication) -> None:
    """Qt's own texts (Spara, Avbryt, Ja, Nej, dates) in Swedish, whatever the PC's locale."""
    QLocale.setDefault(QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_sv", folder):
        app.installTranslator(translator)


def open_clinic(paths: AppPaths, demo: bool) -> AppContext | None:
    """Open the encrypted database (building the demo clinic on first use) and log in;
    None after a message or when the login is cancelled."""
    paths.ensure()
    store = open_store(paths, demo)
    if store is None:
        return None
    if demo and store.patients.count_all() == 0:
        _build_demo(store)
    if store.head_break is not None:
        from clinic_desk.workflows.access_log import describe_break

        QMessageBox.warning(
            None,
            "Åtkomstloggen har ändrats",
            "Åtkomstloggen i databasen stämmer inte med det som sparats utanför den: "
            f"{describe_break(store.head_break)}. Händelsen är nu noterad i loggen. "
            "Kontakta klinikchefen och granska loggen (Säkerhet → Loggkontroll).",
        )
    user = _log_in(store, demo, paths)
    if user is None:
        store.close()
        return None
    return AppContext(store=store, user=user, paths=paths, demo=demo)


def open_store(paths: AppPaths, demo: bool) -> Store | None:
    """The database opened with its key; a damaged file offers the newest good backup."""
    secrets = KeyringSecrets()
    try:
        key = database_key(
            secrets,
            paths.database,
            _ask_passphrase,
            demo=demo,
        )
    except KeyUnavailable as exc:
        QMessageBox.critical(None, "Databasen kan inte öppnas", str(exc))
        return None
    head = chain_head_store(secrets, paths, key)
    try:
        # The whole-file check runs off the GUI thread once the window is shown
        # (MainWindow.start_maintenance); a migration still waits for it here.
        store = Store.open(
            paths.database, paths.backup_dir, key=key, chain_head=head, check_integrity=False
        )
    except DatabaseLocked as exc:
        QMessageBox.critical(None, "Databasen kan inte låsas upp", str(exc))
        return None
    except DatabaseUnreadable as exc:
        return _offer_restore(paths, key, head, str(exc))
    except DatabaseProblem as exc:
        QMessageBox.critical(None, "Databasen kan inte öppnas", str(exc))
        return None
    except OSError as exc:
        QMessageBox.critical(
            None,
            "Databasen kan inte öppnas",
            f"{paths.database} kan inte öppnas: {exc.strerror or exc}.",
        )
        return None
    remember_key(secrets, paths.database, key)
    return store


def _offer_restore(
    paths: AppPaths, key: DatabaseKey, head: ChainHeadStore, problem: str
) -> Store | None:
    """The database is damaged: offer the newest backup that passes its checks."""
    from clinic_desk.store.backups import newest_good_backup
    from clinic_desk.workflows.backups import record_restore, restore_file

    settings = WorkstationSettings.load(paths.workstation_settings)
    newest = newest_good_backup(settings.backup_folders(paths.backup_dir), key)
    if newest is None:
        QMessageBox.critical(
            None, "Databasen är skadad", f"{problem}\n\nDet finns ingen fungerande säkerhetskopia."
        )
        return None
    answer = QMessageBox.question(
        None,
        "Databasen är skadad",
        f"{problem}\n\nÅterställ den senaste fungerande säkerhetskopian, från "
        f"{newest.taken_at:%Y-%m-%d %H:%M}? Det som sparats efter den går förlorat. Den "
        "skadade filen sparas undan oförändrad i mappen för säkerhetskopior.",
    )
    if answer != QMessageBox.StandardButton.Yes:
        return None
    try:
        replaced = restore_file(newest.path, paths.database, paths.backup_dir, key)
        store = Store.open(paths.database, paths.backup_dir, key=key)
    except (DatabaseProblem, OSError) as exc:
        QMessageBox.critical(None, "Återställningen misslyckades", str(exc))
        return None
    record_restore(store, None, newest.path, replaced)
    store.adopt_chain_head(head)
    return store


def _log_in(store: Store, demo: bool, paths: AppPaths) -> User | None:
    """The demo logs in as its administrator; a new clinic runs the start-up guide, which
    creates its first account; otherwise the login dialog, then the guide if the clinic was
    never set up and the user may set it up (cancelled, it comes back at the next start)."""
    if demo and store.settings.get("demo") is True:  # --demo on a real clinic: log in
        from clinic_desk.demo_accounts import give_demo_passwords

        return enter_demo(store, give_demo_passwords(store))
    if needs_first_administrator(store):
        from clinic_desk.ui.setup_wizard import SetupWizard

        wizard = SetupWizard(None, store, paths)
        return wizard.user if wizard.exec() else None
    from clinic_desk.ui.session import LoginDialog

    dialog = LoginDialog(None, store)
    if not dialog.exec() or dialog.user is None:
        return None
    if not setup_complete(store) and may_run_setup(dialog.user):
        from clinic_desk.ui.setup_wizard import SetupWizard

        SetupWizard(None, store, paths, dialog.user).exec()
    return dialog.user


def _ask_passphrase(new: bool) -> str | None:
    """The passphrase dialog (its module loads only when a clinic has to ask)."""
    from clinic_desk.ui.session import ask_passphrase

    return ask_passphrase(new)


def _build_demo(store: Store) -> None:
    from clinic_desk.demo import DEFAULT_PATIENTS, build_demo_clinic

    progress = QProgressDialog("Bygger demokliniken…", "", 0, DEFAULT_PATIENTS)
    progress.setCancelButton(None)
    progress.setWindowModality(Qt.WindowModality.ApplicationModal)
    progress.setMinimumDuration(0)

    def step(done: int, total: int) -> None:
        progress.setValue(done)
        QApplication.processEvents()

    build_demo_clinic(store, DEFAULT_PATIENTS, progress=step)
    progress.close()


def run_gui(paths: AppPaths, demo: bool = False, exit_when_ready: bool = False) -> int:
    """Show the main window and run until it closes (or, for checks, until it is ready).

    A restore chosen in the window closes it; the backup is put in place and the clinic
    opens again with a new login."""
    app = application()
    install_crash_handler(paths.log_dir)
    collector_paused = not gc.isenabled()  # the command line pauses it while we start
    while True:
        ctx = open_clinic(paths, demo)
        if ctx is None:
            return 1
        window = MainWindow(ctx)
        # Nothing more starts before the window is on screen (the morning view alone takes
        # half a second at 100,000 patients).
        then = (
            functools.partial(_report_ready_and_close, window)
            if exit_when_ready
            else window.after_start
        )
        if collector_paused:
            then = functools.partial(_collect_from_now_on, then)
            collector_paused = False
        _AfterFirstPaint(window, then)
        window.show()
        code = app.exec()
        chosen, user = window.security.restore_from, ctx.user
        if chosen is None:
            return code
        _restore_chosen(paths, chosen.path, user, demo)


class _AfterFirstPaint(QObject):
    """Runs `then` once the window has been painted for the first time and the events
    queued with that paint are handled: the window is on screen and usable by then."""

    def __init__(self, window: MainWindow, then: Callable[[], None]) -> None:
        super().__init__(window)
        self.window = window
        self.then = then
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window and event.type() == QEvent.Type.Paint:
            self.window.removeEventFilter(self)
            QTimer.singleShot(0, self.then)
        return False


def _collect_from_now_on(then: Callable[[], None]) -> None:
    """The window is up: collect cycles again, leaving out what the start built (it lives
    as long as the program, so later collections need not look at it again)."""
    gc.freeze()
    gc.enable()
    then()


def _report_ready_and_close(window: MainWindow) -> None:
    """For start-up checks: say when the window was ready (wall clock, so the caller can
    subtract its own start time), then close it."""
    import time

    print(f"ready {time.time():.6f}", flush=True)
    window.close()


def _restore_chosen(paths: AppPaths, backup: Path, user: User, demo: bool) -> None:
    """Put the chosen backup in place (the store is closed) and record who did it."""
    from clinic_desk.workflows.backups import record_restore, restore_file

    secrets = KeyringSecrets()
    key = database_key(
        secrets,
        paths.database,
        _ask_passphrase,
        demo=demo,
    )
    try:
        replaced = restore_file(backup, paths.database, paths.backup_dir, key)
        store = Store.open(paths.database, paths.backup_dir, key=key)
    except (DatabaseProblem, OSError) as exc:
        QMessageBox.critical(None, "Återställningen misslyckades", str(exc))
        return
    try:
        restored_user = store.users.get(user.id)
        record_restore(store, restored_user.id if restored_user else None, backup, replaced)
        store.adopt_chain_head(chain_head_store(secrets, paths, key))
    finally:
        store.close()
    QMessageBox.information(
        None,
        "Säkerhetskopian är återställd",
        f"{backup.name} är återställd. Den tidigare databasen finns kvar som {replaced.name}.",
    )
