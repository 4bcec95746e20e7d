"""Helpers for driving real dialogs in GUI tests."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from clinic_desk.ui.main_window import MainWindow


def drive_modal(
    qtbot: QtBot, open_it: Callable[[], object], handle: Callable[[QDialog], None]
) -> None:
    """Run `open_it` (which calls exec() on a dialog) and let `handle` work the dialog."""
    failures: list[BaseException] = []
    outer = QApplication.activeModalWidget()

    def work() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or dialog is outer:
            QTimer.singleShot(20, work)
            return
        try:
            handle(dialog)
        except BaseException as exc:  # re-raised below, after the dialog is closed
            failures.append(exc)
            dialog.reject()
            return
        if dialog.isVisible():  # e.g. a validation message kept it open: fail, don't hang
            shown = [
                label.text()
                for label in dialog.findChildren(QLabel)
                if label.objectName().startswith(("error_", "general_errors")) and label.text()
            ]
            failures.append(AssertionError(f"dialog still open: {shown}"))
            dialog.reject()

    QTimer.singleShot(0, work)
    open_it()
    if failures:
        raise failures[0]


def when_window(step: Callable[[MainWindow], None], skip: MainWindow | None = None) -> None:
    """Run `step(window)` once a main window (other than `skip`) is shown: for tests that
    drive `run_gui`, whose event loop only starts inside the call."""

    def poll() -> None:
        shown = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and w.isVisible() and w is not skip
        ]
        if not shown:
            QTimer.singleShot(20, poll)
            return
        step(shown[0])

    QTimer.singleShot(0, poll)


def child(widget: QWidget, kind: type, name: str) -> object:
    """A named child widget, failing clearly when missing."""
    found = widget.findChild(kind, name)
    assert found is not None, f"no {kind.__name__} called {name}"
    return found


def type_text(qtbot: QtBot, widget: object, text: str) -> None:
    """Clear a line edit and type into it as a keyboard would, å, ä and ö included.

    QTest.keyClicks only knows ASCII (it aborts on 'ä'), so other letters are sent as key
    events carrying their text, which is what a Swedish keyboard delivers.
    """
    assert isinstance(widget, QLineEdit)
    widget.clear()
    for ch in text:
        if ch.isascii():
            qtbot.keyClicks(widget, ch)
        else:
            for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
                QApplication.sendEvent(
                    widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch)
                )


def save_from_preview(dialog: QDialog) -> None:
    """In the print preview of a document: Spara som PDF (the file dialog is faked)."""
    from clinic_desk.ui.print_preview import PrintPreviewDialog

    assert isinstance(dialog, PrintPreviewDialog), dialog
    assert dialog.preview_pages() >= 1
    dialog.form.save_pdf.click()
