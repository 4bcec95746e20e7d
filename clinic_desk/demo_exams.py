"""Exam histories for the demo clinic: several years per patient, signed by the demo staff.

Deterministic for a seed (its own random stream, so other areas' demo data do not shift).
Each patient gets a risk profile (about 60 % low, 28 % medium, 12 % high) that sets the
planned intervals within the caps; caries indices grow with age and risk, so the caries-free
share falls with age; teenagers get tobacco rows
(mostly never, some snus, white snus and e-cigarettes with a referral offered); a few
patients missed their recall and are overdue. Written in bulk through the exam repository,
one transaction and one audit entry per batch.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from clinic_desk.domain.care_rules import (
    age_on,
    free_care_ends,
    max_revision_interval_months,
    next_revision_due,
)
from clinic_desk.domain.exams import (
    CARIES_FACTORS,
    PERIO_FACTORS,
    BiteCheck,
    CariesIndices,
    ConsentAction,
    ConsentDraft,
    ExamKind,
    ReferralAnswer,
    RiskGroup,
    TobaccoProduct,
    TobaccoRecord,
    TobaccoStatus,
)
from clinic_desk.domain.people import Profession, User
from clinic_desk.store.exams import HistoryExam
from clinic_desk.store.store import Store

SEED_OFFSET = 4004
HISTORY_YEARS = 6
BATCH = 4000
PLANS = {
    RiskGroup.LOW: "Fortsatt egenvård med fluortandkräm 2 gånger om dagen.",
    RiskGroup.MEDIUM: "Fluorlack vid besöket, kostsamtal, tandtråd mellan kindtänderna.",
    RiskGroup.HIGH: "Fluorlack var 3:e månad, kostregistrering, fissurförsegling, täta kontroller.",
}
FINDINGS = (
    "Inga kariesskador. God munhygien.",
    "Plack buccalt i underkäken, i övrigt utan anmärkning.",
    "Initial karies approximalt, följs upp.",
    "Gingivit regio 31-41, instruktion i tandborstning.",
    "Manifest karies, lagas vid nästa besök.",
)


def build_demo_exams(store: Store, actor: User, today: date, seed: int) -> int:
    """Write exam histories for every demo patient aged 3 or more; returns how many exams."""
    rng = random.Random(seed + SEED_OFFSET)
    dentists = [u.id for u in store.users.with_profession(Profession.DENTIST)]
    hygienists = [u.id for u in store.users.with_profession(Profession.HYGIENIST)]
    if not dentists:
        return 0
    total = 0
    batch: list[HistoryExam] = []
    consents: list[tuple[int, int, date]] = []
    for status in store.exams.revision_status_all():
        batch += _history(rng, status.patient_id, status.birth_date, status.end_date, today,
                          dentists, hygienists or dentists)  # fmt: skip
        if rng.random() < 0.02 and today.year - status.birth_date.year >= 3:
            consents.append((status.patient_id, rng.choice(dentists), today))
        if len(batch) >= BATCH:
            total += _write(store, actor.id, batch, consents, rng)
            batch, consents = [], []
    total += _write(store, actor.id, batch, consents, rng)
    return total


def _write(
    store: Store,
    admin_id: int,
    batch: list[HistoryExam],
    consents: list[tuple[int, int, date]],
    rng: random.Random,
) -> int:
    if not batch and not consents:
        return 0
    with store.transaction():
        written = store.exams.insert_history(batch)
        for patient_id, user_id, day in consents:
            collected = day - timedelta(days=rng.randrange(10, 700))
            store.exams.add_consent(
                patient_id,
                ConsentAction.GIVEN,
                ConsentDraft(
                    "Ortodontikliniken, Norrlands universitetssjukhus: remiss, journal och "
                    "röntgenbilder",
                    "Vårdnadshavare",
                    collected,
                ),
                user_id,
            )
        store.audit.append(
            admin_id,
            "exam.demo_history",
            entity="exam",
            detail={"exams": written, "consents": len(consents)},
        )
    return written


def _history(
    rng: random.Random,
    patient_id: int,
    birth: date,
    end: date | None,
    today: date,
    dentists: list[int],
    hygienists: list[int],
) -> list[HistoryExam]:
    first = date(birth.year + 3, rng.randrange(2, 12), rng.randrange(1, 29))
    earliest = today - timedelta(days=365 * HISTORY_YEARS)
    day = max(first, earliest + timedelta(days=rng.randrange(0, 400)))
    stop = min(today, end or today, free_care_ends(birth))
    roll = rng.random()
    risk = RiskGroup.LOW if roll < 0.6 else RiskGroup.MEDIUM if roll < 0.88 else RiskGroup.HIGH
    caries_rate = {RiskGroup.LOW: 0.02, RiskGroup.MEDIUM: 0.12, RiskGroup.HIGH: 0.35}[risk]
    misses_recall = rng.random() < 0.04
    examiner = rng.choice(dentists)
    hygienist = rng.choice(hygienists)
    user = rng.random()  # tobacco tendency
    exams: list[HistoryExam] = []
    last_dentist: date | None = None
    primary = perm = 0
    while day <= stop:
        age = age_on(birth, day)
        dentist_due = last_dentist is None or (day - last_dentist).days > 700
        # 6-13 need the dentist's bite check at every revision: a clinic that keeps the
        # contract lets a hygienist examine them only now and then (the compliance check
        # finds those)
        bite_years = 6 <= age <= 13
        kind = (
            ExamKind.DENTIST_REVISION
            if dentist_due or age < 6 or rng.random() < (0.97 if bite_years else 0.5)
            else ExamKind.HYGIENIST_REVISION
        )
        cap = max_revision_interval_months(age)
        months = {
            RiskGroup.LOW: rng.choice((18, 24, 24, cap)),
            RiskGroup.MEDIUM: rng.choice((12, 12, 18)),
            RiskGroup.HIGH: rng.choice((6, 6, 9, 12)),
        }[risk]
        months = min(months, cap)
        if age < 12 and rng.random() < caries_rate:
            primary = min(primary + rng.randrange(1, 3), 20)
        if age >= 6 and rng.random() < caries_rate:
            perm = min(perm + rng.randrange(1, 3), 32)
        shown_primary = primary if age < 12 else 0
        perm_surfaces = min(perm + perm // 2, 148)
        indices = CariesIndices(
            primary_dft=shown_primary,
            primary_dfs=shown_primary + shown_primary // 3,
            perm_dft=perm,
            perm_dfs=perm_surfaces,
            perm_dfs_approximal=min(perm // 2, perm_surfaces),
            perm_ds=1 if perm and rng.random() < 0.3 else 0,
        )
        factors = (
            frozenset(rng.sample(CARIES_FACTORS, rng.randrange(1, 3)))
            | frozenset(rng.sample(PERIO_FACTORS, rng.randrange(0, 2)))
            if risk is not RiskGroup.LOW
            else frozenset()
        )
        bite = BiteCheck.NOT_DONE
        if kind is ExamKind.DENTIST_REVISION and 6 <= age <= 13:
            bite = BiteCheck.DEVIATION if rng.random() < 0.08 else BiteCheck.NORMAL
        exams.append(
            HistoryExam(
                patient_id=patient_id,
                exam_date=day,
                kind=kind,
                examiner_id=examiner if kind is ExamKind.DENTIST_REVISION else hygienist,
                age_at_exam=age,
                risk_group=risk,
                risk_factors=factors,
                interval_months=months,
                treatment_plan=PLANS[risk],
                findings=FINDINGS[min(len(FINDINGS) - 1, perm + shown_primary)]
                if rng.random() < 0.8
                else FINDINGS[0],
                bite_check=bite,
                next_revision_due=next_revision_due(day, months, birth),
                indices=indices,
                tobacco=_tobacco(rng, age, user) if age >= 13 else None,
            )
        )
        if kind is ExamKind.DENTIST_REVISION:
            last_dentist = day
        due = next_revision_due(day, months, birth)
        delay = rng.randrange(120, 500) if misses_recall else rng.randrange(-40, 30)
        day = max(due + timedelta(days=delay), day + timedelta(days=90))
    return exams


def _tobacco(rng: random.Random, age: int, tendency: float) -> TobaccoRecord:
    statuses: dict[TobaccoProduct, TobaccoStatus] = dict.fromkeys(
        TobaccoProduct, TobaccoStatus.NEVER
    )
    if age >= 15 and tendency > 0.8:
        product = rng.choice(
            (TobaccoProduct.SNUS, TobaccoProduct.WHITE_SNUS, TobaccoProduct.E_CIGARETTES)
        )
        statuses[product] = rng.choice(
            (TobaccoStatus.DAILY, TobaccoStatus.OCCASIONAL, TobaccoStatus.FORMER)
        )
        if tendency > 0.95:
            statuses[TobaccoProduct.CIGARETTES] = TobaccoStatus.OCCASIONAL
    record = TobaccoRecord(tuple(statuses.items()))
    if not record.any_use:
        return record
    offered = rng.random() < 0.9
    answer = rng.choice(tuple(ReferralAnswer)) if offered else None
    return TobaccoRecord(record.statuses, offered, answer)
