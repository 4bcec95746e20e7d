"""Starting the program's window: open the clinic, then show the main window."""

from __future__ import annotations

import sys
from importlib.resources import as_file, files

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTimer, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from clinic_desk.paths import AppPaths
from clinic_desk.store.errors import DatabaseProblem
from clinic_desk.store.store import Store
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.crash import install_crash_handler
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.workflows.staff import ensure_local_user


def application() -> QApplication:
    """The one QApplication (created on first use)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    app = QApplication(sys.argv[:1])
    app.setApplicationName("Clinic Desk")
    app.setOrganizationName("ClinicDesk")
    app.setStyle("Fusion")
    install_swedish(app)
    with as_file(files("clinic_desk.resources") / "clinic-desk.svg") as icon:
        app.setWindowIcon(QIcon(str(icon)))
    return app


def install_swedish(app: QApplication) -> None:
    """Qt's own texts (Spara, Avbryt, Ja, Nej, dates) in Swedish, whatever the PC's locale."""
    QLocale.setDefault(QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load("qtbase_sv", folder):
        app.installTranslator(translator)


def open_clinic(paths: AppPaths, demo: bool) -> AppContext | None:
    """Open the database (building the demo clinic on first use); None after a message."""
    paths.ensure()
    try:
        store = Store.open(paths.database, paths.backup_dir)
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
    if demo and store.patients.count_all() == 0:
        _build_demo(store)
    user = ensure_local_user(store)
    return AppContext(store=store, user=user, paths=paths, demo=demo)


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
    """Show the main window and run until it closes (or, for checks, until it is ready)."""
    app = application()
    install_crash_handler(paths.log_dir)
    ctx = open_clinic(paths, demo)
    if ctx is None:
        return 1
    window = MainWindow(ctx)
    window.show()
    if exit_when_ready:
        QTimer.singleShot(0, window.close)
    return app.exec()
