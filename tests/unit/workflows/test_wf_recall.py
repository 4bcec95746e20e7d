"""The due-date chain: signed exam → recall date → booked time → done → next recall date."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from clinic_desk.domain.appointments import AppointmentKind, ConfirmedHow
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.exams import BiteCheck, CariesIndices, ExamDraft, ExamKind, RiskGroup
from clinic_desk.domain.listing import ListingKind
from clinic_desk.domain.patient_records import PatientDraft
from clinic_desk.domain.people import User
from clinic_desk.domain.recall import RecallRow, RecallState, lateness_band
from clinic_desk.store.recall import RecallFilter
from clinic_desk.store.store import Store
from clinic_desk.workflows.appointments import (
    AppointmentDraft,
    book_appointment,
    confirm_appointment,
    mark_arrived,
    mark_done,
)
from clinic_desk.workflows.exams import save_exam
from clinic_desk.workflows.listing import ListingDraft
from clinic_desk.workflows.patients import register_patient
from clinic_desk.workflows.recall import next_free_time, recall_list, set_due_date

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 8, 0)


@pytest.fixture
def dentist(store: Store, dentist_id: int) -> User:
    found = store.users.get(dentist_id)
    assert found is not None
    return found


@pytest.fixture
def child(store: Store, actor: User, clinics: dict[str, int]) -> int:
    """A 9-year-old listed at our clinic."""
    return register_patient(
        store,
        actor,
        PatientDraft("20170412-2389", "Ella", "Berg"),
        TODAY,
        listing=ListingDraft(clinics["own"], date(2024, 1, 10), ListingKind.CHOICE, "Anna Berg"),
    )


def _exam(patient_id: int, day: date, months: int, risk: RiskGroup) -> ExamDraft:
    """A complete dentist revision exam for a 6–13-year-old (bite check included)."""
    return ExamDraft(
        patient_id,
        day,
        ExamKind.DENTIST_REVISION,
        risk,
        interval_months=months,
        treatment_plan="Kontroll",
        indices=CariesIndices(),
        bite_check=BiteCheck.NORMAL,
    )


def _only(rows: list[RecallRow], patient_id: int) -> RecallRow:
    mine = [r for r in rows if r.patient_id == patient_id]
    assert len(mine) == 1
    return mine[0]


def test_without_an_exam_the_first_exam_rule_decides(store: Store, child: int) -> None:
    row = _only(recall_list(store, TODAY, NOW), child)
    assert row.due_date == date(2020, 12, 31)  # the year the child turned 3
    assert row.last_exam_date is None
    assert row.state(TODAY) is RecallState.OVERDUE
    assert row.months_late(TODAY) == 70
    assert lateness_band(row.months_late(TODAY)) == "> 6 mån"


def test_the_chain_exam_recall_booking_done(
    store: Store, actor: User, dentist: User, child: int
) -> None:
    save_exam(
        store,
        dentist,
        _exam(child, date(2025, 12, 1), 12, RiskGroup.LOW),
        TODAY,
        sign=True,
    )
    row = _only(recall_list(store, TODAY, NOW), child)
    assert row.due_date == date(2026, 12, 1)
    assert row.last_exam_date == date(2025, 12, 1)
    assert row.state(TODAY) is RecallState.DUE  # within two months
    assert row.state(date(2026, 9, 1)) is RecallState.NOT_DUE

    appointment = book_appointment(
        store,
        actor,
        AppointmentDraft(
            child,
            dentist.id,
            datetime(2026, 12, 2, 9, 0),
            45,
            AppointmentKind.REVISION,
            summoned=True,
        ),
        NOW,
    )
    assert _only(recall_list(store, TODAY, NOW), child).state(TODAY) is RecallState.SUMMONED
    confirm_appointment(store, actor, appointment, ConfirmedHow.PHONE, "Anna Berg", NOW)
    assert _only(recall_list(store, TODAY, NOW), child).state(TODAY) is RecallState.BOOKED

    visit_day = datetime(2026, 12, 2, 10, 0)
    mark_arrived(store, actor, appointment)
    mark_done(store, actor, appointment)
    # the visit is over; the next signed exam moves the due date on
    save_exam(
        store,
        dentist,
        _exam(child, date(2026, 12, 2), 18, RiskGroup.MEDIUM),
        date(2026, 12, 2),
        sign=True,
    )
    row = _only(recall_list(store, date(2026, 12, 2), visit_day), child)
    assert row.due_date == date(2028, 6, 2)
    assert row.state(date(2026, 12, 2)) is RecallState.NOT_DUE


def test_unsigned_exams_and_health_checks_do_not_move_the_recall(
    store: Store, dentist: User, child: int
) -> None:
    save_exam(
        store,
        dentist,
        _exam(child, date(2026, 11, 1), 24, RiskGroup.LOW),
        TODAY,
    )  # draft
    assert _only(recall_list(store, TODAY, NOW), child).last_exam_date is None


def test_a_hand_set_date_needs_a_reason_and_stays_within_the_cap(
    store: Store, actor: User, dentist: User, child: int
) -> None:
    save_exam(
        store,
        dentist,
        _exam(child, date(2026, 1, 10), 12, RiskGroup.LOW),
        TODAY,
        sign=True,
    )
    with pytest.raises(ValidationError) as no_reason:
        set_due_date(store, actor, child, date(2027, 3, 1), " ", TODAY)
    assert no_reason.value.message_for("reason")
    with pytest.raises(ValidationError) as too_late:
        set_due_date(store, actor, child, date(2028, 1, 11), "Utlandsvistelse", TODAY)
    assert "24 månader" in (too_late.value.message_for("due_date") or "")
    before = store.audit.count()
    set_due_date(store, actor, child, date(2028, 1, 10), "Utlandsvistelse", TODAY)
    row = _only(recall_list(store, TODAY, NOW), child)
    assert row.due_date == date(2028, 1, 10)
    assert row.overridden
    assert store.audit.count() == before + 1
    # a newer signed exam replaces the hand-set date
    save_exam(
        store,
        dentist,
        _exam(child, date(2026, 11, 20), 12, RiskGroup.LOW),
        TODAY,
        sign=True,
    )
    row = _only(recall_list(store, TODAY, NOW), child)
    assert row.due_date == date(2027, 11, 20)
    assert not row.overridden


def test_the_list_filters_by_due_month_and_dentist(store: Store, dentist: User, child: int) -> None:
    save_exam(
        store,
        dentist,
        _exam(child, date(2026, 3, 5), 12, RiskGroup.LOW),
        TODAY,
        sign=True,
    )
    march = RecallFilter(due_from=date(2027, 3, 1), due_to=date(2027, 3, 31))
    assert [r.patient_id for r in recall_list(store, TODAY, NOW, march)] == [child]
    april = RecallFilter(due_from=date(2027, 4, 1), due_to=date(2027, 4, 30))
    assert recall_list(store, TODAY, NOW, april) == []
    other_dentist = RecallFilter(dentist_id=dentist.id + 100)
    assert recall_list(store, TODAY, NOW, other_dentist) == []


def test_next_free_time_skips_booked_times_breaks_and_holidays(
    store: Store, actor: User, dentist: User, child: int
) -> None:
    book_appointment(
        store,
        actor,
        AppointmentDraft(
            child, dentist.id, datetime(2026, 12, 23, 8, 0), 45, AppointmentKind.TREATMENT
        ),
        NOW,
    )
    assert next_free_time(store, dentist.id, datetime(2026, 12, 23, 8, 0)) == datetime(
        2026, 12, 23, 8, 45
    )
    assert next_free_time(store, dentist.id, datetime(2026, 12, 23, 11, 30)) == datetime(
        2026, 12, 23, 13, 0
    )  # not into lunch
    # 24 Dec (Julafton), 25 and 26 (holidays), 27 (Sunday): first free is Monday 28th
    assert next_free_time(store, dentist.id, datetime(2026, 12, 23, 16, 30)) == datetime(
        2026, 12, 28, 8, 0
    )
