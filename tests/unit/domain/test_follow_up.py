"""Follow-up cases (seed 001): the sanction ladder month by month for a clinic of 1,000
listed patients, the self-reported rates, the timeline and the checks on decisions."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_desk.domain.errors import RuleViolation, ValidationError
from clinic_desk.domain.follow_up import (
    FollowUpDecision,
    FollowUpDraft,
    FollowUpRecord,
    check_decision,
    check_draft,
    check_plan_sent,
    colour_today,
    running_total,
    sanction_by_month,
    timeline,
)
from clinic_desk.domain.sanctions import Colour, classify

LISTED = 1000


def _yellow_case(self_reported: bool, *decisions: FollowUpDecision) -> FollowUpRecord:
    # severity 2 x deviation 2 = 4: yellow
    return FollowUpRecord(
        id=1,
        title="Försenade revisionsundersökningar",
        request_date=date(2026, 1, 15),
        severity=2,
        deviation=2,
        self_reported=self_reported,
        plan_deadline=date(2026, 2, 15),
        plan_sent_on=None,
        note="",
        decisions=decisions,
    )


FAILED_AFTER_TWO_MONTHS = FollowUpDecision(1, date(2026, 3, 15), "failed", "Ingen plan")
RED_FAILED = FollowUpDecision(2, date(2026, 5, 10), "failed", "Planen underkänd")


def test_yellow_failed_after_two_months_then_red_failed_month_by_month() -> None:
    case = _yellow_case(False, FAILED_AFTER_TWO_MONTHS, RED_FAILED)
    assert classify(2, 2) is Colour.YELLOW
    months = sanction_by_month([case], lambda _month: LISTED, date(2026, 7, 1))
    assert [(m.isoformat(), listed, kr) for m, listed, kr in months] == [
        # yellow failed on 15 March: 3 kr from the request date, 15 January
        ("2026-01-01", 1000, 3000),
        ("2026-02-01", 1000, 3000),
        ("2026-03-01", 1000, 3000),
        ("2026-04-01", 1000, 3000),
        # the case is red; red failed on 10 May: 6 kr from then on, May charged in full
        ("2026-05-01", 1000, 6000),
        ("2026-06-01", 1000, 6000),
        ("2026-07-01", 1000, 6000),
    ]
    assert running_total(months) == 4 * 3000 + 3 * 6000
    assert colour_today(case, date(2026, 5, 10)) is Colour.BLACK


def test_the_self_reported_path_charges_1_and_2_kr() -> None:
    case = _yellow_case(True, FAILED_AFTER_TWO_MONTHS, RED_FAILED)
    months = sanction_by_month([case], lambda _month: LISTED, date(2026, 6, 1))
    assert [kr for _m, _listed, kr in months] == [1000, 1000, 1000, 1000, 2000, 2000]


def test_approved_correction_ends_the_sanction_and_cases_add_up() -> None:
    approved = FollowUpDecision(3, date(2026, 6, 1), "approved", "")
    ended = _yellow_case(False, FAILED_AFTER_TWO_MONTHS, approved)
    black = FollowUpRecord(
        2, "Journal saknas", date(2026, 5, 20), 4, 4, False, date(2026, 6, 20), None, ""
    )
    months = sanction_by_month([ended, black], lambda _month: LISTED, date(2026, 7, 1))
    by_month = {m.isoformat(): kr for m, _listed, kr in months}
    assert by_month["2026-04-01"] == 3000
    assert by_month["2026-05-01"] == 3000 + 6000  # black at once from 20 May
    assert by_month["2026-06-01"] == 6000  # approved on 1 June: June not charged for it
    assert by_month["2026-07-01"] == 6000


def test_each_month_uses_its_own_listed_count() -> None:
    case = _yellow_case(False, FAILED_AFTER_TWO_MONTHS)
    listed = {date(2026, 1, 1): 1000, date(2026, 2, 1): 1010, date(2026, 3, 1): 990}
    months = sanction_by_month([case], listed.__getitem__, date(2026, 3, 1))
    assert [kr for _m, _l, kr in months] == [3000, 3030, 2970]


def test_no_sanction_before_a_failure() -> None:
    assert sanction_by_month([_yellow_case(False)], lambda _m: LISTED, date(2026, 12, 1)) == []


def test_timeline_shows_the_ladder() -> None:
    case = _yellow_case(False, FAILED_AFTER_TWO_MONTHS, RED_FAILED)
    lines = timeline(case, date(2026, 6, 1))
    assert [entry.on.isoformat() for entry in lines] == [
        "2026-01-15",
        "2026-02-15",
        "2026-03-15",
        "2026-05-10",
    ]
    assert "gult" in lines[0].text
    assert "passerad utan plan" in lines[1].text
    assert "3 kr" in lines[2].text
    assert "rött" in lines[2].text
    assert "6 kr" in lines[3].text
    assert "svart" in lines[3].text
    assert lines[-1].colour is Colour.BLACK


def test_decisions_are_checked() -> None:
    case = _yellow_case(False, FAILED_AFTER_TWO_MONTHS)
    with pytest.raises(RuleViolation, match="före förra beslutet"):
        check_decision(case, "failed", date(2026, 3, 1), date(2026, 11, 23))
    with pytest.raises(RuleViolation, match="framtiden"):
        check_decision(case, "approved", date(2026, 12, 1), date(2026, 11, 23))
    closed = _yellow_case(False, FollowUpDecision(1, date(2026, 3, 1), "approved", ""))
    with pytest.raises(RuleViolation, match="redan avslutat"):
        check_decision(closed, "failed", date(2026, 4, 1), date(2026, 11, 23))
    green = FollowUpRecord(9, "Litet", date(2026, 1, 1), 1, 1, False, date(2026, 2, 1), None, "")
    with pytest.raises(RuleViolation, match="grönt"):
        check_decision(green, "failed", date(2026, 4, 1), date(2026, 11, 23))
    with pytest.raises(RuleViolation, match="ingen handlingsplan"):
        check_plan_sent(green, date(2026, 1, 5), date(2026, 11, 23))
    with pytest.raises(RuleViolation, match="mellan"):
        check_plan_sent(case, date(2026, 1, 1), date(2026, 11, 23))


def test_a_draft_is_checked_field_by_field() -> None:
    draft = FollowUpDraft("", date(2026, 12, 1), 5, 0, False, date(2026, 11, 1))
    with pytest.raises(ValidationError) as caught:
        check_draft(draft, date(2026, 11, 23))
    fields = {e.field for e in caught.value.errors}
    assert fields == {"title", "request_date", "severity", "deviation", "plan_deadline"}
