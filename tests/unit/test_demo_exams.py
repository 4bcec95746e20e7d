"""The demo clinic's exam histories: realistic, within the contract, the same for a seed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest

from clinic_desk.demo import build_demo_clinic
from clinic_desk.domain.care_rules import max_revision_interval_months
from clinic_desk.domain.exams import ExamKind, TobaccoStatus, index_errors
from clinic_desk.store.store import Store

TODAY = date(2026, 11, 23)


def _open(folder: Path) -> Store:
    return Store.open(
        folder / "clinic.sqlite", folder / "backups", now=lambda: datetime(2026, 11, 23, 9, 30)
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = _open(tmp_path_factory.mktemp("demo_exams"))
    build_demo_clinic(store, patients=400, seed=11, today=TODAY)
    yield store
    store.close()


def _exams(store: Store) -> list[tuple[object, ...]]:
    return store.conn.execute(
        "SELECT patient_id, exam_date, kind, examiner_id, interval_months, next_revision_due"
        " FROM exams ORDER BY id"
    ).fetchall()


def test_histories_span_several_years_and_stay_within_the_caps(demo: Store) -> None:
    statuses = [s for s in demo.exams.revision_status_all() if s.latest is not None]
    assert len(statuses) > 200
    years = {int(str(r[1])[:4]) for r in _exams(demo)}
    assert len(years) >= 5
    for status in statuses[:60]:
        exams = demo.exams.for_patient(status.patient_id)
        assert all(e.signed and e.kind.is_revision for e in exams)
        for exam in exams:
            assert exam.interval_months is not None
            assert exam.interval_months <= max_revision_interval_months(exam.age_at_exam)
            assert exam.indices is not None
            assert index_errors(exam.indices) == []
            assert (exam.tobacco is not None) == (exam.age_at_exam >= 13)
            examiner = demo.users.get(exam.examiner_id)
            assert examiner is not None
            assert (examiner.profession.value == "dentist") == (
                exam.kind is ExamKind.DENTIST_REVISION
            )


def test_risk_mix_caries_and_tobacco_look_like_a_clinic(demo: Store) -> None:
    groups = dict(
        demo.conn.execute("SELECT risk_group, count(*) FROM exams GROUP BY risk_group").fetchall()
    )
    assert groups["low"] > groups["medium"] > groups["high"] > 0
    free = demo.conn.execute(
        "SELECT e.age_at_exam < 10, avg(i.caries_free) FROM exams e"
        " JOIN exam_caries_indices i ON i.exam_id = e.id GROUP BY 1 ORDER BY 1"
    ).fetchall()
    older, younger = free[0][1], free[1][1]
    assert 0 < older < younger < 1  # caries-free share falls with age
    statuses = {
        TobaccoStatus(r[0])
        for r in demo.conn.execute("SELECT DISTINCT status FROM exam_tobacco").fetchall()
    }
    assert TobaccoStatus.DAILY in statuses or TobaccoStatus.OCCASIONAL in statuses
    assert demo.conn.execute("SELECT count(*) FROM journal_consents").fetchone()[0] >= 1


def test_a_few_patients_are_overdue(demo: Store) -> None:
    active = [
        s
        for s in demo.exams.revision_status_all()
        if s.latest is not None and s.end_date is None and TODAY.year - s.birth_date.year <= 19
    ]
    overdue = [s for s in active if s.latest and s.latest.next_revision_due < TODAY]
    assert 0 < len(overdue) < len(active) // 5


def test_the_same_seed_gives_the_same_histories(demo: Store, tmp_path: Path) -> None:
    again = _open(tmp_path)
    try:
        build_demo_clinic(again, patients=400, seed=11, today=TODAY)
        assert _exams(again) == _exams(demo)
        assert again.audit.verify() == []
    finally:
        again.close()
