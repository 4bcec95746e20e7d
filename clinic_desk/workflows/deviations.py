"""The deviation register and the region's follow-up cases: each user action one transaction
and one audit entry (000 §2.15, seed 001)."""

from __future__ import annotations

from datetime import date
from typing import Literal

from clinic_desk.domain.deviations import (
    Category,
    Deviation,
    DeviationDraft,
    Severity,
    check_answer,
    check_changeable,
    check_close,
    check_draft,
)
from clinic_desk.domain.errors import NotFound, RuleViolation
from clinic_desk.domain.follow_up import (
    FollowUpDraft,
    FollowUpRecord,
    check_decision,
    check_plan_sent,
)
from clinic_desk.domain.follow_up import check_draft as check_follow_up
from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.store.store import Store


def _deviation(store: Store, deviation_id: int) -> Deviation:
    found = store.deviations.get(deviation_id)
    if found is None:
        raise NotFound(f"Avvikelsen finns inte (id {deviation_id}).")
    return found


def _case(store: Store, case_id: int) -> FollowUpRecord:
    found = store.follow_ups.get(case_id)
    if found is None:
        raise NotFound(f"Uppföljningsärendet finns inte (id {case_id}).")
    return found


@requires(Permission.REPORT_DEVIATION)
def record_deviation(store: Store, actor: User, draft: DeviationDraft, today: date) -> int:
    """Record a deviation (own, or one received from another provider); returns its id."""
    check_draft(draft, today)
    with store.transaction():
        if draft.patient_id is not None and store.patients.get(draft.patient_id) is None:
            raise NotFound(f"Patienten finns inte (id {draft.patient_id}).")
        if draft.exam_id is not None:
            owner = store.deviations.exam_patient(draft.exam_id)
            if owner is None or owner != draft.patient_id:
                raise RuleViolation("Journalanteckningen hör inte till den valda patienten.")
        deviation_id = store.deviations.insert(draft, today, actor.id)
        store.audit.append(
            actor.id,
            "deviation.create",
            patient_id=draft.patient_id,
            entity="deviation",
            entity_id=deviation_id,
            detail={"origin": draft.origin.value, "exam_id": draft.exam_id},
        )
    return deviation_id


@requires(Permission.MANAGE_COMPLIANCE)
def classify_deviation(
    store: Store, actor: User, deviation_id: int, category: Category, severity: Severity
) -> None:
    """Set what kind of deviation it is and how serious."""
    with store.transaction():
        deviation = _deviation(store, deviation_id)
        check_changeable(deviation)
        store.deviations.classify(deviation_id, category, severity, actor.id)
        store.audit.append(
            actor.id,
            "deviation.classify",
            patient_id=deviation.patient_id,
            entity="deviation",
            entity_id=deviation_id,
            detail={"category": category.value, "severity": severity.value},
        )


@requires(Permission.MANAGE_COMPLIANCE)
def assign_deviation(store: Store, actor: User, deviation_id: int, assignee_id: int) -> None:
    """Name who investigates the deviation."""
    with store.transaction():
        deviation = _deviation(store, deviation_id)
        check_changeable(deviation)
        assignee = store.users.get(assignee_id)
        if assignee is None or not assignee.active:
            raise RuleViolation("Välj en aktiv medarbetare som ansvarig.")
        store.deviations.assign(deviation_id, assignee_id, actor.id)
        store.audit.append(
            actor.id,
            "deviation.assign",
            patient_id=deviation.patient_id,
            entity="deviation",
            entity_id=deviation_id,
            detail={"assigned_to": assignee_id},
        )


@requires(Permission.MANAGE_COMPLIANCE)
def answer_deviation(
    store: Store, actor: User, deviation_id: int, answer: str, answered_on: date, today: date
) -> None:
    """Keep the answer given to the provider the deviation came from."""
    with store.transaction():
        deviation = _deviation(store, deviation_id)
        check_answer(deviation, answer, answered_on, today)
        store.deviations.answer(deviation_id, answer, answered_on, actor.id)
        store.audit.append(
            actor.id,
            "deviation.answer",
            patient_id=deviation.patient_id,
            entity="deviation",
            entity_id=deviation_id,
            detail={"answered_on": answered_on.isoformat()},
        )


@requires(Permission.MANAGE_COMPLIANCE)
def close_deviation(
    store: Store, actor: User, deviation_id: int, lessons: str, closed_on: date, today: date
) -> None:
    """Close a deviation with the lessons learnt (final)."""
    with store.transaction():
        deviation = _deviation(store, deviation_id)
        check_close(deviation, lessons, closed_on, today)
        store.deviations.close(deviation_id, lessons, closed_on, actor.id)
        store.audit.append(
            actor.id,
            "deviation.close",
            patient_id=deviation.patient_id,
            entity="deviation",
            entity_id=deviation_id,
            detail={"closed_on": closed_on.isoformat()},
        )


@requires(Permission.MANAGE_COMPLIANCE)
def record_follow_up_case(store: Store, actor: User, draft: FollowUpDraft, today: date) -> int:
    """Record a finding the region asked the clinic to correct; returns its id."""
    check_follow_up(draft, today)
    with store.transaction():
        case_id = store.follow_ups.insert(draft, actor.id)
        store.audit.append(
            actor.id,
            "follow_up.create",
            entity="follow_up_case",
            entity_id=case_id,
            detail={
                "request_date": draft.request_date.isoformat(),
                "severity": draft.severity,
                "deviation": draft.deviation,
                "self_reported": draft.self_reported,
            },
        )
    return case_id


@requires(Permission.MANAGE_COMPLIANCE)
def record_plan_sent(store: Store, actor: User, case_id: int, sent_on: date, today: date) -> None:
    """The action plan went to the region on `sent_on`."""
    with store.transaction():
        record = _case(store, case_id)
        check_plan_sent(record, sent_on, today)
        store.follow_ups.set_plan_sent(case_id, sent_on, actor.id)
        store.audit.append(
            actor.id,
            "follow_up.plan_sent",
            entity="follow_up_case",
            entity_id=case_id,
            detail={"sent_on": sent_on.isoformat()},
        )


@requires(Permission.MANAGE_COMPLIANCE)
def record_region_decision(
    store: Store,
    actor: User,
    case_id: int,
    kind: Literal["failed", "approved"],
    decided_on: date,
    note: str,
    today: date,
) -> None:
    """The region failed the plan or its follow-up (the sanction ladder steps up) or
    approved the correction (the case and its sanction end)."""
    if kind not in ("failed", "approved"):
        raise RuleViolation("Beslutet är antingen underkänt eller godkänt.")
    with store.transaction():
        record = _case(store, case_id)
        check_decision(record, kind, decided_on, today)
        event_id = store.follow_ups.add_decision(case_id, decided_on, kind, note, actor.id)
        store.audit.append(
            actor.id,
            f"follow_up.{kind}",
            entity="follow_up_case",
            entity_id=case_id,
            detail={"event_id": event_id, "decided_on": decided_on.isoformat()},
        )
