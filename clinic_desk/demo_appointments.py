"""Demo appointment book: a year back, three weeks ahead, most times taken.

Past times are done, with a realistic few no-shows and late cancellations; coming times
are agreed, and a third of those more than a week ahead are still summoned (offered in a
letter, not yet confirmed).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from clinic_desk.domain.appointments import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    ConfirmedHow,
)
from clinic_desk.domain.people import Profession, User
from clinic_desk.store.store import Store
from clinic_desk.workflows.appointments import (
    BOOKABLE,
    AppointmentDraft,
    book_appointment,
    opening_hours,
)
from clinic_desk.workflows.no_shows import log_no_show, record_concern_decision

SEED_OFFSET = 5_000
DAYS_BACK = 365  # a year back, so the no-show statistics have something to show
DAYS_AHEAD = 21


def build_demo_appointments(store: Store, actor: User, today: date, seed: int) -> int:
    """Fill the book around `today`; returns how many times were booked."""
    rng = random.Random(seed + SEED_OFFSET)
    patient_ids = [
        int(r[0])
        for r in store.conn.execute(
            "SELECT id FROM patients WHERE end_date IS NULL AND protected_identity = 0"
            " AND birth_date <= ? ORDER BY id",
            ((today - timedelta(days=3 * 365)).isoformat(),),
        )
    ]
    practitioners = store.users.with_profession(*BOOKABLE)
    if not patient_ids or not practitioners:
        return 0
    hours = opening_hours(store)
    booked: list[Appointment] = []
    for offset in range(-DAYS_BACK, DAYS_AHEAD + 1):
        day = today + timedelta(days=offset)
        day_hours = hours.for_day(day)
        if day_hours is None:
            continue
        for person in practitioners:
            moment = datetime.combine(day, day_hours.opens)
            close = datetime.combine(day, day_hours.closes)
            while moment < close:
                kind = rng.choice(
                    (
                        AppointmentKind.REVISION,
                        AppointmentKind.REVISION,
                        AppointmentKind.TREATMENT,
                        AppointmentKind.FOLLOW_UP,
                    )
                )
                minutes = kind.default_minutes
                if not hours.is_open(moment, minutes) or rng.random() < 0.25:
                    moment += timedelta(minutes=15)
                    continue
                status, how = _status(rng, offset)
                booked.append(
                    Appointment(
                        id=0,
                        patient_id=rng.choice(patient_ids),
                        practitioner_id=person.id,
                        start=moment,
                        minutes=minutes,
                        kind=kind,
                        status=status,
                        confirmed_how=how,
                        confirmed_at=datetime.combine(
                            day - timedelta(days=rng.randint(7, 40)), time(10)
                        )
                        if how
                        else None,
                        confirmed_by_name="Vårdnadshavare" if how else "",
                    )
                )
                moment += timedelta(minutes=minutes)
    with store.transaction():
        store.appointments.insert_many(booked, actor.id)
    _repeated_no_shows(store, actor, rng, today, patient_ids, practitioners[0].id)
    return len(booked)


def _repeated_no_shows(
    store: Store,
    actor: User,
    rng: random.Random,
    today: date,
    patient_ids: list[int],
    practitioner_id: int,
) -> None:
    """A few families who missed two agreed times lately: notices due, one child concern."""
    children = [
        pid
        for pid in rng.sample(patient_ids, min(40, len(patient_ids)))
        if (p := store.patients.get(pid)) is not None and today.year - p.birth_date.year < 17
    ][:3]
    for number, patient_id in enumerate(children):
        for weeks in (9, 3):
            day = today - timedelta(weeks=weeks, days=number)
            while day.weekday() >= 5:
                day -= timedelta(days=1)
            start = datetime.combine(day, time(7, 15))  # before opening: free in the demo book
            appointment = book_appointment(
                store,
                actor,
                AppointmentDraft(patient_id, practitioner_id, start, 30, AppointmentKind.TREATMENT),
                start - timedelta(days=20),
                overbook=True,
            )
            log_no_show(store, actor, appointment, start + timedelta(hours=2))
        case = store.no_shows.open_concern(patient_id)
        dentists = store.users.with_profession(Profession.DENTIST)
        if number and case is not None and dentists:  # one concern stays open
            record_concern_decision(
                store,
                dentists[0],
                case.id,
                False,
                "Vårdnadshavaren nådd; familjen har flyttat, ny tid bokad.",
                today,
            )


def _status(rng: random.Random, offset: int) -> tuple[AppointmentStatus, ConfirmedHow | None]:
    roll = rng.random()
    if offset < 0:
        if roll < 0.035:
            return AppointmentStatus.NO_SHOW, ConfirmedHow.PHONE
        if roll < 0.06:
            return AppointmentStatus.LATE_CANCELLED, ConfirmedHow.PHONE
        return AppointmentStatus.DONE, ConfirmedHow.BOOKED_TOGETHER
    if offset > 7 and roll < 0.35:
        return AppointmentStatus.SUMMONED, None
    return AppointmentStatus.AGREED, rng.choice(
        (ConfirmedHow.PHONE, ConfirmedHow.REPLY, ConfirmedHow.BOOKED_TOGETHER)
    )
