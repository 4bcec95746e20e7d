"""Tests for clinic_desk.domain.text: search keys, Swedish sort keys, digits and phone keys."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_desk.domain.text import digits_only, phone_key, search_key, search_words, sort_key

SWEDISH_ALPHABET = "abcdefghijklmnopqrstuvwxyzåäö"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Åsa Lindén", "åsa linden"),
        ("ÅSA", "åsa"),
        ("Öström", "öström"),
        ("Ärlig ÖDMAN", "ärlig ödman"),
        ("  Anne-Marie   O'Neil ", "anne marie o neil"),
        ("José Müller", "jose muller"),
        ("Zoë Ångström", "zoe ångström"),
        ("", ""),
        ("---", ""),
        ("snake_case", "snake case"),
    ],
)
def test_search_key(text: str, key: str) -> None:
    assert search_key(text) == key


def test_search_key_keeps_swedish_letters_distinct_from_plain_ones() -> None:
    # å, ä and ö are letters of their own in Swedish, not a with a ring or dots.
    assert search_key("Öberg") != search_key("Oberg")
    assert search_key("Åberg") != search_key("Aberg")
    assert search_key("Äng") != search_key("Ang")


def test_search_key_treats_decomposed_and_composed_forms_alike() -> None:
    composed = "Åsa Öberg"
    decomposed = unicodedata.normalize("NFD", composed)
    assert decomposed != composed
    assert search_key(decomposed) == search_key(composed) == "åsa öberg"


def test_search_words_splits_on_anything_but_letters_and_digits() -> None:
    assert search_words("Lind-Öberg, Anna  Maria") == ["lind", "öberg", "anna", "maria"]
    assert search_words("   ") == []


@given(st.text())
def test_search_key_is_idempotent(text: str) -> None:
    key = search_key(text)
    assert search_key(key) == key


@given(st.text())
def test_search_key_never_holds_upper_case_or_double_spaces(text: str) -> None:
    key = search_key(text)
    assert key == key.strip()
    assert "  " not in key
    assert key == key.casefold()


def test_sort_key_puts_swedish_letters_after_z_in_order() -> None:
    names = ["Öberg", "Zetterlund", "Åberg", "Ärlebäck", "Andersson", "Oscarsson"]
    assert sorted(names, key=sort_key) == [
        "Andersson",
        "Oscarsson",
        "Zetterlund",
        "Åberg",
        "Ärlebäck",
        "Öberg",
    ]


def test_sort_key_ignores_case_and_other_accents() -> None:
    assert sort_key("ÅSA") == sort_key("åsa")
    assert sort_key("Lindén") == sort_key("linden")
    assert sorted(["Lindqvist", "Lindén", "Lind"], key=sort_key) == ["Lind", "Lindén", "Lindqvist"]


def test_sort_key_sorts_danish_and_norwegian_letters_with_swedish_ones() -> None:
    assert sort_key("Æble") == sort_key("Äble")
    assert sort_key("Søren") == sort_key("Sören")


def _swedish_rank(word: str) -> list[int]:
    return [SWEDISH_ALPHABET.index(ch) for ch in word]


@given(st.lists(st.text(alphabet=SWEDISH_ALPHABET, min_size=1, max_size=8), max_size=20))
def test_sort_key_sorts_in_swedish_alphabetical_order(words: list[str]) -> None:
    assert sorted(words, key=sort_key) == sorted(words, key=_swedish_rank)


@given(st.text(alphabet=SWEDISH_ALPHABET, min_size=1, max_size=8))
def test_sort_key_is_case_insensitive(word: str) -> None:
    assert sort_key(word.upper()) == sort_key(word)


@given(st.text(alphabet=SWEDISH_ALPHABET.upper(), min_size=1), st.sampled_from("åäö"))
def test_every_swedish_letter_sorts_after_z(prefix: str, letter: str) -> None:
    assert sort_key(prefix[0] + "z") < sort_key(prefix[0] + letter)


@pytest.mark.parametrize(
    ("text", "digits"),
    [
        ("20150307-1234", "201503071234"),
        ("070-123 45 67", "0701234567"),
        ("abc", ""),
        ("١٢٣", ""),  # Arabic-Indic digits are not ASCII digits
        ("²3", "3"),
    ],
)
def test_digits_only(text: str, digits: str) -> None:
    assert digits_only(text) == digits


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("070-123 45 67", "0701234567"),
        ("0701234567", "0701234567"),
        ("+46701234567", "0701234567"),
        ("+46 70-123 45 67", "0701234567"),
        ("0046 70 123 45 67", "0701234567"),
        ("46701234567", "0701234567"),
        ("+46 (0)70-123 45 67", "0701234567"),
        ("090-12 34 50", "090123450"),
        ("+4690123450", "090123450"),
        ("", ""),
        ("+4670", "070"),
    ],
)
def test_phone_key(text: str, key: str) -> None:
    assert phone_key(text) == key


@given(st.text())
def test_phone_key_only_holds_digits(text: str) -> None:
    assert phone_key(text) == digits_only(phone_key(text))
