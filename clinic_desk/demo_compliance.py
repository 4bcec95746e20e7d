"""Demo compliance data: a few deviations in every state, two of the region's follow-up cases
(one failed and sanctioned, one self-reported and approved) and last year's patient-safety
report, so the morning view looks like a real clinic's. A handful of rows: no cost at 100k."""

from __future__ import annotations

from datetime import date, timedelta

from clinic_desk.domain.deviations import Category, DeviationDraft, Origin, Severity
from clinic_desk.domain.follow_up import FollowUpDraft
from clinic_desk.domain.people import Profession, User
from clinic_desk.store.store import Store
from clinic_desk.workflows.compliance import record_patient_safety_report
from clinic_desk.workflows.deviations import (
    answer_deviation,
    assign_deviation,
    classify_deviation,
    close_deviation,
    record_deviation,
    record_follow_up_case,
    record_plan_sent,
    record_region_decision,
)


def build_demo_compliance(store: Store, actor: User, today: date) -> None:
    """Deviations, follow-up cases and the patient-safety report, dated around `today`."""
    dentists = store.users.with_profession(Profession.DENTIST)
    managers = store.users.with_profession(Profession.MANAGER)
    owner = (managers or dentists or [actor])[0]
    found = store.conn.execute(
        "SELECT e.patient_id, e.id FROM exams e JOIN patients p ON p.id = e.patient_id"
        " WHERE e.signed_at IS NOT NULL AND p.protected_identity = 0 AND p.end_date IS NULL"
        " ORDER BY e.id LIMIT 3"
    ).fetchall()
    patients = [(int(r[0]), int(r[1])) for r in found]

    def day(days_ago: int) -> date:
        return today - timedelta(days=days_ago)

    def patient(index: int) -> tuple[int | None, int | None]:
        return patients[index] if index < len(patients) else (None, None)

    closed_patient, _exam = patient(0)
    closed = record_deviation(
        store,
        actor,
        DeviationDraft(
            day(45),
            "Kallelse till fel vårdnadshavare",
            "Kallelsen gick till en vårdnadshavare som inte ska få post om barnet.",
            Origin.OWN,
            category=Category.ACCESS,
            severity=Severity.MODERATE,
            patient_id=closed_patient,
        ),
        day(44),
    )
    assign_deviation(store, actor, closed, owner.id)
    close_deviation(
        store,
        actor,
        closed,
        "Mottagarna kontrolleras mot vårdnadshavarlistan innan kallelser skickas.",
        day(20),
        today,
    )
    other_patient, _exam = patient(1)
    record_deviation(
        store,
        actor,
        DeviationDraft(
            day(12),
            "Återrapport efter akutbesök saknades",
            "Folktandvården Björkbacken behandlade vår patient akut och fick ingen bekräftelse.",
            Origin.OTHER_PROVIDER,
            "Folktandvården Björkbacken",
            patient_id=other_patient,
        ),
        day(11),
    )
    x_ray_patient, x_ray_exam = patient(2)
    x_ray = record_deviation(
        store,
        actor,
        DeviationDraft(
            day(6),
            "Röntgenbild sparad på fel patient",
            "Bilden upptäcktes vid nästa besök och flyttades.",
            Origin.OWN,
            patient_id=x_ray_patient,
            exam_id=x_ray_exam,
        ),
        day(6),
    )
    classify_deviation(store, actor, x_ray, Category.RECORDS, Severity.SERIOUS)
    assign_deviation(store, actor, x_ray, (dentists or [owner])[0].id)
    answered = record_deviation(
        store,
        actor,
        DeviationDraft(
            day(30),
            "Remiss utan röntgenbilder",
            "Specialistkliniken fick remissen utan bilder.",
            Origin.OTHER_PROVIDER,
            "Tandläkarhuset Norrsken",
        ),
        day(29),
    )
    classify_deviation(store, actor, answered, Category.RECORDS, Severity.MINOR)
    answer_deviation(
        store, actor, answered, "Bilderna skickades dagen efter; rutinen är ändrad.", day(25), today
    )
    record_deviation(
        store,
        actor,
        DeviationDraft(
            day(2), "Sterilpåse öppen i lådan", "Upptäcktes före behandling.", Origin.OWN
        ),
        day(2),
    )
    failed = record_follow_up_case(
        store,
        actor,
        FollowUpDraft(
            "Försenade revisionsundersökningar",
            day(120),
            2,
            2,
            False,
            day(90),
            "Regionen såg många patienter över längsta intervall.",
        ),
        today,
    )
    record_region_decision(store, actor, failed, "failed", day(85), "Ingen handlingsplan", today)
    record_plan_sent(store, actor, failed, day(70), today)
    own_report = record_follow_up_case(
        store,
        actor,
        FollowUpDraft(
            "Tobaksvanor saknades i journaler (egen anmälan)",
            day(240),
            3,
            1,
            True,
            day(210),
        ),
        today,
    )
    record_plan_sent(store, actor, own_report, day(215), today)
    record_region_decision(store, actor, own_report, "approved", day(180), "", today)
    report_day = date(today.year, 2, 20)
    if report_day <= today:
        record_patient_safety_report(store, actor, today.year - 1, report_day, today)
