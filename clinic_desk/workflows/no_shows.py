"""No-shows (RULES.md §4): log them, offer a new time, notices, concerns and fees.

A fee may be charged only for a time both clinic and patient/guardian had agreed; a
summons not yet confirmed never qualifies. Repeated no-shows (default 2 in 12 months)
are answered in writing; for a child under 18 they open the clinic's child-at-risk case,
which only a dentist's recorded decision closes. Nothing is sent to anyone automatically.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from clinic_desk.documents.no_show_letters import fee_pdf, notice_pdf
from clinic_desk.domain.appointments import Appointment, AppointmentStatus, check_transition
from clinic_desk.domain.billing import due_date, format_kronor, ocr_reference
from clinic_desk.domain.calendar_days import OpeningHours
from clinic_desk.domain.errors import FieldError, NotFound, RuleViolation, ValidationError
from clinic_desk.domain.letters import Recipient, letter_recipients
from clinic_desk.domain.listing import responsible_listing_on
from clinic_desk.domain.no_show import (
    DEFAULT_THRESHOLD,
    DEFAULT_WINDOW_MONTHS,
    NoShowAssessment,
    assess_no_shows,
    fee_allowed,
    window_start,
)
from clinic_desk.domain.people import Patient, Profession, User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.store.store import Store
from clinic_desk.workflows.appointments import book_settings_errors, write_book_settings
from clinic_desk.workflows.contract_rules import rules_on

THRESHOLD_KEY = "no_show_notice_threshold"
WINDOW_KEY = "no_show_window_months"
FOLLOW_UP_DAYS_KEY = "no_show_new_time_days"
FEE_KEY = "no_show_fee_ore"
APPLIANCE_FEE_KEY = "lost_appliance_fee_ore"
DEFAULT_FOLLOW_UP_DAYS = 28
FEE_KINDS = {
    "no_show": "Uteblivet besök",
    "lost_brace": "Förlorad tandställning",
    "lost_splint": "Förlorad bettskena",
}


@dataclass(frozen=True)
class NoShowOutcome:
    """What logging a no-show leads to; the screens act on it."""

    appointment: Appointment
    assessment: NoShowAssessment
    listed_here: bool
    new_time_by: date
    concern_raised: bool


def _settings(store: Store) -> tuple[int, int]:
    """The clinic's threshold and window; unset, those of the contract rules in force."""
    rules = rules_on(store, store.now().date())
    return (
        int(store.settings.get(THRESHOLD_KEY, rules.no_show_threshold)),
        int(store.settings.get(WINDOW_KEY, rules.no_show_window_months)),
    )


def _patient(store: Store, patient_id: int) -> Patient:
    patient = store.patients.get(patient_id)
    if patient is None:
        raise NotFound(f"Patienten finns inte (id {patient_id}).")
    return patient


def assess(store: Store, patient_id: int, today: date) -> NoShowAssessment:
    """The patient's no-show standing today, with the clinic's threshold and window."""
    patient = _patient(store, patient_id)
    threshold, window = _settings(store)
    return assess_no_shows(
        [m.date() for _i, m in store.no_shows.missed(patient_id)],
        today,
        patient.birth_date,
        store.no_shows.last_notice(patient_id),
        threshold,
        window,
    )


@requires(Permission.BOOK_APPOINTMENTS)
def log_no_show(store: Store, actor: User, appointment_id: int, now: datetime) -> NoShowOutcome:
    """The patient did not come. Raises a child-at-risk case when the rule says so."""
    with store.transaction():
        appointment = store.appointments.get(appointment_id)
        if appointment is None:
            raise NotFound(f"Tiden finns inte (id {appointment_id}).")
        if appointment.start > now:
            raise RuleViolation(
                "Tiden har inte börjat än – den kan inte registreras som uteblivet besök."
            )
        check_transition(appointment.status, AppointmentStatus.NO_SHOW)
        missed = replace(appointment, status=AppointmentStatus.NO_SHOW)
        store.appointments.update(missed, actor.id)
        store.appointments.add_event(appointment.id, actor.id, "no_show")
        today = now.date()
        assessment = assess(store, appointment.patient_id, today)
        raised = False
        if assessment.child_concern and store.no_shows.open_concern(appointment.patient_id) is None:
            store.no_shows.raise_concern(
                appointment.patient_id,
                today,
                f"{assessment.count_in_window} uteblivna besök inom {_settings(store)[1]} månader",
            )
            raised = True
        store.audit.append(
            actor.id,
            "appointment.no_show",
            patient_id=appointment.patient_id,
            entity="appointment",
            entity_id=appointment.id,
            detail={
                "count_in_window": assessment.count_in_window,
                "notice_due": assessment.written_notice_due,
                "concern_raised": raised,
            },
        )
        own = store.clinics.own()
        listing = responsible_listing_on(store.listings.for_patient(appointment.patient_id), today)
        days = int(store.settings.get(FOLLOW_UP_DAYS_KEY, DEFAULT_FOLLOW_UP_DAYS))
    return NoShowOutcome(
        missed,
        assessment,
        own is not None and listing is not None and listing.clinic_id == own.id,
        today + timedelta(days=days),
        raised,
    )


def draft_notices(store: Store, patient_id: int, today: date) -> list[tuple[Recipient, bytes]]:
    """The written notice for each guardian who receives letters (or the young adult)."""
    clinic = store.clinics.own()
    if clinic is None:
        raise RuleViolation("Lägg in den egna kliniken under Register → Kliniker först.")
    patient = _patient(store, patient_id)
    _threshold, window = _settings(store)
    start = window_start(today, window)
    missed = [m for _i, m in store.no_shows.missed(patient_id) if start < m.date() <= today]
    recipients = letter_recipients(patient, tuple(store.guardians.for_patient(patient_id)), today)
    return [(r, notice_pdf(clinic, r, patient.full_name, missed, today)) for r in recipients]


@requires(Permission.BOOK_APPOINTMENTS)
def send_notices(store: Store, actor: User, patient_id: int, today: date) -> list[int]:
    """Send (archive and record) the written notice to each recipient; returns document ids."""
    drafts = draft_notices(store, patient_id, today)
    missed_ids = [i for i, _m in store.no_shows.missed(patient_id)]
    documents = []
    with store.transaction():
        for recipient, content in drafts:
            document = store.documents.add(
                "no_show_notice",
                f"Uteblivna besök {today.isoformat()}",
                content,
                actor.id,
                patient_id=patient_id,
                source_table="patients",
                source_id=patient_id,
                recipient=recipient.name,
            )
            store.no_shows.add_notice(
                patient_id,
                recipient.guardian_id,
                recipient.name,
                today,
                missed_ids,
                document.id,
                actor.id,
            )
            documents.append(document.id)
        store.audit.append(
            actor.id,
            "no_show.notice",
            patient_id=patient_id,
            entity="patient",
            entity_id=patient_id,
            detail={"documents": documents, "recipients": [r.name for r, _c in drafts]},
        )
    return documents


@requires(Permission.SEE_CONCERN_RECORDS)
def record_concern_decision(
    store: Store, actor: User, case_id: int, reported: bool, reason: str, decided_on: date
) -> None:
    """A dentist records whether a concern report to social services was made, and why."""
    if actor.profession is not Profession.DENTIST:
        raise RuleViolation("Beslutet registreras av en tandläkare.")
    if not reason.strip():
        raise ValidationError([FieldError("reason", "Skriv varför.")])
    with store.transaction():
        case = store.no_shows.concern(case_id)
        if case is None:
            raise NotFound(f"Ärendet finns inte (id {case_id}).")
        if case.decision is not None:
            raise RuleViolation("Beslutet är redan registrerat och kan inte ändras.")
        store.no_shows.decide(
            case_id,
            "reported" if reported else "not_reported",
            decided_on,
            actor.id,
            reason.strip(),
        )
        store.audit.append(
            actor.id,
            "concern.decision",
            patient_id=case.patient_id,
            entity="concern",
            entity_id=case_id,
            detail={"reported": reported},
        )


def fee_refusal(store: Store, appointment: Appointment) -> str | None:
    """Why no fee may be charged for this time (Swedish), or None when it may."""
    if appointment.status is not AppointmentStatus.NO_SHOW:
        return "Avgift tas bara ut för ett uteblivet besök."
    agreed = appointment.confirmed_at is not None
    if not fee_allowed(agreed_by_clinic=True, confirmed_by_patient=agreed):
        return (
            "Tiden var en kallelse som aldrig bekräftades av patienten eller "
            "vårdnadshavaren – då får ingen avgift tas ut."
        )
    if int(store.settings.get(FEE_KEY, 0)) <= 0:
        return "Kliniken tar inte ut någon avgift för uteblivna besök (avgiften är 0 kr)."
    if store.no_shows.fee_for_appointment(appointment.id) is not None:
        return "Avgiften för den här tiden är redan skickad."
    return None


def _issue_fee(
    store: Store,
    actor: User,
    patient: Patient,
    kind: str,
    amount: int,
    appointment_id: int | None,
    today: date,
) -> int:
    clinic = store.clinics.own()
    if clinic is None:
        raise RuleViolation("Lägg in den egna kliniken under Register → Kliniker först.")
    recipient = letter_recipients(patient, tuple(store.guardians.for_patient(patient.id)), today)[0]
    with store.transaction():
        fee_id = store.no_shows.next_fee_id()
        ocr = ocr_reference(f"9{fee_id:06d}")
        due = due_date(today)
        content = fee_pdf(
            clinic, recipient, patient.full_name, FEE_KINDS[kind], amount, ocr, fee_id, today, due
        )
        document = store.documents.add(
            "patient_fee",
            f"Avgift {fee_id}",
            content,
            actor.id,
            patient_id=patient.id,
            source_table="patient_fees",
            source_id=fee_id,
            recipient=recipient.name,
        )
        store.no_shows.add_fee(
            fee_id,
            patient.id,
            appointment_id,
            kind,
            amount,
            recipient.name,
            ocr,
            today,
            due,
            document.id,
            actor.id,
        )
        store.audit.append(
            actor.id,
            "fee.issue",
            patient_id=patient.id,
            entity="patient_fee",
            entity_id=fee_id,
            detail={"kind": kind, "amount": format_kronor(amount)},
        )
    return fee_id


@requires(Permission.ISSUE_INVOICES)
def charge_no_show_fee(store: Store, actor: User, appointment_id: int, today: date) -> int:
    """Issue the no-show fee for an agreed time (refused with the reason otherwise)."""
    appointment = store.appointments.get(appointment_id)
    if appointment is None:
        raise NotFound(f"Tiden finns inte (id {appointment_id}).")
    refusal = fee_refusal(store, appointment)
    if refusal:
        raise RuleViolation(refusal)
    return _issue_fee(
        store,
        actor,
        _patient(store, appointment.patient_id),
        "no_show",
        int(store.settings.get(FEE_KEY, 0)),
        appointment_id,
        today,
    )


@requires(Permission.ISSUE_INVOICES)
def charge_lost_appliance(
    store: Store, actor: User, patient_id: int, kind: str, amount_ore: int, today: date
) -> int:
    """The only other fee the contract allows: a lost brace or splint."""
    if kind not in ("lost_brace", "lost_splint"):
        raise RuleViolation("Bara förlorad tandställning eller bettskena får debiteras patienten.")
    if amount_ore <= 0:
        raise ValidationError([FieldError("amount", "Ange ett belopp större än 0 kr.")])
    return _issue_fee(store, actor, _patient(store, patient_id), kind, amount_ore, None, today)


@dataclass(frozen=True)
class NoShowSettings:
    """The clinic's no-show routine."""

    threshold: int = DEFAULT_THRESHOLD
    window_months: int = DEFAULT_WINDOW_MONTHS
    new_time_days: int = DEFAULT_FOLLOW_UP_DAYS
    fee_ore: int = 0


def no_show_settings(store: Store) -> NoShowSettings:
    """The settings in force (defaults until changed)."""
    threshold, window = _settings(store)
    return NoShowSettings(
        threshold,
        window,
        int(store.settings.get(FOLLOW_UP_DAYS_KEY, DEFAULT_FOLLOW_UP_DAYS)),
        int(store.settings.get(FEE_KEY, 0)),
    )


def _no_show_errors(settings: NoShowSettings) -> list[FieldError]:
    errors: list[FieldError] = []
    if not 1 <= settings.threshold <= 10:
        errors.append(FieldError("threshold", "Ange 1–10 gånger."))
    if not 1 <= settings.window_months <= 36:
        errors.append(FieldError("window_months", "Ange 1–36 månader."))
    if not 1 <= settings.new_time_days <= 180:
        errors.append(FieldError("new_time_days", "Ange 1–180 dagar."))
    if not 0 <= settings.fee_ore <= 200_000:
        errors.append(FieldError("fee_kr", "Ange 0–2 000 kr."))
    return errors


@requires(Permission.EDIT_CLINIC_SETTINGS)
def save_routines(
    store: Store,
    actor: User,
    hours: OpeningHours,
    late_cancel_hours: int,
    lead_months: int,
    settings: NoShowSettings,
) -> None:
    """Opening hours, late cancellation, recall lead time and the no-show routine (threshold,
    window, new-time limit, fee; 0 kr = no fee): one change, checked as a whole."""
    errors = book_settings_errors(hours, late_cancel_hours, lead_months)
    errors += _no_show_errors(settings)
    if errors:
        raise ValidationError(errors)
    with store.transaction():
        write_book_settings(store, actor.id, hours, late_cancel_hours, lead_months)
        store.settings.set(THRESHOLD_KEY, settings.threshold, actor.id)
        store.settings.set(WINDOW_KEY, settings.window_months, actor.id)
        store.settings.set(FOLLOW_UP_DAYS_KEY, settings.new_time_days, actor.id)
        store.settings.set(FEE_KEY, settings.fee_ore, actor.id)
        store.audit.append(
            actor.id,
            "settings.book",
            entity="settings",
            entity_id="book",
            detail={
                "late_cancel_hours": late_cancel_hours,
                "lead_months": lead_months,
                "opening_hours": hours.to_json(),
                "no_show_threshold": settings.threshold,
                "no_show_window_months": settings.window_months,
                "new_time_days": settings.new_time_days,
                "fee_ore": settings.fee_ore,
            },
        )
