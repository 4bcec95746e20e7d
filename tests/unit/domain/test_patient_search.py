"""Tests for clinic_desk.domain.patient_search: what the one search box means."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_desk.domain.patient_search import PatientSearch, SortColumn, interpret_search
from clinic_desk.domain.personal_id import is_valid_personal_id, luhn_check_digit

TODAY = date(2026, 11, 23)


def _pid(yyyymmdd: str, serial: str) -> str:
    """A valid canonical personal number for a birth date and a three-digit serial."""
    return f"{yyyymmdd}-{serial}{luhn_check_digit(yyyymmdd[2:] + serial)}"


PID = _pid("20150307", "238")  # 20150307-2389


def test_empty_text_means_every_patient() -> None:
    for text in ("", "   ", "\t\n"):
        query = interpret_search(text, TODAY)
        assert query == PatientSearch()
        assert query.is_everything
    assert interpret_search("", TODAY, include_ended=False).include_ended is False


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Anna", ("anna",)),
        ("anna lind", ("anna", "lind")),
        ("  Lind,  Anna ", ("lind", "anna")),
        ("ÅSA", ("åsa",)),
        ("Lindén", ("linden",)),
        ("ndqv", ("ndqv",)),
        ("Anne-Marie", ("anne", "marie")),
    ],
)
def test_names_become_words(text: str, words: tuple[str, ...]) -> None:
    query = interpret_search(text, TODAY)
    assert query.words == words
    assert query.exact_personal_id is None
    assert not query.pid_prefixes
    assert query.phone_prefix is None


@pytest.mark.parametrize(
    "typed",
    [PID, PID.replace("-", ""), PID[2:], PID[2:].replace("-", ""), f"  {PID}  "],
)
def test_a_whole_personal_number_in_any_form_is_an_exact_search(typed: str) -> None:
    query = interpret_search(typed, TODAY)
    assert query.exact_personal_id == PID
    assert not query.words
    assert not query.pid_prefixes
    assert query.pid_fragment is None


def test_a_coordination_number_is_an_exact_search() -> None:
    coordination = _pid("20150367", "238")  # day 07 + 60
    assert interpret_search(coordination[2:], TODAY).exact_personal_id == coordination


@pytest.mark.parametrize("typed", ["20150307-R001", "20150307-r001", " 20150307-R001 "])
def test_a_reserve_number_is_an_exact_search(typed: str) -> None:
    assert interpret_search(typed, TODAY).exact_personal_id == "20150307-R001"


def test_a_number_with_a_wrong_check_digit_is_a_prefix_search() -> None:
    wrong = PID[:-1] + str((int(PID[-1]) + 1) % 10)
    query = interpret_search(wrong, TODAY)
    assert query.exact_personal_id is None
    assert query.pid_prefixes == (wrong.replace("-", ""),)
    assert query.pid_fragment == wrong.replace("-", "")


def test_the_first_six_digits_try_both_centuries() -> None:
    query = interpret_search("150307", TODAY)
    assert query.pid_prefixes == ("150307", "20150307", "19150307")
    assert query.pid_fragment == "150307"
    assert query.exact_personal_id is None


def test_the_first_eight_digits() -> None:
    query = interpret_search("20150307", TODAY)
    assert "20150307" in query.pid_prefixes
    assert all(len(prefix) <= 12 for prefix in query.pid_prefixes)


def test_the_last_four_digits_are_a_fragment() -> None:
    query = interpret_search("2384", TODAY)
    assert query.pid_fragment == "2384"


def test_three_digits_are_too_few_for_a_fragment() -> None:
    query = interpret_search("238", TODAY)
    assert query.pid_fragment is None
    assert query.pid_prefixes == ("238", "20238", "19238")


@pytest.mark.parametrize(
    "typed", ["070-123 45 67", "+46701234567", "+46 70 123 45 67", "(070) 123 45 67"]
)
def test_phone_numbers(typed: str) -> None:
    assert interpret_search(typed, TODAY).phone_prefix == "0701234567"


def test_a_phone_number_that_is_also_a_valid_personal_number_searches_both() -> None:
    # About one 070 number in twenty passes as a personal number of a child born 2007.
    typed = "0701234" + next(
        f"{n:03d}" for n in range(1000) if is_valid_personal_id(f"0701234{n:03d}", TODAY)
    )
    query = interpret_search(typed, TODAY)
    assert query.exact_personal_id is not None
    assert query.exact_personal_id.startswith("20070123-")
    assert query.phone_prefix == typed


def test_a_short_number_without_leading_zero_is_not_a_phone() -> None:
    assert interpret_search("1234", TODAY).phone_prefix is None
    assert interpret_search("07", TODAY).phone_prefix is None
    assert interpret_search("070", TODAY).phone_prefix == "070"


def test_include_ended_is_passed_on() -> None:
    for text in ("anna", PID, "1503", "070-123"):
        assert interpret_search(text, TODAY, include_ended=False).include_ended is False
        assert interpret_search(text, TODAY).include_ended is True


@pytest.mark.parametrize("typed", ["١٢٣٤", "²³", "１２３４"])
def test_digits_other_than_ascii_do_not_match_every_patient(typed: str) -> None:
    query = interpret_search(typed, TODAY)
    assert not query.is_everything
    assert "" not in query.pid_prefixes


def test_sort_columns() -> None:
    assert {c.value for c in SortColumn} == {"personal_id", "name", "city", "phone", "status"}


@given(st.text())
def test_interpret_search_never_raises(text: str) -> None:
    query = interpret_search(text, TODAY)
    assert all(prefix and prefix.isascii() and prefix.isdigit() for prefix in query.pid_prefixes)
    assert query.pid_fragment is None or len(query.pid_fragment) >= 4
    assert query.phone_prefix is None or query.phone_prefix.startswith("0")
    assert all(query.words)


@given(st.text(alphabet="0123456789 -+()", max_size=20))
def test_number_like_text_is_never_a_name_search(text: str) -> None:
    query = interpret_search(text, TODAY)
    assert not query.words


@given(
    st.dates(min_value=date(2007, 1, 1), max_value=TODAY),
    st.integers(min_value=0, max_value=999),
)
def test_every_form_of_a_valid_number_gives_the_same_exact_search(birth: date, serial: int) -> None:
    canonical = _pid(birth.strftime("%Y%m%d"), f"{serial:03d}")
    forms = {canonical, canonical.replace("-", ""), canonical[2:], canonical[2:].replace("-", "")}
    assert {interpret_search(form, TODAY).exact_personal_id for form in forms} == {canonical}
