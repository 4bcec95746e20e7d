"""Journal consent (000 §3.12): record a consent, or its withdrawal as a new dated row."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QDateEdit, QDialogButtonBox, QLabel, QLineEdit, QWidget

from clinic_desk.domain.errors import FieldError, RuleViolation, ValidationError
from clinic_desk.domain.exams import ConsentDraft, JournalConsent
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.formatting import from_qdate, to_qdate
from clinic_desk.ui.forms import FormSpec
from clinic_desk.workflows.exams import record_consent, withdraw_consent

SPEC = FormSpec(
    "consent_dialog.ui",
    {
        "intro": QLabel,
        "scope": QLineEdit,
        "given_by": QLineEdit,
        "collected_on": QDateEdit,
        "collected_by": QLabel,
        "note": QLineEdit,
        "buttons": QDialogButtonBox,
    },
)


class ConsentDialog(FormDialog):
    """A new consent, or (with `withdrawing`) the withdrawal of that consent."""

    SPEC = SPEC

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        patient_id: int,
        suggested_giver: str = "",
        withdrawing: JournalConsent | None = None,
    ) -> None:
        super().__init__(
            parent, "Återkalla samtycke" if withdrawing else "Samtycke till journaldelning"
        )
        self._ctx = ctx
        self._patient_id = patient_id
        self._withdrawing = withdrawing
        self.saved_id: int | None = None
        f = self.form
        today = ctx.today()
        f.collected_on.setDate(to_qdate(today))
        f.collected_on.setMaximumDate(to_qdate(today))
        f.collected_by.setText(ctx.user.full_name)
        f.given_by.setText(suggested_giver)
        if withdrawing is None:
            f.intro.setText(
                "Samtycke att dela journaluppgifter med en annan vårdgivare. Skriv vilken "
                "vårdgivare och vilka uppgifter det gäller och vem som lämnade samtycket."
            )
        else:
            f.intro.setText(
                f"Samtycket från {withdrawing.collected_on.isoformat()} återkallas. Det finns "
                "kvar i journalen med återkallelsen som en ny rad."
            )
            f.scope.setText(withdrawing.scope)
            f.scope.setReadOnly(True)
        self.resize(560, 300)

    def field_widgets(self) -> Mapping[str, QWidget]:
        f = self.form
        return {
            "scope": f.scope,
            "given_by": f.given_by,
            "collected_on": f.collected_on,
            "note": f.note,
        }

    def submit(self) -> None:
        f = self.form
        store, user, today = self._ctx.store, self._ctx.user, self._ctx.today()
        collected_on = from_qdate(f.collected_on.date())
        try:
            if self._withdrawing is None:
                self.saved_id = record_consent(
                    store,
                    user,
                    self._patient_id,
                    ConsentDraft(f.scope.text(), f.given_by.text(), collected_on, f.note.text()),
                    today,
                )
            else:
                self.saved_id = withdraw_consent(
                    store,
                    user,
                    self._patient_id,
                    self._withdrawing.id,
                    f.given_by.text(),
                    collected_on,
                    today,
                    f.note.text(),
                )
        except RuleViolation as exc:
            raise ValidationError([FieldError("general", str(exc))]) from exc
