"""Emergency care of patients listed elsewhere: who pays, and when it is the area clinic's duty.

Sources: RULES.md §5; contract 000 §1.2, §1.3, §2.8 (including p. 9 on placed children)
and §4.4 (protected identity).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date
from enum import Enum

__all__ = [
    "EmergencyCase",
    "PayerKind",
    "Placement",
    "emergency_payer",
    "is_area_clinic_duty",
    "payer_reason",
]


class Placement(Enum):
    """Whether the patient is placed by social services / in compulsory care, and where."""

    NONE = "none"
    INSIDE_REGION = "inside_region"
    OUTSIDE_REGION = "outside_region"


class PayerKind(Enum):
    """Who is invoiced for an emergency treatment."""

    COMMISSIONING_UNIT = "commissioning_unit"  # beställarenheten
    NO_INVOICE = "no_invoice"  # the treating clinic bears the cost
    LISTING_CLINIC = "listing_clinic"  # the clinic where the patient is listed
    AREA_CLINIC = "area_clinic"  # områdesansvarsklinik / slutansvarsklinik


@dataclass(frozen=True)
class EmergencyCase:
    """The facts about one emergency treatment that decide who pays."""

    treating_clinic: str
    listed_clinic: str | None
    registered_in_region: bool = True
    placement: Placement = Placement.NONE
    protected_identity: bool = False

    def __post_init__(self) -> None:
        if not self.treating_clinic.strip():
            raise ValueError("Ange vilken klinik som behandlar patienten.")
        if self.listed_clinic is not None and not self.listed_clinic.strip():
            raise ValueError(
                "Listningskliniken är tom. Ange kliniken, eller att patienten inte är listad."
            )


@dataclass(frozen=True)
class _Decision:
    kind: PayerKind
    clinic: str | None
    reason: str


def _decide(case: EmergencyCase) -> _Decision:
    """Apply RULES.md §5 in order; the first rule that matches decides."""
    if case.protected_identity:
        # 000 §4.4: never in the listing system; all care is invoiced to the commissioning unit.
        return _Decision(
            PayerKind.COMMISSIONING_UNIT,
            None,
            "Skyddade personuppgifter → faktureras beställarenheten.",
        )
    if case.placement is Placement.INSIDE_REGION:
        if case.registered_in_region:
            # 000 §2.8 p. 9: the treating clinic bears the cost, even if listed elsewhere.
            return _Decision(
                PayerKind.NO_INVOICE,
                None,
                "Folkbokförd i regionen och placerad inom regionen → behandlande klinik "
                "står för kostnaden, ingen faktura.",
            )
        # 000 §2.8 p. 9 and §1.2: their care is part of the area clinic's duty.
        return _Decision(
            PayerKind.AREA_CLINIC,
            None,
            "Folkbokförd i annan region och placerad inom regionen → faktureras "
            "områdesansvarskliniken.",
        )
    # No placement, or placement outside the region (000 §2.8 p. 9): the listing decides.
    if case.listed_clinic is not None and case.listed_clinic == case.treating_clinic:
        return _Decision(
            PayerKind.NO_INVOICE,
            None,
            "Listad vid behandlande klinik → egen patient, ingen akutfaktura.",
        )
    if case.listed_clinic is not None:
        return _Decision(
            PayerKind.LISTING_CLINIC,
            case.listed_clinic,
            "Listad vid annan klinik → faktureras listningskliniken.",
        )
    return _Decision(
        PayerKind.AREA_CLINIC,
        None,
        "Inte listad vid någon klinik → faktureras områdesansvarskliniken.",
    )


def emergency_payer(case: EmergencyCase) -> tuple[PayerKind, str | None]:
    """Who pays for an emergency treatment: (kind, clinic id to invoice). The clinic id is the
    listing clinic for LISTING_CLINIC and None otherwise."""
    decision = _decide(case)
    return decision.kind, decision.clinic


def payer_reason(case: EmergencyCase) -> str:
    """A short Swedish sentence for the screen saying who pays and why."""
    return _decide(case).reason


def is_area_clinic_duty(d: date, include_eves: bool = True) -> bool:
    """True if emergency care on `d` is the area clinic's duty: Saturday, Sunday or a Swedish
    public holiday, and (unless `include_eves` is False) midsommar-, jul- and nyårsafton.

    The contract (000 §2.8) says "lördag och söndag samt helgdag". Strictly, the three eves
    are not public holidays (lag 1989:253), but Swedish law on time limits (lag 1930:173)
    treats them like Sundays and clinics are normally closed, so they count by default. The
    result only drives a warning, so erring towards warning is the safer side.
    """
    if d.weekday() >= 5:
        return True
    if d in _public_holidays(d.year):
        return True
    return include_eves and _is_major_eve(d)


@functools.lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    """Sweden's public holidays (allmänna helgdagar) in `year`, Sundays included."""
    # country_holidays("SE") is holidays.Sweden, reached through the typed public entry point.
    import holidays  # imported on first use: it takes tens of milliseconds at start-up

    return frozenset(holidays.country_holidays("SE", years=year).keys())


def _is_major_eve(d: date) -> bool:
    """Julafton (24 Dec), nyårsafton (31 Dec) or midsommarafton (the Friday 19-25 June)."""
    if d.month == 12 and d.day in (24, 31):
        return True
    return d.month == 6 and 19 <= d.day <= 25 and d.weekday() == 4
