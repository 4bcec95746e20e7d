"""Contract compliance end to end on a real database: the facts the store loads for the
checks, the daily snapshot and the trend, rule-set import, deviations, follow-up cases and
the dashboard PDF."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from clinic_desk.domain.care_rules import add_months, age_on
from clinic_desk.domain.compliance import Light
from clinic_desk.domain.contract_rules import DEFAULT_RULES, rules_json
from clinic_desk.domain.deviations import Category, DeviationDraft, Origin, Severity
from clinic_desk.domain.errors import RuleViolation, ValidationError
from clinic_desk.domain.exams import (
    BiteCheck,
    CariesIndices,
    ExamKind,
    RiskGroup,
)
from clinic_desk.domain.follow_up import FollowUpDraft
from clinic_desk.domain.listing import ListingKind
from clinic_desk.domain.people import Profession, User
from clinic_desk.domain.permissions import PermissionDenied
from clinic_desk.store.exams import HistoryExam
from clinic_desk.store.store import Store
from clinic_desk.workflows.compliance import (
    compliance_dashboard,
    print_dashboard,
    record_patient_safety_report,
    sanction_summary,
    set_listing_capacity,
)
from clinic_desk.workflows.contract_rules import import_contract_rules, rule_sets, rules_on
from clinic_desk.workflows.deviations import (
    answer_deviation,
    assign_deviation,
    classify_deviation,
    close_deviation,
    record_deviation,
    record_follow_up_case,
    record_plan_sent,
    record_region_decision,
)
from clinic_desk.workflows.listing import ListingDraft
from clinic_desk.workflows.staff import add_staff

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 30)


@pytest.fixture
def listed(
    store: Store,
    actor: User,
    clinics: dict[str, int],
    register: Callable[..., int],
    pid: Callable[..., str],
) -> Callable[[str, str], int]:
    """Register a patient born on 'YYYYMMDD' and list them at our clinic."""
    serials = iter(range(200, 999))

    def make(birth: str, name: str) -> int:
        listing = ListingDraft(clinics["own"], date(2020, 1, 1), ListingKind.CHOICE, "Förälder")
        return register(pid(birth, str(next(serials))), name, "Testsson", listing=listing)

    return make


def _exam(
    store: Store,
    patient_id: int,
    day: date,
    kind: ExamKind,
    examiner: int,
    *,
    bite: BiteCheck = BiteCheck.NORMAL,
) -> None:
    patient = store.patients.get(patient_id)
    assert patient is not None
    revision = kind.is_revision
    with store.transaction():
        store.exams.insert_history(
            [
                HistoryExam(
                    patient_id=patient_id,
                    exam_date=day,
                    kind=kind,
                    examiner_id=examiner,
                    age_at_exam=age_on(patient.birth_date, day),
                    risk_group=RiskGroup.LOW if revision else None,
                    risk_factors=frozenset(),
                    interval_months=24 if revision else None,
                    treatment_plan="Kontroll" if revision else "",
                    findings="",
                    bite_check=bite,
                    next_revision_due=add_months(day, 24) if revision else None,
                    indices=CariesIndices() if revision else None,
                    tobacco=None,
                )
            ]
        )


def _dashboard(store: Store, actor: User, tmp_path: Path, today: date = TODAY):  # type: ignore[no-untyped-def]
    return compliance_dashboard(
        store, actor, today, datetime.combine(today, NOW.time()), [tmp_path]
    )


def test_the_dashboard_lists_the_patients_each_check_finds(
    store: Store, actor: User, dentist_id: int, listed: Callable[[str, str], int], tmp_path: Path
) -> None:
    overdue = listed("20150301", "Ella")
    _exam(store, overdue, date(2024, 11, 22), ExamKind.DENTIST_REVISION, dentist_id)
    fine = listed("20150302", "Maja")
    _exam(store, fine, date(2025, 11, 23), ExamKind.DENTIST_REVISION, dentist_id)
    three = listed("20230615", "Liam")
    hygienist = add_staff(store, actor, "sara.ek", "Sara Ek", Profession.HYGIENIST)
    no_bite = listed("20180105", "Noah")
    _exam(store, no_bite, date(2024, 1, 10), ExamKind.DENTIST_REVISION, dentist_id)
    _exam(
        store,
        no_bite,
        date(2026, 1, 10),
        ExamKind.HYGIENIST_REVISION,
        hygienist,
        bite=BiteCheck.NOT_DONE,
    )
    teen = listed("20110505", "Alva")
    _exam(store, teen, date(2025, 6, 1), ExamKind.DENTIST_REVISION, dentist_id)
    _exam(store, teen, date(2026, 6, 1), ExamKind.HEALTH_CHECK, dentist_id, bite=BiteCheck.NOT_DONE)
    gap = listed("20120202", "Otto")  # last dentist exam 2022-11-01: 4 years passed
    _exam(store, gap, date(2022, 11, 1), ExamKind.DENTIST_REVISION, dentist_id)
    _exam(store, gap, date(2025, 10, 1), ExamKind.HYGIENIST_REVISION, hygienist)

    dashboard = _dashboard(store, actor, tmp_path)

    def ids(key: str) -> list[int | None]:
        return sorted(i.patient_id or 0 for i in dashboard.result(key).items)

    assert ids("revision_cap") == [overdue]
    assert ids("dentist_gap") == [gap]
    assert ids("first_exam") == [three]
    assert ids("bite_check") == [no_bite]
    assert ids("tobacco") == [teen, gap]  # Otto was 13 at his hygienist exam
    assert dashboard.result("backup").light is Light.RED  # no backup in the folder
    assert dashboard.result("access_review").light is Light.RED
    assert dashboard.lights[dashboard.result("revision_cap").area] is Light.RED


def test_the_first_load_of_the_day_keeps_a_snapshot_and_last_week_gives_the_trend(
    store: Store, actor: User, listed: Callable[[str, str], int], tmp_path: Path
) -> None:
    listed("20230615", "Liam")
    week_ago = TODAY - timedelta(days=7)
    first = _dashboard(store, actor, tmp_path, week_ago)
    assert first.week_ago is None
    assert first.trends["first_exam"].text == "–"
    entries = store.audit.count()
    listed("20230716", "Wilma")
    again = _dashboard(store, actor, tmp_path, week_ago)
    assert again.result("first_exam").count == 2
    assert store.audit.count() == entries + 1  # the registration; no second snapshot
    assert store.compliance.snapshot(week_ago) == {r.key: r.count for r in first.results}
    today = _dashboard(store, actor, tmp_path)
    assert today.week_ago == week_ago
    assert today.trends["first_exam"].text == "+1"


def test_listing_capacity_and_patient_safety_report(
    store: Store, actor: User, clinics: dict[str, int], tmp_path: Path
) -> None:
    set_listing_capacity(store, actor, 25, None, TODAY)
    assert _dashboard(store, actor, tmp_path).result("listing_capacity").light is Light.RED
    set_listing_capacity(store, actor, 25, date(2026, 2, 1), TODAY)
    assert _dashboard(store, actor, tmp_path).result("listing_capacity").light is Light.GREEN
    with pytest.raises(ValidationError):
        set_listing_capacity(store, actor, 25, TODAY + timedelta(days=1), TODAY)
    assert _dashboard(store, actor, tmp_path).result("patient_safety_report").light is Light.RED
    record_patient_safety_report(store, actor, 2025, date(2026, 2, 20), TODAY)
    result = _dashboard(store, actor, tmp_path).result("patient_safety_report")
    assert result.light is Light.GREEN
    assert "2026-02-20" in result.summary


def test_a_new_years_rule_set_is_imported_and_used_from_its_year(
    store: Store, actor: User, tmp_path: Path
) -> None:
    assert rules_on(store, TODAY) == DEFAULT_RULES  # the shipped 2025 set
    data = json.loads(rules_json(DEFAULT_RULES))
    data.update(valid_from_year=2027, no_show_threshold=3, source="Regler 2027")
    path = tmp_path / "regler-2027.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    imported = import_contract_rules(store, actor, path)
    assert imported.valid_from_year == 2027
    assert [r.valid_from_year for r in rule_sets(store)] == [2025, 2027]
    assert rules_on(store, TODAY).no_show_threshold == 2
    assert rules_on(store, date(2027, 1, 1)).no_show_threshold == 3
    bad = tmp_path / "fel.json"
    bad.write_text('{"format": "x"}', encoding="utf-8")
    entries = store.audit.count()
    with pytest.raises(ValidationError):
        import_contract_rules(store, actor, bad)
    assert store.audit.count() == entries


def test_a_deviation_from_another_provider_is_answered_before_it_closes(
    store: Store, actor: User, dentist_id: int, listed: Callable[[str, str], int], tmp_path: Path
) -> None:
    patient = listed("20150301", "Ella")
    draft = DeviationDraft(
        date(2026, 11, 20),
        "Återrapport saknades",
        "Akutbesöket återrapporterades inte.",
        Origin.OTHER_PROVIDER,
        "Folktandvården Umeå",
        patient_id=patient,
    )
    deviation_id = record_deviation(store, actor, draft, TODAY)
    found = _dashboard(store, actor, tmp_path).result("deviations_unanswered")
    assert [i.record_id for i in found.items] == [deviation_id]
    classify_deviation(store, actor, deviation_id, Category.RECORDS, Severity.MODERATE)
    assign_deviation(store, actor, deviation_id, dentist_id)
    with pytest.raises(RuleViolation, match="besvaras"):
        close_deviation(store, actor, deviation_id, "Rutin ändrad", TODAY, TODAY)
    answer_deviation(store, actor, deviation_id, "Vi har ändrat rutinen.", TODAY, TODAY)
    with pytest.raises(ValidationError):
        close_deviation(store, actor, deviation_id, " ", TODAY, TODAY)
    close_deviation(store, actor, deviation_id, "Återrapport skickas samma dag.", TODAY, TODAY)
    closed = store.deviations.get(deviation_id)
    assert closed is not None
    assert closed.closed_on == TODAY
    assert store.deviations.for_patient(patient)[0].id == deviation_id
    with pytest.raises(RuleViolation, match="avslutades"):
        assign_deviation(store, actor, deviation_id, dentist_id)
    assert _dashboard(store, actor, tmp_path).result("deviations_unanswered").count == 0


def test_a_deviation_links_only_a_record_of_its_own_patient(
    store: Store, actor: User, dentist_id: int, listed: Callable[[str, str], int]
) -> None:
    one, other = listed("20150301", "Ella"), listed("20150302", "Maja")
    _exam(store, one, date(2026, 1, 1), ExamKind.DENTIST_REVISION, dentist_id)
    exam_id = store.exams.for_patient(one)[0].id
    draft = DeviationDraft(TODAY, "Fel", "Text", Origin.OWN, patient_id=other, exam_id=exam_id)
    with pytest.raises(RuleViolation, match="valda patienten"):
        record_deviation(store, actor, draft, TODAY)


def test_every_role_may_report_a_deviation_but_only_managers_follow_up(
    store: Store, actor: User, dentist_id: int
) -> None:
    dentist = store.users.get(dentist_id)
    assert dentist is not None
    draft = DeviationDraft(TODAY, "Fel", "Text", Origin.OWN)
    deviation_id = record_deviation(store, dentist, draft, TODAY)
    with pytest.raises(PermissionDenied):
        classify_deviation(store, dentist, deviation_id, Category.CARE, Severity.MINOR)


def test_follow_up_case_ladder_and_total(
    store: Store,
    actor: User,
    clinics: dict[str, int],
    listed: Callable[[str, str], int],
    tmp_path: Path,
) -> None:
    for n in range(3):
        listed(f"2015030{n + 1}", f"Barn{n}")
    draft = FollowUpDraft(
        "Försenade kallelser", date(2026, 7, 15), 2, 2, False, date(2026, 8, 15), "Påpekande"
    )
    case_id = record_follow_up_case(store, actor, draft, TODAY)
    record_region_decision(store, actor, case_id, "failed", date(2026, 9, 15), "Ingen plan", TODAY)
    with pytest.raises(RuleViolation):
        record_region_decision(store, actor, case_id, "failed", date(2026, 9, 1), "", TODAY)
    record_plan_sent(store, actor, case_id, date(2026, 9, 20), TODAY)
    summary = sanction_summary(store, TODAY)
    # 3 kr x 3 listed from the July request through November
    assert [(m.month, kr) for m, _listed, kr in summary.by_month] == [
        (7, 9),
        (8, 9),
        (9, 9),
        (10, 9),
        (11, 9),
    ]
    assert summary.total_kr == 45
    result = _dashboard(store, actor, tmp_path).result("follow_up_cases")
    assert result.light is Light.RED
    record_region_decision(store, actor, case_id, "approved", date(2026, 11, 1), "", TODAY)
    assert sanction_summary(store, TODAY).month_kr(TODAY) == 0
    assert _dashboard(store, actor, tmp_path).result("follow_up_cases").count == 0


def test_the_dashboard_pdf_is_archived_and_names_no_patient(
    store: Store,
    actor: User,
    clinics: dict[str, int],
    listed: Callable[[str, str], int],
    tmp_path: Path,
) -> None:
    listed("20230615", "Liam")
    dashboard = _dashboard(store, actor, tmp_path)
    document = print_dashboard(store, actor, dashboard)
    text = "".join(
        page.extract_text()
        for page in PdfReader(io.BytesIO(store.documents.content(document.id))).pages
    )
    assert "Avtalsuppföljning 2026-11-23" in text
    assert "Revision och kallelse" in text
    assert "Liam" not in text
