"""Tests for clinic_desk.domain.emergency (RULES.md §5, contract 000 §2.8, §4.4)."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_desk.domain.emergency import (
    EmergencyCase,
    PayerKind,
    Placement,
    emergency_payer,
    is_area_clinic_duty,
    payer_reason,
)

HERE = "KLINIK-A"
OTHER = "KLINIK-B"


@pytest.mark.parametrize(
    ("case", "expected"),
    [
        # 1. protected identity wins over everything else
        (EmergencyCase(HERE, OTHER, protected_identity=True), (PayerKind.COMMISSIONING_UNIT, None)),
        (EmergencyCase(HERE, HERE, protected_identity=True), (PayerKind.COMMISSIONING_UNIT, None)),
        (
            EmergencyCase(
                HERE,
                None,
                registered_in_region=False,
                placement=Placement.INSIDE_REGION,
                protected_identity=True,
            ),
            (PayerKind.COMMISSIONING_UNIT, None),
        ),
        # 2. placed inside the region
        (
            EmergencyCase(HERE, OTHER, placement=Placement.INSIDE_REGION),
            (PayerKind.NO_INVOICE, None),
        ),
        (
            EmergencyCase(HERE, None, placement=Placement.INSIDE_REGION),
            (PayerKind.NO_INVOICE, None),
        ),
        (
            EmergencyCase(
                HERE, OTHER, registered_in_region=False, placement=Placement.INSIDE_REGION
            ),
            (PayerKind.AREA_CLINIC, None),
        ),
        (
            EmergencyCase(
                HERE, None, registered_in_region=False, placement=Placement.INSIDE_REGION
            ),
            (PayerKind.AREA_CLINIC, None),
        ),
        # 3. own patient
        (EmergencyCase(HERE, HERE), (PayerKind.NO_INVOICE, None)),
        # 4. listed at another clinic, in or outside the region
        (EmergencyCase(HERE, OTHER), (PayerKind.LISTING_CLINIC, OTHER)),
        (
            EmergencyCase(HERE, "ANNAN-REGION-1", registered_in_region=False),
            (PayerKind.LISTING_CLINIC, "ANNAN-REGION-1"),
        ),
        # 5. not listed anywhere
        (EmergencyCase(HERE, None), (PayerKind.AREA_CLINIC, None)),
        (EmergencyCase(HERE, None, registered_in_region=False), (PayerKind.AREA_CLINIC, None)),
        # placement outside the region follows the listing rules 3-5
        (
            EmergencyCase(HERE, HERE, placement=Placement.OUTSIDE_REGION),
            (PayerKind.NO_INVOICE, None),
        ),
        (
            EmergencyCase(HERE, OTHER, placement=Placement.OUTSIDE_REGION),
            (PayerKind.LISTING_CLINIC, OTHER),
        ),
        (
            EmergencyCase(HERE, None, placement=Placement.OUTSIDE_REGION),
            (PayerKind.AREA_CLINIC, None),
        ),
        (
            EmergencyCase(
                HERE, OTHER, registered_in_region=False, placement=Placement.OUTSIDE_REGION
            ),
            (PayerKind.LISTING_CLINIC, OTHER),
        ),
    ],
)
def test_emergency_payer(case: EmergencyCase, expected: tuple[PayerKind, str | None]) -> None:
    assert emergency_payer(case) == expected


@pytest.mark.parametrize(
    ("case", "reason"),
    [
        (
            EmergencyCase(HERE, OTHER, protected_identity=True),
            "Skyddade personuppgifter → faktureras beställarenheten.",
        ),
        (
            EmergencyCase(HERE, OTHER, placement=Placement.INSIDE_REGION),
            "Folkbokförd i regionen och placerad inom regionen → behandlande klinik står för "
            "kostnaden, ingen faktura.",
        ),
        (
            EmergencyCase(
                HERE, None, registered_in_region=False, placement=Placement.INSIDE_REGION
            ),
            "Folkbokförd i annan region och placerad inom regionen → faktureras "
            "områdesansvarskliniken.",
        ),
        (
            EmergencyCase(HERE, HERE),
            "Listad vid behandlande klinik → egen patient, ingen akutfaktura.",
        ),
        (EmergencyCase(HERE, OTHER), "Listad vid annan klinik → faktureras listningskliniken."),
        (
            EmergencyCase(HERE, None),
            "Inte listad vid någon klinik → faktureras områdesansvarskliniken.",
        ),
    ],
)
def test_payer_reason(case: EmergencyCase, reason: str) -> None:
    assert payer_reason(case) == reason


def test_defaults() -> None:
    case = EmergencyCase(HERE, None)
    assert case.registered_in_region
    assert case.placement is Placement.NONE
    assert not case.protected_identity


@pytest.mark.parametrize(
    ("treating", "listed"), [("", None), ("  ", OTHER), (HERE, ""), (HERE, " ")]
)
def test_blank_clinic_ids_rejected(treating: str, listed: str | None) -> None:
    with pytest.raises(ValueError, match=r"[Kk]linik"):
        EmergencyCase(treating, listed)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 6, 16), False),  # Monday
        (date(2025, 6, 14), True),  # Saturday
        (date(2025, 6, 15), True),  # Sunday
        (date(2025, 1, 1), True),  # nyårsdagen, Wednesday
        (date(2025, 1, 6), True),  # trettondedag jul, Monday
        (date(2025, 4, 18), True),  # långfredagen
        (date(2025, 4, 21), True),  # annandag påsk
        (date(2025, 5, 1), True),  # första maj
        (date(2025, 5, 29), True),  # Kristi himmelsfärd
        (date(2025, 6, 6), True),  # nationaldagen, Friday
        (date(2025, 12, 25), True),  # juldagen
        (date(2025, 12, 26), True),  # annandag jul
        (date(2025, 12, 24), True),  # julafton, Wednesday
        (date(2025, 12, 31), True),  # nyårsafton, Wednesday
        (date(2025, 6, 20), True),  # midsommarafton, Friday
        (date(2026, 6, 19), True),  # midsommarafton, Friday
        (date(2025, 6, 19), False),  # the Thursday before midsommarafton
        (date(2025, 6, 27), False),  # a Friday after midsummer
        (date(2025, 12, 23), False),  # dan före dopparedagen
        (date(2025, 4, 17), False),  # skärtorsdagen
        (date(2025, 5, 30), False),  # klämdag, not a holiday
    ],
)
def test_is_area_clinic_duty(day: date, expected: bool) -> None:
    assert is_area_clinic_duty(day) is expected


@pytest.mark.parametrize("day", [date(2025, 12, 24), date(2025, 12, 31), date(2025, 6, 20)])
def test_eves_can_be_excluded(day: date) -> None:
    assert not is_area_clinic_duty(day, include_eves=False)


def test_weekend_eve_is_duty_either_way() -> None:
    assert is_area_clinic_duty(date(2022, 12, 24), include_eves=False)  # Saturday
