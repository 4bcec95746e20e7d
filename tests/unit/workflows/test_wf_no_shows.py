"""No-shows: notices to both guardians, the child-at-risk case, fees only for agreed times."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from clinic_desk.domain.appointments import AppointmentKind, AppointmentStatus
from clinic_desk.domain.billing import is_valid_ocr
from clinic_desk.domain.errors import RuleViolation
from clinic_desk.domain.patient_records import GuardianDraft, PatientDraft
from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import PermissionDenied
from clinic_desk.store.store import Store
from clinic_desk.workflows.appointments import AppointmentDraft, book_appointment
from clinic_desk.workflows.no_shows import (
    FEE_KEY,
    assess,
    charge_lost_appliance,
    charge_no_show_fee,
    fee_refusal,
    log_no_show,
    record_concern_decision,
    send_notices,
)
from clinic_desk.workflows.patients import register_patient

TODAY = date(2026, 11, 23)
MOTHER = GuardianDraft(
    "19840412-2387", "Anna", "Lindqvist", "Storgatan 12", "903 25", "Umeå", "070-1234567"
)
FATHER = GuardianDraft(
    "19821130-8930", "Johan", "Berg", "Kungsgatan 3", "903 27", "Umeå", "070-7654321"
)


@pytest.fixture
def nine_year_old(store: Store, actor: User) -> int:
    return register_patient(
        store,
        actor,
        PatientDraft("20170412-2389", "Ella", "Lindqvist"),
        TODAY,
        guardians=(MOTHER, FATHER),
    )


def _time(
    store: Store,
    actor: User,
    patient_id: int,
    dentist_id: int,
    start: datetime,
    summoned: bool = False,
) -> int:
    return book_appointment(
        store,
        actor,
        AppointmentDraft(
            patient_id, dentist_id, start, 45, AppointmentKind.REVISION, summoned=summoned
        ),
        datetime(2026, 9, 1, 8, 0),
    )


def test_two_no_shows_bring_a_notice_to_each_guardian_and_a_concern(
    store: Store, actor: User, nine_year_old: int, dentist_id: int, clinics: dict[str, int]
) -> None:
    first = _time(store, actor, nine_year_old, dentist_id, datetime(2026, 10, 5, 9, 0))
    second = _time(store, actor, nine_year_old, dentist_id, datetime(2026, 11, 16, 9, 0))
    outcome = log_no_show(store, actor, first, datetime(2026, 10, 5, 10, 0))
    assert not outcome.assessment.written_notice_due
    assert not outcome.concern_raised
    outcome = log_no_show(store, actor, second, datetime(2026, 11, 16, 10, 0))
    assert outcome.assessment.count_in_window == 2
    assert outcome.assessment.written_notice_due
    assert outcome.concern_raised
    assert outcome.new_time_by == date(2026, 12, 14)
    assert store.no_shows.open_concern(nine_year_old) is not None

    documents = send_notices(store, actor, nine_year_old, TODAY)
    assert len(documents) == 2  # the guardians live apart: one letter each
    texts = [
        PdfReader(io.BytesIO(store.documents.content(d))).pages[0].extract_text() for d in documents
    ]
    assert "Anna Lindqvist" in texts[0]
    assert "Storgatan 12" in texts[0]
    assert "Johan Berg" in texts[1]
    assert "Kungsgatan 3" in texts[1]
    assert all("2026-10-05 kl. 09:00" in t and "2026-11-16 kl. 09:00" in t for t in texts)
    assert not assess(store, nine_year_old, TODAY).written_notice_due  # not again...
    third = _time(store, actor, nine_year_old, dentist_id, datetime(2026, 11, 24, 9, 0))
    log_no_show(store, actor, third, datetime(2026, 11, 24, 10, 0))
    assert assess(store, nine_year_old, date(2026, 11, 24)).written_notice_due  # a newer one


def test_only_a_dentist_closes_the_concern_and_only_once(
    store: Store, actor: User, nine_year_old: int, dentist_id: int
) -> None:
    for day in (5, 12):
        appointment = _time(store, actor, nine_year_old, dentist_id, datetime(2026, 10, day, 9))
        log_no_show(store, actor, appointment, datetime(2026, 10, day, 10))
    case = store.no_shows.open_concern(nine_year_old)
    assert case is not None
    with pytest.raises(PermissionDenied):  # the administrator may not see concern records
        record_concern_decision(store, actor, case.id, False, "x", TODAY)
    dentist = store.users.get(dentist_id)
    assert dentist is not None
    record_concern_decision(
        store, dentist, case.id, False, "Familjen har flyttat, ny tid bokad", TODAY
    )
    assert store.no_shows.open_concern(nine_year_old) is None
    with pytest.raises(RuleViolation):
        record_concern_decision(store, dentist, case.id, True, "ändrat", TODAY)


def test_no_concern_for_an_eighteen_year_old(store: Store, actor: User, dentist_id: int) -> None:
    adult = register_patient(store, actor, PatientDraft("20080412-2380", "Alva", "Ek"), TODAY)
    for day in (5, 12):
        appointment = _time(store, actor, adult, dentist_id, datetime(2026, 10, day, 9))
        outcome = log_no_show(store, actor, appointment, datetime(2026, 10, day, 10))
    assert outcome.assessment.written_notice_due
    assert not outcome.concern_raised


def test_a_fee_only_for_an_agreed_time(
    store: Store, actor: User, nine_year_old: int, dentist_id: int, clinics: dict[str, int]
) -> None:
    summoned = _time(store, actor, nine_year_old, dentist_id, datetime(2026, 10, 5, 9), True)
    agreed = _time(store, actor, nine_year_old, dentist_id, datetime(2026, 10, 12, 9))
    log_no_show(store, actor, summoned, datetime(2026, 10, 5, 10))
    log_no_show(store, actor, agreed, datetime(2026, 10, 12, 10))
    summoned_time = store.appointments.get(summoned)
    agreed_time = store.appointments.get(agreed)
    assert summoned_time is not None
    assert agreed_time is not None
    assert "kallelse som aldrig bekräftades" in (fee_refusal(store, summoned_time) or "")
    assert "0 kr" in (fee_refusal(store, agreed_time) or "")  # fees are off by default
    with store.transaction():
        store.settings.set(FEE_KEY, 30_000, actor.id)
    assert fee_refusal(store, agreed_time) is None
    with pytest.raises(RuleViolation):
        charge_no_show_fee(store, actor, summoned, TODAY)
    fee_id = charge_no_show_fee(store, actor, agreed, TODAY)
    fee_doc = store.documents.for_source("patient_fees", fee_id)[0]
    text = PdfReader(io.BytesIO(store.documents.content(fee_doc.id))).pages[0].extract_text()
    assert "300,00 kr" in text
    assert "Anna Lindqvist" in text  # to the first guardian who receives letters
    ocr = store.conn.execute("SELECT ocr FROM patient_fees WHERE id = ?", (fee_id,)).fetchone()[0]
    assert is_valid_ocr(ocr)
    assert ocr in text
    with pytest.raises(RuleViolation, match="redan skickad"):
        charge_no_show_fee(store, actor, agreed, TODAY)


def test_a_lost_brace_is_the_only_other_fee(
    store: Store, actor: User, nine_year_old: int, clinics: dict[str, int]
) -> None:
    fee_id = charge_lost_appliance(store, actor, nine_year_old, "lost_brace", 150_000, TODAY)
    assert store.documents.for_source("patient_fees", fee_id)
    with pytest.raises(RuleViolation, match="Bara förlorad"):
        charge_lost_appliance(store, actor, nine_year_old, "x-ray", 100, TODAY)


def test_a_time_that_has_not_started_cannot_be_a_no_show(
    store: Store, actor: User, nine_year_old: int, dentist_id: int
) -> None:
    appointment = _time(store, actor, nine_year_old, dentist_id, datetime(2026, 12, 1, 9))
    with pytest.raises(RuleViolation, match="inte börjat"):
        log_no_show(store, actor, appointment, datetime(2026, 11, 23, 9))
    booked = store.appointments.get(appointment)
    assert booked is not None
    assert booked.status is AppointmentStatus.AGREED


def test_rates_per_month(store: Store, actor: User, nine_year_old: int, dentist_id: int) -> None:
    a = _time(store, actor, nine_year_old, dentist_id, datetime(2026, 10, 5, 9))
    _time(store, actor, nine_year_old, dentist_id, datetime(2026, 10, 6, 9))
    log_no_show(store, actor, a, datetime(2026, 10, 5, 10))
    rows = store.no_shows.rates(date(2026, 10, 1), date(2026, 10, 31), "month")
    assert [(r.key, r.total, r.no_shows) for r in rows] == [("2026-10", 2, 1)]
    assert rows[0].no_show_rate == 50.0


def test_the_follow_up_list_holds_patients_until_a_new_time_is_booked(
    store: Store, actor: User, nine_year_old: int, dentist_id: int
) -> None:
    missed = _time(store, actor, nine_year_old, dentist_id, datetime(2026, 11, 16, 9))
    log_no_show(store, actor, missed, datetime(2026, 11, 16, 10))
    follow = store.no_shows.follow_ups()
    assert [(f.patient_id, f.missed_on, f.practitioner_id) for f in follow] == [
        (nine_year_old, datetime(2026, 11, 16, 9), dentist_id)
    ]
    _time(store, actor, nine_year_old, dentist_id, datetime(2026, 12, 7, 9))
    assert store.no_shows.follow_ups() == []


def test_the_threshold_and_window_come_from_the_clinic_settings(
    store: Store, actor: User, nine_year_old: int, dentist_id: int
) -> None:
    from clinic_desk.workflows.no_shows import THRESHOLD_KEY, WINDOW_KEY

    with store.transaction():
        store.settings.set(THRESHOLD_KEY, 3, actor.id)
    for day in (5, 12):
        appointment = _time(store, actor, nine_year_old, dentist_id, datetime(2026, 10, day, 9))
        outcome = log_no_show(store, actor, appointment, datetime(2026, 10, day, 10))
    assert not outcome.assessment.written_notice_due  # 2 of 3
    with store.transaction():
        store.settings.set(THRESHOLD_KEY, 2, actor.id)
        store.settings.set(WINDOW_KEY, 1, actor.id)  # only the last month counts
    assert assess(store, nine_year_old, date(2026, 10, 12)).written_notice_due
    assert not assess(store, nine_year_old, date(2026, 11, 10)).written_notice_due
