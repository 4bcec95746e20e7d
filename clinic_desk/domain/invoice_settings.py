"""The clinic's invoicing settings: the commissioning unit's address, payment terms, the
reference rate for late-payment interest, collective invoicing and the payment QR code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from clinic_desk.domain.billing import DEFAULT_PAYMENT_DAYS
from clinic_desk.domain.errors import FieldError, ValidationError
from clinic_desk.domain.invoicing import ReferenceRate

__all__ = ["InvoiceSettings", "parse_rate", "validate_invoice_settings"]


@dataclass(frozen=True)
class InvoiceSettings:
    """Clinic-wide settings that invoicing reads (kept in store.settings)."""

    commissioning_unit_name: str = ""
    commissioning_unit_address: tuple[str, ...] = ()
    payment_days: int = DEFAULT_PAYMENT_DAYS
    reference_rate: ReferenceRate | None = None
    collective_monthly: bool = False
    payment_qr: bool = False

    @property
    def has_commissioning_unit(self) -> bool:
        return bool(self.commissioning_unit_name.strip() and self.commissioning_unit_address)


def parse_rate(text: str) -> Decimal:
    """'2,25' or '2.25' (percent) -> Decimal('2.25'); ValueError in Swedish otherwise."""
    cleaned = text.strip().replace(",", ".").removesuffix("%").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError("Skriv referensräntan i procent, till exempel 2,25.") from None
    if not value.is_finite() or not Decimal(-10) <= value <= Decimal(30):
        raise ValueError("Referensräntan ska vara ett tal mellan -10 och 30 procent.")
    return value


def validate_invoice_settings(
    *,
    unit_name: str,
    unit_address: str,
    payment_days: int,
    rate_text: str,
    rate_valid_from: date | None,
    collective_monthly: bool,
    payment_qr: bool,
) -> InvoiceSettings:
    """Check what the settings dialog holds; ValidationError names every bad field."""
    errors: list[FieldError] = []
    lines = tuple(line.strip() for line in unit_address.splitlines() if line.strip())
    if unit_name.strip() and not lines:
        errors.append(
            FieldError(
                "unit_address", "Skriv beställarenhetens fakturaadress (gata, postnummer, ort)."
            )
        )
    if lines and not unit_name.strip():
        errors.append(FieldError("unit_name", "Skriv beställarenhetens namn."))
    if not 0 <= payment_days <= 90:
        errors.append(FieldError("payment_days", "Betalningsvillkoret ska vara 0–90 dagar."))
    rate: ReferenceRate | None = None
    if rate_text.strip():
        try:
            percent = parse_rate(rate_text)
        except ValueError as exc:
            errors.append(FieldError("reference_rate", str(exc)))
        else:
            if rate_valid_from is None:
                errors.append(
                    FieldError("rate_valid_from", "Ange från vilket datum referensräntan gäller.")
                )
            else:
                rate = ReferenceRate(percent, rate_valid_from)
    if errors:
        raise ValidationError(errors)
    return InvoiceSettings(
        commissioning_unit_name=unit_name.strip(),
        commissioning_unit_address=lines,
        payment_days=payment_days,
        reference_rate=rate,
        collective_monthly=collective_monthly,
        payment_qr=payment_qr,
    )
