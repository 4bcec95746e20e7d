"""List a patient at a clinic: a new choice (omval) or an assignment."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QComboBox, QDateEdit, QDialogButtonBox, QLabel, QLineEdit, QWidget

from clinic_desk.domain.errors import FieldError, ValidationError
from clinic_desk.domain.listing import Listing, ListingKind, current_listing, responsibility_starts
from clinic_desk.domain.patient_records import PatientRecord
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.formatting import from_qdate, to_qdate
from clinic_desk.ui.forms import FormSpec
from clinic_desk.workflows.listing import ListingDraft, list_patient

SPEC = FormSpec(
    "listing_dialog.ui",
    {
        "current": QLabel,
        "clinic": QComboBox,
        "listed_on": QDateEdit,
        "kind": QComboBox,
        "consent_given_by": QLineEdit,
        "effect": QLabel,
        "buttons": QDialogButtonBox,
    },
)


class ListingDialog(FormDialog):
    """Records a new listing; the earlier one ends at the end of the listing month."""

    SPEC = SPEC

    def __init__(self, parent: QWidget | None, ctx: AppContext, record: PatientRecord) -> None:
        super().__init__(parent, "Lista vid klinik")
        self._ctx = ctx
        self._record = record
        self._current: Listing | None = current_listing(record.listings)
        self.form.current.setText(
            f"Listad nu: {self._current.clinic_name} sedan {self._current.listed_on.isoformat()}"
            if self._current
            else "Patienten är inte listad någonstans just nu."
        )
        for clinic in ctx.store.clinics.all():
            if self._current is None or clinic.id != self._current.clinic_id:
                self.form.clinic.addItem(
                    clinic.name + (" (egen klinik)" if clinic.is_own else ""), clinic.id
                )
        for kind in ListingKind:
            self.form.kind.addItem(kind.label, kind)
        today = ctx.today()
        self.form.listed_on.setDate(to_qdate(today))
        self.form.listed_on.setMaximumDate(to_qdate(today))
        if record.guardians:
            self.form.consent_given_by.setText(record.guardians[0].guardian.full_name)
        self.form.listed_on.dateChanged.connect(self._show_effect)
        self.form.clinic.currentIndexChanged.connect(self._show_effect)
        self._show_effect()
        self.saved_listing_id: int | None = None

    def _show_effect(self) -> None:
        listed_on = from_qdate(self.form.listed_on.date())
        name = self.form.clinic.currentText().replace(" (egen klinik)", "")
        if self._current is None:
            text = f"{name} ansvarar från {listed_on.isoformat()}."
        else:
            starts = responsibility_starts(listed_on)
            text = (
                f"{self._current.clinic_name} ansvarar månaden ut; {name} tar över "
                f"vårdansvaret {starts.isoformat()}."
            )
        self.form.effect.setText(text)

    def field_widgets(self) -> Mapping[str, QWidget]:
        return {
            "clinic_id": self.form.clinic,
            "listed_on": self.form.listed_on,
            "consent_given_by": self.form.consent_given_by,
        }

    def submit(self) -> None:
        clinic_id = self.form.clinic.currentData()
        if clinic_id is None:
            raise ValidationError([FieldError("clinic_id", "Välj en klinik.")])
        self.saved_listing_id = list_patient(
            self._ctx.store,
            self._ctx.user,
            self._record.patient.id,
            ListingDraft(
                int(clinic_id),
                from_qdate(self.form.listed_on.date()),
                self.form.kind.currentData(),
                self.form.consent_given_by.text(),
            ),
        )
