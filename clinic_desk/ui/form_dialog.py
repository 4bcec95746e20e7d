"""A dialog built from a Designer form whose Save/OK button runs a workflow."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QDialog, QDialogButtonBox, QLabel, QWidget

from clinic_desk.domain.errors import ValidationError
from clinic_desk.ui.field_errors import FieldErrors
from clinic_desk.ui.forms import FormSpec, load_form


class FormDialog(QDialog):
    """Subclasses declare SPEC and implement `submit()`; errors stay in the open dialog.

    Shown as a page inside another window (see ui/embedding.py), `stays_open` is set: a
    successful save emits `saved` and the form stays where it is."""

    SPEC: FormSpec
    saved = Signal()
    stays_open = False

    def __init__(self, parent: QWidget | None, title: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = load_form(self.SPEC, self)
        self._general = QLabel(self)
        self._general.setObjectName("general_errors")
        self._general.setWordWrap(True)
        self._general.hide()
        root_layout = self.form.root.layout()
        if isinstance(root_layout, QBoxLayout):
            root_layout.insertWidget(0, self._general)
        self.errors = FieldErrors(self.field_widgets(), self._general)
        buttons: QDialogButtonBox = self.form.get("buttons")
        buttons.accepted.connect(self._on_accept)
        buttons.rejected.connect(self.reject)

    def field_widgets(self) -> Mapping[str, QWidget]:
        """Field name (as in FieldError.field) -> the widget the message goes under."""
        return {}

    def submit(self) -> None:
        """Validate and save; raise ValidationError to keep the dialog open."""
        raise NotImplementedError

    def save(self) -> bool:
        """Run `submit()`; show its errors and return False, or clear them and return True."""
        try:
            self.submit()
        except ValidationError as exc:
            self.errors.show(exc)
            return False
        self.errors.clear()
        return True

    def _on_accept(self) -> None:
        if not self.save():
            return
        if self.stays_open:
            self.saved.emit()
        else:
            self.accept()
