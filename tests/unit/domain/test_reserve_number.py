"""Tests for clinic_desk.domain.reserve_number."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_desk.domain.personal_id import (
    InvalidPersonalId,
    is_valid_personal_id,
    luhn_check_digit,
)
from clinic_desk.domain.reserve_number import (
    MSG_DATE,
    MSG_FORMAT,
    MSG_SERIAL,
    format_reserve_number,
    is_reserve_number,
    normalize_reserve_number,
    parse_reserve_number,
)

TODAY = date(2025, 6, 15)


def test_format() -> None:
    assert format_reserve_number(date(2015, 3, 7), 1) == "20150307-R001"
    assert format_reserve_number(date(2015, 3, 7), 42) == "20150307-R042"
    assert format_reserve_number(date(2015, 3, 7), 999) == "20150307-R999"
    assert format_reserve_number(date(999, 1, 2), 5) == "09990102-R005"


@pytest.mark.parametrize("serial", [0, -1, 1000, 12345])
def test_format_refuses_serial_out_of_range(serial: int) -> None:
    with pytest.raises(ValueError, match="001 och 999") as exc:
        format_reserve_number(date(2015, 3, 7), serial)
    assert str(exc.value) == MSG_SERIAL


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20150307-R001", (date(2015, 3, 7), 1)),
        ("20160229-R999", (date(2016, 2, 29), 999)),
        ("  20150307-R120\t", (date(2015, 3, 7), 120)),
        ("09990102-R005", (date(999, 1, 2), 5)),
        ("20150307-r001", (date(2015, 3, 7), 1)),  # typed lower-case r is accepted
    ],
)
def test_parse(text: str, expected: tuple[date, int]) -> None:
    assert parse_reserve_number(text) == expected
    assert is_reserve_number(text)
    assert normalize_reserve_number(text) == format_reserve_number(*expected)


def test_normalize_gives_capital_r_without_whitespace() -> None:
    assert normalize_reserve_number(" 20150307-r042 ") == "20150307-R042"
    with pytest.raises(InvalidPersonalId):
        normalize_reserve_number("20150307-1234")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "20150307R001",
        "20150307-R01",
        "20150307-R0001",
        "150307-R001",
        "20150307-1234",  # a personal number is not a reserve number
        "20150307 -R001",
        "20150307-R 001",
        "20150307-RX01",
        "20150307-Q001",
        "20150307-ʀ001",  # small capital R is not R
        "٢٠١٥٠٣٠٧-R001",  # Arabic-Indic digits
        "20150307-R00١",
    ],
)
def test_parse_refuses_bad_format(text: str) -> None:
    with pytest.raises(InvalidPersonalId) as exc:
        parse_reserve_number(text)
    assert str(exc.value) == MSG_FORMAT
    assert not is_reserve_number(text)


@pytest.mark.parametrize(
    "text", ["20150229-R001", "20151301-R001", "20150100-R001", "00000101-R001"]
)
def test_parse_refuses_impossible_date(text: str) -> None:
    with pytest.raises(InvalidPersonalId) as exc:
        parse_reserve_number(text)
    assert str(exc.value) == MSG_DATE


def test_parse_refuses_serial_zero() -> None:
    with pytest.raises(InvalidPersonalId) as exc:
        parse_reserve_number("20150307-R000")
    assert str(exc.value) == MSG_SERIAL


@given(birth=st.dates(), serial=st.integers(min_value=1, max_value=999))
def test_round_trip(birth: date, serial: int) -> None:
    text = format_reserve_number(birth, serial)
    assert len(text) == 13
    assert parse_reserve_number(text) == (birth, serial)
    assert is_reserve_number(text)


@given(birth=st.dates(max_value=TODAY), serial=st.integers(min_value=1, max_value=999))
def test_reserve_number_is_never_a_personal_number(birth: date, serial: int) -> None:
    assert not is_valid_personal_id(format_reserve_number(birth, serial), TODAY)


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    birth_number=st.integers(min_value=0, max_value=999),
)
def test_personal_number_is_never_a_reserve_number(birth: date, birth_number: int) -> None:
    nine = f"{birth:%y%m%d}{birth_number:03d}"
    text = f"{birth:%Y%m%d}-{nine[6:]}{luhn_check_digit(nine)}"
    assert is_valid_personal_id(text, TODAY)
    assert not is_reserve_number(text)


@given(text=st.one_of(st.text(), st.text(alphabet="0123456789-Rr+ ", max_size=15)))
def test_any_text_parses_or_raises_invalid(text: str) -> None:
    parsed: tuple[date, int] | None = None
    try:
        parsed = parse_reserve_number(text)
    except InvalidPersonalId as exc:
        message = str(exc)
    if parsed is None:
        assert message
    else:
        assert format_reserve_number(*parsed) == text.strip().upper()
