"""Contract compliance: the morning dashboard, its PDF, the dated contract rules, the
clinic's listing capacity and patient-safety report.

Reading the dashboard keeps a snapshot of the day's counts (the first load of the day), so
that "since last week" has a figure to compare with.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from clinic_desk.documents.compliance_pdf import dashboard_pdf
from clinic_desk.domain.care_rules import add_months
from clinic_desk.domain.compliance import (
    ComplianceInput,
    Dashboard,
    ListingFacts,
    SanctionSummary,
    build_dashboard,
)
from clinic_desk.domain.errors import FieldError, RuleViolation, ValidationError
from clinic_desk.domain.follow_up import first_sanction_month, sanction_by_month
from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.store.backups import newest_backup
from clinic_desk.store.documents import ArchivedDocument
from clinic_desk.store.store import Store
from clinic_desk.workflows.contract_rules import rules_on
from clinic_desk.workflows.no_shows import THRESHOLD_KEY, WINDOW_KEY

CAPACITY_KEY = "listing_capacity"
STOP_NOTICE_KEY = "listing_stop_notice_on"
SAFETY_REPORTS_KEY = "patient_safety_reports"
"""{year: date done} of the yearly patient-safety report (patientsäkerhetsberättelse)."""


def _listing_facts(store: Store, clinic_id: int | None, today: date) -> ListingFacts:
    listed = (
        store.compliance.listed_on_days(clinic_id, [today])[today] if clinic_id is not None else 0
    )
    capacity = store.settings.get(CAPACITY_KEY)
    notice = store.settings.get(STOP_NOTICE_KEY)
    return ListingFacts(
        listed,
        int(capacity) if capacity is not None else None,
        date.fromisoformat(notice) if notice else None,
    )


def _safety_reports(store: Store) -> dict[int, date]:
    stored = store.settings.get(SAFETY_REPORTS_KEY, {}) or {}
    return {int(year): date.fromisoformat(day) for year, day in stored.items()}


def sanction_summary(store: Store, today: date) -> SanctionSummary:
    """The ladder over every follow-up case, each month with that month's listed count
    (patients the clinic was responsible for on the 1st)."""
    own = store.clinics.own()
    records = store.follow_ups.all()
    first = first_sanction_month(records)
    if own is None or first is None:
        return SanctionSummary()
    months = []
    month = first
    while month <= today:
        months.append(month)
        month = add_months(month, 1)
    listed = store.compliance.listed_on_days(own.id, months)
    return SanctionSummary(
        tuple(sanction_by_month(records, lambda m: listed.get(m, 0), today.replace(day=1)))
    )


def _input(
    store: Store, today: date, now: datetime, backup_folders: Sequence[Path]
) -> ComplianceInput:
    rules = rules_on(store, today)
    own = store.clinics.own()
    clinic_id = own.id if own is not None else None
    threshold = int(store.settings.get(THRESHOLD_KEY, rules.no_show_threshold))
    window = int(store.settings.get(WINDOW_KEY, rules.no_show_window_months))
    newest = newest_backup(backup_folders)
    return ComplianceInput(
        today=today,
        now=now,
        rules=rules,
        patients=tuple(store.compliance.patient_facts(clinic_id, today, now, rules))
        if clinic_id is not None
        else (),
        unsigned=tuple(store.compliance.unsigned_exams(today)),
        emergency=tuple(store.compliance.emergency_without_return_report(clinic_id)),
        invoices=tuple(store.compliance.open_invoices()),
        no_shows=tuple(store.compliance.no_show_facts(today, window, threshold)),
        concerns=tuple(store.compliance.open_concerns()),
        listing=_listing_facts(store, clinic_id, today),
        safety_reports=_safety_reports(store),
        last_backup=newest.taken_at if newest is not None else None,
        last_access_review=store.compliance.last_access_review(),
        deviations=tuple(store.deviations.all(open_only=True)),
        follow_ups=tuple(store.follow_ups.all()),
        no_show_threshold=threshold,
        no_show_window_months=window,
    )


@requires(Permission.MANAGE_COMPLIANCE)
def compliance_dashboard(
    store: Store, actor: User, today: date, now: datetime, backup_folders: Sequence[Path]
) -> Dashboard:
    """Every check for `today`, the lights and the trend since last week; the first load of
    the day keeps a snapshot of the counts (one audit entry then)."""
    data = _input(store, today, now, list(backup_folders))
    week_ago = store.compliance.snapshot_on_or_before(today - timedelta(days=7))
    dashboard = build_dashboard(data, week_ago, sanction_summary(store, today))
    if store.compliance.snapshot(today) is None:
        counts = {r.key: r.count for r in dashboard.results}
        with store.transaction():
            if store.compliance.save_snapshot(today, counts):
                store.audit.append(
                    actor.id,
                    "compliance.snapshot",
                    entity="compliance_snapshots",
                    entity_id=today.isoformat(),
                    detail=counts,
                )
    return dashboard


@requires(Permission.MANAGE_COMPLIANCE)
def print_dashboard(store: Store, actor: User, dashboard: Dashboard) -> ArchivedDocument:
    """The dashboard as a PDF for the quality meeting, kept in the archive."""
    clinic = store.clinics.own()
    if clinic is None:
        raise RuleViolation(
            "Fyll i den egna kliniken i klinikregistret först (Register → Kliniker)."
        )
    content = dashboard_pdf(clinic, dashboard, actor.full_name)
    with store.transaction():
        document = store.documents.add(
            "compliance_dashboard",
            f"Avtalsuppföljning {dashboard.today.isoformat()}",
            content,
            actor.id,
            source_table="compliance_snapshots",
            source_id=dashboard.today.isoformat(),
        )
        store.audit.append(
            actor.id,
            "compliance.print",
            entity="document",
            entity_id=document.id,
            detail={"day": dashboard.today.isoformat()},
        )
    return document


@requires(Permission.MANAGE_COMPLIANCE)
def set_listing_capacity(
    store: Store, actor: User, capacity: int | None, stop_notice_on: date | None, today: date
) -> None:
    """The number of listed patients the clinic accepts (None: no limit) and the day a
    written listing-stop notice went to the region (None: none sent)."""
    errors: list[FieldError] = []
    if capacity is not None and capacity < 0:
        errors.append(FieldError("capacity", "Kapaciteten kan inte vara negativ."))
    if stop_notice_on is not None and stop_notice_on > today:
        errors.append(FieldError("stop_notice_on", "Datumet kan inte ligga i framtiden."))
    if errors:
        raise ValidationError(errors)
    with store.transaction():
        store.settings.set(CAPACITY_KEY, capacity, actor.id)
        store.settings.set(
            STOP_NOTICE_KEY, stop_notice_on.isoformat() if stop_notice_on else None, actor.id
        )
        store.audit.append(
            actor.id,
            "compliance.listing_capacity",
            entity="settings",
            entity_id=CAPACITY_KEY,
            detail={
                "capacity": capacity,
                "stop_notice_on": stop_notice_on.isoformat() if stop_notice_on else None,
            },
        )


def listing_capacity(store: Store) -> tuple[int | None, date | None]:
    """The capacity and listing-stop notice day as saved."""
    capacity = store.settings.get(CAPACITY_KEY)
    notice = store.settings.get(STOP_NOTICE_KEY)
    return (
        int(capacity) if capacity is not None else None,
        date.fromisoformat(notice) if notice else None,
    )


@requires(Permission.MANAGE_COMPLIANCE)
def record_patient_safety_report(
    store: Store, actor: User, year: int, done_on: date, today: date
) -> None:
    """Mark the patient-safety report for `year` as written on `done_on` (due 1 March the
    year after, 000 §2.15)."""
    if done_on > today:
        raise ValidationError([FieldError("done_on", "Datumet kan inte ligga i framtiden.")])
    if done_on.year < year:
        raise ValidationError(
            [FieldError("done_on", f"Berättelsen för {year} kan skrivas först när året är slut.")]
        )
    with store.transaction():
        stored = dict(store.settings.get(SAFETY_REPORTS_KEY, {}) or {})
        stored[str(year)] = done_on.isoformat()
        store.settings.set(SAFETY_REPORTS_KEY, stored, actor.id)
        store.audit.append(
            actor.id,
            "compliance.patient_safety_report",
            entity="settings",
            entity_id=SAFETY_REPORTS_KEY,
            detail={"year": year, "done_on": done_on.isoformat()},
        )


def patient_safety_reports(store: Store) -> dict[int, date]:
    """{year: day written} of the patient-safety reports recorded."""
    return _safety_reports(store)
