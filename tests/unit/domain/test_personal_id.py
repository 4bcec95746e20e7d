"""Tests for clinic_desk.domain.personal_id."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from clinic_desk.domain.care_rules import age_on
from clinic_desk.domain.personal_id import (
    MSG_CHECK_DIGIT,
    MSG_DATE,
    MSG_EMPTY,
    MSG_FORMAT,
    MSG_FUTURE,
    MSG_NON_ASCII_DIGIT,
    MSG_PLUS_LONG,
    InvalidPersonalId,
    PersonalId,
    is_valid_personal_id,
    luhn_check_digit,
    parse_personal_id,
)

TODAY = date(2025, 6, 15)


def with_check(nine: str) -> str:
    """Append the Luhn digit to the nine digits YYMMDDNNN."""
    return nine + luhn_check_digit(nine)


def serial_for(yymmdd: str, birth: str = "123") -> str:
    """Return the four-digit serial (birth number + check digit) for a YYMMDD."""
    return with_check(yymmdd + birth)[6:]


def wrong_check(number: str) -> str:
    """Return ``number`` with its last digit replaced by a wrong one."""
    last = int(number[-1])
    return number[:-1] + str((last + 1) % 10)


# --- helpers --------------------------------------------------------------------------------


def test_luhn_check_digit_known_example() -> None:
    # Skatteverket's well-known example 811218-9876.
    assert luhn_check_digit("811218987") == "6"


@pytest.mark.parametrize("bad", ["", "12a", "١٢٣", "12 3"])
def test_luhn_check_digit_rejects_non_ascii_digits(bad: str) -> None:
    with pytest.raises(ValueError, match="0–9"):
        luhn_check_digit(bad)


# --- every accepted format ------------------------------------------------------------------

SERIAL_150307 = serial_for("150307")


@pytest.mark.parametrize(
    "text",
    [
        f"150307-{SERIAL_150307}",
        f"150307{SERIAL_150307}",
        f"20150307{SERIAL_150307}",
        f"20150307-{SERIAL_150307}",
        f"  20150307-{SERIAL_150307}  ",
        f"\t150307{SERIAL_150307}\n",
        f" 150307-{SERIAL_150307}",
    ],
)
def test_accepted_formats_give_same_canonical(text: str) -> None:
    pid = parse_personal_id(text, TODAY)
    assert pid == PersonalId(
        canonical=f"20150307-{SERIAL_150307}",
        birth_date=date(2015, 3, 7),
        is_coordination_number=False,
    )
    assert str(pid) == pid.canonical


def test_known_valid_number() -> None:
    pid = parse_personal_id("811218-9876", TODAY)
    assert pid.canonical == "19811218-9876"
    assert pid.birth_date == date(1981, 12, 18)
    assert not pid.is_coordination_number


def test_plus_form_means_hundred_or_older() -> None:
    pid = parse_personal_id(f"150307+{SERIAL_150307}", TODAY)
    assert pid.canonical == f"19150307-{SERIAL_150307}"
    assert pid.birth_date == date(1915, 3, 7)


def test_default_today_is_used() -> None:
    pid = parse_personal_id("811218-9876")
    assert pid.birth_date == date(1981, 12, 18)


def test_datetime_as_today_is_accepted() -> None:
    pid = parse_personal_id("811218-9876", datetime(2025, 6, 15, 12, 0))
    assert pid.canonical == "19811218-9876"


def test_is_valid_personal_id() -> None:
    assert is_valid_personal_id("811218-9876", TODAY)
    assert not is_valid_personal_id("811218-9875", TODAY)
    assert not is_valid_personal_id("hej", TODAY)


# --- century logic with a fixed today -------------------------------------------------------


@pytest.mark.parametrize(
    ("yymmdd", "sep", "expected_year"),
    [
        ("250615", "-", 2025),  # born today: not in the future
        ("250615", "", 2025),
        ("250616", "-", 1925),  # tomorrow in 2025 would be the future
        ("250616", "", 1925),
        ("300101", "-", 1930),
        ("000101", "-", 2000),
        ("991231", "-", 1999),
        ("260615", "-", 1926),
        ("250615", "+", 1925),  # turns 100 today
        ("250616", "+", 1825),  # the 1925 person is not 100 until tomorrow
        ("150307", "+", 1915),
        ("300101", "+", 1830),
        ("991231", "+", 1899),
    ],
)
def test_century_choice(yymmdd: str, sep: str, expected_year: int) -> None:
    pid = parse_personal_id(f"{yymmdd}{sep}{serial_for(yymmdd)}", TODAY)
    assert pid.birth_date.year == expected_year
    assert pid.canonical == f"{expected_year}{yymmdd[2:]}-{serial_for(yymmdd)}"


def test_short_form_person_is_under_hundred() -> None:
    for offset in range(-3, 4):
        today = TODAY + timedelta(days=offset)
        pid = parse_personal_id(f"250615-{serial_for('250615')}", today)
        assert 0 <= age_on(pid.birth_date, today) < 100


def test_century_depends_on_today() -> None:
    text = f"150307-{SERIAL_150307}"
    assert parse_personal_id(text, date(2015, 3, 7)).birth_date == date(2015, 3, 7)
    assert parse_personal_id(text, date(2015, 3, 6)).birth_date == date(1915, 3, 7)


# --- leap days ------------------------------------------------------------------------------


def test_leap_day_long_form() -> None:
    pid = parse_personal_id(f"20160229-{serial_for('160229')}", TODAY)
    assert pid.birth_date == date(2016, 2, 29)


def test_leap_day_in_year_without_leap_day_is_refused() -> None:
    with pytest.raises(InvalidPersonalId) as exc:
        parse_personal_id(f"20150229-{serial_for('150229')}", TODAY)
    assert str(exc.value) == MSG_DATE


def test_leap_day_century_2000_vs_1900() -> None:
    serial = serial_for("000229")
    assert parse_personal_id(f"000229-{serial}", TODAY).birth_date == date(2000, 2, 29)
    # "+" means 1900, which has no 29 February.
    with pytest.raises(InvalidPersonalId) as exc:
        parse_personal_id(f"000229+{serial}", TODAY)
    assert str(exc.value) == MSG_DATE


def test_leap_day_short_form_in_the_turn_of_year() -> None:
    # On 28 Feb 2040, 29 Feb 2040 is tomorrow, so "400229-" means 1940 (also a leap year).
    today = date(2040, 2, 28)
    serial = serial_for("400229")
    assert parse_personal_id(f"400229-{serial}", today).birth_date == date(1940, 2, 29)
    assert parse_personal_id(f"400229-{serial}", date(2040, 2, 29)).birth_date == date(2040, 2, 29)


# --- coordination numbers -------------------------------------------------------------------


def test_coordination_number() -> None:
    number = with_check("811278987")  # day 18 + 60
    pid = parse_personal_id(f"19{number[:6]}-{number[6:]}", TODAY)
    assert pid.is_coordination_number
    assert pid.birth_date == date(1981, 12, 18)
    assert pid.canonical == f"19{number[:6]}-{number[6:]}"


@pytest.mark.parametrize(("dd", "day"), [("61", 1), ("91", 31)])
def test_coordination_day_bounds(dd: str, day: int) -> None:
    pid = parse_personal_id(f"201501{dd}{serial_for('1501' + dd)}", TODAY)
    assert pid.is_coordination_number
    assert pid.birth_date == date(2015, 1, day)


def test_coordination_number_short_form_and_leap_day() -> None:
    serial = serial_for("160289")
    pid = parse_personal_id(f"160289-{serial}", TODAY)
    assert pid.birth_date == date(2016, 2, 29)
    assert pid.canonical == f"20160289-{serial}"


@pytest.mark.parametrize("yymmdd", ["150289", "150491", "150192", "150199"])
def test_coordination_number_with_impossible_date(yymmdd: str) -> None:
    with pytest.raises(InvalidPersonalId) as exc:
        parse_personal_id(f"20{yymmdd}{serial_for(yymmdd)}", TODAY)
    assert str(exc.value) == MSG_DATE


# --- refusals -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "811218-9875",
        "811218-9877",
        "19811218-9870",
        "198112189871",
        wrong_check(f"150307+{SERIAL_150307}"),
    ],
)
def test_wrong_check_digit(text: str) -> None:
    with pytest.raises(InvalidPersonalId) as exc:
        parse_personal_id(text, TODAY)
    assert str(exc.value) == MSG_CHECK_DIGIT


@pytest.mark.parametrize(
    "yyyymmdd",
    ["20151301", "20150001", "20150100", "20150132", "20150160", "20150431", "20150229"],
)
def test_impossible_dates(yyyymmdd: str) -> None:
    serial = serial_for(yyyymmdd[2:])
    for text in (f"{yyyymmdd}-{serial}", f"{yyyymmdd[2:]}-{serial}"):
        with pytest.raises(InvalidPersonalId) as exc:
            parse_personal_id(text, TODAY)
        assert str(exc.value) == MSG_DATE


def test_year_zero_is_refused() -> None:
    with pytest.raises(InvalidPersonalId) as exc:
        parse_personal_id(f"00000101-{serial_for('000101')}", TODAY)
    assert str(exc.value) == MSG_DATE


@pytest.mark.parametrize("yyyymmdd", ["20250616", "20300101", "21000101"])
def test_future_dates(yyyymmdd: str) -> None:
    serial = serial_for(yyyymmdd[2:])
    with pytest.raises(InvalidPersonalId) as exc:
        parse_personal_id(f"{yyyymmdd}-{serial}", TODAY)
    assert str(exc.value) == MSG_FUTURE


def test_future_coordination_number() -> None:
    serial = serial_for("250676")  # 16 June 2025
    with pytest.raises(InvalidPersonalId) as exc:
        parse_personal_id(f"20250676-{serial}", TODAY)
    assert str(exc.value) == MSG_FUTURE


def test_born_today_long_form_is_accepted() -> None:
    serial = serial_for("250615")
    assert parse_personal_id(f"20250615-{serial}", TODAY).birth_date == TODAY


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_empty(text: str) -> None:
    with pytest.raises(InvalidPersonalId) as exc:
        parse_personal_id(text, TODAY)
    assert str(exc.value) == MSG_EMPTY


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        "81121898",
        "811218-987",
        "811218-98761",
        "19811218--9876",
        "1981121-89876",
        "2015-03-07-1234",
        "811218 9876",
        "19811218 9876",
        "811218_9876",
        "811218–9876",  # en dash
        "19811218-9876x",
        "x19811218-9876",
        "20150307-R001",  # a reserve number is not a personal number
        "8112189876-",
        "+8112189876",
        "1981121898760",
    ],
)
def test_bad_format(text: str) -> None:
    with pytest.raises(InvalidPersonalId) as exc:
        parse_personal_id(text, TODAY)
    assert str(exc.value) == MSG_FORMAT


def test_plus_with_twelve_digits_is_refused() -> None:
    with pytest.raises(InvalidPersonalId) as exc:
        parse_personal_id(f"19150307+{SERIAL_150307}", TODAY)
    assert str(exc.value) == MSG_PLUS_LONG


@pytest.mark.parametrize(
    "text",
    [
        "٨١١٢١٨-٩٨٧٦",  # Arabic-Indic digits
        "８１１２１８-９８７６",  # fullwidth digits
        "811218-987٦",
        "۸۱۱۲۱۸۹۸۷۶",  # Extended Arabic-Indic digits
        "८११२१८-९८७६",  # Devanagari digits
    ],
)
def test_non_ascii_digits_are_refused(text: str) -> None:
    assert text.strip("-").replace("-", "").isdigit()  # str.isdigit() would accept them
    with pytest.raises(InvalidPersonalId) as exc:
        parse_personal_id(text, TODAY)
    assert str(exc.value) == MSG_NON_ASCII_DIGIT


def test_error_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="kontrollsiffra"):
        parse_personal_id("811218-9875", TODAY)


def test_personal_id_is_frozen() -> None:
    pid = parse_personal_id("811218-9876", TODAY)
    with pytest.raises(AttributeError):
        pid.canonical = "x"  # type: ignore[misc]


# --- property-based -------------------------------------------------------------------------

_todays = st.one_of(st.none(), st.just(TODAY), st.dates())


def _parses_or_refuses(text: str, today: date | None) -> None:
    result: PersonalId | None = None
    try:
        result = parse_personal_id(text, today)
    except InvalidPersonalId as exc:
        message = str(exc)
    if result is None:
        assert message
    else:
        assert isinstance(result, PersonalId)
        assert len(result.canonical) == 13
        assert result.canonical[8] == "-"


@given(text=st.text(), today=_todays)
def test_any_text_parses_or_raises_invalid(text: str, today: date | None) -> None:
    _parses_or_refuses(text, today)


_near_alphabet = "0123456789-+ \t٣٤０９"


@st.composite
def near_valid(draw: st.DrawFn) -> str:
    """Strings built from digit groups, separators and spaces, close to real numbers."""
    head = draw(st.text(alphabet="0123456789", min_size=5, max_size=9))
    sep = draw(st.sampled_from(["", "-", "+", " ", "--", "+-"]))
    tail = draw(st.text(alphabet="0123456789", min_size=2, max_size=5))
    pad_left = draw(st.sampled_from(["", " ", "\t", "\n "]))
    pad_right = draw(st.sampled_from(["", " ", "\r\n"]))
    return pad_left + head + sep + tail + pad_right


@given(text=st.one_of(near_valid(), st.text(alphabet=_near_alphabet, max_size=16)), today=_todays)
def test_near_valid_text_parses_or_raises_invalid(text: str, today: date | None) -> None:
    _parses_or_refuses(text, today)


@given(
    birth=st.dates(min_value=date(1826, 1, 1), max_value=TODAY),
    birth_number=st.integers(min_value=0, max_value=999),
    coordination=st.booleans(),
)
def test_round_trip_every_format(birth: date, birth_number: int, coordination: bool) -> None:
    day = birth.day + (60 if coordination else 0)
    yymmdd = f"{birth.year % 100:02d}{birth.month:02d}{day:02d}"
    ten = with_check(f"{yymmdd}{birth_number:03d}")
    century = f"{birth.year // 100:02d}"
    canonical = f"{century}{ten[:6]}-{ten[6:]}"

    texts = [f"{century}{ten}", f"{century}{ten[:6]}-{ten[6:]}", f" {canonical}\t"]
    age = age_on(birth, TODAY)
    if age < 100:
        texts += [ten, f"{ten[:6]}-{ten[6:]}"]
    elif age < 200:
        texts.append(f"{ten[:6]}+{ten[6:]}")

    for text in texts:
        pid = parse_personal_id(text, TODAY)
        assert pid.canonical == canonical, text
        assert pid.birth_date == birth
        assert pid.is_coordination_number is coordination
        assert parse_personal_id(pid.canonical, TODAY) == pid


@given(
    birth=st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    birth_number=st.integers(min_value=0, max_value=999),
    bad_digit=st.integers(min_value=0, max_value=9),
)
def test_any_other_check_digit_is_refused(birth: date, birth_number: int, bad_digit: int) -> None:
    nine = f"{birth:%y%m%d}{birth_number:03d}"
    assume(str(bad_digit) != luhn_check_digit(nine))
    with pytest.raises(InvalidPersonalId) as exc:
        parse_personal_id(f"{birth:%Y%m%d}-{nine[6:]}{bad_digit}", TODAY)
    assert str(exc.value) == MSG_CHECK_DIGIT


@given(st.text(alphabet="0123456789", min_size=1, max_size=14))
def test_the_fast_luhn_check_agrees_with_python_stdnum(digits: str) -> None:
    from stdnum import luhn

    from clinic_desk.domain.personal_id import _luhn_valid

    assert _luhn_valid(digits) == (luhn.checksum(digits) == 0)
