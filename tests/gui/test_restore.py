"""Restoring a backup from the window: the program closes, puts the backup in place,
records who did it and opens the clinic again."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTableWidget
from pytestqt.qtbot import QtBot

from clinic_desk.paths import AppPaths
from clinic_desk.ui.app import run_gui
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.workflows.patients import end_patient
from tests.gui.helpers import drive_modal, when_window


def test_a_restore_puts_the_backup_back_and_opens_the_clinic_again(
    qtbot: QtBot, demo_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    messages: list[str] = []
    monkeypatch.setattr(
        "PySide6.QtWidgets.QMessageBox.information",
        lambda _parent, title, text, *a, **k: messages.append(f"{title}: {text}"),
    )
    monkeypatch.setattr(
        "PySide6.QtWidgets.QMessageBox.warning",
        lambda _parent, title, text, *a, **k: messages.append(f"{title}: {text}"),
    )
    ended: list[int] = []
    rounds: list[str] = []

    def first_round(window: MainWindow) -> None:
        rounds.append("first")
        window.security.backup_now()
        store, user = window.ctx.store, window.ctx.user
        patient_id = int(
            store.conn.execute("SELECT id FROM patients WHERE end_date IS NULL LIMIT 1").fetchone()[
                0
            ]
        )
        end_patient(store, user, patient_id, date(2026, 11, 23), "Flyttat")
        ended.append(patient_id)

        def choose(dialog: QDialog) -> None:
            table = dialog.findChild(QTableWidget, "backups")
            assert table is not None
            assert table.rowCount() >= 1
            names = [getattr(table.item(r, 2), "text", str)() for r in range(table.rowCount())]
            manual = next(r for r, n in enumerate(names) if "manual" in n)
            table.selectRow(manual)
            buttons = dialog.findChild(QDialogButtonBox, "buttons")
            assert buttons is not None
            buttons.button(QDialogButtonBox.StandardButton.Ok).click()

        drive_modal(qtbot, window.security.choose_restore, choose)
        when_window(second_round, skip=window)

    def second_round(window: MainWindow) -> None:
        if not rounds or rounds[-1] != "first":
            return
        rounds.append("second")
        store = window.ctx.store
        row = store.conn.execute(
            "SELECT end_date FROM patients WHERE id = ?", (ended[0],)
        ).fetchone()
        rounds.append(f"end_date={row[0]}")
        actions = [r[0] for r in store.conn.execute("SELECT action FROM audit_log")]
        rounds.append("restore logged" if "backup.restore" in actions else "restore missing")
        window.close()

    when_window(first_round)
    assert run_gui(demo_paths, demo=True) == 0
    assert rounds == ["first", "second", "end_date=None", "restore logged"]
    assert any(m.startswith("Säkerhetskopian är återställd") for m in messages), messages
    replaced_name = messages[-1].rsplit("finns kvar som ", 1)[1].rstrip(".")
    kept = {p.name for p in demo_paths.database.parent.rglob("*")}
    assert replaced_name in kept  # the database the restore replaced is kept, not deleted


def test_a_restore_needs_a_backup_chosen_in_the_list(
    qtbot: QtBot, demo_paths: AppPaths, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.information", lambda *a, **k: None)
    monkeypatch.setattr("PySide6.QtWidgets.QMessageBox.warning", lambda *a, **k: None)
    said: list[str] = []

    def only_round(window: MainWindow) -> None:
        window.security.backup_now()

        def press_without_choosing(dialog: QDialog) -> None:
            table = dialog.findChild(QTableWidget, "backups")
            assert table is not None
            table.setCurrentCell(-1, -1)
            buttons = dialog.findChild(QDialogButtonBox, "buttons")
            assert buttons is not None
            buttons.button(QDialogButtonBox.StandardButton.Ok).click()
            status = dialog.findChild(QLabel, "status")
            assert status is not None
            said.append(status.text())
            dialog.reject()

        drive_modal(qtbot, window.security.choose_restore, press_without_choosing)
        assert window.security.restore_from is None
        window.close()

    when_window(only_round)
    assert run_gui(demo_paths, demo=True) == 0
    assert said == ["Välj en säkerhetskopia i listan."]
