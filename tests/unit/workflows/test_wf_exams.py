"""Recording, signing and amending exams; journal consent; printing from the exam section."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader

from clinic_desk.domain.errors import NotFound, RuleViolation, ValidationError
from clinic_desk.domain.exams import (
    AmendField,
    BiteCheck,
    CariesIndices,
    ConsentAction,
    ConsentDraft,
    DeadlineKind,
    ExamDraft,
    ExamKind,
    ExamRefused,
    ReferralAnswer,
    RiskFactor,
    RiskGroup,
    TobaccoProduct,
    TobaccoRecord,
    TobaccoStatus,
)
from clinic_desk.domain.people import Profession, User
from clinic_desk.store.store import Store
from clinic_desk.workflows.exam_documents import print_exam_journal, print_tobacco_sheet
from clinic_desk.workflows.exams import (
    amend_exam,
    exam_overview,
    record_consent,
    save_exam,
    sign_exam,
    withdraw_consent,
)
from clinic_desk.workflows.staff import add_staff

EXAM_TABLES = ("exams", "exam_caries_indices", "exam_tobacco", "exam_amendments", "audit_log")


def _user(store: Store, user_id: int) -> User:
    user = store.users.get(user_id)
    assert user is not None
    return user


@pytest.fixture
def dentist(store: Store, dentist_id: int) -> User:
    return _user(store, dentist_id)


@pytest.fixture
def staff(store: Store, actor: User) -> dict[str, User]:
    made = {
        "hygienist": add_staff(store, actor, "maja.berg", "Maja Berg", Profession.HYGIENIST),
        "nurse": add_staff(store, actor, "lena.sjoberg", "Lena Sjöberg", Profession.DENTAL_NURSE),
        "dentist2": add_staff(store, actor, "erik.lund", "Erik Lund", Profession.DENTIST),
        "reception": add_staff(store, actor, "petra.ek", "Petra Ek", Profession.RECEPTIONIST),
    }
    return {name: _user(store, uid) for name, uid in made.items()}


@pytest.fixture
def teen(register: Callable[..., int], pid: Callable[..., str]) -> int:
    """Born 2012-06-01: 14 on the test date."""
    return register(pid("20120601"), "Alva", "Lindqvist")


def _rows(store: Store) -> dict[str, int]:
    return {
        t: int(store.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in EXAM_TABLES
    }


def snus_daily() -> TobaccoRecord:
    return TobaccoRecord(
        tuple(
            (p, TobaccoStatus.DAILY if p is TobaccoProduct.SNUS else TobaccoStatus.NEVER)
            for p in TobaccoProduct
        ),
        referral_offered=True,
        referral_answer=ReferralAnswer.ACCEPTED,
    )


def draft(patient_id: int, **more: object) -> ExamDraft:
    values: dict[str, object] = {
        "patient_id": patient_id,
        "exam_date": date(2026, 11, 20),
        "kind": ExamKind.DENTIST_REVISION,
        "risk_group": RiskGroup.MEDIUM,
        "risk_factors": frozenset({RiskFactor.DIET, RiskFactor.BLEEDING}),
        "interval_months": 12,
        "treatment_plan": "Fluorlack 22, kostsamtal.",
        "findings": "Initial karies 16d.",
        "indices": CariesIndices(0, 0, 2, 3, 1, 1),
        "tobacco": snus_daily(),
    }
    values.update(more)
    if values["kind"] is ExamKind.DENTIST_REVISION:
        values.setdefault("bite_check", BiteCheck.NORMAL)
    return ExamDraft(**values)  # type: ignore[arg-type]


def test_save_and_sign_is_one_transaction_with_one_audit_entry(
    store: Store, dentist: User, teen: int, today: date
) -> None:
    before = _rows(store)
    exam_id = save_exam(store, dentist, draft(teen), today, sign=True)
    after = _rows(store)
    assert after["exams"] == before["exams"] + 1
    assert after["exam_caries_indices"] == before["exam_caries_indices"] + 1
    assert after["exam_tobacco"] == before["exam_tobacco"] + len(TobaccoProduct)
    assert after["audit_log"] == before["audit_log"] + 1
    (entry,) = store.audit.for_patient(teen, limit=1)
    assert (entry.action, entry.entity_id, entry.user_id) == ("exam.sign", str(exam_id), dentist.id)
    assert entry.detail["created"] is True
    assert entry.detail["next_revision_due"] == "2027-11-20"
    exam = store.exams.get(exam_id)
    assert exam is not None
    assert exam.signed
    assert exam.next_revision_due == date(2027, 11, 20)
    assert exam.indices == CariesIndices(0, 0, 2, 3, 1, 1)
    assert exam.tobacco == snus_daily()
    assert exam.risk_factors == {RiskFactor.DIET, RiskFactor.BLEEDING}
    assert exam.age_at_exam == 14
    assert store.audit.verify() == []


def test_a_failure_in_the_middle_saves_nothing(
    store: Store, dentist: User, teen: int, today: date
) -> None:
    # The exam row and its index row are written, then the tobacco rows fail.
    store.conn.execute(
        "CREATE TEMP TRIGGER inject_failure BEFORE INSERT ON exam_tobacco"
        " BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
    )
    before = _rows(store)
    with pytest.raises(sqlite3.IntegrityError, match="injected failure"):
        save_exam(store, dentist, draft(teen), today, sign=True)
    assert _rows(store) == before
    assert not store.conn.in_transaction
    store.conn.execute("DROP TRIGGER inject_failure")
    save_exam(store, dentist, draft(teen), today, sign=True)  # works again afterwards


def test_a_failing_audit_entry_undoes_the_exam(
    store: Store, dentist: User, teen: int, today: date
) -> None:
    store.conn.execute(
        "CREATE TEMP TRIGGER inject_failure BEFORE INSERT ON audit_log"
        " BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
    )
    before = _rows(store)
    with pytest.raises(sqlite3.IntegrityError):
        save_exam(store, dentist, draft(teen), today)
    assert _rows(store) == before


def test_a_refused_interval_saves_nothing(
    store: Store, dentist: User, register: Callable[..., int], pid: Callable[..., str], today: date
) -> None:
    fifteen = register(pid("20110301"), "Nils", "Öberg")
    sixteen = register(pid("20100301"), "Ebba", "Öberg")
    before = _rows(store)
    with pytest.raises(ExamRefused) as exc:
        save_exam(store, dentist, draft(fifteen, interval_months=25), today, sign=True)
    assert exc.value.interval_too_long is not None
    assert "24 månader" in (exc.value.message_for("interval_months") or "")
    assert _rows(store) == before
    exam_id = save_exam(store, dentist, draft(sixteen, interval_months=25), today, sign=True)
    exam = store.exams.get(exam_id)
    assert exam is not None
    assert exam.next_revision_due == date(2028, 12, 20)


def test_professions_record_only_their_kinds(
    store: Store, actor: User, staff: dict[str, User], teen: int, today: date
) -> None:
    before = _rows(store)
    with pytest.raises(RuleViolation):
        save_exam(store, actor, draft(teen), today)  # the administrator
    with pytest.raises(RuleViolation):
        save_exam(store, staff["reception"], draft(teen), today)
    with pytest.raises(RuleViolation):
        save_exam(store, staff["nurse"], draft(teen), today)
    with pytest.raises(RuleViolation):
        save_exam(store, staff["hygienist"], draft(teen), today)  # a dentist exam
    assert _rows(store) == before
    save_exam(store, staff["hygienist"], draft(teen, kind=ExamKind.HYGIENIST_REVISION), today)


def test_a_nurse_health_check_never_counts_as_a_revision_exam(
    store: Store, staff: dict[str, User], teen: int, today: date
) -> None:
    check = ExamDraft(
        teen,
        date(2026, 11, 20),
        ExamKind.HEALTH_CHECK,
        findings="Fin munhälsa.",
        tobacco=snus_daily(),
    )
    exam_id = save_exam(store, staff["nurse"], check, today, sign=True)
    exam = store.exams.get(exam_id)
    assert exam is not None
    assert exam.signed
    assert exam.next_revision_due is None
    assert not exam.counts_for_recall
    assert store.exams.latest_signed_revision(teen) is None
    patient = store.patients.get(teen)
    assert patient is not None
    overview = exam_overview(store, patient, today)
    assert overview.next_revision is None
    assert overview.last_exam is not None
    assert overview.last_exam.id == exam_id
    status = {s.patient_id: s for s in store.exams.revision_status_all()}
    assert status[teen].latest is None


def test_only_signed_revision_exams_count_for_recall(
    store: Store, dentist: User, staff: dict[str, User], teen: int, today: date
) -> None:
    signed = save_exam(store, dentist, draft(teen, exam_date=date(2025, 5, 2)), today, sign=True)
    save_exam(store, dentist, draft(teen), today)  # a newer draft: does not count
    save_exam(
        store,
        dentist,
        ExamDraft(teen, date(2026, 11, 21), ExamKind.EMERGENCY, findings="Tandvärk 46."),
        today,
        sign=True,
    )
    latest = store.exams.latest_signed_revision(teen)
    assert latest is not None
    assert (latest.exam_id, latest.next_revision_due) == (signed, date(2026, 5, 2))
    hygienist = save_exam(
        store,
        staff["hygienist"],
        draft(teen, kind=ExamKind.HYGIENIST_REVISION, exam_date=date(2026, 11, 22)),
        today,
        sign=True,
    )
    latest = store.exams.latest_signed_revision(teen)
    assert latest is not None
    assert latest.exam_id == hygienist
    assert latest.kind is ExamKind.HYGIENIST_REVISION
    (status,) = [s for s in store.exams.revision_status_all() if s.patient_id == teen]
    assert status.latest == latest


def test_only_the_examiner_changes_or_signs_a_draft(
    store: Store, dentist: User, staff: dict[str, User], teen: int, today: date
) -> None:
    exam_id = save_exam(store, dentist, draft(teen), today)
    with pytest.raises(RuleViolation, match="bara undersökaren"):
        sign_exam(store, staff["dentist2"], exam_id, today)
    with pytest.raises(RuleViolation):
        save_exam(store, staff["dentist2"], draft(teen), today, exam_id=exam_id)
    save_exam(store, dentist, draft(teen, interval_months=6), today, exam_id=exam_id)
    assert store.exams.get(exam_id).interval_months == 6  # type: ignore[union-attr]
    assert sign_exam(store, dentist, exam_id, today) == date(2027, 5, 20)
    with pytest.raises(RuleViolation, match="signerad"):
        sign_exam(store, dentist, exam_id, today)
    with pytest.raises(RuleViolation, match="signerad"):
        save_exam(store, dentist, draft(teen), today, exam_id=exam_id)
    actions = [e.action for e in store.audit.for_patient(teen)][:3]
    assert actions == ["exam.sign", "exam.update", "exam.create"]


def test_editing_a_draft_replaces_its_rows_and_signing_locks_them(
    store: Store, dentist: User, teen: int, today: date
) -> None:
    exam_id = save_exam(store, dentist, draft(teen), today)
    never = TobaccoRecord(tuple((p, TobaccoStatus.NEVER) for p in TobaccoProduct))
    save_exam(store, dentist, draft(teen, tobacco=never), today, exam_id=exam_id)
    exam = store.exams.get(exam_id)
    assert exam is not None
    assert exam.tobacco == never
    sign_exam(store, dentist, exam_id, today)
    for sql in (
        "UPDATE exams SET findings = 'x' WHERE id = ?",
        "DELETE FROM exams WHERE id = ?",
        "UPDATE exam_tobacco SET status = 'daily' WHERE exam_id = ?",
        "DELETE FROM exam_caries_indices WHERE exam_id = ?",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            store.conn.execute(sql, (exam_id,))


def test_tobacco_rows_are_dated_per_exam_and_never_overwritten(
    store: Store, dentist: User, teen: int, today: date
) -> None:
    first = save_exam(store, dentist, draft(teen, exam_date=date(2025, 11, 3)), today, sign=True)
    never = TobaccoRecord(tuple((p, TobaccoStatus.NEVER) for p in TobaccoProduct))
    save_exam(store, dentist, draft(teen, tobacco=never), today, sign=True)
    patient = store.patients.get(teen)
    assert patient is not None
    history = exam_overview(store, patient, today).tobacco
    assert len(history) == 2 * len(TobaccoProduct)
    snus = [(row.recorded_on, row.status) for row in history if row.product is TobaccoProduct.SNUS]
    assert snus == [
        (date(2026, 11, 20), TobaccoStatus.NEVER),
        (date(2025, 11, 3), TobaccoStatus.DAILY),
    ]
    assert store.exams.get(first).tobacco == snus_daily()  # type: ignore[union-attr]


def test_amendments_keep_the_original(
    store: Store, dentist: User, staff: dict[str, User], teen: int, today: date
) -> None:
    exam_id = save_exam(store, dentist, draft(teen), today, sign=True)
    with pytest.raises(ValidationError):
        amend_exam(store, dentist, exam_id, AmendField.FINDINGS, "Ny text", " ")
    with pytest.raises(RuleViolation):
        amend_exam(store, staff["hygienist"], exam_id, AmendField.FINDINGS, "x", "Fel")
    amend_exam(
        store, dentist, exam_id, AmendField.FINDINGS, "Initial karies 17d.", "Fel tand angiven"
    )
    amend_exam(store, staff["dentist2"], exam_id, AmendField.INTERVAL_MONTHS, "6", "Hög aktivitet")
    with pytest.raises(ExamRefused) as exc:
        amend_exam(store, dentist, exam_id, AmendField.INTERVAL_MONTHS, "25", "Fel")
    assert exc.value.interval_too_long is not None
    with pytest.raises(ValidationError, match="Låg, Medel eller Hög"):
        amend_exam(store, dentist, exam_id, AmendField.RISK_GROUP, "väldigt", "Omvärderad")
    amend_exam(store, dentist, exam_id, AmendField.RISK_GROUP, "Hög", "Omvärderad")
    exam = store.exams.get(exam_id)
    assert exam is not None
    # The original as signed ...
    assert (exam.findings, exam.interval_months, exam.risk_group) == (
        "Initial karies 16d.",
        12,
        RiskGroup.MEDIUM,
    )
    assert exam.next_revision_due == date(2027, 11, 20)
    # ... and the amendments beside it, who and why.
    assert [(a.field, a.old_value, a.new_value) for a in exam.amendments] == [
        (AmendField.FINDINGS, "Initial karies 16d.", "Initial karies 17d."),
        (AmendField.INTERVAL_MONTHS, "12", "6"),
        (AmendField.RISK_GROUP, "medium", "high"),
    ]
    assert exam.amendments[1].created_by_name == "Erik Lund"
    assert exam.amendments[1].reason == "Hög aktivitet"
    assert exam.current_next_revision_due == date(2027, 5, 20)
    latest = store.exams.latest_signed_revision(teen)
    assert latest is not None
    assert latest.next_revision_due == date(2027, 5, 20)
    with pytest.raises(sqlite3.IntegrityError):
        store.conn.execute("UPDATE exam_amendments SET reason = 'x'")
    draft_id = save_exam(store, dentist, draft(teen), today)
    with pytest.raises(RuleViolation, match="inte signerat"):
        amend_exam(store, dentist, draft_id, AmendField.NOTE, "x", "y")


def test_overview_summary_and_deadlines(
    store: Store, dentist: User, register: Callable[..., int], pid: Callable[..., str], today: date
) -> None:
    patient_id = register(pid("20140301"), "Olle", "Berg")
    save_exam(
        store,
        dentist,
        draft(
            patient_id,
            exam_date=date(2022, 9, 1),
            bite_check=BiteCheck.NORMAL,
            tobacco=None,
            interval_months=12,
        ),
        today,
        sign=True,
    )
    patient = store.patients.get(patient_id)
    assert patient is not None
    overview = exam_overview(store, patient, today)
    assert overview.last_exam is not None
    assert overview.next_revision is not None
    assert overview.next_revision.next_revision_due == date(2023, 9, 1)
    kinds = {d.kind: d for d in overview.deadlines}
    assert kinds[DeadlineKind.NEXT_REVISION].overdue
    assert kinds[DeadlineKind.DENTIST_GAP].due == date(2026, 9, 1)
    assert kinds[DeadlineKind.DENTIST_GAP].overdue


def test_journal_consent_and_its_withdrawal_are_dated_rows(
    store: Store, dentist: User, staff: dict[str, User], teen: int, today: date
) -> None:
    consent = ConsentDraft("Folktandvården Björkbacken: ortodontiremiss", "Anna Lindqvist", today)
    with pytest.raises(RuleViolation):
        record_consent(store, staff["reception"], teen, consent, today)
    with pytest.raises(ValidationError) as exc:
        record_consent(store, dentist, teen, replace(consent, scope=" ", given_by=""), today)
    assert {e.field for e in exc.value.errors} == {"scope", "given_by"}
    consent_id = record_consent(store, dentist, teen, consent, today)
    withdrawal = withdraw_consent(
        store, staff["nurse"], teen, consent_id, "Anna Lindqvist", today, today
    )
    rows = store.exams.consents(teen)
    assert [(r.id, r.action, r.withdraws_id) for r in rows] == [
        (consent_id, ConsentAction.GIVEN, None),
        (withdrawal, ConsentAction.WITHDRAWN, consent_id),
    ]
    assert rows[0].collected_by_name == "Karin Holm"
    assert rows[1].collected_by_name == "Lena Sjöberg"
    assert rows[1].scope == rows[0].scope
    with pytest.raises(ValidationError, match="redan återkallat"):
        withdraw_consent(store, dentist, teen, consent_id, "Anna", today, today)
    with pytest.raises(NotFound):
        withdraw_consent(store, dentist, teen, withdrawal, "Anna", today, today)
    actions = [e.action for e in store.audit.for_patient(teen)][:2]
    assert actions == ["consent.withdraw", "consent.give"]


def test_printing_archives_the_journal_extract_and_tobacco_sheet(
    store: Store, dentist: User, teen: int, today: date, clinics: dict[str, int]
) -> None:
    exam_id = save_exam(store, dentist, draft(teen), today, sign=True)
    amend_exam(store, dentist, exam_id, AmendField.INTERVAL_MONTHS, "6", "Hög kariesaktivitet")
    record_consent(store, dentist, teen, ConsentDraft("Ortodonti, Umeå", "Anna", today), today)
    document = print_exam_journal(store, dentist, teen, today)
    text = "\n".join(page.extract_text() for page in PdfReader(_pdf(store, document.id)).pages)
    assert "Journalutdrag" in text
    assert "Alva Lindqvist" in text
    assert "Snus" in text
    assert "12 månader" in text  # the original ...
    assert "Hög kariesaktivitet" in text  # ... and the amendment with its reason
    assert "Ortodonti, Umeå" in text
    sheet = print_tobacco_sheet(store, dentist, teen, today)
    sheet_text = PdfReader(_pdf(store, sheet.id)).pages[0].extract_text()
    assert "020-84 00 00" in sheet_text
    assert "Region Västerbotten" in sheet_text
    kinds = [d.kind for d in store.documents.for_patient(teen)]
    assert kinds == ["tobacco_sheet", "exam_journal"]
    actions = [e.action for e in store.audit.for_patient(teen)][:2]
    assert actions == ["document.tobacco_sheet", "document.exam_journal"]


def _pdf(store: Store, document_id: int) -> object:
    import io

    return io.BytesIO(store.documents.content(document_id))
