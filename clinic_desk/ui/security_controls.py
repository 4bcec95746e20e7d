"""The main window's Säkerhet menu: lock, quick user switch, idle lock, access-log review,
backups (daily, by hand, restore) and this workstation's settings."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMainWindow,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import RuleViolation
from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import Permission, allowed
from clinic_desk.settings import WorkstationSettings
from clinic_desk.ui.background import BackgroundTask
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.idle import IdleWatcher
from clinic_desk.workflows.auth import lock_session

if TYPE_CHECKING:
    from clinic_desk.store.backups import BackupFile
    from clinic_desk.ui.session import LoginDialog

BACKUP_CHECK_MS = 60 * 60 * 1000  # is today's backup taken? asked every hour


class SecurityControls:
    """Owns the idle watcher and the Säkerhet menu of one main window."""

    def __init__(self, window: QMainWindow, ctx: AppContext) -> None:
        self.window = window
        self.ctx = ctx
        self.locked = False
        self.lock_dialog: LoginDialog | None = None
        self.restore_from: BackupFile | None = None
        self.user_changed: list[object] = []  # callables run after a switch
        self.workstation = WorkstationSettings.load(ctx.paths.workstation_settings)
        self.idle = IdleWatcher(self.workstation.idle_lock_minutes, window)
        self.idle.idle.connect(lambda: self.lock(idle=True))
        self.action_lock = self._action("Lås skärmen", "Ctrl+L", lambda: self.lock(idle=False))
        self.action_switch = self._action("Byt användare…", "Ctrl+Shift+L", self.switch_user)
        self.action_review = self._action("Loggkontroll…", None, self.show_review)
        self.action_backup = self._action("Säkerhetskopiera nu", None, self.backup_now)
        self.action_restore = self._action("Återställ säkerhetskopia…", None, self.choose_restore)
        self.action_workstation = self._action(
            "Inställningar för datorn…", None, self.edit_workstation
        )
        menu = window.menuBar().addMenu("&Säkerhet")
        menu.addActions([self.action_lock, self.action_switch])
        menu.addSeparator()
        menu.addAction(self.action_review)
        menu.addSeparator()
        menu.addActions([self.action_backup, self.action_restore, self.action_workstation])
        self.backup_task: BackgroundTask | None = None
        self.backup_timer = QTimer(window)
        self.backup_timer.setInterval(BACKUP_CHECK_MS)
        self.backup_timer.timeout.connect(self.daily_backup)
        self.backup_timer.start()
        self.apply_permissions()

    def _action(self, text: str, shortcut: str | None, slot: object) -> QAction:
        action = QAction(text, self.window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.window.addAction(action)
        return action

    def apply_permissions(self) -> None:
        """Show only what the logged-in user may do (the workflows check it again)."""
        user = self.ctx.user
        self.action_review.setVisible(allowed(user, Permission.READ_ACCESS_LOG))
        self.action_backup.setVisible(allowed(user, Permission.MANAGE_BACKUPS))
        self.action_restore.setVisible(allowed(user, Permission.MANAGE_BACKUPS))

    # -- lock and switch ----------------------------------------------------------------------
    def lock(self, idle: bool) -> None:
        """Cover every window and ask for the user's password (or another user's login)."""
        from clinic_desk.ui.session import Curtain, LoginDialog

        if self.locked:
            return
        self.locked = True
        self.idle.pause()
        lock_session(self.ctx.store, self.ctx.user, idle)
        curtains = [
            Curtain(w)
            for w in QApplication.topLevelWidgets()
            if w.isVisible() and isinstance(w, QMainWindow | QDialog)
        ]
        dialog = LoginDialog(self.window, self.ctx.store, locked=self.ctx.user)
        self.lock_dialog = dialog
        dialog.exec()
        for curtain in curtains:
            curtain.hide()
            curtain.deleteLater()
        self.lock_dialog = None
        self.locked = False
        if dialog.switched and dialog.user is not None:
            self._become(dialog.user, exclude=dialog)
        self.idle.restart()

    def switch_user(self) -> None:
        """Quick switch: someone else logs in; the current user's open dialogs close."""
        self.lock(idle=False)

    def _become(self, user: User, exclude: QWidget | None = None) -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible() and widget is not exclude:
                widget.reject()
        self.ctx.user = user
        self.apply_permissions()
        for callback in self.user_changed:
            callback()  # type: ignore[operator]

    # -- review ---------------------------------------------------------------------------------
    def show_review(self) -> None:
        """Loggkontroll (clinic manager, administrator)."""
        # Imported here: it brings reportlab, which the start of the program does not need.
        from clinic_desk.ui.access_review_dialog import AccessReviewDialog

        try:
            dialog = AccessReviewDialog(self.window, self.ctx)
        except RuleViolation as exc:
            QMessageBox.warning(self.window, "Loggkontroll", str(exc))
            return
        dialog.exec()

    # -- backups --------------------------------------------------------------------------------
    def _second_folder(self) -> Path | None:
        folder = self.workstation.second_backup_dir
        return Path(folder) if folder else None

    def daily_backup(self) -> None:
        """Take today's backup when none exists (on a worker thread, with a connection of
        its own); then warn when the newest is over 2 days old."""
        from clinic_desk.workflows.backups import run_daily_backup  # after the start

        if self.backup_task is not None and self.backup_task.running():
            return
        now = datetime.now()
        store, second = self.ctx.store, self._second_folder()

        def work() -> str:
            try:
                return run_daily_backup(store, second, now).problem
            except OSError as exc:
                return f"Den dagliga säkerhetskopian misslyckades: {exc}"

        self.backup_task = BackgroundTask(self.window, work)
        self.backup_task.done.connect(lambda problem: self._daily_backup_done(str(problem), now))
        self.backup_task.start()

    def _daily_backup_done(self, problem: str, now: datetime) -> None:
        from clinic_desk.workflows.backups import backup_warning

        folders = [self.ctx.paths.backup_dir]
        warning = problem or backup_warning(folders, now)
        if warning:
            self.window.statusBar().showMessage(warning)
            QMessageBox.warning(self.window, "Säkerhetskopior", warning)

    def backup_now(self) -> None:
        """A backup taken by hand."""
        from clinic_desk.workflows.backups import take_backup

        try:
            path = take_backup(self.ctx.store, self.ctx.user)
        except (OSError, RuleViolation) as exc:
            QMessageBox.warning(self.window, "Säkerhetskopiera", str(exc))
            return
        self.window.statusBar().showMessage(f"Säkerhetskopian är sparad: {path.name}")

    def choose_restore(self) -> None:
        """Pick a backup; the program closes, restores it and starts again (new login)."""
        from clinic_desk.ui.restore_dialog import choose_backup

        folders = self.workstation.backup_folders(self.ctx.paths.backup_dir)
        chosen = choose_backup(self.window, self.ctx, folders)
        if chosen is not None:
            self.restore_from = chosen
            self.window.close()  # run_gui restores, then opens the clinic again

    # -- workstation ----------------------------------------------------------------------------
    def edit_workstation(self) -> None:
        """Idle minutes, the second backup folder and the printer of this PC."""
        from clinic_desk.ui.workstation_panel import WorkstationPanel  # Qt's printing: ~3 ms

        dialog = QDialog(self.window)
        dialog.setWindowTitle("Inställningar för datorn")
        panel = WorkstationPanel(dialog, self.ctx.paths)
        QVBoxLayout(dialog).addWidget(panel)
        panel.form.buttons.accepted.connect(dialog.accept)
        panel.form.buttons.rejected.connect(dialog.reject)
        if not dialog.exec():
            return
        try:
            fresh = panel.save()
        except OSError as exc:
            QMessageBox.warning(self.window, "Inställningar", f"Kunde inte spara: {exc}")
            return
        self.apply_workstation(fresh)

    def apply_workstation(self, fresh: WorkstationSettings) -> None:
        """Use newly saved workstation settings at once (idle time, backup folder)."""
        self.workstation = fresh
        # The window saves its own copy (its size) when it closes: keep it in step.
        shown = getattr(self.window, "workstation", None)
        if isinstance(shown, WorkstationSettings):
            shown.idle_lock_minutes = fresh.idle_lock_minutes
            shown.second_backup_dir = fresh.second_backup_dir
            shown.printer_name = fresh.printer_name
        self.idle.set_minutes(fresh.idle_lock_minutes)

    def stop(self) -> None:
        """The window closes."""
        self.idle.stop()
        self.backup_timer.stop()
        if self.backup_task is not None:
            self.backup_task.wait()  # a backup half written is no backup
