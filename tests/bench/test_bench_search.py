"""Patient search at 100,000 patients: our search path against the same SQL run raw."""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from clinic_desk.domain.patient_search import SortColumn, interpret_search
from clinic_desk.store.store import Store
from tests.bench.conftest import BENCH_TODAY, measure

PAGE = 200
QUERIES = 300


def _ours(store: Store, text: str) -> Callable[[], object]:
    """What the search box does: interpret, count, first page as dataclasses."""

    def run() -> object:
        query = interpret_search(text, BENCH_TODAY)
        rows = store.patients.search(query, SortColumn.NAME, limit=PAGE)
        if len(rows) < PAGE:  # as the list does: the first page holds everything
            return len(rows), rows
        return store.patients.search_count(query), rows

    return run


def _raw(store: Store, text: str) -> Callable[[], object]:
    """The same two statements straight on sqlite3, rows left as tuples."""
    query = interpret_search(text, BENCH_TODAY)
    count_sql, count_params = store.patients.count_sql(query)
    page_sql, page_params = store.patients.page_sql(query, SortColumn.NAME)

    def run() -> object:
        conn = store.conn
        rows = conn.execute(page_sql, (*page_params, PAGE, 0)).fetchall()
        if len(rows) < PAGE:
            return len(rows), rows
        return conn.execute(count_sql, count_params).fetchone(), rows

    return run


@pytest.mark.bench
def test_search_by_name_prefix(big_clinic: Store, report: Callable[..., None]) -> None:
    rng = random.Random(1)
    names = [
        r[0]
        for r in big_clinic.conn.execute(
            "SELECT last_name FROM patients WHERE protected_identity = 0"
            " ORDER BY random() LIMIT 2000"
        )
    ]
    texts = [name[: rng.randint(3, 6)] for name in rng.sample(names, QUERIES)]
    assert all(_ours(big_clinic, t)()[0] > 0 for t in texts[:20])  # type: ignore[index]
    ours = measure("name prefix search", [_ours(big_clinic, t) for t in texts])
    raw = measure("same SQL raw", [_raw(big_clinic, t) for t in texts])
    report(ours, raw, target_ms=20, target_ratio=3)


@pytest.mark.bench
def test_search_by_personal_number(big_clinic: Store, report: Callable[..., None]) -> None:
    rng = random.Random(2)
    ids = [
        r[0]
        for r in big_clinic.conn.execute(
            "SELECT personal_id FROM patients ORDER BY random() LIMIT ?", (QUERIES,)
        )
    ]
    formats = (lambda p: p, lambda p: p.replace("-", "")[2:], lambda p: p[2:])
    texts = [rng.choice(formats)(pid) for pid in ids]
    for text in texts[:20]:
        count, _rows = _ours(big_clinic, text)()  # type: ignore[misc]  # as the list shows it
        assert count == 1, text
    ours = measure("personal number search", [_ours(big_clinic, t) for t in texts], inner=20)
    raw = measure("same SQL raw", [_raw(big_clinic, t) for t in texts], inner=20)
    report(ours, raw, target_ms=20, target_ratio=3)


@pytest.mark.bench
def test_search_by_name_fragment_and_everyone(
    big_clinic: Store, report: Callable[..., None]
) -> None:
    texts = ["ndqv", "ström", "berg", "anna lind", "ÅSA", "", "070"]
    ours = measure("fragment / all / phone", [_ours(big_clinic, t) for t in texts], repeat=20)
    raw = measure("same SQL raw", [_raw(big_clinic, t) for t in texts], repeat=20)
    report(ours, raw)
