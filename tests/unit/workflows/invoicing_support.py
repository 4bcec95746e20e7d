"""Shared set-up for the emergency care and invoicing tests (imported, not collected)."""

from __future__ import annotations

from datetime import date, datetime

from clinic_desk.domain.emergency import Placement
from clinic_desk.domain.invoice_settings import validate_invoice_settings
from clinic_desk.domain.invoicing import (
    EmergencyVisitDraft,
    NewPatientDraft,
    PayerOverride,
    TreatmentDraft,
)
from clinic_desk.domain.people import User
from clinic_desk.store.store import Store
from clinic_desk.workflows.invoice_settings import save_invoice_settings
from clinic_desk.workflows.price_lists import import_price_list, sample_price_list_bytes

UNIT_NAME = "Region Västerbotten, Beställarenheten"
UNIT_ADDRESS = "Ledningsstaben\nBox 1\n901 89 Umeå"
# A weekday (Friday 20 November 2026): no area-clinic duty warning.
TREATED_AT = datetime(2026, 11, 20, 14, 5)
SATURDAY = datetime(2026, 11, 21, 11, 0)
TREATMENTS = (
    TreatmentDraft("103"),
    TreatmentDraft("301", "46", "Smärtlindring"),
    TreatmentDraft("401", "85"),
)
TREATMENTS_TOTAL = 42_000 + 46_000 + 120_500  # the sample list's prices, 2024 onward


def set_up_invoicing(
    store: Store,
    actor: User,
    *,
    collective: bool = False,
    qr: bool = True,
    rate: str = "2,25",
    rate_from: date = date(2026, 7, 1),
) -> None:
    """The sample price list and the clinic's invoicing settings."""
    import_price_list(store, actor, sample_price_list_bytes(), "sample-price-list.csv")
    save_invoice_settings(
        store,
        actor,
        validate_invoice_settings(
            unit_name=UNIT_NAME,
            unit_address=UNIT_ADDRESS,
            payment_days=30,
            rate_text=rate,
            rate_valid_from=rate_from,
            collective_monthly=collective,
            payment_qr=qr,
        ),
    )


def visit_draft(
    practitioner_id: int,
    *,
    patient_id: int | None = None,
    personal_id: str = "20150307-2389",
    listed_clinic_id: int | None = None,
    registered_in_region: bool = True,
    placement: Placement = Placement.NONE,
    protected_identity: bool = False,
    treated_at: datetime = TREATED_AT,
    override: PayerOverride | None = None,
    treatments: tuple[TreatmentDraft, ...] = TREATMENTS,
) -> EmergencyVisitDraft:
    """An emergency visit of a child not yet in the register unless patient_id is given."""
    return EmergencyVisitDraft(
        treated_at=treated_at,
        practitioner_id=practitioner_id,
        treatments=treatments,
        patient_id=patient_id,
        new_patient=None
        if patient_id is not None
        else NewPatientDraft(personal_id, "Maja", "Lindqvist", "070-123 45 67"),
        listed_clinic_id=listed_clinic_id,
        registered_in_region=registered_in_region,
        placement=placement,
        protected_identity=protected_identity,
        complaint="Värk i nedre högra käken sedan två dagar.",
        findings="Djup karies 46, abscess vid 85.",
        advice="Följ upp 46 inom två veckor; rotbehandling kan behövas.",
        override=override,
    )
