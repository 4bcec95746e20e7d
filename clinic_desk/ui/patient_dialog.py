"""New patient (with guardians and listing) and changing a patient's details."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QGroupBox,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from clinic_desk.domain.care_rules import age_on
from clinic_desk.domain.errors import DuplicatePersonalId, FieldError, ValidationError
from clinic_desk.domain.listing import ListingKind
from clinic_desk.domain.patient_records import GuardianDraft, PatientDraft
from clinic_desk.domain.patient_validation import validate_guardian_draft
from clinic_desk.domain.people import Patient, Profession
from clinic_desk.domain.personal_id import InvalidPersonalId, parse_personal_id
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.formatting import from_qdate, to_qdate
from clinic_desk.ui.forms import FormSpec
from clinic_desk.ui.guardian_dialog import GuardianDialog
from clinic_desk.workflows.listing import ListingDraft
from clinic_desk.workflows.patients import register_patient, update_patient

_TEXT_FIELDS = (
    "personal_id",
    "first_name",
    "last_name",
    "address_line",
    "postal_code",
    "city",
    "phone",
    "email",
)
SPEC = FormSpec(
    "patient_dialog.ui",
    {
        **dict.fromkeys(_TEXT_FIELDS, QLineEdit),
        "reserve_number": QCheckBox,
        "reserve_birth_date": QDateEdit,
        "responsible_dentist": QComboBox,
        "protected_identity": QCheckBox,
        "registered_in_region": QCheckBox,
        "guardians_group": QGroupBox,
        "guardians_table": QTableWidget,
        "add_guardian": QPushButton,
        "edit_guardian": QPushButton,
        "remove_guardian": QPushButton,
        "listing_group": QGroupBox,
        "listing_clinic": QComboBox,
        "listed_on": QDateEdit,
        "listing_kind": QComboBox,
        "consent_given_by": QLineEdit,
        "buttons": QDialogButtonBox,
    },
)


class PatientDialog(FormDialog):
    """Creates a patient (with guardians and a first listing) or saves changes to one."""

    SPEC = SPEC

    def __init__(
        self, parent: QWidget | None, ctx: AppContext, patient: Patient | None = None
    ) -> None:
        super().__init__(parent, "Ny patient" if patient is None else "Ändra patientuppgifter")
        self._ctx = ctx
        self._patient = patient
        self._guardians: list[GuardianDraft] = []
        self.saved_patient_id: int | None = patient.id if patient else None
        self.duplicate_of: int | None = None
        today = ctx.today()
        self.form.reserve_birth_date.setDate(to_qdate(today))
        self.form.reserve_birth_date.setMaximumDate(to_qdate(today))
        self.form.reserve_number.toggled.connect(self._reserve_toggled)
        self._reserve_toggled(False)
        dentist_box: QComboBox = self.form.responsible_dentist
        dentist_box.addItem("– ingen vald –", None)
        for user in ctx.store.users.with_profession(Profession.DENTIST):
            dentist_box.addItem(user.full_name, user.id)
        self._setup_guardians()
        self._setup_listing(today)
        if patient is not None:
            self._fill(patient)
            self.form.guardians_group.hide()
            self.form.listing_group.hide()
        self.form.personal_id.editingFinished.connect(self._update_guardian_hint)
        self.resize(980 if patient is None else 520, 560)

    # -- setup -----------------------------------------------------------------------------
    def _setup_guardians(self) -> None:
        table: QTableWidget = self.form.guardians_table
        table.setColumnCount(4)
        table.setHorizontalHeaderLabels(["Namn", "Personnummer", "Telefon", "Brev"])
        table.horizontalHeader().setStretchLastSection(True)
        self.form.add_guardian.clicked.connect(self._add_guardian)
        self.form.edit_guardian.clicked.connect(self._edit_guardian)
        self.form.remove_guardian.clicked.connect(self._remove_guardian)
        table.itemDoubleClicked.connect(lambda _item: self._edit_guardian())

    def _setup_listing(self, today: date) -> None:
        clinics: QComboBox = self.form.listing_clinic
        clinics.addItem("Inte listad", None)
        for clinic in self._ctx.store.clinics.all():
            clinics.addItem(clinic.name + (" (egen klinik)" if clinic.is_own else ""), clinic.id)
        own = self._ctx.store.clinics.own()
        if own is not None:
            clinics.setCurrentIndex(clinics.findData(own.id))
        for kind in ListingKind:
            self.form.listing_kind.addItem(kind.label, kind)
        self.form.listed_on.setDate(to_qdate(today))
        self.form.listed_on.setMaximumDate(to_qdate(today))

    def _fill(self, patient: Patient) -> None:
        for name in _TEXT_FIELDS:
            self.form.get(name).setText(getattr(patient, name))
        if patient.is_reserve_number:
            self.form.personal_id.setReadOnly(True)
            self.form.reserve_number.setEnabled(False)
        box: QComboBox = self.form.responsible_dentist
        index = box.findData(patient.responsible_dentist_id)
        box.setCurrentIndex(max(index, 0))
        self.form.protected_identity.setChecked(patient.protected_identity)
        self.form.registered_in_region.setChecked(patient.registered_in_region)

    def _reserve_toggled(self, on: bool) -> None:
        self.form.personal_id.setEnabled(not on)
        self.form.reserve_birth_date.setEnabled(on)
        if on:
            self.form.personal_id.clear()

    def field_widgets(self) -> Mapping[str, QWidget]:
        fields: dict[str, QWidget] = {name: self.form.get(name) for name in _TEXT_FIELDS}
        fields.update(
            reserve_birth_date=self.form.reserve_birth_date,
            guardians=self.form.guardians_table,
            clinic_id=self.form.listing_clinic,
            listed_on=self.form.listed_on,
            consent_given_by=self.form.consent_given_by,
            responsible_dentist=self.form.responsible_dentist,
        )
        return fields

    # -- guardians -------------------------------------------------------------------------
    def _address_hint(self) -> tuple[str, str, str]:
        return (self.form.address_line.text(), self.form.postal_code.text(), self.form.city.text())

    def _accept_guardian(self, draft: GuardianDraft, replace_row: int | None) -> None:
        validate_guardian_draft(draft, self._ctx.today())
        if replace_row is None:
            self._guardians.append(draft)
        else:
            self._guardians[replace_row] = draft
        self._show_guardians()

    def _add_guardian(self) -> None:
        GuardianDialog(
            self,
            self._ctx,
            lambda d: self._accept_guardian(d, None),
            address_hint=self._address_hint(),
        ).exec()

    def _edit_guardian(self) -> None:
        row = self.form.guardians_table.currentRow()
        if 0 <= row < len(self._guardians):
            GuardianDialog(
                self,
                self._ctx,
                lambda d: self._accept_guardian(d, row),
                existing=self._guardians[row],
            ).exec()

    def _remove_guardian(self) -> None:
        row = self.form.guardians_table.currentRow()
        if 0 <= row < len(self._guardians):
            del self._guardians[row]
            self._show_guardians()

    def _show_guardians(self) -> None:
        table: QTableWidget = self.form.guardians_table
        table.setRowCount(len(self._guardians))
        for row, g in enumerate(self._guardians):
            values = (
                f"{g.first_name} {g.last_name}",
                g.personal_id,
                g.phone,
                "Ja" if g.receives_letters else "Nej",
            )
            for column, value in enumerate(values):
                table.setItem(row, column, QTableWidgetItem(value))
        if not self.form.consent_given_by.text() and self._guardians:
            first = self._guardians[0]
            self.form.consent_given_by.setText(f"{first.first_name} {first.last_name}")

    def _update_guardian_hint(self) -> None:
        """Young adults get their own letters; say so rather than ask for guardians."""
        try:
            birth = parse_personal_id(self.form.personal_id.text(), self._ctx.today()).birth_date
        except InvalidPersonalId:
            return
        adult = age_on(birth, self._ctx.today()) >= 18
        self.form.guardians_group.setTitle(
            "Vårdnadshavare (patienten är myndig och får egna brev)" if adult else "Vårdnadshavare"
        )

    # -- saving ----------------------------------------------------------------------------
    def draft(self) -> PatientDraft:
        """What the form holds now."""
        reserve = self.form.reserve_number.isChecked()
        return PatientDraft(
            **{name: self.form.get(name).text() for name in _TEXT_FIELDS},
            responsible_dentist_id=self.form.responsible_dentist.currentData(),
            protected_identity=self.form.protected_identity.isChecked(),
            registered_in_region=self.form.registered_in_region.isChecked(),
            reserve_birth_date=from_qdate(self.form.reserve_birth_date.date()) if reserve else None,
        )

    def _listing(self) -> ListingDraft | None:
        clinic_id = self.form.listing_clinic.currentData()
        if clinic_id is None:
            return None
        return ListingDraft(
            clinic_id=int(clinic_id),
            listed_on=from_qdate(self.form.listed_on.date()),
            kind=self.form.listing_kind.currentData(),
            consent_given_by=self.form.consent_given_by.text(),
        )

    def submit(self) -> None:
        draft = self.draft()
        errors: list[FieldError] = []
        if draft.responsible_dentist_id is None and self.form.responsible_dentist.count() > 1:
            errors.append(
                FieldError("responsible_dentist", "Välj patientens ansvariga tandläkare.")
            )
        try:
            if self._patient is None:
                if errors:
                    raise ValidationError(errors)
                self.saved_patient_id = register_patient(
                    self._ctx.store,
                    self._ctx.user,
                    draft,
                    self._ctx.today(),
                    tuple(self._guardians),
                    self._listing(),
                )
            else:
                if errors:
                    raise ValidationError(errors)
                update_patient(
                    self._ctx.store, self._ctx.user, self._patient.id, draft, self._ctx.today()
                )
        except DuplicatePersonalId as exc:
            self.errors.show(exc)
            answer = QMessageBox.question(
                self,
                "Patienten finns redan",
                f"{exc.errors[0].message}\n\nVill du öppna den patienten i stället?",
            )
            if answer == QMessageBox.StandardButton.Yes:
                self.duplicate_of = exc.existing_patient_id
                self.done(self.DialogCode.Rejected)
            raise
