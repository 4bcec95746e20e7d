"""Booking, moving, confirming and cancelling times in the appointment book."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from clinic_desk.domain.appointments import AppointmentKind, AppointmentStatus, ConfirmedHow
from clinic_desk.domain.errors import RuleViolation, ValidationError
from clinic_desk.domain.patient_records import PatientDraft
from clinic_desk.domain.people import Profession, User
from clinic_desk.domain.permissions import PermissionDenied
from clinic_desk.store.store import Store
from clinic_desk.workflows.appointments import (
    AppointmentDraft,
    Overbooking,
    book_appointment,
    cancel_appointment,
    check_booking,
    confirm_appointment,
    mark_arrived,
    mark_done,
    move_appointment,
)
from clinic_desk.workflows.patients import register_patient
from clinic_desk.workflows.staff import add_staff

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 8, 0)
MONDAY_9 = datetime(2026, 11, 30, 9, 0)


@pytest.fixture
def patient_id(store: Store, actor: User) -> int:
    return register_patient(
        store, actor, PatientDraft("20150307-2389", "Märta", "Lindqvist"), TODAY
    )


def _draft(
    patient_id: int, dentist_id: int, start: datetime = MONDAY_9, **kw: object
) -> AppointmentDraft:
    return AppointmentDraft(patient_id, dentist_id, start, 45, AppointmentKind.REVISION, **kw)  # type: ignore[arg-type]


def test_booking_with_the_patient_is_agreed_and_logged(
    store: Store, actor: User, patient_id: int, dentist_id: int
) -> None:
    before = store.audit.count()
    appointment_id = book_appointment(store, actor, _draft(patient_id, dentist_id), NOW)
    booked = store.appointments.get(appointment_id)
    assert booked is not None
    assert booked.status is AppointmentStatus.AGREED
    assert booked.confirmed_how is ConfirmedHow.BOOKED_TOGETHER
    assert booked.end == datetime(2026, 11, 30, 9, 45)
    assert store.audit.count() == before + 1
    assert [e[1] for e in store.appointments.events(appointment_id)] == ["book"]


def test_a_summoned_time_is_agreed_only_when_confirmed(
    store: Store, actor: User, patient_id: int, dentist_id: int
) -> None:
    appointment_id = book_appointment(
        store, actor, _draft(patient_id, dentist_id, summoned=True), NOW
    )
    summoned = store.appointments.get(appointment_id)
    assert summoned is not None
    assert summoned.status is AppointmentStatus.SUMMONED
    assert summoned.confirmed_at is None
    with pytest.raises(ValidationError):
        confirm_appointment(store, actor, appointment_id, ConfirmedHow.PHONE, " ", NOW)
    confirm_appointment(store, actor, appointment_id, ConfirmedHow.PHONE, "Anna Lindqvist", NOW)
    agreed = store.appointments.get(appointment_id)
    assert agreed is not None
    assert agreed.status is AppointmentStatus.AGREED
    assert agreed.confirmed_how is ConfirmedHow.PHONE
    assert agreed.confirmed_by_name == "Anna Lindqvist"
    assert agreed.confirmed_at == NOW


def test_double_booking_is_refused_unless_confirmed(
    store: Store, actor: User, patient_id: int, dentist_id: int
) -> None:
    first = book_appointment(store, actor, _draft(patient_id, dentist_id), NOW)
    overlapping = _draft(patient_id, dentist_id, datetime(2026, 11, 30, 9, 30))
    count = len(store.appointments.for_patient(patient_id))
    with pytest.raises(Overbooking, match="09:00–09:45"):
        book_appointment(store, actor, overlapping, NOW)
    assert len(store.appointments.for_patient(patient_id)) == count
    second = book_appointment(store, actor, overlapping, NOW, overbook=True)
    booked = store.appointments.get(second)
    assert booked is not None
    assert booked.overbooked
    # back to back is not a double booking
    book_appointment(
        store, actor, _draft(patient_id, dentist_id, datetime(2026, 11, 30, 10, 15)), NOW
    )
    assert first != second


def test_moving_checks_conflicts_and_keeps_history(
    store: Store, actor: User, patient_id: int, dentist_id: int
) -> None:
    first = book_appointment(store, actor, _draft(patient_id, dentist_id), NOW)
    other = book_appointment(
        store, actor, _draft(patient_id, dentist_id, datetime(2026, 11, 30, 13, 0)), NOW
    )
    with pytest.raises(Overbooking):
        move_appointment(store, actor, first, datetime(2026, 11, 30, 13, 15))
    move_appointment(store, actor, first, datetime(2026, 12, 1, 10, 0), minutes=60)
    moved = store.appointments.get(first)
    assert moved is not None
    assert moved.start == datetime(2026, 12, 1, 10, 0)
    assert moved.minutes == 60
    assert [e[1] for e in store.appointments.events(first)] == ["book", "move"]
    assert store.appointments.events(first)[1][2]["from"] == "2026-11-30T09:00"
    assert other


def test_cancelled_times_stay_in_the_book(
    store: Store, actor: User, patient_id: int, dentist_id: int
) -> None:
    appointment_id = book_appointment(store, actor, _draft(patient_id, dentist_id), NOW)
    with pytest.raises(ValidationError):
        cancel_appointment(store, actor, appointment_id, True, "", NOW)
    status = cancel_appointment(store, actor, appointment_id, True, "Sjuk", NOW)
    assert status is AppointmentStatus.CANCELLED_BY_PATIENT
    entries = store.appointments.book(date(2026, 11, 30), 1)
    assert [e.appointment.status for e in entries] == [AppointmentStatus.CANCELLED_BY_PATIENT]
    assert store.appointments.book(date(2026, 11, 30), 1, include_cancelled=False) == []
    # the time is free again
    book_appointment(store, actor, _draft(patient_id, dentist_id), NOW)
    with pytest.raises(RuleViolation):
        move_appointment(store, actor, appointment_id, datetime(2026, 12, 2, 9, 0))


def test_a_late_cancellation_by_the_patient_is_its_own_status(
    store: Store, actor: User, patient_id: int, dentist_id: int
) -> None:
    appointment_id = book_appointment(store, actor, _draft(patient_id, dentist_id), NOW)
    status = cancel_appointment(
        store, actor, appointment_id, True, "Glömde", datetime(2026, 11, 30, 7, 0)
    )
    assert status is AppointmentStatus.LATE_CANCELLED


def test_arrived_and_done(store: Store, actor: User, patient_id: int, dentist_id: int) -> None:
    appointment_id = book_appointment(store, actor, _draft(patient_id, dentist_id), NOW)
    with pytest.raises(RuleViolation):
        mark_done(store, actor, appointment_id)
    mark_arrived(store, actor, appointment_id)
    mark_done(store, actor, appointment_id)
    done = store.appointments.get(appointment_id)
    assert done is not None
    assert done.status is AppointmentStatus.DONE


def test_holidays_and_closed_hours_are_warned_about(
    store: Store, patient_id: int, dentist_id: int
) -> None:
    christmas = check_booking(store, dentist_id, datetime(2026, 12, 24, 9, 0), 45)
    assert christmas.holiday == "Julafton"
    assert any("Julafton" in m for m in christmas.messages)
    lunch = check_booking(store, dentist_id, datetime(2026, 11, 30, 11, 45), 45)
    assert lunch.outside_hours
    assert lunch.holiday is None
    fine = check_booking(store, dentist_id, MONDAY_9, 45)
    assert fine.messages == []


def test_only_practitioners_can_be_booked_and_only_staff_who_may_book(
    store: Store, actor: User, patient_id: int, dentist_id: int
) -> None:
    with pytest.raises(ValidationError) as caught:
        book_appointment(store, actor, _draft(patient_id, actor.id), NOW)
    assert caught.value.message_for("practitioner")
    reception = store.users.get(
        add_staff(store, actor, "petra.ek", "Petra Ek", Profession.RECEPTIONIST)
    )
    assert reception is not None
    book_appointment(store, reception, _draft(patient_id, dentist_id), NOW)
    manager_id = add_staff(store, actor, "anders.w", "Anders Wallin", Profession.MANAGER)
    manager = store.users.get(manager_id)
    assert manager is not None
    book_appointment(
        store, manager, _draft(patient_id, dentist_id, datetime(2026, 12, 3, 9, 0)), NOW
    )
    store.users.set_active(reception.id, False)
    closed = store.users.get(reception.id)
    assert closed is not None
    with pytest.raises(PermissionDenied):
        book_appointment(
            store, closed, _draft(patient_id, dentist_id, datetime(2026, 12, 4, 9, 0)), NOW
        )
