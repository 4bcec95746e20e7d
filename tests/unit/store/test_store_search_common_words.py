"""Search for words so common that the store walks the sorted names instead of the indexes.

Both ways must find exactly the same patients; the count stops at COUNT_CAP + 1.
"""

from __future__ import annotations

import random
from datetime import date

import pytest

from clinic_desk.domain.patient_search import SortColumn, interpret_search
from clinic_desk.domain.people import Patient, User
from clinic_desk.domain.personal_id import luhn_check_digit
from clinic_desk.domain.text import search_key
from clinic_desk.store.patients import COMMON_WORD, COUNT_CAP
from clinic_desk.store.store import Store

TODAY = date(2026, 11, 23)
SURNAMES = ("Bergström", "Lindberg", "Berg", "Åberg", "Holm", "Sandberg", "Nyström", "Ek")
FIRST = ("Alva", "Berit", "Hugo", "Olle", "Åsa", "Märta")


def _patient(index: int, rng: random.Random) -> Patient:
    birth = date(2010, 1, 1).toordinal() + index
    born = date.fromordinal(birth)
    tail = f"{index % 1000:03d}"
    ten = born.strftime("%y%m%d") + tail
    return Patient(
        id=0,
        personal_id=f"{born:%Y%m%d}-{tail}{luhn_check_digit(ten)}",
        birth_date=born,
        is_reserve_number=False,
        first_name=rng.choice(FIRST),
        last_name=rng.choice(SURNAMES),
        address_line="",
        postal_code="",
        city="Umeå",
        phone="",
        email="",
        responsible_dentist_id=None,
        protected_identity=index % 97 == 0,
        registered_in_region=True,
        end_date=TODAY if index % 89 == 0 else None,
    )


@pytest.fixture
def crowded(store: Store, actor: User) -> Store:
    rng = random.Random(5)
    with store.transaction():
        for index in range(4 * COMMON_WORD):
            store.patients.insert(_patient(index, rng), actor.id)
    return store


def _expected(store: Store, text: str, include_ended: bool = True) -> set[int]:
    words = search_key(text).split()
    found = set()
    for pid, first, last, protected, ended in store.conn.execute(
        "SELECT id, first_name, last_name, protected_identity, end_date FROM patients"
    ):
        name = search_key(f"{first} {last}")
        if protected or (ended and not include_ended):
            continue
        if all(word in name for word in words):
            found.add(pid)
    return found


TEXTS = ("berg", "ström", "BERG", "berg hugo", "åberg", "holm", "ek")


def test_common_and_rare_words_find_every_match_in_name_order(crowded: Store) -> None:
    assert crowded.patients._is_common("berg")  # the walk along the sorted names is used
    assert not crowded.patients._is_common("holm")
    for text in TEXTS:
        _check_search(crowded, text)


def _check_search(crowded: Store, text: str) -> None:
    query = interpret_search(text, TODAY)
    expected = _expected(crowded, text)
    rows = []
    offset = 0
    while page := crowded.patients.search(query, SortColumn.NAME, limit=500, offset=offset):
        rows += page
        offset += len(page)
    assert {row.id for row in rows} == expected
    sort_names = [
        r[0]
        for r in crowded.conn.execute(
            f"SELECT sort_name FROM patients WHERE id IN ({','.join(str(r.id) for r in rows)})"
            " ORDER BY sort_name, id"
        )
    ]
    got = [
        crowded.conn.execute("SELECT sort_name FROM patients WHERE id=?", (r.id,)).fetchone()[0]
        for r in rows
    ]
    assert got == sort_names
    count = crowded.patients.search_count(query)
    assert count == min(len(expected), COUNT_CAP + 1)
    assert crowded.patients.search_count(query, cap=None) == len(expected)


def test_a_common_word_never_shows_protected_or_hidden_ended_patients(crowded: Store) -> None:
    query = interpret_search("berg", TODAY, include_ended=False)
    ids = {row.id for row in crowded.patients.search(query, limit=10_000)}
    assert ids == _expected(crowded, "berg", include_ended=False)
    protected = {
        r[0] for r in crowded.conn.execute("SELECT id FROM patients WHERE protected_identity = 1")
    }
    assert protected
    assert not ids & protected
