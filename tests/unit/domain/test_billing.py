"""Tests for clinic_desk.domain.billing (RULES.md §9)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum import luhn

from clinic_desk.domain.billing import (
    OCR_MAX_LENGTH,
    due_date,
    format_kronor,
    is_valid_ocr,
    late_interest_ore,
    ocr_reference,
    parse_kronor,
    validate_bankgiro,
)

NBSP = "\u00a0"
digit_strings = st.text(alphabet="0123456789", min_size=1, max_size=OCR_MAX_LENGTH - 2)


# --- OCR -------------------------------------------------------------------------------------


def test_rules_examples() -> None:
    assert ocr_reference("12345", length_digit=False) == "123455"
    assert ocr_reference("12345") == "1234574"
    assert is_valid_ocr("123455", length_digit=False)
    assert is_valid_ocr("1234574")


def test_length_digit_wraps_modulo_ten() -> None:
    reference = ocr_reference("12345678")  # 10 digits in all -> length digit 0
    assert len(reference) == 10
    assert reference[-2] == "0"
    assert is_valid_ocr(reference)


@pytest.mark.parametrize("base", ["", "12a45", " 12345", "12345 ", "12-45", "١٢٣", "１２３", "-1"])
def test_ocr_reference_rejects_bad_base(base: str) -> None:
    with pytest.raises(ValueError, match="OCR"):
        ocr_reference(base)


def test_ocr_reference_length_limit() -> None:
    assert len(ocr_reference("1" * 23)) == 25
    assert len(ocr_reference("1" * 24, length_digit=False)) == 25
    with pytest.raises(ValueError, match="högst 25"):
        ocr_reference("1" * 24)
    with pytest.raises(ValueError, match="högst 25"):
        ocr_reference("1" * 25, length_digit=False)


def test_wrong_length_digit_with_good_luhn() -> None:
    body = "12345" + "8"  # the right length digit would be 7
    reference = body + luhn.calc_check_digit(body)
    assert not is_valid_ocr(reference)
    assert is_valid_ocr(reference, length_digit=False)


@pytest.mark.parametrize(
    "reference", ["", "1", "12", "1234575", "12345 74", "123457a", "１２３４５７４", "1" * 26]
)
def test_is_valid_ocr_false(reference: str) -> None:
    assert not is_valid_ocr(reference)


def test_is_valid_ocr_never_raises_on_wrong_type() -> None:
    wrong: Any = 1234574
    assert not is_valid_ocr(wrong)
    assert not is_valid_ocr(None)  # type: ignore[arg-type]


@given(digit_strings, st.booleans())
def test_ocr_round_trip(base: str, length_digit: bool) -> None:
    reference = ocr_reference(base, length_digit=length_digit)
    assert reference.startswith(base)
    assert len(reference) == len(base) + (2 if length_digit else 1)
    assert is_valid_ocr(reference, length_digit=length_digit)


@given(digit_strings, st.booleans(), st.data())
def test_ocr_one_flipped_digit_is_invalid(
    base: str, length_digit: bool, data: st.DataObject
) -> None:
    reference = ocr_reference(base, length_digit=length_digit)
    index = data.draw(st.integers(0, len(reference) - 1))
    offset = data.draw(st.integers(1, 9))
    flipped = str((int(reference[index]) + offset) % 10)
    changed = reference[:index] + flipped + reference[index + 1 :]
    assert not is_valid_ocr(changed, length_digit=length_digit)


# --- kronor ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ore", "text"),
    [
        (123450, f"1{NBSP}234,50{NBSP}kr"),
        (0, f"0,00{NBSP}kr"),
        (5, f"0,05{NBSP}kr"),
        (99, f"0,99{NBSP}kr"),
        (100, f"1,00{NBSP}kr"),
        (99999, f"999,99{NBSP}kr"),
        (100000, f"1{NBSP}000,00{NBSP}kr"),
        (123456789, f"1{NBSP}234{NBSP}567,89{NBSP}kr"),
        (-123450, f"-1{NBSP}234,50{NBSP}kr"),
        (-5, f"-0,05{NBSP}kr"),
    ],
)
def test_format_kronor(ore: int, text: str) -> None:
    assert format_kronor(ore) == text


@pytest.mark.parametrize(
    ("text", "ore"),
    [
        ("1 234,50", 123450),
        ("1234.50", 123450),
        ("1234", 123400),
        ("1 234,50 kr", 123450),
        (f"1{NBSP}234,50{NBSP}kr", 123450),
        ("1\u202f234,50", 123450),
        ("  12,5 ", 1250),
        ("0,05", 5),
        ("0", 0),
        ("1234kr", 123400),
        ("1 234 KR", 123400),
        ("99 sek", 9900),
        ("150:-", 15000),
        ("150,-", 15000),
        ("1 234 567,89 kr", 123456789),
        ("-1 234,50 kr", -123450),
        ("−5,00", -500),
        ("+7", 700),
        ("007", 700),
    ],
)
def test_parse_kronor(text: str, ore: int) -> None:
    assert parse_kronor(text) == ore


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "abc",
        "kr",
        "1,234.50",
        "1.234,50",
        "12,345",
        "1234,",
        ",50",
        "12 34",
        "1 2345",
        "1  234",
        "1 234,50 €",
        "1e3",
        "1_000",
        "--5",
        "١٢٣",
        "12.3.4",
        "nan",
    ],
)
def test_parse_kronor_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="belopp"):
        parse_kronor(text)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_kronor_round_trip(ore: int) -> None:
    assert parse_kronor(format_kronor(ore)) == ore


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([",", "."]))
def test_parse_plain_decimal(ore: int, separator: str) -> None:
    kronor, rest = divmod(ore, 100)
    assert parse_kronor(f"{kronor}{separator}{rest:02d}") == ore


# --- late interest ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "days", "rate", "expected"),
    [
        # 100 000 öre x 10.25 % x 30/365 = 842.47 -> 842
        (100_000, 30, 2.25, 842),
        # 73 öre x 10 % x 25/365 = 0.5 exactly -> 1 (half-up, not banker's 0)
        (73, 25, 2.0, 1),
        # 1 000 000 öre x 12 % x 365/365 = 120 000
        (1_000_000, 365, 4.0, 120_000),
        # 182 500 öre x 8.3 % x 1/365 = 41.5 exactly -> 42 (float 0.3 read as 0.3)
        (182_500, 1, 0.3, 42),
        # negative reference rate (2016): 100 000 x 7.5 % x 73/365 = 1 500
        (100_000, 73, -0.5, 1_500),
        # 250 000 öre x 12 % x 45/365 = 3 698.63 -> 3 699
        (250_000, 45, 4, 3_699),
        (0, 30, 2.25, 0),
        (100_000, 0, 2.25, 0),
        (100_000, -10, 2.25, 0),
    ],
)
def test_late_interest(amount: int, days: int, rate: float, expected: int) -> None:
    assert late_interest_ore(amount, days, rate) == expected


def test_late_interest_accepts_decimal_rate() -> None:
    assert late_interest_ore(182_500, 1, Decimal("0.3")) == 42


def test_late_interest_rejects_negative_amount() -> None:
    with pytest.raises(ValueError, match="negativt"):
        late_interest_ore(-100, 30, 2.0)


@pytest.mark.parametrize("rate", [float("nan"), float("inf"), Decimal("NaN")])
def test_late_interest_rejects_non_finite_rate(rate: float | Decimal) -> None:
    with pytest.raises(ValueError, match="Referensräntan"):
        late_interest_ore(100, 30, rate)


@given(st.integers(0, 10**9), st.integers(1, 3650), st.integers(-100, 1000))
def test_late_interest_matches_integer_formula(
    amount: int, days: int, rate_hundredths: int
) -> None:
    rate = Decimal(rate_hundredths) / 100
    # interest = amount * (rate + 8) / 100 * days / 365, in hundredths of a percent as integers
    numerator = amount * (rate_hundredths + 800) * days
    denominator = 100 * 100 * 365
    expected = max(0, (2 * numerator + denominator) // (2 * denominator))
    assert late_interest_ore(amount, days, rate) == expected


# --- due date and bankgiro -------------------------------------------------------------------


def test_due_date() -> None:
    assert due_date(date(2025, 1, 15)) == date(2025, 2, 14)
    assert due_date(date(2024, 2, 1)) == date(2024, 3, 2)
    assert due_date(date(2025, 12, 10), 10) == date(2025, 12, 20)
    assert due_date(date(2025, 12, 10), 0) == date(2025, 12, 10)
    with pytest.raises(ValueError, match="negativt"):
        due_date(date(2025, 1, 1), -1)


@pytest.mark.parametrize(
    ("text", "formatted"),
    [
        ("5050-1055", "5050-1055"),
        ("50501055", "5050-1055"),
        (" 5050 1055 ", "5050-1055"),
        (f"5050{NBSP}1055", "5050-1055"),
        ("123-4566", "123-4566"),
        ("1234566", "123-4566"),
    ],
)
def test_validate_bankgiro(text: str, formatted: str) -> None:
    assert validate_bankgiro(text) == formatted


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Ange ett bankgironummer"),
        ("   ", "Ange ett bankgironummer"),
        ("5050-1056", "kontrollsiffran"),
        ("123-4567", "kontrollsiffran"),
        ("505-01055", "7 eller 8 siffror"),
        ("123456", "7 eller 8 siffror"),
        ("123456789", "7 eller 8 siffror"),
        ("abcd-efgh", "7 eller 8 siffror"),
        ("5050--1055", "7 eller 8 siffror"),
    ],
)
def test_validate_bankgiro_rejects(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        validate_bankgiro(text)


@given(st.text(alphabet="0123456789", min_size=6, max_size=7))
def test_bankgiro_round_trip(base: str) -> None:
    number = base + luhn.calc_check_digit(base)
    formatted = validate_bankgiro(number)
    assert formatted.replace("-", "") == number
    assert formatted.index("-") == len(number) - 4
    assert validate_bankgiro(formatted) == formatted
