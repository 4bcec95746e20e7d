"""Showing an existing dialog as a page of another window (the settings, the start-up guide).

The dialog keeps its own form, fields and checks; only its window frame and buttons change.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLayout

from clinic_desk.ui.form_dialog import FormDialog


class _EscapeToWindow(QObject):
    """Esc inside an embedded dialog closes the window around it, not just the page."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and isinstance(watched, QDialog)
        ):
            outer = watched.window()
            if isinstance(outer, QDialog) and outer is not watched:
                outer.reject()
            return True
        return False


def embed(dialog: QDialog, layout: QLayout, save_text: str | None = None) -> QDialog:
    """Put `dialog` into `layout` as a plain widget.

    With `save_text`, a form dialog's OK/Save button gets that text and saves without closing
    (its Cancel button goes); without it, the dialog's own button row is hidden and the host
    decides when to save (FormDialog.save())."""
    dialog.setWindowFlags(Qt.WindowType.Widget)
    escape = _EscapeToWindow(dialog)
    dialog.installEventFilter(escape)
    buttons = dialog.findChild(QDialogButtonBox, "buttons")
    if isinstance(dialog, FormDialog):
        dialog.stays_open = True
    if buttons is not None:
        accept = [
            b
            for b in buttons.buttons()
            if buttons.buttonRole(b) == QDialogButtonBox.ButtonRole.AcceptRole
        ]
        if save_text is not None and isinstance(dialog, FormDialog) and accept:
            accept[0].setText(save_text)
            for other in buttons.buttons():
                if other not in accept:
                    other.hide()
        else:
            buttons.hide()
    layout.addWidget(dialog)
    dialog.show()
    return dialog
