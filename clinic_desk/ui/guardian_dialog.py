"""Add or change a guardian; an already registered guardian (a sibling's) can be fetched."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from clinic_desk.domain.patient_records import Guardian, GuardianDraft
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.forms import FormSpec
from clinic_desk.workflows.patients import find_guardian

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
    "guardian_dialog.ui",
    {
        **dict.fromkeys(_TEXT_FIELDS, QLineEdit),
        "lookup": QPushButton,
        "lookup_result": QLabel,
        "relation": QComboBox,
        "receives_letters": QCheckBox,
        "buttons": QDialogButtonBox,
    },
)
RELATIONS = ["Förälder", "Särskilt förordnad vårdnadshavare", "Familjehem", "Annan"]


class GuardianDialog(FormDialog):
    """Fills a GuardianDraft and hands it to `on_submit` (which may raise ValidationError)."""

    SPEC = SPEC

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        on_submit: Callable[[GuardianDraft], object],
        existing: GuardianDraft | None = None,
        address_hint: tuple[str, str, str] | None = None,
    ) -> None:
        super().__init__(parent, "Vårdnadshavare")
        self._ctx = ctx
        self._on_submit = on_submit
        self._existing_id: int | None = existing.existing_id if existing else None
        self.form.relation.addItems(RELATIONS)
        self.form.lookup.clicked.connect(self._lookup)
        self.form.personal_id.returnPressed.connect(self._lookup)
        self.form.lookup_result.hide()
        if existing is not None:
            self._fill(existing)
            self.form.receives_letters.setChecked(existing.receives_letters)
            self.form.relation.setCurrentText(existing.relation or RELATIONS[0])
        elif address_hint is not None:
            address, postal, city = address_hint
            self.form.address_line.setText(address)
            self.form.postal_code.setText(postal)
            self.form.city.setText(city)
        self.resize(460, self.sizeHint().height())

    def field_widgets(self) -> Mapping[str, QWidget]:
        return {name: self.form.get(name) for name in _TEXT_FIELDS}

    def _fill(self, value: GuardianDraft | Guardian) -> None:
        for name in _TEXT_FIELDS:
            self.form.get(name).setText(getattr(value, name))

    def _lookup(self) -> None:
        found = find_guardian(self._ctx.store, self.form.personal_id.text(), self._ctx.today())
        label: QLabel = self.form.lookup_result
        label.show()
        if found is None:
            self._existing_id = None
            label.setText(
                "Ingen registrerad vårdnadshavare med det personnumret. Fyll i uppgifterna."
            )
            return
        self._existing_id = found.id
        self._fill(found)
        children = len(self._ctx.store.guardians.children_of(found.id))
        label.setText(f"Hämtad: {found.full_name}, redan vårdnadshavare för {children} barn.")

    def draft(self) -> GuardianDraft:
        """What the form holds now."""
        text = {name: self.form.get(name).text() for name in _TEXT_FIELDS}
        return GuardianDraft(
            **text,
            receives_letters=self.form.receives_letters.isChecked(),
            relation=self.form.relation.currentText().strip(),
            existing_id=self._existing_id,
        )

    def submit(self) -> None:
        self._on_submit(self.draft())
