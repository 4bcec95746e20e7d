"""The patient card's tab of emergency visits and the invoices that bill them."""

from __future__ import annotations

from PySide6.QtWidgets import QTableWidget, QWidget

from clinic_desk.domain.billing import format_kronor
from clinic_desk.domain.invoicing import payer_label
from clinic_desk.domain.patient_records import PatientRecord
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.emergency_window import report_state
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.table_fill import fill_table

SPEC = FormSpec(
    "emergency_section.ui", {"visits_table": QTableWidget, "invoices_table": QTableWidget}
)


class EmergencySection:
    """A card tab: the patient's emergency visits and invoices (a CardSection)."""

    title = "Akut och fakturor"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        self._ctx = ctx
        self._widget = QWidget(parent)
        self.form = load_form(SPEC, self._widget)

    def widget(self) -> QWidget:
        return self._widget

    def show_record(self, record: PatientRecord, masked: bool) -> None:
        store = self._ctx.store
        patient_id = record.patient.id
        visits = store.emergency.for_patient(patient_id)
        fill_table(
            self.form.visits_table,
            ["Behandlad", "Åtgärder", "Belopp", "Betalare", "Faktura", "Status", "Återföring"],
            [
                [
                    v.treated_at.strftime("%Y-%m-%d %H:%M"),
                    ", ".join(t.code for t in v.treatments),
                    format_kronor(v.total_ore),
                    v.payer_name or payer_label(v.payer_kind),
                    str(v.invoice_number or ""),
                    v.status.label,
                    report_state(v),
                ]
                for v in visits
            ],
        )
        rows = store.invoices.for_patient(patient_id, self._ctx.today())
        fill_table(
            self.form.invoices_table,
            ["Nr", "Typ", "Datum", "Betalare", "Belopp", "Status"],
            [
                [
                    str(r.number),
                    r.kind.label,
                    r.issue_date.isoformat(),
                    r.buyer_name,
                    format_kronor(r.total_ore),
                    r.status.label,
                ]
                for r in rows
            ],
        )
