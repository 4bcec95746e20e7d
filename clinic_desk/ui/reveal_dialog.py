"""Opening a protected identity on purpose, with a reason that is logged."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QComboBox, QDialogButtonBox, QLabel, QWidget

from clinic_desk.domain.people import Patient
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.forms import FormSpec
from clinic_desk.workflows.patients import reveal_protected_identity

SPEC = FormSpec(
    "reveal_dialog.ui", {"intro": QLabel, "reason": QComboBox, "buttons": QDialogButtonBox}
)
REASONS = ["Patienten är här för behandling", "Kallelse ska skickas", "Patienten ringer"]


class RevealDialog(FormDialog):
    """Asks why; on OK the workflow logs it and returns the patient."""

    SPEC = SPEC

    def __init__(self, parent: QWidget | None, ctx: AppContext, patient_id: int) -> None:
        super().__init__(parent, "Visa skyddade uppgifter")
        self._ctx = ctx
        self._patient_id = patient_id
        self.form.reason.addItems(REASONS)
        self.form.reason.setCurrentIndex(-1)
        self.revealed: Patient | None = None

    def field_widgets(self) -> Mapping[str, QWidget]:
        return {"reason": self.form.reason}

    def submit(self) -> None:
        self.revealed = reveal_protected_identity(
            self._ctx.store, self._ctx.user, self._patient_id, self.form.reason.currentText()
        )
