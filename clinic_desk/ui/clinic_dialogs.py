"""The clinic registry: our own clinic and the region's other clinics."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QWidget,
)

from clinic_desk.domain.clinics import Clinic, ClinicDraft
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.table_fill import fill_table
from clinic_desk.workflows.clinics import (
    CSV_COLUMNS,
    ImportRejected,
    decode_csv_bytes,
    import_clinics,
    save_clinic,
    set_clinic_active,
)

_TEXT = (
    "name",
    "org_number",
    "code",
    "address_line",
    "postal_code",
    "city",
    "phone",
    "email",
    "bankgiro",
    "hsa_id",
)
_FLAGS = ("f_skatt", "is_own", "area_responsible")
CLINIC_SPEC = FormSpec(
    "clinic_dialog.ui",
    {
        **dict.fromkeys(_TEXT, QLineEdit),
        **dict.fromkeys(_FLAGS, QCheckBox),
        "invoice_address": QPlainTextEdit,
        "buttons": QDialogButtonBox,
    },
)
REGISTRY_SPEC = FormSpec(
    "clinics_dialog.ui",
    {
        "own_clinic": QLabel,
        "clinics_table": QTableWidget,
        "new_clinic": QPushButton,
        "edit_clinic": QPushButton,
        "toggle_active": QPushButton,
        "import_csv": QPushButton,
        "show_inactive": QCheckBox,
        "buttons": QDialogButtonBox,
    },
)


class ClinicDialog(FormDialog):
    """Create or change one clinic."""

    SPEC = CLINIC_SPEC

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        clinic: Clinic | None = None,
        own: bool = False,
    ) -> None:
        super().__init__(parent, "Ny klinik" if clinic is None else clinic.name)
        self._ctx = ctx
        self._clinic_id = clinic.id if clinic else None
        if clinic is not None:
            for name in _TEXT:
                self.form.get(name).setText(getattr(clinic, name))
            for name in _FLAGS:
                self.form.get(name).setChecked(getattr(clinic, name))
            self.form.invoice_address.setPlainText(clinic.invoice_address)
        else:
            self.form.is_own.setChecked(own)
        self.resize(520, self.sizeHint().height())

    def field_widgets(self) -> Mapping[str, QWidget]:
        return {**{name: self.form.get(name) for name in _TEXT}, "is_own": self.form.is_own}

    def draft(self) -> ClinicDraft:
        """What the form holds now."""
        return ClinicDraft(
            **{name: self.form.get(name).text() for name in _TEXT},
            **{name: self.form.get(name).isChecked() for name in _FLAGS},
            invoice_address=self.form.invoice_address.toPlainText(),
        )

    def submit(self) -> None:
        self._clinic_id = save_clinic(
            self._ctx.store, self._ctx.user, self.draft(), self._clinic_id
        )


class ClinicsDialog(QDialog):
    """The list of clinics with buttons to add, change, deactivate and import."""

    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent)
        self.setWindowTitle("Kliniker")
        self.form = load_form(REGISTRY_SPEC, self)
        self._ctx = ctx
        self._clinics: list[Clinic] = []
        f = self.form
        f.new_clinic.clicked.connect(self._new)
        f.edit_clinic.clicked.connect(self._edit)
        f.toggle_active.clicked.connect(self._toggle)
        f.import_csv.clicked.connect(self._import)
        f.show_inactive.toggled.connect(lambda _on: self.refresh())
        f.clinics_table.itemDoubleClicked.connect(lambda _item: self._edit())
        f.clinics_table.itemSelectionChanged.connect(self._selection_changed)
        f.buttons.rejected.connect(self.reject)
        self.resize(900, 480)
        self.refresh()

    def refresh(self) -> None:
        """Read the clinics again."""
        self._clinics = self._ctx.store.clinics.all(self.form.show_inactive.isChecked())
        own = self._ctx.store.clinics.own()
        self.form.own_clinic.setText(
            f"Egen klinik: <b>{own.name}</b>, org.nr {own.org_number}"
            if own
            else "Egen klinik är inte inlagd ännu – lägg in den med Ny klinik."
        )
        fill_table(
            self.form.clinics_table,
            ["Namn", "Org.nr", "Kod", "Ort", "Områdesansvarig", "Egen", "Status"],
            [
                [
                    c.name,
                    c.org_number,
                    c.code,
                    c.city,
                    "Ja" if c.area_responsible else "",
                    "Ja" if c.is_own else "",
                    "Aktiv" if c.active else "Inaktiv",
                ]
                for c in self._clinics
            ],
        )
        self._selection_changed()

    def _selected(self) -> Clinic | None:
        row = self.form.clinics_table.currentRow()
        return self._clinics[row] if 0 <= row < len(self._clinics) else None

    def _selection_changed(self) -> None:
        clinic = self._selected()
        self.form.edit_clinic.setEnabled(clinic is not None)
        self.form.toggle_active.setEnabled(clinic is not None and not clinic.is_own)
        self.form.toggle_active.setText(
            "Aktivera" if clinic and not clinic.active else "Inaktivera"
        )

    def _new(self) -> None:
        if ClinicDialog(self, self._ctx, own=self._ctx.store.clinics.own() is None).exec():
            self.refresh()

    def _edit(self) -> None:
        clinic = self._selected()
        if clinic is not None and ClinicDialog(self, self._ctx, clinic).exec():
            self.refresh()

    def _toggle(self) -> None:
        clinic = self._selected()
        if clinic is not None:
            set_clinic_active(self._ctx.store, self._ctx.user, clinic.id, not clinic.active)
            self.refresh()

    def _import(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, "Importera kliniker", str(Path.home()), "CSV-filer (*.csv);;Alla filer (*)"
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> bool:
        """Import a clinic CSV; shows what happened. Returns True when it was imported."""
        try:
            added, updated = import_clinics(
                self._ctx.store, self._ctx.user, decode_csv_bytes(path.read_bytes())
            )
        except OSError as exc:
            QMessageBox.warning(self, "Importera kliniker", f"Filen kunde inte läsas: {exc}")
            return False
        except ImportRejected as exc:
            QMessageBox.warning(
                self,
                "Inget importerades",
                "Filen har fel och ingenting importerades. Rätta raderna och försök igen.\n\n"
                + str(exc)
                + "\n\nKolumner: "
                + ";".join(CSV_COLUMNS),
            )
            return False
        QMessageBox.information(
            self, "Importera kliniker", f"{added} nya kliniker, {updated} uppdaterade."
        )
        self.refresh()
        return True
