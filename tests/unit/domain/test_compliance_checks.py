"""Each compliance check on hand-built facts with a known expected list, edge dates included:
the day a patient turns 16, 31 December, leap days."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from clinic_desk.domain.compliance import (
    Area,
    CheckResult,
    EmergencyFact,
    InvoiceFact,
    Light,
    ListingFacts,
    NoShowFact,
    OpenConcern,
    PatientFacts,
    PatientRef,
    UnsignedExam,
    access_review_age,
    area_lights,
    backup_age,
    bite_check_missing,
    dentist_gap_overdue,
    deviations_unanswered,
    deviations_unhandled,
    first_exam_missing,
    follow_up_cases,
    free_care_ending,
    listing_capacity,
    notices_due,
    open_concerns,
    overdue_invoices,
    patient_safety_report,
    return_reports_missing,
    revision_overdue,
    tobacco_missing,
    trends,
    unsigned_exams,
)
from clinic_desk.domain.contract_rules import ContractRules
from clinic_desk.domain.deviations import Category, Deviation, Origin, Severity
from clinic_desk.domain.follow_up import FollowUpDecision, FollowUpRecord


def _p(pid: int, birth: date, **facts: object) -> PatientFacts:
    return PatientFacts(pid, f"pnr{pid}", "Förnamn", f"Efternamn{pid}", birth, **facts)  # type: ignore[arg-type]


def _ids(result: CheckResult) -> list[int | None]:
    return [item.patient_id for item in result.items]


def _ref(pid: int) -> PatientRef:
    return PatientRef(pid, f"pnr{pid}", f"Namn {pid}")


# -- revision cap ------------------------------------------------------------------------------


def test_revision_cap_is_24_months_for_a_child_counted_to_the_day() -> None:
    last = date(2024, 11, 23)
    patients = [_p(1, date(2015, 5, 1), last_revision=last)]
    assert revision_overdue(patients, date(2026, 11, 23)).count == 0  # the due day itself
    late = revision_overdue(patients, date(2026, 11, 24))
    assert _ids(late) == [1]
    assert late.light is Light.RED
    assert late.area is Area.RECALL


def test_revision_cap_turns_36_months_on_the_day_the_patient_turns_16() -> None:
    patient = _p(1, date(2010, 11, 23), last_revision=date(2024, 10, 1))  # 25+ months back
    assert _ids(revision_overdue([patient], date(2026, 11, 22))) == [1]  # still 15: 24 months
    assert _ids(revision_overdue([patient], date(2026, 11, 23))) == []  # 16 today: 36 months


def test_revision_cap_from_a_leap_day_ends_on_28_february() -> None:
    patient = _p(1, date(2014, 6, 1), last_revision=date(2024, 2, 29))
    assert _ids(revision_overdue([patient], date(2026, 2, 28))) == []
    assert _ids(revision_overdue([patient], date(2026, 3, 1))) == [1]


def test_never_examined_counts_from_the_first_of_january_after_turning_3() -> None:
    patient = _p(1, date(2022, 12, 31))  # turned 3 in 2025: first exam due 2025-12-31
    assert _ids(revision_overdue([patient], date(2025, 12, 31))) == []
    assert _ids(revision_overdue([patient], date(2026, 1, 1))) == [1]


def test_revision_cap_leaves_out_patients_outside_the_target_group() -> None:
    too_old = _p(1, date(2006, 1, 1), last_revision=date(2020, 1, 1))  # turns 20 in 2026
    assert revision_overdue([too_old], date(2026, 11, 23)).count == 0


def test_revision_cap_follows_the_rule_set_passed() -> None:
    strict = ContractRules(valid_from_year=2027, child_interval_months=12)
    patient = _p(1, date(2015, 5, 1), last_revision=date(2025, 11, 1))
    assert revision_overdue([patient], date(2026, 11, 23)).count == 0
    assert _ids(revision_overdue([patient], date(2026, 11, 23), rules=strict)) == [1]


# -- dentist gap -------------------------------------------------------------------------------


def test_dentist_gap_of_4_years_for_a_child() -> None:
    patient = _p(1, date(2014, 3, 1), last_dentist_exam=date(2022, 11, 23))
    assert dentist_gap_overdue([patient], date(2026, 11, 23)).count == 0
    assert _ids(dentist_gap_overdue([patient], date(2026, 11, 24))) == [1]


def test_dentist_gap_is_6_years_when_the_patient_is_16_the_day_after_4_years() -> None:
    # 4 years end 2026-11-22; the patient turns 16 on 2026-11-23, so the 6-year gap applies
    patient = _p(1, date(2010, 11, 23), last_dentist_exam=date(2022, 11, 22))
    assert dentist_gap_overdue([patient], date(2026, 11, 24)).count == 0
    assert _ids(dentist_gap_overdue([patient], date(2028, 11, 23))) == [1]


def test_dentist_gap_stays_4_years_when_the_patient_turns_16_later() -> None:
    patient = _p(1, date(2010, 11, 24), last_dentist_exam=date(2022, 11, 22))
    assert _ids(dentist_gap_overdue([patient], date(2026, 11, 23))) == [1]


def test_hygienist_exams_alone_do_not_meet_the_dentist_rule() -> None:
    hygienist_only = _p(1, date(2015, 1, 1), last_revision=date(2026, 1, 1))
    never = _p(2, date(2015, 1, 1))  # never examined: the revision check's
    assert _ids(dentist_gap_overdue([hygienist_only, never], date(2026, 11, 23))) == [1]


# -- first exam --------------------------------------------------------------------------------


def test_children_turning_3_this_year_without_a_dentist_exam() -> None:
    patients = [
        _p(1, date(2023, 1, 1)),
        _p(2, date(2023, 12, 31)),  # turns 3 on 31 December: still this year
        _p(3, date(2023, 6, 1), last_dentist_exam=date(2026, 6, 2)),
        _p(4, date(2024, 1, 1)),  # turns 3 next year
        _p(5, date(2022, 12, 31)),  # turned 3 last year
    ]
    result = first_exam_missing(patients, date(2026, 12, 31))
    assert _ids(result) == [1, 2]
    assert result.light is Light.YELLOW
    assert "2026-12-31" in result.summary


# -- tobacco and bite check ----------------------------------------------------------------------


def test_tobacco_missing_from_13_at_the_latest_exam() -> None:
    today = date(2026, 11, 23)
    patients = [
        _p(1, date(2013, 1, 1), last_exam=date(2026, 1, 1), last_exam_age=13),
        _p(2, date(2013, 11, 24), last_exam=date(2026, 11, 23), last_exam_age=12),
        _p(
            3,
            date(2013, 1, 1),
            last_exam=date(2026, 1, 1),
            last_exam_age=13,
            last_exam_tobacco=True,
        ),
        _p(4, date(2008, 1, 1), last_exam=date(2025, 1, 1), last_exam_age=17),
        _p(5, date(2015, 1, 1)),
    ]
    assert _ids(tobacco_missing(patients, today)) == [1, 4]


def test_tobacco_required_from_the_13th_birthday_of_a_leap_day_child() -> None:
    # born 29 Feb 2012: 13 on 1 March 2025 in a common year
    before = _p(1, date(2012, 2, 29), last_exam=date(2025, 2, 28), last_exam_age=12)
    on = _p(2, date(2012, 2, 29), last_exam=date(2025, 3, 1), last_exam_age=13)
    assert _ids(tobacco_missing([before, on], date(2025, 11, 1))) == [2]


def test_bite_check_missing_at_a_revision_between_6_and_13() -> None:
    today = date(2026, 11, 23)
    patients = [
        _p(1, date(2020, 1, 1), last_revision=date(2026, 2, 1), last_revision_age=6),
        _p(2, date(2013, 1, 1), last_revision=date(2026, 2, 1), last_revision_age=13),
        _p(3, date(2012, 1, 1), last_revision=date(2026, 2, 1), last_revision_age=14),
        _p(4, date(2021, 1, 1), last_revision=date(2026, 2, 1), last_revision_age=5),
        _p(
            5,
            date(2016, 1, 1),
            last_revision=date(2026, 2, 1),
            last_revision_age=10,
            last_revision_bite_done=True,
        ),
    ]
    result = bite_check_missing(patients, today)
    assert _ids(result) == [1, 2]
    assert result.area is Area.RECORDS


# -- free care ending ----------------------------------------------------------------------------


def test_turning_19_this_year_with_a_booked_time() -> None:
    today = date(2026, 11, 23)
    patients = [
        _p(1, date(2007, 12, 31), next_booked=date(2026, 12, 10)),
        _p(2, date(2007, 1, 1)),  # nothing booked
        _p(3, date(2008, 1, 1), next_booked=date(2026, 12, 1)),  # turns 19 next year
    ]
    result = free_care_ending(patients, today)
    assert _ids(result) == [1]
    assert result.light is Light.YELLOW
    late = free_care_ending([_p(4, date(2007, 5, 1), next_booked=date(2027, 1, 1))], today)
    assert late.light is Light.RED  # booked after 31 December: no longer free


# -- emergency, invoices -------------------------------------------------------------------------


def test_return_reports_turn_red_after_three_days() -> None:
    today = date(2026, 11, 23)
    recent = EmergencyFact(1, _ref(7), date(2026, 11, 20), "Tandläkarna i Holmsund", True)
    assert return_reports_missing([recent], today).light is Light.YELLOW
    old = EmergencyFact(2, _ref(8), date(2026, 11, 19), "Tandläkarna i Holmsund", False)
    result = return_reports_missing([recent, old], today)
    assert [i.record_id for i in result.items] == [1, 2]
    assert result.light is Light.RED
    assert result.action == "emergency"


def test_overdue_invoices_are_those_past_due_with_money_owed() -> None:
    today = date(2026, 11, 23)
    invoices = [
        InvoiceFact(1, 101, "Klinik A", "", date(2026, 11, 22), 50000),
        InvoiceFact(2, 102, "Klinik B", "", date(2026, 11, 23), 50000),  # due today
        InvoiceFact(3, 103, "Klinik C", "", date(2026, 1, 1), 0),  # paid
        InvoiceFact(4, 100, "Klinik D", "X", date(2025, 12, 31), 100),
    ]
    result = overdue_invoices(invoices, today)
    assert [i.record_id for i in result.items] == [4, 1]
    assert result.light is Light.YELLOW


# -- no-shows ------------------------------------------------------------------------------------


def test_notice_due_after_two_no_shows_without_a_later_notice() -> None:
    today = date(2026, 11, 23)
    due = NoShowFact(_ref(1), date(2016, 1, 1), (date(2026, 3, 1), date(2026, 10, 1)), None)
    sent = NoShowFact(
        _ref(2), date(2016, 1, 1), (date(2026, 3, 1), date(2026, 10, 1)), date(2026, 10, 2)
    )
    old = NoShowFact(_ref(3), date(2016, 1, 1), (date(2025, 11, 23), date(2026, 10, 1)), None)
    result = notices_due([due, sent, old], today)
    assert _ids(result) == [1]  # 2025-11-23 lies outside (today - 12 months, today]
    assert "barn" in result.items[0].detail
    assert notices_due([due], today, threshold=3).count == 0


def test_open_concerns_turn_red_after_two_weeks() -> None:
    today = date(2026, 11, 23)
    fresh = OpenConcern(1, _ref(1), today - timedelta(days=14))
    assert open_concerns([fresh], today).light is Light.YELLOW
    old = OpenConcern(2, _ref(2), today - timedelta(days=15))
    assert open_concerns([fresh, old], today).light is Light.RED


# -- records -------------------------------------------------------------------------------------


def test_exams_unsigned_for_more_than_two_days() -> None:
    today = date(2026, 3, 1)
    exams = [
        UnsignedExam(1, _ref(1), date(2026, 2, 27), "Karin Holm"),  # 2 days: fine
        UnsignedExam(2, _ref(2), date(2026, 2, 26), "Karin Holm"),  # 3 days
    ]
    assert [i.record_id for i in unsigned_exams(exams, today).items] == [2]
    leap = [UnsignedExam(3, _ref(3), date(2028, 2, 27), "Karin Holm")]
    assert unsigned_exams(leap, date(2028, 2, 29)).count == 0  # 29 Feb is day 2
    assert unsigned_exams(leap, date(2028, 3, 1)).count == 1


# -- listing -------------------------------------------------------------------------------------


def test_listing_capacity_under_30_needs_a_listing_stop_notice() -> None:
    assert listing_capacity(ListingFacts(20, 29, None)).light is Light.RED
    assert listing_capacity(ListingFacts(20, 29, date(2026, 1, 5))).light is Light.GREEN
    assert listing_capacity(ListingFacts(20, 30, None)).light is Light.GREEN
    assert listing_capacity(ListingFacts(30, 30, None)).light is Light.YELLOW  # full
    assert listing_capacity(ListingFacts(5000, None, None)).light is Light.GREEN


# -- routines ------------------------------------------------------------------------------------


def test_patient_safety_report_due_1_march() -> None:
    assert patient_safety_report({}, date(2026, 1, 1)).light is Light.YELLOW
    assert patient_safety_report({}, date(2026, 3, 1)).light is Light.YELLOW  # the day itself
    assert patient_safety_report({}, date(2026, 3, 2)).light is Light.RED
    assert patient_safety_report({}, date(2026, 12, 31)).light is Light.RED  # 2025 never done
    done = {2025: date(2026, 2, 20)}
    assert patient_safety_report(done, date(2026, 12, 31)).light is Light.GREEN
    assert patient_safety_report(done, date(2027, 1, 1)).light is Light.YELLOW  # now 2026's
    # a leap year: 29 February is still before the deadline
    assert patient_safety_report({}, date(2028, 2, 29)).light is Light.YELLOW
    assert patient_safety_report({}, date(2028, 3, 2)).light is Light.RED


def test_backup_older_than_two_days_is_red() -> None:
    now = datetime(2026, 11, 23, 8, 0)
    assert backup_age(now - timedelta(days=2), now).light is Light.GREEN
    assert backup_age(now - timedelta(days=2, seconds=1), now).light is Light.RED
    assert backup_age(None, now).light is Light.RED


def test_access_review_monthly() -> None:
    today = date(2026, 11, 23)
    assert access_review_age(today - timedelta(days=31), today).light is Light.GREEN
    assert access_review_age(today - timedelta(days=32), today).light is Light.YELLOW
    assert access_review_age(today - timedelta(days=93), today).light is Light.RED
    assert access_review_age(None, today).light is Light.RED


# -- deviations and follow-up ----------------------------------------------------------------------


def _deviation(
    did: int,
    origin: Origin,
    reported: date,
    answered: date | None = None,
    classified: bool = True,
    assigned: int | None = 5,
    closed: date | None = None,
) -> Deviation:
    return Deviation(
        id=did,
        occurred_on=reported,
        reported_on=reported,
        title=f"Avvikelse {did}",
        description="",
        origin=origin,
        other_provider="Folktandvården" if origin is Origin.OTHER_PROVIDER else "",
        category=Category.CARE if classified else None,
        severity=Severity.MINOR if classified else None,
        patient_id=None,
        patient_text="",
        exam_id=None,
        assigned_to=assigned,
        assigned_name="",
        answer="",
        answered_on=answered,
        lessons="",
        closed_on=closed,
        reported_by_name="",
    )


def test_deviations_from_other_providers_must_be_answered() -> None:
    today = date(2026, 11, 23)
    rows = [
        _deviation(1, Origin.OTHER_PROVIDER, today - timedelta(days=30)),
        _deviation(2, Origin.OTHER_PROVIDER, today - timedelta(days=40), answered=today),
        _deviation(3, Origin.OWN, today - timedelta(days=40)),
    ]
    result = deviations_unanswered(rows, today)
    assert [i.record_id for i in result.items] == [1]
    assert result.light is Light.YELLOW
    rows.append(_deviation(4, Origin.OTHER_PROVIDER, today - timedelta(days=31)))
    assert deviations_unanswered(rows, today).light is Light.RED


def test_deviations_without_classification_or_owner() -> None:
    today = date(2026, 11, 23)
    rows = [
        _deviation(1, Origin.OWN, today, classified=False),
        _deviation(2, Origin.OWN, today, assigned=None),
        _deviation(3, Origin.OWN, today),
        _deviation(4, Origin.OWN, today, classified=False, closed=today),
    ]
    assert [i.record_id for i in deviations_unhandled(rows, today).items] == [1, 2]


def test_follow_up_cases_light() -> None:
    today = date(2026, 11, 23)
    waiting = FollowUpRecord(
        1, "Kallelser", date(2026, 11, 1), 2, 2, False, date(2026, 12, 1), None, ""
    )
    assert follow_up_cases([waiting], today).light is Light.YELLOW
    late = FollowUpRecord(2, "Tobak", date(2026, 10, 1), 2, 2, False, date(2026, 11, 1), None, "")
    assert follow_up_cases([waiting, late], today).light is Light.RED
    failed = FollowUpRecord(
        3,
        "Bett",
        date(2026, 9, 1),
        2,
        2,
        False,
        date(2026, 10, 1),
        date(2026, 9, 20),
        "",
        (FollowUpDecision(1, date(2026, 10, 15), "failed", ""),),
    )
    result = follow_up_cases([failed], today)
    assert result.light is Light.RED
    assert "3 kr" in result.items[0].detail
    approved = FollowUpRecord(
        4,
        "Klar",
        date(2026, 9, 1),
        2,
        2,
        False,
        date(2026, 10, 1),
        date(2026, 9, 20),
        "",
        (FollowUpDecision(2, date(2026, 10, 15), "approved", ""),),
    )
    green = FollowUpRecord(5, "Grönt", date(2026, 9, 1), 1, 2, False, date(2026, 10, 1), None, "")
    assert follow_up_cases([approved, green], today).count == 0


# -- lights and trends ---------------------------------------------------------------------------


def test_an_area_takes_its_worst_light_and_trends_compare_with_last_week() -> None:
    today = date(2026, 11, 23)
    results = [
        first_exam_missing([_p(1, date(2023, 1, 1))], today),
        revision_overdue([], today),
        listing_capacity(ListingFacts(20, 29, None)),
    ]
    lights = area_lights(results)
    assert lights[Area.RECALL] is Light.YELLOW
    assert lights[Area.LISTING] is Light.RED
    assert lights[Area.QUALITY] is Light.GREEN
    found = trends(results, {"first_exam": 4, "revision_cap": 0})
    assert found["first_exam"].text == "−3"
    assert found["revision_cap"].text == "±0"
    assert found["listing_capacity"].text == "–"
    assert trends(results, None)["first_exam"].change is None


@pytest.mark.parametrize("count", [0, 2])
def test_a_check_with_nothing_found_is_green(count: int) -> None:
    patients = [_p(i, date(2023, 1, 1), last_dentist_exam=date(2026, 1, 1)) for i in range(count)]
    assert first_exam_missing(patients, date(2026, 11, 23)).light is Light.GREEN
