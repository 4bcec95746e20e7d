"""Examining a patient: record, sign and amend exams; journal consent; the card's overview.

Each function that writes is one user action: one transaction with one audit entry, all or
nothing. The contract checks (``check_exam``) run before anything is written.

The examiner is the user acting: an exam is recorded by its examiner and only the examiner
signs it. Every write needs Permission.RECORD_EXAM (dentists, hygienists, dental nurses);
which kind each profession records is the domain's rule (``check_may_record``). Signing uses
RECORD_EXAM too, not SIGN_EXAM, because a dental nurse signs her own health check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from clinic_desk.domain.care_rules import IntervalTooLong, next_revision_due
from clinic_desk.domain.errors import FieldError, NotFound, RuleViolation, ValidationError
from clinic_desk.domain.exams import (
    AmendField,
    ConsentAction,
    ConsentDraft,
    Deadline,
    Exam,
    ExamDraft,
    ExamRefused,
    JournalConsent,
    RevisionDue,
    RiskGroup,
    TobaccoHistoryRow,
    check_consent,
    check_exam,
    check_may_record,
    exam_deadlines,
)
from clinic_desk.domain.people import Patient, User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.store.store import Store
from clinic_desk.workflows.contract_rules import rules_on


@dataclass(frozen=True)
class ExamOverview:
    """What the card's exam section shows for one patient."""

    exams: tuple[Exam, ...]
    tobacco: tuple[TobaccoHistoryRow, ...]
    consents: tuple[JournalConsent, ...]
    deadlines: tuple[Deadline, ...]
    last_exam: Exam | None
    next_revision: RevisionDue | None


def _patient(store: Store, patient_id: int) -> Patient:
    patient = store.patients.get(patient_id)
    if patient is None:
        raise NotFound(f"Patienten finns inte (id {patient_id}).")
    return patient


def _exam(store: Store, exam_id: int) -> Exam:
    exam = store.exams.get(exam_id)
    if exam is None:
        raise NotFound(f"Undersökningen finns inte (id {exam_id}).")
    return exam


@requires(Permission.RECORD_EXAM)
def save_exam(
    store: Store,
    actor: User,
    draft: ExamDraft,
    today: date,
    *,
    sign: bool = False,
    exam_id: int | None = None,
) -> int:
    """Save a new exam (or change a draft), signing it at once when ``sign``; returns its id.

    Refused before anything is written: RuleViolation when the actor's profession may not
    record this kind, ExamRefused (with IntervalTooLong as reason) when the contract says no.
    """
    with store.transaction():
        patient = _patient(store, draft.patient_id)
        checked = check_exam(
            draft,
            patient.birth_date,
            actor.profession,
            today,
            rules=rules_on(store, draft.exam_date),
        )
        if exam_id is None:
            exam_id = store.exams.insert(draft, checked.age, actor.id)
            action = "exam.create"
        else:
            before = _exam(store, exam_id)
            _check_editable(before, actor, draft.patient_id)
            store.exams.update_draft(exam_id, draft, checked.age, actor.id)
            action = "exam.update"
        detail: dict[str, object] = {
            "kind": draft.kind.value,
            "exam_date": draft.exam_date.isoformat(),
        }
        if sign:
            store.exams.sign(exam_id, actor.id, checked.next_revision_due)
            detail["created" if action == "exam.create" else "updated"] = True
            detail["next_revision_due"] = (
                checked.next_revision_due.isoformat() if checked.next_revision_due else None
            )
            action = "exam.sign"
        store.audit.append(
            actor.id,
            action,
            patient_id=draft.patient_id,
            entity="exam",
            entity_id=exam_id,
            detail=detail,
        )
    return exam_id


def _check_editable(exam: Exam, actor: User, patient_id: int) -> None:
    if exam.patient_id != patient_id:
        raise RuleViolation("Undersökningen hör till en annan patient.")
    if exam.signed:
        raise RuleViolation(
            "Undersökningen är signerad och kan inte ändras. Gör en rättelse (tillägg) i stället."
        )
    if exam.examiner_id != actor.id:
        raise RuleViolation(
            f"Utkastet är {exam.examiner_name}s: bara undersökaren kan ändra eller signera det."
        )


@requires(Permission.RECORD_EXAM)
def sign_exam(store: Store, actor: User, exam_id: int, today: date) -> date | None:
    """Sign a draft (only its examiner may); returns the next revision due date it stored.

    The contract checks run again, so a draft that has become wrong is not signed.
    """
    with store.transaction():
        exam = _exam(store, exam_id)
        _check_editable(exam, actor, exam.patient_id)
        patient = _patient(store, exam.patient_id)
        checked = check_exam(
            exam.as_draft(),
            patient.birth_date,
            actor.profession,
            today,
            rules=rules_on(store, exam.exam_date),
        )
        store.exams.sign(exam_id, actor.id, checked.next_revision_due)
        store.audit.append(
            actor.id,
            "exam.sign",
            patient_id=exam.patient_id,
            entity="exam",
            entity_id=exam_id,
            detail={
                "kind": exam.kind.value,
                "next_revision_due": checked.next_revision_due.isoformat()
                if checked.next_revision_due
                else None,
            },
        )
    return checked.next_revision_due


@requires(Permission.RECORD_EXAM)
def amend_exam(
    store: Store,
    actor: User,
    exam_id: int,
    amend_field: AmendField,
    new_value: str,
    reason: str,
) -> int:
    """Correct a signed exam: the original stays, the amendment says who, when and why.

    An amended interval is checked against the cap like a new one and moves the next
    revision due date. Returns the amendment's id.
    """
    errors: list[FieldError] = []
    if not reason.strip():
        errors.append(FieldError("reason", "Skriv varför uppgiften rättas."))
    if not new_value.strip():
        errors.append(FieldError("new_value", "Skriv det nya värdet."))
    if errors:
        raise ValidationError(errors)
    with store.transaction():
        exam = _exam(store, exam_id)
        if not exam.signed:
            raise RuleViolation("Utkastet är inte signerat: ändra det direkt i stället.")
        check_may_record(actor.profession, exam.kind)
        old, value, due = _amended_value(store, exam, amend_field, new_value.strip())
        amendment_id = store.exams.add_amendment(
            exam_id, amend_field, old, value, due, reason.strip(), actor.id
        )
        store.audit.append(
            actor.id,
            "exam.amend",
            patient_id=exam.patient_id,
            entity="exam",
            entity_id=exam_id,
            detail={"field": amend_field.value, "amendment": amendment_id},
        )
    return amendment_id


def _amended_value(
    store: Store, exam: Exam, amend_field: AmendField, value: str
) -> tuple[str, str, date | None]:
    """(old value, new value as stored, new due date) for one amendment; refuses bad values."""
    if amend_field is AmendField.NOTE:
        return "", value, None
    if amend_field is AmendField.FINDINGS:
        return _current_text(exam, amend_field, exam.findings), value, None
    if amend_field is AmendField.TREATMENT_PLAN:
        return _current_text(exam, amend_field, exam.treatment_plan), value, None
    if not exam.kind.is_revision:
        raise ValidationError(
            [FieldError("field", f"{amend_field.label} finns bara vid revisionsundersökning.")]
        )
    if amend_field is AmendField.RISK_GROUP:
        group = next(
            (g for g in RiskGroup if value.casefold() in (g.value, g.label.casefold())), None
        )
        if group is None:
            raise ValidationError([FieldError("new_value", "Skriv Låg, Medel eller Hög.")])
        current = exam.current_risk_group
        return current.value if current else "", group.value, None
    try:
        months = int(value)
    except ValueError:
        raise ValidationError(
            [FieldError("new_value", "Skriv intervallet i hela månader.")]
        ) from None
    patient = _patient(store, exam.patient_id)
    try:
        due = next_revision_due(exam.exam_date, months, patient.birth_date)
    except IntervalTooLong as exc:
        raise ExamRefused([FieldError("new_value", str(exc))], exc) from exc
    except ValueError as exc:
        raise ValidationError([FieldError("new_value", str(exc))]) from exc
    current_months = exam.current_interval_months
    return str(current_months) if current_months else "", str(months), due


def _current_text(exam: Exam, amend_field: AmendField, original: str) -> str:
    latest = next((a for a in reversed(exam.amendments) if a.field is amend_field), None)
    return latest.new_value if latest else original


def exam_overview(store: Store, patient: Patient, today: date) -> ExamOverview:
    """The exam section of the card (the opening itself is logged by open_patient_record)."""
    exams = store.exams.for_patient(patient.id)
    signed = [e for e in exams if e.signed]
    tobacco = tuple(
        TobaccoHistoryRow(e.id, e.exam_date, product, status)
        for e in exams
        if e.tobacco is not None
        for product, status in e.tobacco.statuses
    )
    revision = next((e for e in signed if e.counts_for_recall), None)
    due = revision.current_next_revision_due if revision else None
    return ExamOverview(
        exams=tuple(exams),
        tobacco=tobacco,
        consents=tuple(store.exams.consents(patient.id)),
        deadlines=tuple(
            exam_deadlines(
                patient.birth_date,
                [e.event() for e in signed],
                today,
                rules=rules_on(store, today),
            )
        ),
        last_exam=signed[0] if signed else None,
        next_revision=RevisionDue(patient.id, revision.id, revision.exam_date, revision.kind, due)
        if revision is not None and due is not None
        else None,
    )


@requires(Permission.RECORD_EXAM)
def record_consent(
    store: Store, actor: User, patient_id: int, draft: ConsentDraft, today: date
) -> int:
    """Document consent to share the journal with another care provider (000 §3.12)."""
    check_consent(draft, actor.profession, today)
    with store.transaction():
        _patient(store, patient_id)
        consent_id = store.exams.add_consent(patient_id, ConsentAction.GIVEN, draft, actor.id)
        store.audit.append(
            actor.id,
            "consent.give",
            patient_id=patient_id,
            entity="journal_consent",
            entity_id=consent_id,
            detail={"scope": draft.scope.strip()},
        )
    return consent_id


@requires(Permission.RECORD_EXAM)
def withdraw_consent(
    store: Store,
    actor: User,
    patient_id: int,
    consent_id: int,
    given_by: str,
    withdrawn_on: date,
    today: date,
    note: str = "",
) -> int:
    """Record that a consent was withdrawn: a new dated row, the consent row stays."""
    with store.transaction():
        rows = store.exams.consents(patient_id)
        given = next((r for r in rows if r.id == consent_id), None)
        if given is None or given.action is not ConsentAction.GIVEN:
            raise NotFound(f"Samtycket finns inte (id {consent_id}).")
        if any(r.withdraws_id == consent_id for r in rows):
            raise ValidationError([FieldError("consent", "Samtycket är redan återkallat.")])
        draft = ConsentDraft(given.scope, given_by, withdrawn_on, note)
        check_consent(draft, actor.profession, today)
        if withdrawn_on < given.collected_on:
            raise ValidationError(
                [FieldError("collected_on", "Återkallelsen kan inte ligga före samtycket.")]
            )
        row_id = store.exams.add_consent(
            patient_id, ConsentAction.WITHDRAWN, draft, actor.id, withdraws_id=consent_id
        )
        store.audit.append(
            actor.id,
            "consent.withdraw",
            patient_id=patient_id,
            entity="journal_consent",
            entity_id=row_id,
            detail={"withdraws": consent_id},
        )
    return row_id
