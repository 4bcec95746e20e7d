"""Register an emergency visit quickly, also for a patient not yet in the register.

The payer box says who pays and why as the form changes; a weekend or public holiday shows
the area clinic's duty as a warning only. A clinic manager may override the payer.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QWidget,
)

from clinic_desk.domain.billing import format_kronor
from clinic_desk.domain.emergency import PayerKind, Placement
from clinic_desk.domain.errors import FieldError, RuleViolation, ValidationError
from clinic_desk.domain.invoicing import (
    PLACEMENT_LABELS,
    EmergencyVisitDraft,
    NewPatientDraft,
    PayerOverride,
    TreatmentDraft,
    payer_label,
)
from clinic_desk.domain.people import PROTECTED_MASK, Profession
from clinic_desk.domain.permissions import Permission, allowed
from clinic_desk.domain.personal_id import InvalidPersonalId, parse_personal_id
from clinic_desk.domain.price_list import PriceItem
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.forms import FormSpec
from clinic_desk.ui.table_fill import fill_table
from clinic_desk.workflows.emergency import (
    AREA_DUTY_WARNING,
    decide_payer,
    listed_clinic_on,
    register_emergency_visit,
)

_LINE_EDITS = (
    "personal_id",
    "first_name",
    "last_name",
    "guardian_phone",
    "complaint",
    "findings",
    "advice",
    "tooth",
    "treatment_note",
    "override_reason",
)
_COMBOS = (
    "listed_clinic",
    "placement",
    "practitioner",
    "treatment_code",
    "override_kind",
    "override_clinic",
)
SPEC = FormSpec(
    "emergency_visit_dialog.ui",
    {
        **dict.fromkeys(_LINE_EDITS, QLineEdit),
        **dict.fromkeys(_COMBOS, QComboBox),
        "patient_found": QLabel,
        "registered_in_region": QCheckBox,
        "protected_identity": QCheckBox,
        "treated_at": QDateTimeEdit,
        "add_treatment": QPushButton,
        "remove_treatment": QPushButton,
        "treatments": QTableWidget,
        "total": QLabel,
        "payer_reason": QLabel,
        "duty_warning": QLabel,
        "override": QCheckBox,
        "close_now": QCheckBox,
        "buttons": QDialogButtonBox,
    },
)
_WARNING_STYLE = "color: #8a5a00; font-weight: bold;"


class EmergencyVisitDialog(FormDialog):
    """Patient, visit, treatments from the price list, and who pays."""

    SPEC = SPEC

    def __init__(
        self, parent: QWidget | None, ctx: AppContext, patient_id: int | None = None
    ) -> None:
        super().__init__(parent, "Akut tandvård – nytt besök")
        self._ctx = ctx
        self._patient_id: int | None = None
        self._treatments: list[tuple[TreatmentDraft, PriceItem]] = []
        self.saved_visit_id: int | None = None
        f = self.form
        store = ctx.store
        today, now = ctx.today(), datetime.now()
        f.treated_at.setDateTime(
            QDateTime(QDate(today.year, today.month, today.day), QTime(now.hour, now.minute))
        )
        f.listed_clinic.addItem("Inte listad någonstans", None)
        for clinic in store.clinics.all():
            f.listed_clinic.addItem(
                clinic.name + (" (egen klinik)" if clinic.is_own else ""), clinic.id
            )
        for placement in Placement:
            f.placement.addItem(PLACEMENT_LABELS[placement], placement)
        for profession in (Profession.DENTIST, Profession.HYGIENIST):
            for user in store.users.with_profession(profession):
                f.practitioner.addItem(f"{user.full_name} ({user.profession.label})", user.id)
        f.tooth.setFixedWidth(56)
        f.treatment_note.setMinimumWidth(180)
        f.treatment_code.setMinimumWidth(300)
        for kind in PayerKind:
            f.override_kind.addItem(payer_label(kind), kind)
        f.override_clinic.addItem("–", None)
        for clinic in store.clinics.all():
            if not clinic.is_own:
                f.override_clinic.addItem(clinic.name, clinic.id)
        may_override = allowed(ctx.user, Permission.ISSUE_CREDIT_NOTES)
        f.override.setEnabled(may_override)
        f.override.setToolTip("" if may_override else "Bara klinikchef eller administratör.")
        self._set_override_enabled(False)
        f.duty_warning.setStyleSheet(_WARNING_STYLE)
        f.personal_id.editingFinished.connect(self._look_up_patient)
        f.treated_at.dateTimeChanged.connect(lambda _d: self._date_changed())
        f.add_treatment.clicked.connect(self._add_treatment)
        f.remove_treatment.clicked.connect(self._remove_treatment)
        f.override.toggled.connect(self._set_override_enabled)
        for combo in (f.listed_clinic, f.placement, f.override_kind, f.override_clinic):
            combo.currentIndexChanged.connect(lambda _i: self.update_payer())
        for box in (f.registered_in_region, f.protected_identity):
            box.toggled.connect(lambda _on: self.update_payer())
        f.override_reason.textChanged.connect(lambda _t: self.update_payer())
        f.tooth.returnPressed.connect(self._add_treatment)
        f.treatment_note.returnPressed.connect(self._add_treatment)
        self._date_changed()
        if patient_id is not None:
            self.use_patient(patient_id)
        self.resize(1020, self.sizeHint().height())

    def field_widgets(self) -> Mapping[str, QWidget]:
        f = self.form
        return {
            "personal_id": f.personal_id,
            "first_name": f.first_name,
            "last_name": f.last_name,
            "patient": f.personal_id,
            "practitioner": f.practitioner,
            "treated_at": f.treated_at,
            "treatments": f.treatment_code,
            "listed_clinic": f.listed_clinic,
            "override_reason": f.override_reason,
            "override_clinic": f.override_clinic,
            "payer": f.override_kind,
        }

    # -- patient -----------------------------------------------------------------------------
    def use_patient(self, patient_id: int) -> None:
        """Fill the form from a registered patient (names masked for protected identity)."""
        patient = self._ctx.store.patients.get(patient_id)
        if patient is None:
            return
        f = self.form
        self._patient_id = patient.id
        f.personal_id.setText(patient.personal_id)
        masked = patient.protected_identity
        f.first_name.setText(PROTECTED_MASK if masked else patient.first_name)
        f.last_name.setText("" if masked else patient.last_name)
        for widget in (f.first_name, f.last_name):
            widget.setEnabled(False)
        f.patient_found.setText("Patienten finns i registret.")
        f.registered_in_region.setChecked(patient.registered_in_region)
        f.protected_identity.setChecked(patient.protected_identity)
        self._select_listed(
            listed_clinic_on(self._ctx.store, patient.id, self._treated_at().date())
        )
        self.update_payer()

    def _select_listed(self, clinic_id: int | None) -> None:
        index = self.form.listed_clinic.findData(clinic_id)
        self.form.listed_clinic.setCurrentIndex(max(index, 0))

    def _look_up_patient(self) -> None:
        f = self.form
        text = f.personal_id.text().strip()
        try:
            canonical = parse_personal_id(text, self._ctx.today()).canonical
        except InvalidPersonalId:
            canonical = text
        found = self._ctx.store.patients.by_personal_id(canonical) if canonical else None
        if found is not None:
            self.use_patient(found.id)
            return
        if self._patient_id is not None:
            f.first_name.clear()
            f.last_name.clear()
        self._patient_id = None
        for widget in (f.first_name, f.last_name):
            widget.setEnabled(True)
        f.patient_found.setText("Ny patient: registreras med besöket." if text else "")

    # -- treatments --------------------------------------------------------------------------
    def _treated_at(self) -> datetime:
        value = self.form.treated_at.dateTime()
        d, t = value.date(), value.time()
        return datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())

    def _date_changed(self) -> None:
        f = self.form
        day = self._treated_at().date()
        current = f.treatment_code.currentData()
        f.treatment_code.clear()
        for item in self._ctx.store.price_lists.valid_on(day):
            f.treatment_code.addItem(
                f"{item.code} {item.name} ({format_kronor(item.price_ore)})", item.code
            )
        if current is not None:
            f.treatment_code.setCurrentIndex(max(f.treatment_code.findData(current), 0))
        # The price valid on the (new) treatment date applies to every row.
        rows = []
        for draft, _old in self._treatments:
            price = self._ctx.store.price_lists.price_on(draft.code, day)
            if price is not None:
                rows.append((draft, price))
        self._treatments = rows
        self._show_treatments()
        self.update_payer()

    def add_treatment(self, code: str, tooth: str = "", note: str = "") -> bool:
        """Add a price list code (False when it has no price on the treatment date)."""
        price = self._ctx.store.price_lists.price_on(code, self._treated_at().date())
        if price is None:
            return False
        self._treatments.append((TreatmentDraft(code, tooth.strip(), note.strip()), price))
        self._show_treatments()
        return True

    def _add_treatment(self) -> None:
        f = self.form
        code = f.treatment_code.currentData()
        if code is not None and self.add_treatment(code, f.tooth.text(), f.treatment_note.text()):
            f.tooth.clear()
            f.treatment_note.clear()
            f.treatment_code.setFocus()

    def _remove_treatment(self) -> None:
        row = self.form.treatments.currentRow()
        if 0 <= row < len(self._treatments):
            del self._treatments[row]
            self._show_treatments()

    def _show_treatments(self) -> None:
        fill_table(
            self.form.treatments,
            ["Kod", "Åtgärd", "Tand", "Anteckning", "Pris"],
            [
                [d.code, p.name, d.tooth, d.note, format_kronor(p.price_ore)]
                for d, p in self._treatments
            ],
        )
        total = sum(p.price_ore for _d, p in self._treatments)
        self.form.total.setText(f"Summa enligt prislistan: <b>{format_kronor(total)}</b>")

    # -- payer -------------------------------------------------------------------------------
    def _set_override_enabled(self, on: bool) -> None:
        f = self.form
        for widget in (f.override_kind, f.override_clinic, f.override_reason):
            widget.setEnabled(on)
        self.update_payer()

    def _override(self) -> PayerOverride | None:
        f = self.form
        if not f.override.isChecked():
            return None
        return PayerOverride(
            f.override_kind.currentData(), f.override_clinic.currentData(), f.override_reason.text()
        )

    def update_payer(self) -> None:
        """Show who pays and why, and the weekend/public-holiday warning."""
        f = self.form
        try:
            decision = decide_payer(
                self._ctx.store,
                treatment_date=self._treated_at().date(),
                listed_clinic_id=f.listed_clinic.currentData(),
                registered_in_region=f.registered_in_region.isChecked(),
                placement=f.placement.currentData(),
                protected_identity=f.protected_identity.isChecked(),
                override=self._override(),
            )
        except RuleViolation as exc:
            f.payer_reason.setText(str(exc))
            return
        text = f"<b>{payer_label(decision.kind)}</b>: {decision.reason}"
        f.payer_reason.setText(text)
        f.duty_warning.setText(AREA_DUTY_WARNING if decision.area_duty else "")
        f.duty_warning.setVisible(decision.area_duty)

    def payer_text(self) -> str:
        """The payer explanation as shown (for tests and screen readers)."""
        return str(self.form.payer_reason.text())

    # -- saving ------------------------------------------------------------------------------
    def draft(self) -> EmergencyVisitDraft:
        """What the form holds now."""
        f = self.form
        new = (
            None
            if self._patient_id is not None
            else NewPatientDraft(
                f.personal_id.text(),
                f.first_name.text(),
                f.last_name.text(),
                f.guardian_phone.text(),
            )
        )
        return EmergencyVisitDraft(
            treated_at=self._treated_at(),
            practitioner_id=f.practitioner.currentData(),
            treatments=tuple(d for d, _p in self._treatments),
            patient_id=self._patient_id,
            new_patient=new,
            listed_clinic_id=f.listed_clinic.currentData(),
            registered_in_region=f.registered_in_region.isChecked(),
            placement=f.placement.currentData(),
            protected_identity=f.protected_identity.isChecked(),
            guardian_phone=f.guardian_phone.text(),
            complaint=f.complaint.text(),
            findings=f.findings.text(),
            advice=f.advice.text(),
            override=self._override(),
        )

    def submit(self) -> None:
        try:
            self.saved_visit_id = register_emergency_visit(
                self._ctx.store,
                self._ctx.user,
                self.draft(),
                self._ctx.today(),
                close=self.form.close_now.isChecked(),
            )
        except RuleViolation as exc:
            raise ValidationError([FieldError("", str(exc))]) from exc
