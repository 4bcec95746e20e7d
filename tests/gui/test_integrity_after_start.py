"""The whole-file integrity check runs once the window is shown, off the GUI thread; a
damaged file is caught there and the newest good backup offered, as at a failed open."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from clinic_desk.paths import AppPaths
from clinic_desk.ui.app import run_gui
from clinic_desk.ui.main_window import MainWindow
from tests.gui.helpers import when_window


def _when_checked(window: MainWindow, step: object) -> None:
    """Run `step(window)` once the window's integrity check has finished and reported."""

    def poll() -> None:
        if window.integrity is None or window.integrity.task.running():
            QTimer.singleShot(20, poll)
            return
        QTimer.singleShot(0, lambda: step(window))  # type: ignore[operator]

    QTimer.singleShot(0, poll)


def _wreck_data_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096
    middle = len(data) // page // 2 * page  # a data page: the schema is at the start
    data[middle + 200 : middle + 264] = os.urandom(64)
    path.write_bytes(bytes(data))


def test_a_damaged_file_found_after_start_offers_the_newest_good_backup(
    qtbot: QtBot, demo_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    said: list[str] = []

    def note(_parent: object, title: str, text: str, *_a: object, **_k: object) -> object:
        said.append(f"{title}: {text}")
        return QMessageBox.StandardButton.Yes

    for name in ("information", "warning", "question", "critical"):
        monkeypatch.setattr(f"PySide6.QtWidgets.QMessageBox.{name}", note)
    steps: list[str] = []

    def sound(window: MainWindow) -> None:
        steps.append(f"first check: {window.integrity.problem if window.integrity else '-'}")
        window.security.backup_now()
        window.close()

    when_window(lambda window: _when_checked(window, sound))
    assert run_gui(demo_paths, demo=True) == 0
    _wreck_data_pages(demo_paths.database)

    def restored(window: MainWindow) -> None:
        steps.append(f"after restore: {window.integrity.problem if window.integrity else '-'}")
        window.close()

    def damaged(window: MainWindow) -> None:
        # The window was shown before the check ran; the user's Yes restores the backup.
        steps.append("damaged shown")
        when_window(lambda again: _when_checked(again, restored), skip=window)

    when_window(damaged)
    code = run_gui(demo_paths, demo=True)
    assert code == 0
    assert steps == ["first check: None", "damaged shown", "after restore: None"]
    assert any(s.startswith("Databasen är skadad") for s in said), said
    assert any(s.startswith("Säkerhetskopian är återställd") for s in said), said
