"""Recall: the list of who is due, hand-set due dates, and finding a free suitable time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from clinic_desk.domain.appointments import AppointmentKind
from clinic_desk.domain.calendar_days import holiday_name
from clinic_desk.domain.errors import NotFound, RuleViolation
from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.domain.recall import DEFAULT_LEAD_MONTHS, RecallRow, check_override
from clinic_desk.store.recall import RecallFilter
from clinic_desk.store.store import Store
from clinic_desk.workflows.appointments import LEAD_MONTHS_KEY, opening_hours
from clinic_desk.workflows.contract_rules import rules_on

RECALL_RESPONSIBLE_KEY = "recall_responsible_user_id"
SLOT_STEP_MINUTES = 15
SEARCH_DAYS = 60


def lead_months(store: Store) -> int:
    """How long before the due date a patient counts as due (clinic setting, default 2)."""
    return int(store.settings.get(LEAD_MONTHS_KEY, DEFAULT_LEAD_MONTHS))


def recall_list(
    store: Store, today: date, now: datetime, selection: RecallFilter | None = None
) -> list[RecallRow]:
    """Our clinic's listed patients (from the year they turn 3) with due date and next time."""
    own = store.clinics.own()
    if own is None:
        raise RuleViolation("Lägg in den egna kliniken under Register → Kliniker först.")
    return store.recall.rows(own.id, today, now, selection or RecallFilter())


@requires(Permission.BOOK_APPOINTMENTS)
def set_due_date(
    store: Store, actor: User, patient_id: int, due: date, reason: str, today: date
) -> None:
    """Set a patient's recall date by hand, with a reason, never beyond the contract's cap."""
    with store.transaction():
        standing = store.recall.row(patient_id, today, datetime.combine(today, datetime.min.time()))
        if standing is None:
            raise NotFound(f"Patienten finns inte (id {patient_id}).")
        check_override(
            due,
            standing.last_exam_date,
            standing.birth_date,
            today,
            reason,
            rules=rules_on(store, today),
        )
        exam_id = store.recall.current_exam_id(patient_id)
        store.recall.add_override(patient_id, exam_id, due, reason, actor.id)
        store.audit.append(
            actor.id,
            "recall.override",
            patient_id=patient_id,
            entity="recall",
            entity_id=patient_id,
            detail={
                "due_date": due.isoformat(),
                "reason": reason.strip(),
                "previous": standing.due_date.isoformat(),
            },
        )


def next_free_time(
    store: Store,
    practitioner_id: int,
    earliest: datetime,
    minutes: int = AppointmentKind.REVISION.default_minutes,
    days: int = SEARCH_DAYS,
) -> datetime | None:
    """The first time from `earliest` when the practitioner is free for `minutes`, within
    opening hours and not on a public holiday or eve; None within `days` days."""
    hours = opening_hours(store)
    day = earliest.date()
    for _ in range(days):
        today_hours = hours.for_day(day)
        if today_hours is not None and holiday_name(day) is None:
            booked = store.appointments.conflicts(
                practitioner_id,
                datetime.combine(day, today_hours.opens),
                int(
                    (
                        datetime.combine(day, today_hours.closes)
                        - datetime.combine(day, today_hours.opens)
                    ).total_seconds()
                    // 60
                ),
            )
            moment = max(datetime.combine(day, today_hours.opens), earliest)
            moment += timedelta(minutes=-moment.minute % SLOT_STEP_MINUTES)
            while moment.date() == day and moment.time() < today_hours.closes:
                if hours.is_open(moment, minutes) and not any(
                    b.overlaps(moment, minutes) for b in booked
                ):
                    return moment
                moment += timedelta(minutes=SLOT_STEP_MINUTES)
        day += timedelta(days=1)
    return None


def recall_responsible(store: Store) -> int | None:
    """The clinic's named recall-responsible person (seed 003), if set."""
    value = store.settings.get(RECALL_RESPONSIBLE_KEY)
    return int(value) if isinstance(value, int) else None


@requires(Permission.EDIT_CLINIC_SETTINGS)
def set_recall_responsible(store: Store, actor: User, user_id: int | None) -> None:
    """Name (or clear) the person responsible for recall."""
    if user_id is not None and store.users.get(user_id) is None:
        raise NotFound(f"Användaren finns inte (id {user_id}).")
    with store.transaction():
        store.settings.set(RECALL_RESPONSIBLE_KEY, user_id, actor.id)
        store.audit.append(
            actor.id,
            "settings.recall_responsible",
            entity="settings",
            entity_id=RECALL_RESPONSIBLE_KEY,
            detail={"user_id": user_id},
        )
