"""An unexpected error: a Swedish message, a log without patient data, the program goes on."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from clinic_desk.ui.crash import install_crash_handler


def test_an_error_in_a_button_is_logged_without_patient_data(qtbot: QtBot, tmp_path: Path) -> None:
    shown: list[str] = []
    previous = sys.excepthook
    install_crash_handler(tmp_path, shown.append)
    try:
        button = QPushButton("Spara")
        qtbot.addWidget(button)

        def fail() -> None:
            raise ValueError("Märta Lindqvist 20150307-2389")

        button.clicked.connect(fail)
        button.click()  # PySide6 hands the error to sys.excepthook and goes on
        QTimer.singleShot(0, lambda: None)
        qtbot.wait(10)
    finally:
        sys.excepthook = previous
    assert shown
    assert "Ett oväntat fel inträffade" in shown[0]
    logs = list(tmp_path.glob("fel-*.log"))
    assert len(logs) == 1
    text = logs[0].read_text(encoding="utf-8")
    assert "builtins.ValueError" in text
    assert "in fail" in text
    assert "Märta" not in text
    assert "20150307" not in text
    assert button.isEnabled()  # still usable
