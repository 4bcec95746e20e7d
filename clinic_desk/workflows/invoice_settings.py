"""Reading and saving the clinic's invoicing settings (store.settings, one key each)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from clinic_desk.domain.billing import DEFAULT_PAYMENT_DAYS
from clinic_desk.domain.invoice_settings import InvoiceSettings
from clinic_desk.domain.invoicing import ReferenceRate
from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.store.store import Store

KEY_UNIT = "commissioning_unit"
KEY_RATE = "reference_rate"
KEY_DAYS = "invoice_payment_days"
KEY_COLLECTIVE = "invoice_collective_monthly"
KEY_QR = "invoice_payment_qr"


def load_invoice_settings(store: Store) -> InvoiceSettings:
    """The settings as saved (defaults where nothing is saved)."""
    unit: dict[str, Any] = store.settings.get(KEY_UNIT, {}) or {}
    rate_value: dict[str, Any] | None = store.settings.get(KEY_RATE)
    rate = (
        ReferenceRate(
            Decimal(str(rate_value["percent"])), date.fromisoformat(rate_value["valid_from"])
        )
        if rate_value
        else None
    )
    return InvoiceSettings(
        commissioning_unit_name=str(unit.get("name", "")),
        commissioning_unit_address=tuple(str(x) for x in unit.get("address", [])),
        payment_days=int(store.settings.get(KEY_DAYS, DEFAULT_PAYMENT_DAYS)),
        reference_rate=rate,
        collective_monthly=bool(store.settings.get(KEY_COLLECTIVE, False)),
        payment_qr=bool(store.settings.get(KEY_QR, False)),
    )


@requires(Permission.EDIT_CLINIC_SETTINGS)
def save_invoice_settings(store: Store, actor: User, settings: InvoiceSettings) -> None:
    """Save the settings (checked by validate_invoice_settings)."""
    with store.transaction():
        before = load_invoice_settings(store)
        store.settings.set(
            KEY_UNIT,
            {
                "name": settings.commissioning_unit_name,
                "address": list(settings.commissioning_unit_address),
            },
            actor.id,
        )
        rate = settings.reference_rate
        store.settings.set(
            KEY_RATE,
            {"percent": str(rate.percent), "valid_from": rate.valid_from.isoformat()}
            if rate
            else None,
            actor.id,
        )
        store.settings.set(KEY_DAYS, settings.payment_days, actor.id)
        store.settings.set(KEY_COLLECTIVE, settings.collective_monthly, actor.id)
        store.settings.set(KEY_QR, settings.payment_qr, actor.id)
        changed = sorted(
            name
            for name in InvoiceSettings.__dataclass_fields__
            if getattr(before, name) != getattr(settings, name)
        )
        store.audit.append(
            actor.id, "settings.invoicing", entity="settings", entity_id=KEY_UNIT,
            detail={"fields": changed},
        )  # fmt: skip
