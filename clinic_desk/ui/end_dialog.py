"""Ask for a date and a reason: ending a patient, ending a listing."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date

from PySide6.QtWidgets import QComboBox, QDateEdit, QDialogButtonBox, QLabel, QWidget

from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.formatting import from_qdate, to_qdate
from clinic_desk.ui.forms import FormSpec

SPEC = FormSpec(
    "end_dialog.ui",
    {"intro": QLabel, "end_date": QDateEdit, "end_reason": QComboBox, "buttons": QDialogButtonBox},
)


class EndDialog(FormDialog):
    """Date + reason, then `action(date, reason)`, which may raise ValidationError."""

    SPEC = SPEC

    def __init__(
        self,
        parent: QWidget | None,
        title: str,
        intro: str,
        reasons: list[str],
        today: date,
        action: Callable[[date, str], None],
    ) -> None:
        super().__init__(parent, title)
        self._action = action
        self.form.intro.setText(intro)
        self.form.end_date.setDate(to_qdate(today))
        combo: QComboBox = self.form.end_reason
        combo.addItems(reasons)
        combo.setCurrentIndex(-1)
        editor = combo.lineEdit()
        if editor is not None:
            editor.setPlaceholderText("Välj eller skriv en orsak")

    def field_widgets(self) -> Mapping[str, QWidget]:
        return {"end_date": self.form.end_date, "end_reason": self.form.end_reason}

    def submit(self) -> None:
        self._action(from_qdate(self.form.end_date.date()), self.form.end_reason.currentText())
