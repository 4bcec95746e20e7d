"""The database's integrity check, run off the GUI thread once the main window is shown.

Opening reads only the schema version (a whole-file check takes a quarter of a second on a
clinic's database); the check follows at once on a connection of its own. A damaged file
stops the work: the newest good backup is offered, as at a failed open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QWidget

from clinic_desk.settings import WorkstationSettings
from clinic_desk.ui.background import BackgroundTask
from clinic_desk.ui.context import AppContext

if TYPE_CHECKING:
    from clinic_desk.store.backups import BackupFile


class IntegrityCheck:
    """PRAGMA quick_check on a worker thread; `then` runs after a pass, `restore(backup)`
    when the user accepts the newest good backup, `give_up` when the file cannot be used."""

    def __init__(
        self,
        window: QWidget,
        ctx: AppContext,
        then: Callable[[], None],
        restore: Callable[[BackupFile], None],
        give_up: Callable[[], object],
    ) -> None:
        self.window = window
        self.ctx = ctx
        self.then = then
        self.restore = restore
        self.give_up = give_up
        self.problem: str | None = None
        self.closed = False
        self.task = BackgroundTask(window, ctx.store.integrity_problem)
        self.task.done.connect(self._checked)

    def start(self) -> None:
        """Start the check."""
        self.task.start()

    def wait(self) -> None:
        """Block until the check has finished (the window is closing); its result, if not
        yet handled, is then ignored: nothing starts after the window has closed."""
        self.closed = True
        self.task.wait()

    def _checked(self, problem: object) -> None:
        if self.closed:
            return
        if problem is None:
            self.then()
            return
        self.problem = str(problem)
        from clinic_desk.store.backups import newest_good_backup  # a damaged file only

        settings = WorkstationSettings.load(self.ctx.paths.workstation_settings)
        folders = settings.backup_folders(self.ctx.paths.backup_dir)
        newest = newest_good_backup(folders, self.ctx.store.key)
        if newest is None:
            QMessageBox.critical(
                self.window,
                "Databasen är skadad",
                f"{self.problem}\n\nDet finns ingen fungerande säkerhetskopia. Programmet "
                "stängs; kontakta den som sköter klinikens datorer.",
            )
            self.give_up()
            return
        answer = QMessageBox.question(
            self.window,
            "Databasen är skadad",
            f"{self.problem}\n\nÅterställ den senaste fungerande säkerhetskopian, från "
            f"{newest.taken_at:%Y-%m-%d %H:%M}? Det som sparats efter den går förlorat. Den "
            "skadade filen sparas undan oförändrad i mappen för säkerhetskopior. Svarar du "
            "nej stängs programmet.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.restore(newest)
        else:
            self.give_up()
