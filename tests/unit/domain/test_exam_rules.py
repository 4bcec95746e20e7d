"""The contract checks made at the moment an exam is entered (RULES.md §2-§3)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from clinic_desk.domain.care_rules import IntervalTooLong
from clinic_desk.domain.errors import RuleViolation
from clinic_desk.domain.exams import (
    PERMANENT_SURFACES,
    PRIMARY_SURFACES,
    AmendField,
    Amendment,
    BiteCheck,
    CariesIndices,
    ConsentAction,
    DeadlineKind,
    Exam,
    ExamDraft,
    ExamEvent,
    ExamKind,
    ExamRefused,
    JournalConsent,
    ReferralAnswer,
    RiskFactor,
    RiskGroup,
    TobaccoProduct,
    TobaccoRecord,
    TobaccoStatus,
    active_consents,
    check_exam,
    check_may_record,
    exam_deadlines,
    index_errors,
    kinds_for,
    requirements,
)
from clinic_desk.domain.people import Profession

TODAY = date(2026, 11, 23)
BORN_2012 = date(2012, 6, 1)  # 14 on TODAY


def tobacco(**statuses: TobaccoStatus) -> TobaccoRecord:
    """Every product 'never' unless given; referral left unset."""
    return TobaccoRecord(
        tuple((p, statuses.get(p.value, TobaccoStatus.NEVER)) for p in TobaccoProduct)
    )


def revision(
    exam_date: date = TODAY, kind: ExamKind = ExamKind.DENTIST_REVISION, **more: object
) -> ExamDraft:
    values: dict[str, object] = {
        "patient_id": 1,
        "exam_date": exam_date,
        "kind": kind,
        "risk_group": RiskGroup.LOW,
        "interval_months": 12,
        "treatment_plan": "Fluorlack, ny undersökning om ett år.",
        "indices": CariesIndices(),
        "bite_check": BiteCheck.NORMAL if kind is ExamKind.DENTIST_REVISION else BiteCheck.NOT_DONE,
        "tobacco": tobacco(),
    }
    values.update(more)
    return ExamDraft(**values)  # type: ignore[arg-type]


def fields(exc: pytest.ExceptionInfo[ExamRefused]) -> set[str]:
    return {e.field for e in exc.value.errors}


# -- who records what ---------------------------------------------------------------------------


def test_each_profession_records_its_own_kinds() -> None:
    assert kinds_for(Profession.DENTIST) == (ExamKind.DENTIST_REVISION, ExamKind.EMERGENCY)
    assert kinds_for(Profession.HYGIENIST) == (ExamKind.HYGIENIST_REVISION,)
    assert kinds_for(Profession.DENTAL_NURSE) == (ExamKind.HEALTH_CHECK,)
    for profession in (Profession.RECEPTIONIST, Profession.MANAGER, Profession.ADMINISTRATOR):
        assert kinds_for(profession) == ()


@pytest.mark.parametrize(
    ("profession", "kind"),
    [
        (Profession.DENTAL_NURSE, ExamKind.DENTIST_REVISION),
        (Profession.DENTAL_NURSE, ExamKind.HYGIENIST_REVISION),
        (Profession.HYGIENIST, ExamKind.DENTIST_REVISION),
        (Profession.DENTIST, ExamKind.HEALTH_CHECK),
        (Profession.ADMINISTRATOR, ExamKind.DENTIST_REVISION),
        (Profession.RECEPTIONIST, ExamKind.EMERGENCY),
    ],
)
def test_a_profession_cannot_record_another_kind(profession: Profession, kind: ExamKind) -> None:
    with pytest.raises(RuleViolation, match=profession.label):
        check_may_record(profession, kind)
    with pytest.raises(RuleViolation):
        check_exam(revision(kind=kind), BORN_2012, profession, TODAY)


def test_a_nurse_health_check_is_never_a_revision_exam() -> None:
    assert not ExamKind.HEALTH_CHECK.is_revision
    assert not ExamKind.EMERGENCY.is_revision
    draft = ExamDraft(1, TODAY, ExamKind.HEALTH_CHECK, findings="Fint.", tobacco=tobacco())
    checked = check_exam(draft, BORN_2012, Profession.DENTAL_NURSE, TODAY)
    assert checked.next_revision_due is None
    # A health check takes no risk group, interval or treatment plan (000 §2.7).
    with pytest.raises(ExamRefused) as exc:
        check_exam(
            replace(draft, risk_group=RiskGroup.LOW, interval_months=12, treatment_plan="x"),
            BORN_2012,
            Profession.DENTAL_NURSE,
            TODAY,
        )
    assert fields(exc) == {"risk_group", "interval_months", "treatment_plan"}
    signed = _stored(ExamKind.HEALTH_CHECK, signed=True)
    assert not signed.counts_for_recall


# -- planned interval caps --------------------------------------------------------------------


def test_interval_over_the_cap_is_refused_with_the_reason_not_clamped() -> None:
    born = date(2011, 6, 1)  # 15 on TODAY
    with pytest.raises(ExamRefused) as exc:
        check_exam(revision(interval_months=25), born, Profession.DENTIST, TODAY)
    reason = exc.value.interval_too_long
    assert isinstance(reason, IntervalTooLong)
    assert (reason.interval_months, reason.cap_months, reason.age) == (25, 24, 15)
    assert exc.value.message_for("interval_months") == str(reason)
    assert "24 månader" in str(reason)


def test_the_cap_follows_the_age_on_the_exam_date() -> None:
    born = date(2010, 11, 24)  # 16 the day after TODAY
    with pytest.raises(ExamRefused):
        check_exam(revision(interval_months=25), born, Profession.DENTIST, TODAY)
    older = date(2010, 11, 23)  # 16 on TODAY
    checked = check_exam(revision(interval_months=25), older, Profession.DENTIST, TODAY)
    assert checked.next_revision_due == date(2028, 12, 23)
    assert check_exam(revision(interval_months=36), older, Profession.DENTIST, TODAY)
    with pytest.raises(ExamRefused) as exc:
        check_exam(revision(interval_months=37), older, Profession.DENTIST, TODAY)
    assert exc.value.interval_too_long is not None
    assert exc.value.interval_too_long.cap_months == 36


def test_next_due_is_clamped_to_the_month_end() -> None:
    checked = check_exam(
        revision(exam_date=date(2026, 8, 31), interval_months=6),
        date(2012, 1, 1),
        Profession.DENTIST,
        TODAY,
    )
    assert checked.next_revision_due == date(2027, 2, 28)


def test_a_revision_exam_needs_risk_group_interval_plan_and_indices() -> None:
    draft = revision(risk_group=None, interval_months=None, treatment_plan=" ", indices=None)
    with pytest.raises(ExamRefused) as exc:
        check_exam(draft, BORN_2012, Profession.DENTIST, TODAY)
    assert fields(exc) == {"risk_group", "interval_months", "treatment_plan", "indices"}
    assert exc.value.interval_too_long is None


def test_an_interval_below_one_month_is_refused() -> None:
    with pytest.raises(ExamRefused) as exc:
        check_exam(revision(interval_months=0), BORN_2012, Profession.DENTIST, TODAY)
    assert "minst 1" in (exc.value.message_for("interval_months") or "")


def test_exam_date_in_the_future_or_before_birth_is_refused() -> None:
    with pytest.raises(ExamRefused) as exc:
        check_exam(revision(exam_date=date(2026, 11, 24)), BORN_2012, Profession.DENTIST, TODAY)
    assert fields(exc) == {"exam_date"}
    with pytest.raises(ExamRefused, match="före patientens födelse"):
        check_exam(revision(exam_date=date(2012, 5, 1)), BORN_2012, Profession.DENTIST, TODAY)


# -- bite-development check -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "required"),
    [
        (date(2021, 1, 1), False),  # 5
        (date(2020, 11, 23), True),  # 6 today
        (date(2013, 11, 23), True),  # 13 today
        (date(2012, 11, 22), False),  # 14
    ],
)
def test_bite_check_is_required_for_dentist_exams_from_6_to_13(born: date, required: bool) -> None:
    draft = revision(bite_check=BiteCheck.NOT_DONE)
    if required:
        with pytest.raises(ExamRefused) as exc:
            check_exam(draft, born, Profession.DENTIST, TODAY)
        assert fields(exc) == {"bite_check"}
    else:
        check_exam(draft, born, Profession.DENTIST, TODAY)


def test_a_hygienist_exam_needs_no_bite_check_and_cannot_record_one() -> None:
    born = date(2016, 1, 1)  # 10
    check_exam(revision(kind=ExamKind.HYGIENIST_REVISION), born, Profession.HYGIENIST, TODAY)
    with pytest.raises(ExamRefused, match="tandläkare"):
        check_exam(
            revision(kind=ExamKind.HYGIENIST_REVISION, bite_check=BiteCheck.NORMAL),
            born,
            Profession.HYGIENIST,
            TODAY,
        )


def test_a_bite_deviation_needs_findings() -> None:
    born = date(2016, 1, 1)
    with pytest.raises(ExamRefused) as exc:
        check_exam(revision(bite_check=BiteCheck.DEVIATION), born, Profession.DENTIST, TODAY)
    assert fields(exc) == {"bite_findings"}
    check_exam(
        revision(bite_check=BiteCheck.DEVIATION, bite_findings="Korsbett 13-43, följs upp."),
        born,
        Profession.DENTIST,
        TODAY,
    )


# -- tobacco ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [ExamKind.DENTIST_REVISION, ExamKind.HYGIENIST_REVISION])
def test_tobacco_is_required_from_13(kind: ExamKind) -> None:
    profession = Profession.DENTIST if kind is ExamKind.DENTIST_REVISION else Profession.HYGIENIST
    thirteen = date(2013, 11, 23)
    bite = BiteCheck.NORMAL if kind is ExamKind.DENTIST_REVISION else BiteCheck.NOT_DONE
    with pytest.raises(ExamRefused) as exc:
        check_exam(revision(kind=kind, tobacco=None, bite_check=bite), thirteen, profession, TODAY)
    assert fields(exc) == {"tobacco"}
    twelve = date(2013, 11, 24)
    check_exam(revision(kind=kind, tobacco=None, bite_check=bite), twelve, profession, TODAY)


def test_every_product_needs_a_status() -> None:
    partial = TobaccoRecord(((TobaccoProduct.SNUS, TobaccoStatus.NEVER),))
    with pytest.raises(ExamRefused, match="Cigaretter"):
        check_exam(revision(tobacco=partial), BORN_2012, Profession.DENTIST, TODAY)


def test_use_needs_the_referral_offer_and_the_answer() -> None:
    snus = tobacco(snus=TobaccoStatus.DAILY)
    assert snus.any_use
    with pytest.raises(ExamRefused) as exc:
        check_exam(revision(tobacco=snus), BORN_2012, Profession.DENTIST, TODAY)
    assert fields(exc) == {"referral_offered"}
    with pytest.raises(ExamRefused) as exc:
        check_exam(
            revision(tobacco=replace(snus, referral_offered=True)),
            BORN_2012,
            Profession.DENTIST,
            TODAY,
        )
    assert fields(exc) == {"referral_answer"}
    accepted = replace(snus, referral_offered=True, referral_answer=ReferralAnswer.ACCEPTED)
    check_exam(revision(tobacco=accepted), BORN_2012, Profession.DENTIST, TODAY)
    not_offered = replace(snus, referral_offered=False)
    check_exam(revision(tobacco=not_offered), BORN_2012, Profession.DENTIST, TODAY)


def test_former_use_is_not_current_use_and_an_answer_needs_an_offer() -> None:
    former = tobacco(cigarettes=TobaccoStatus.FORMER)
    assert not former.any_use
    check_exam(revision(tobacco=former), BORN_2012, Profession.DENTIST, TODAY)
    with pytest.raises(ExamRefused) as exc:
        check_exam(
            revision(tobacco=replace(former, referral_answer=ReferralAnswer.DECLINED)),
            BORN_2012,
            Profession.DENTIST,
            TODAY,
        )
    assert fields(exc) == {"referral_answer"}


# -- caries indices -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "upper"),
    [
        ("primary_dft", 21, 20),
        ("primary_dfs", PRIMARY_SURFACES + 1, 88),
        ("perm_dft", 33, 32),
        ("perm_dfs", PERMANENT_SURFACES + 1, 148),
        ("perm_dfs_approximal", 65, 64),
        ("perm_ds", PERMANENT_SURFACES + 1, 148),
        ("perm_dft", -1, 32),
    ],
)
def test_index_outside_its_bounds_is_refused_with_a_message(
    name: str, value: int, upper: int
) -> None:
    errors = index_errors(replace(CariesIndices(), **{name: value}))
    assert [e.field for e in errors] == [name]
    assert f"mellan 0 och {upper}" in errors[0].message
    with pytest.raises(ExamRefused):
        check_exam(
            revision(indices=replace(CariesIndices(), **{name: value})),
            BORN_2012,
            Profession.DENTIST,
            TODAY,
        )


def test_indices_must_agree_with_each_other() -> None:
    assert [e.field for e in index_errors(CariesIndices(primary_dft=2, primary_dfs=1))] == [
        "primary_dfs"
    ]
    # 2 primary teeth have at most 10 surfaces (two molars), 3 permanent front teeth... 15.
    assert [e.field for e in index_errors(CariesIndices(primary_dft=2, primary_dfs=11))] == [
        "primary_dfs"
    ]
    assert index_errors(CariesIndices(primary_dft=2, primary_dfs=10)) == []
    assert [e.field for e in index_errors(CariesIndices(perm_dft=1, perm_dfs=6))] == ["perm_dfs"]
    assert [
        e.field for e in index_errors(CariesIndices(perm_dft=1, perm_dfs=3, perm_dfs_approximal=3))
    ] == ["perm_dfs_approximal"]
    assert [e.field for e in index_errors(CariesIndices(perm_dft=1, perm_dfs=1, perm_ds=2))] == [
        "perm_ds"
    ]
    full = CariesIndices(20, 88, 32, 148, 64, 148)
    assert index_errors(full) == []


def test_caries_free_is_derived_from_both_dentitions() -> None:
    assert CariesIndices().caries_free
    assert not CariesIndices(primary_dft=1, primary_dfs=1).caries_free
    assert not CariesIndices(perm_dft=1, perm_dfs=1).caries_free


def test_requirements_name_what_the_age_demands() -> None:
    ten = requirements(ExamKind.DENTIST_REVISION, 10)
    assert any("Bettutveckling" in line for line in ten)
    assert not any("Tobak" in line for line in ten)
    fifteen = requirements(ExamKind.DENTIST_REVISION, 15)
    assert any("24 månader" in line for line in fifteen)
    assert any("Tobak" in line for line in fifteen)
    assert any("36 månader" in line for line in requirements(ExamKind.HYGIENIST_REVISION, 16))


# -- stored exams, amendments, deadlines -----------------------------------------------------


def _stored(kind: ExamKind, signed: bool, amendments: tuple[Amendment, ...] = ()) -> Exam:
    return Exam(
        id=7,
        patient_id=1,
        exam_date=date(2026, 1, 10),
        kind=kind,
        examiner_id=2,
        examiner_name="Karin Holm",
        age_at_exam=13,
        risk_group=RiskGroup.MEDIUM if kind.is_revision else None,
        risk_factors=frozenset({RiskFactor.DIET}),
        interval_months=12 if kind.is_revision else None,
        treatment_plan="Plan",
        findings="Fynd",
        bite_check=BiteCheck.NOT_DONE,
        bite_findings="",
        next_revision_due=date(2027, 1, 10) if kind.is_revision else None,
        signed_at="2026-01-10T15:00:00" if signed else None,
        signed_by_name="Karin Holm" if signed else "",
        created_at="2026-01-10T14:00:00",
        amendments=amendments,
    )


def test_amendments_keep_the_original_and_give_the_current_values() -> None:
    amendment = Amendment(
        1,
        7,
        AmendField.INTERVAL_MONTHS,
        "12",
        "6",
        date(2026, 7, 10),
        "Fel intervall",
        "2026-01-11T09:00:00",
        2,
        "Karin Holm",
    )
    risk = replace(
        amendment, id=2, field=AmendField.RISK_GROUP, old_value="medium", new_value="high"
    )
    exam = _stored(ExamKind.DENTIST_REVISION, True, (amendment, risk))
    assert exam.interval_months == 12
    assert exam.next_revision_due == date(2027, 1, 10)
    assert exam.current_interval_months == 6
    assert exam.current_next_revision_due == date(2026, 7, 10)
    assert exam.risk_group is RiskGroup.MEDIUM
    assert exam.current_risk_group is RiskGroup.HIGH
    assert exam.event().next_revision_due == date(2026, 7, 10)
    assert exam.counts_for_recall
    assert not _stored(ExamKind.DENTIST_REVISION, False).counts_for_recall


def test_deadlines_before_the_first_dentist_exam() -> None:
    born = date(2023, 5, 1)  # turns 3 in 2026
    deadlines = exam_deadlines(born, [], TODAY)
    first = next(d for d in deadlines if d.kind is DeadlineKind.FIRST_EXAM)
    assert first.due == date(2026, 12, 31)
    assert first.at_risk
    assert not first.overdue
    assert exam_deadlines(date(2024, 5, 1), [], TODAY) == []  # turns 2: not in the group yet
    assert exam_deadlines(date(2005, 5, 1), [], TODAY) == []  # free care has ended


def test_dentist_gap_counts_only_dentist_exams_and_revision_from_any() -> None:
    born = date(2014, 3, 1)
    events = [
        ExamEvent(date(2022, 9, 1), ExamKind.DENTIST_REVISION, date(2023, 9, 1)),
        ExamEvent(date(2024, 9, 1), ExamKind.HYGIENIST_REVISION, date(2025, 9, 1)),
        ExamEvent(date(2025, 10, 1), ExamKind.HEALTH_CHECK, None),
    ]
    deadlines = {d.kind: d for d in exam_deadlines(born, events, TODAY)}
    assert DeadlineKind.FIRST_EXAM not in deadlines
    gap = deadlines[DeadlineKind.DENTIST_GAP]
    assert gap.due == date(2026, 9, 1)  # four years after the dentist exam; 12 then
    assert gap.overdue
    revision_due = deadlines[DeadlineKind.NEXT_REVISION]
    assert revision_due.due == date(2025, 9, 1)  # the hygienist exam reset the revision clock
    assert revision_due.overdue
    ends = deadlines[DeadlineKind.FREE_CARE_ENDS]
    assert ends.due == date(2033, 12, 31)
    assert not ends.at_risk


def test_free_care_and_referral_deadline_are_at_risk_in_the_last_year() -> None:
    born = date(2007, 2, 1)  # turns 19 in 2026
    events = [ExamEvent(date(2025, 3, 1), ExamKind.DENTIST_REVISION, date(2028, 3, 1))]
    deadlines = {d.kind: d for d in exam_deadlines(born, events, TODAY)}
    assert deadlines[DeadlineKind.FREE_CARE_ENDS].at_risk
    assert deadlines[DeadlineKind.SPECIALIST_REFERRAL].at_risk
    assert "2026-12-31" in deadlines[DeadlineKind.SPECIALIST_REFERRAL].text
    assert DeadlineKind.DENTIST_GAP not in deadlines  # beyond the end of free care


def _consent(id_: int, action: ConsentAction, withdraws: int | None = None) -> JournalConsent:
    return JournalConsent(
        id_, 1, action, "Ortodonti", "Anna", 2, "Karin Holm", TODAY, withdraws, "", "x"
    )


def test_a_withdrawal_ends_only_the_consent_it_names() -> None:
    rows = [
        _consent(1, ConsentAction.GIVEN),
        _consent(2, ConsentAction.GIVEN),
        _consent(3, ConsentAction.WITHDRAWN, withdraws=1),
    ]
    assert [c.id for c in active_consents(rows)] == [2]
