"""Recall letters and batch summoning: book times, write letters by household, archive them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from importlib.resources import files

from clinic_desk.documents.recall_letter import recall_letter_pdf
from clinic_desk.domain.appointments import AppointmentKind
from clinic_desk.domain.care_rules import add_months
from clinic_desk.domain.errors import FieldError, RuleViolation, ValidationError
from clinic_desk.domain.letters import letter_recipients
from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.domain.recall_letters import (
    TEMPLATE_BOOKED,
    TEMPLATE_UNBOOKED,
    LetterChild,
    RecallLetter,
    check_template,
    group_letters,
)
from clinic_desk.store.documents import ArchivedDocument
from clinic_desk.store.store import Store
from clinic_desk.workflows.appointments import BOOKABLE, AppointmentDraft, book_appointment
from clinic_desk.workflows.recall import next_free_time

TEMPLATES = (TEMPLATE_BOOKED, TEMPLATE_UNBOOKED)
DOCUMENT_KIND = "recall_letter"


def default_template(name: str) -> str:
    """The template shipped in resources/letters/."""
    if name not in TEMPLATES:
        raise KeyError(name)
    return (files("clinic_desk.resources") / "letters" / f"{name}.txt").read_text(encoding="utf-8")


def template(store: Store, name: str) -> str:
    """The clinic's edited template, else the shipped one."""
    edited = store.settings.get(f"letter_template.{name}")
    return str(edited) if isinstance(edited, str) and edited.strip() else default_template(name)


@requires(Permission.EDIT_CLINIC_SETTINGS)
def save_template(store: Store, actor: User, name: str, text: str) -> None:
    """Store an edited letter template (checked first); an empty text restores the default."""
    if name not in TEMPLATES:
        raise KeyError(name)
    problems = check_template(text) if text.strip() else []
    if problems:
        raise ValidationError([FieldError("template", p) for p in problems])
    with store.transaction():
        store.settings.set(f"letter_template.{name}", text.strip(), actor.id)
        store.audit.append(actor.id, "settings.letter_template", entity="settings", entity_id=name)


@dataclass(frozen=True)
class BatchPlan:
    """What a batch produced (or would produce)."""

    letters: list[RecallLetter]
    skipped_protected: int


def plan_letters(store: Store, patient_ids: list[int], today: date, now: datetime) -> BatchPlan:
    """Letters for these patients, siblings at one address in one letter. Protected-identity
    patients are left out of batches: their post goes through Skatteverket, one by one."""
    names = {u.id: u.full_name for u in store.users.all(include_inactive=True)}
    items = []
    skipped = 0
    for patient_id in patient_ids:
        patient = store.patients.get(patient_id)
        if patient is None or patient.end_date is not None:
            continue
        if patient.protected_identity:
            skipped += 1
            continue
        booked = store.appointments.next_booked(patient_id, now)
        child = LetterChild(
            patient_id,
            patient.full_name,
            booked.start if booked else None,
            names.get(booked.practitioner_id, "") if booked else "",
        )
        guardians = tuple(store.guardians.for_patient(patient_id))
        for recipient in letter_recipients(patient, guardians, today):
            items.append((recipient, child))
    return BatchPlan(group_letters(items), skipped)


@requires(Permission.BOOK_APPOINTMENTS)
def send_letter(
    store: Store, actor: User, letter: RecallLetter, today: date
) -> list[ArchivedDocument]:
    """Render one letter and archive it with every child it is about (one transaction)."""
    clinic = store.clinics.own()
    if clinic is None:
        raise RuleViolation("Lägg in den egna kliniken under Register → Kliniker först.")
    text = template(store, TEMPLATE_BOOKED if letter.booked else TEMPLATE_UNBOOKED)
    content = recall_letter_pdf(clinic, letter, text, today)
    archived = []
    with store.transaction():
        for child in letter.children:
            archived.append(
                store.documents.add(
                    DOCUMENT_KIND,
                    f"Kallelse {today.isoformat()}",
                    content,
                    actor.id,
                    patient_id=child.patient_id,
                    source_table="patients",
                    source_id=child.patient_id,
                    recipient=letter.recipient.name,
                )
            )
        store.audit.append(
            actor.id,
            "recall.letter",
            patient_id=letter.children[0].patient_id,
            entity="document",
            entity_id=archived[0].id,
            detail={
                "patients": [c.patient_id for c in letter.children],
                "recipient_guardian": letter.recipient.guardian_id,
                "sha256": archived[0].sha256,
            },
        )
    return archived


@requires(Permission.BOOK_APPOINTMENTS)
def summon(
    store: Store,
    actor: User,
    patient_ids: list[int],
    due: dict[int, date],
    today: date,
    now: datetime,
    cancelled: Callable[[], bool] = lambda: False,
    progress: Callable[[int, int], None] | None = None,
) -> list[int]:
    """Offer each patient a revision time (summoned, not agreed) and return the new ids.

    Rules: the patient's responsible dentist when bookable, else the first bookable
    practitioner; a revision's default length; the first free time within opening hours,
    skipping public holidays and eves, from a month before the due date (never before
    tomorrow). Times fill the book day by day, so a month's patients spread over the
    working days in order of due date. Patients who already have a time are left alone.
    """
    bookable = [u.id for u in store.users.with_profession(*BOOKABLE)]
    if not bookable:
        raise RuleViolation("Det finns ingen behandlare att boka. Lägg in personal först.")
    booked: list[int] = []
    tomorrow = datetime.combine(today + timedelta(days=1), datetime.min.time())
    for done, patient_id in enumerate(patient_ids, start=1):
        if cancelled():
            break
        patient = store.patients.get(patient_id)
        if patient is None or store.appointments.next_booked(patient_id, now) is not None:
            continue
        practitioner = (
            patient.responsible_dentist_id
            if patient.responsible_dentist_id in bookable
            else bookable[0]
        )
        earliest = max(
            tomorrow, datetime.combine(add_months(due[patient_id], -1), datetime.min.time())
        )
        minutes = AppointmentKind.REVISION.default_minutes
        start = next_free_time(store, practitioner, earliest, minutes)
        if start is not None:
            booked.append(
                book_appointment(
                    store,
                    actor,
                    AppointmentDraft(
                        patient_id,
                        practitioner,
                        start,
                        minutes,
                        AppointmentKind.REVISION,
                        summoned=True,
                        note="Kallelse",
                    ),
                    now,
                )
            )
        if progress:
            progress(done, len(patient_ids))
    return booked
