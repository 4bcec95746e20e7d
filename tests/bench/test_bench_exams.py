"""Opening the patient card of a patient with 20 years of exams, at 100,000 patients.

Five patients of the big clinic get 20 years of signed exams (two a year, each with caries
indices and six tobacco rows, and a few amendments) on top of the demo history. Measured:

* the card with Qt (offscreen platform): ``PatientCard.show_patient`` with the exams section,
  i.e. open_patient_record (logged), the card's own queries, the exam section's queries and
  filling every table widget;
* the same without Qt: open_patient_record + exam_overview + building the section's rows.

The baseline is the exact SELECT statements the Qt card ran (captured with SQLite's trace)
replayed raw on the same connection, rows left as tuples.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from PySide6.QtWidgets import QApplication

from clinic_desk.domain.care_rules import add_months, age_on
from clinic_desk.domain.exams import (
    AmendField,
    BiteCheck,
    CariesIndices,
    ExamKind,
    ReferralAnswer,
    RiskFactor,
    RiskGroup,
    TobaccoProduct,
    TobaccoRecord,
    TobaccoStatus,
)
from clinic_desk.domain.people import Profession
from clinic_desk.paths import paths_for
from clinic_desk.store.exams import HistoryExam
from clinic_desk.store.store import Store
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.exams_section import (
    ExamsSection,
    consent_rows,
    exam_rows,
    summary_html,
    tobacco_rows,
)
from clinic_desk.ui.patient_card import PatientCard
from clinic_desk.workflows.exams import exam_overview
from clinic_desk.workflows.patients import open_patient_record
from tests.bench.conftest import BENCH_TODAY, measure

PATIENTS = 5
YEARS = 20
OPENINGS = 40


def _twenty_years(store: Store) -> list[int]:
    """Give a few of the oldest patients two exams a year for 20 years; return their ids."""
    dentist = store.users.with_profession(Profession.DENTIST)[0]
    oldest = BENCH_TODAY - timedelta(days=365 * YEARS + 30)
    ids = [
        int(r[0])
        for r in store.conn.execute(
            "SELECT id FROM patients WHERE birth_date <= ? AND protected_identity = 0"
            " ORDER BY id LIMIT ?",
            (oldest.isoformat(), PATIENTS),
        )
    ]
    assert len(ids) == PATIENTS
    tobacco = TobaccoRecord(
        tuple(
            (p, TobaccoStatus.OCCASIONAL if p is TobaccoProduct.SNUS else TobaccoStatus.NEVER)
            for p in TobaccoProduct
        ),
        True,
        ReferralAnswer.DECLINED,
    )
    with store.transaction():
        for patient_id in ids:
            patient = store.patients.get(patient_id)
            assert patient is not None
            start = BENCH_TODAY - timedelta(days=365 * YEARS)
            exams = []
            for step in range(2 * YEARS):
                day = add_months(start, 6 * step)
                exams.append(
                    HistoryExam(
                        patient_id=patient_id,
                        exam_date=day,
                        kind=ExamKind.DENTIST_REVISION if step % 2 else ExamKind.HYGIENIST_REVISION,
                        examiner_id=dentist.id,
                        age_at_exam=age_on(patient.birth_date, day),
                        risk_group=RiskGroup.MEDIUM,
                        risk_factors=frozenset({RiskFactor.DIET, RiskFactor.PLAQUE}),
                        interval_months=6,
                        treatment_plan="Fluorlack, kostsamtal, ny kontroll om sex månader.",
                        findings="Initial karies approximalt 15/16, följs upp.",
                        bite_check=BiteCheck.NOT_DONE,
                        next_revision_due=add_months(day, 6),
                        indices=CariesIndices(2, 3, 4, 6, 2, 1),
                        tobacco=tobacco,
                    )
                )
            store.exams.insert_history(exams)
        store.audit.append(None, "bench.exams", detail={"patients": ids})
    for patient_id in ids:
        latest = store.exams.for_patient(patient_id)[0]
        for n in range(3):
            with store.transaction():
                store.exams.add_amendment(
                    latest.id,
                    AmendField.NOTE,
                    "",
                    f"Tillägg {n}",
                    None,
                    "Komplettering",
                    dentist.id,
                )
    store.conn.execute("ANALYZE")
    return ids


@pytest.fixture(scope="module")
def heavy(big_clinic: Store) -> list[int]:
    return _twenty_years(big_clinic)


@pytest.mark.bench
def test_open_card_with_twenty_years_of_exams(
    big_clinic: Store,
    heavy: list[int],
    qapp: QApplication,
    report: Callable[..., None],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    store = big_clinic
    dentist = store.users.with_profession(Profession.DENTIST)[0]
    ctx = AppContext(
        store=store,
        user=dentist,
        paths=paths_for(tmp_path_factory.mktemp("bench-exams")),
        today=lambda: BENCH_TODAY,
    )
    card = PatientCard(ctx)
    section = ExamsSection(ctx, card)
    card.add_section(section)
    card.resize(1100, 720)
    card.show()
    order = [heavy[i % len(heavy)] for i in range(OPENINGS)]

    card.show_patient(heavy[0])
    assert section.form.exams_table.rowCount() >= 2 * YEARS
    assert section.form.tobacco_table.rowCount() >= 2 * YEARS * len(TobaccoProduct)

    def qt_open(patient_id: int) -> Callable[[], object]:
        def run() -> object:
            card.show_patient(patient_id)
            return card

        return run

    def plain_open(patient_id: int) -> Callable[[], object]:
        def run() -> object:
            record = open_patient_record(store, dentist, patient_id)
            overview = exam_overview(store, record.patient, BENCH_TODAY)
            return (
                exam_rows(overview.exams),
                tobacco_rows(overview.tobacco),
                consent_rows(overview.consents),
                summary_html(overview, BENCH_TODAY),
                store.audit.for_patient(patient_id),
            )

        return run

    # The SELECTs one Qt opening runs, exactly as SQLite saw them (parameters expanded).
    statements: list[str] = []
    store.conn.set_trace_callback(statements.append)
    card.show_patient(heavy[1])
    store.conn.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert any("exam_tobacco" in s for s in selects)

    def raw() -> object:
        return [store.conn.execute(sql).fetchall() for sql in selects]

    with_qt = measure(
        "card open with 20 years of exams (Qt offscreen)", [qt_open(p) for p in order]
    )
    without_qt = measure("same without Qt (queries + section rows)", [plain_open(p) for p in order])
    baseline = measure(f"the card's {len(selects)} SELECTs raw", [raw] * OPENINGS)
    report(with_qt, baseline, target_ms=50)
    report(without_qt, baseline, target_ms=50)
    card.close()


@pytest.mark.bench
def test_recall_query_over_every_patient(big_clinic: Store, report: Callable[..., None]) -> None:
    """The query the recall issue will use: latest signed revision exam of every patient."""
    store = big_clinic
    statuses = store.exams.revision_status_all()
    assert sum(1 for s in statuses if s.latest) > len(statuses) // 2
    figures = measure("latest signed revision of every patient", [store.exams.revision_status_all])
    report(figures)
