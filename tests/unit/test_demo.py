"""The demo clinic: the same data for the same seed, and realistic enough to show everything."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from clinic_desk.demo import build_demo_clinic
from clinic_desk.domain.care_rules import age_on
from clinic_desk.domain.listing import responsible_listing_on
from clinic_desk.domain.personal_id import parse_personal_id
from clinic_desk.store.store import Store

TODAY = date(2026, 11, 23)
PATIENTS = 300
SEED = 7


def _open(folder: Path) -> Store:
    return Store.open(
        folder / "clinic.sqlite", folder / "backups", now=lambda: datetime(2026, 11, 23, 9, 30)
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, Store]]:
    stores = (_open(tmp_path_factory.mktemp("demo_a")), _open(tmp_path_factory.mktemp("demo_b")))
    for store in stores:
        summary = build_demo_clinic(store, patients=PATIENTS, seed=SEED, today=TODAY)
        assert summary.patients == PATIENTS
        assert summary.clinics >= 3
        assert summary.protected > 0
    yield stores
    for store in stores:
        store.close()


def _patients(store: Store) -> list[tuple[object, ...]]:
    return store.conn.execute(
        "SELECT personal_id, first_name, last_name, birth_date, protected_identity, city, phone,"
        " end_date FROM patients ORDER BY id"
    ).fetchall()


def test_the_same_seed_gives_the_same_clinic(demo: tuple[Store, Store]) -> None:
    first, second = demo
    assert _patients(first) == _patients(second)
    for table in ("guardians", "listings", "clinics", "users", "patient_guardians"):
        count = f"SELECT count(*) FROM {table}"
        assert first.conn.execute(count).fetchone() == second.conn.execute(count).fetchone()


def test_another_seed_gives_another_clinic(tmp_path: Path, demo: tuple[Store, Store]) -> None:
    store = _open(tmp_path)
    try:
        build_demo_clinic(store, patients=20, seed=SEED + 1, today=TODAY)
        assert store.patients.count_all() == 20
        assert _patients(store) != _patients(demo[0])[:20]
    finally:
        store.close()


def test_ages_span_newborns_to_young_adults(demo: tuple[Store, Store]) -> None:
    store = demo[0]
    births = [date.fromisoformat(str(r[3])) for r in _patients(store)]
    ages = {age_on(birth, TODAY) for birth in births}
    assert min(ages) == 0
    assert max(ages) == 21
    assert len(ages) == 22  # every age from 0 to 21


def test_some_patients_have_protected_identity(demo: tuple[Store, Store]) -> None:
    protected = [r for r in _patients(demo[0]) if r[4]]
    assert 0 < len(protected) < PATIENTS // 10


def test_some_patients_moved_between_clinics(demo: tuple[Store, Store]) -> None:
    store = demo[0]
    movers = store.conn.execute(
        "SELECT patient_id FROM listings GROUP BY patient_id HAVING count(*) >= 2"
    ).fetchall()
    assert len(movers) >= 5
    own = store.clinics.own()
    assert own is not None
    for (patient_id,) in movers:
        listings = store.listings.for_patient(patient_id)
        assert len({item.clinic_id for item in listings}) >= 2
        # Periods never overlap: each day one clinic at most is responsible.
        for before, after in itertools.pairwise(listings):
            assert before.responsible_to is not None
            assert before.responsible_to < after.responsible_from
        latest = responsible_listing_on(listings, listings[-1].responsible_from)
        assert latest == listings[-1]


def test_every_personal_number_is_valid_and_unique(demo: tuple[Store, Store]) -> None:
    rows = _patients(demo[0])
    numbers = [str(r[0]) for r in rows]
    assert len(set(numbers)) == len(numbers)
    for number, row in zip(numbers, rows, strict=True):
        assert parse_personal_id(number, TODAY).canonical == number
        assert parse_personal_id(number, TODAY).birth_date.isoformat() == row[3]


def test_siblings_share_guardians(demo: tuple[Store, Store]) -> None:
    shared = (
        demo[0]
        .conn.execute(
            "SELECT guardian_id FROM patient_guardians GROUP BY guardian_id HAVING count(*) >= 2"
        )
        .fetchall()
    )
    assert shared


def test_the_audit_chain_verifies(demo: tuple[Store, Store]) -> None:
    store = demo[0]
    assert store.audit.count() > PATIENTS
    assert store.audit.verify() == []


def test_the_demo_goes_into_an_empty_database_only(demo: tuple[Store, Store]) -> None:
    with pytest.raises(ValueError, match="empty database"):
        build_demo_clinic(demo[0], patients=1, seed=SEED, today=TODAY)
