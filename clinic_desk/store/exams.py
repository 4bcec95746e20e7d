"""Exams with their caries indices, tobacco rows and amendments; journal consents.

The caries data model: one exam_caries_indices row per exam holds the counts (dft, dfs, DFT,
DFS, approximal DFS, DS) and the derived caries-free flag, with ``source = 'counts'``. A tooth
chart later stores per-tooth / per-surface findings in its own table keyed by (exam_id, tooth,
surface) and writes the same index row with ``source = 'chart'``; readers of the index row
(the card, the journal extract, region reports) do not change.

Recall and reporting use ``latest_signed_revision`` / ``revision_status_all``: only signed
dentist and hygienist revision exams count, and an amendment of the interval replaces the
due date stored on the exam.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from clinic_desk.domain.exams import (
    AmendField,
    Amendment,
    BiteCheck,
    CariesIndices,
    ConsentAction,
    ConsentDraft,
    Exam,
    ExamDraft,
    ExamKind,
    JournalConsent,
    ReferralAnswer,
    RevisionDue,
    RiskFactor,
    RiskGroup,
    TobaccoProduct,
    TobaccoRecord,
    TobaccoStatus,
)
from clinic_desk.store.rows import req_date, to_date

_EXAM_COLUMNS = (
    "e.id, e.patient_id, e.exam_date, e.kind, e.examiner_id, coalesce(x.full_name, ''),"
    " e.age_at_exam, e.risk_group, e.risk_factors, e.interval_months, e.treatment_plan,"
    " e.findings, e.bite_check, e.bite_findings, e.next_revision_due, e.signed_at,"
    " coalesce(s.full_name, ''), e.created_at, e.tobacco_recorded,"
    " e.tobacco_referral_offered, e.tobacco_referral_answer"
)
_EXAM_FROM = (
    "exams e LEFT JOIN users x ON x.id = e.examiner_id LEFT JOIN users s ON s.id = e.signed_by"
)
_INDEX_COLUMNS = "primary_dft, primary_dfs, perm_dft, perm_dfs, perm_dfs_approximal, perm_ds"
_REVISION_KINDS = "('dentist_revision', 'hygienist_revision')"
# The due date that counts: the latest amendment of the interval, else the exam's own.
_CURRENT_DUE = (
    "coalesce((SELECT a.next_revision_due FROM exam_amendments a WHERE a.exam_id = e.id"
    " AND a.field = 'interval_months' ORDER BY a.id DESC LIMIT 1), e.next_revision_due)"
)


@dataclass(frozen=True)
class RevisionStatus:
    """A patient with the latest signed revision exam (None before the first one)."""

    patient_id: int
    birth_date: date
    end_date: date | None
    latest: RevisionDue | None


@dataclass(frozen=True)
class HistoryExam:
    """A signed exam written in bulk (the demo clinic's history, the benchmark)."""

    patient_id: int
    exam_date: date
    kind: ExamKind
    examiner_id: int
    age_at_exam: int
    risk_group: RiskGroup | None
    risk_factors: frozenset[RiskFactor]
    interval_months: int | None
    treatment_plan: str
    findings: str
    bite_check: BiteCheck
    next_revision_due: date | None
    indices: CariesIndices | None
    tobacco: TobaccoRecord | None


def _factors_text(factors: Iterable[RiskFactor]) -> str:
    return ",".join(sorted(f.value for f in factors))


def _factors(text: object) -> frozenset[RiskFactor]:
    return frozenset(RiskFactor(v) for v in str(text or "").split(",") if v)


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _bool_or_none(value: object) -> bool | None:
    return None if value is None else bool(value)


class ExamRepository:
    """SQL for exams, caries indices, tobacco rows, amendments and journal consents."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def _stamp(self) -> str:
        return self._now().isoformat(timespec="seconds")

    # -- writing exams -------------------------------------------------------------------
    def insert(self, draft: ExamDraft, age: int, examiner_id: int) -> int:
        """Store a new draft exam with its indices and tobacco rows; returns its id."""
        stamp = self._stamp()
        cursor = self._conn.execute(
            "INSERT INTO exams (patient_id, exam_date, kind, examiner_id, age_at_exam,"
            " risk_group, risk_factors, interval_months, treatment_plan, findings, bite_check,"
            " bite_findings, tobacco_recorded, tobacco_referral_offered,"
            " tobacco_referral_answer, created_at, created_by, updated_at, updated_by)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                draft.patient_id,
                draft.exam_date.isoformat(),
                draft.kind.value,
                examiner_id,
                age,
                *_clinical_values(draft),
                stamp,
                examiner_id,
                stamp,
                examiner_id,
            ),
        )
        exam_id = int(cursor.lastrowid or 0)
        self._write_children(exam_id, draft, examiner_id, stamp)
        return exam_id

    def update_draft(self, exam_id: int, draft: ExamDraft, age: int, user_id: int) -> None:
        """Overwrite a draft (never a signed exam: the trigger refuses) and its child rows."""
        stamp = self._stamp()
        self._conn.execute(
            "UPDATE exams SET exam_date=?, kind=?, age_at_exam=?, risk_group=?, risk_factors=?,"
            " interval_months=?, treatment_plan=?, findings=?, bite_check=?, bite_findings=?,"
            " tobacco_recorded=?, tobacco_referral_offered=?, tobacco_referral_answer=?,"
            " updated_at=?, updated_by=? WHERE id=?",
            (
                draft.exam_date.isoformat(),
                draft.kind.value,
                age,
                *_clinical_values(draft),
                stamp,
                user_id,
                exam_id,
            ),
        )
        self._conn.execute("DELETE FROM exam_caries_indices WHERE exam_id = ?", (exam_id,))
        self._conn.execute("DELETE FROM exam_tobacco WHERE exam_id = ?", (exam_id,))
        self._write_children(exam_id, draft, user_id, stamp)

    def _write_children(self, exam_id: int, draft: ExamDraft, user_id: int, stamp: str) -> None:
        if draft.indices is not None:
            self._insert_indices([(exam_id, draft.indices)])
        if draft.tobacco is not None:
            self._conn.executemany(
                "INSERT INTO exam_tobacco (exam_id, patient_id, recorded_on, product, status,"
                " created_at, created_by) VALUES (?,?,?,?,?,?,?)",
                [
                    (
                        exam_id,
                        draft.patient_id,
                        draft.exam_date.isoformat(),
                        product.value,
                        status.value,
                        stamp,
                        user_id,
                    )
                    for product, status in draft.tobacco.statuses
                ],
            )

    def _insert_indices(self, rows: list[tuple[int, CariesIndices]]) -> None:
        self._conn.executemany(
            f"INSERT INTO exam_caries_indices (exam_id, source, {_INDEX_COLUMNS}, caries_free)"
            " VALUES (?, 'counts', ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    exam_id,
                    i.primary_dft,
                    i.primary_dfs,
                    i.perm_dft,
                    i.perm_dfs,
                    i.perm_dfs_approximal,
                    i.perm_ds,
                    int(i.caries_free),
                )
                for exam_id, i in rows
            ],
        )

    def sign(self, exam_id: int, user_id: int, next_due: date | None) -> None:
        """Sign a draft and store its next revision due date; the row is locked after this."""
        stamp = self._stamp()
        self._conn.execute(
            "UPDATE exams SET signed_at=?, signed_by=?, next_revision_due=?, updated_at=?,"
            " updated_by=? WHERE id=? AND signed_at IS NULL",
            (stamp, user_id, _iso(next_due), stamp, user_id, exam_id),
        )

    def add_amendment(
        self,
        exam_id: int,
        amend_field: AmendField,
        old_value: str,
        new_value: str,
        next_due: date | None,
        reason: str,
        user_id: int,
    ) -> int:
        """Add a correction to a signed exam; returns its id."""
        cursor = self._conn.execute(
            "INSERT INTO exam_amendments (exam_id, field, old_value, new_value,"
            " next_revision_due, reason, created_at, created_by) VALUES (?,?,?,?,?,?,?,?)",
            (
                exam_id,
                amend_field.value,
                old_value,
                new_value,
                _iso(next_due),
                reason,
                self._stamp(),
                user_id,
            ),
        )
        return int(cursor.lastrowid or 0)

    def insert_history(self, exams: list[HistoryExam]) -> int:
        """Write signed exams in bulk (demo clinic, benchmark); returns how many.

        Inside the caller's transaction. Each exam is signed by its examiner at its date.
        """
        if not exams:
            return 0
        first = int(self._conn.execute("SELECT coalesce(max(id), 0) FROM exams").fetchone()[0])
        stamp = self._stamp()
        exam_rows = []
        index_rows: list[tuple[int, CariesIndices]] = []
        tobacco_rows = []
        for offset, e in enumerate(exams, start=1):
            exam_id = first + offset
            day = e.exam_date.isoformat()
            signed = f"{day}T16:00:00"
            t = e.tobacco
            exam_rows.append(
                (
                    exam_id,
                    e.patient_id,
                    day,
                    e.kind.value,
                    e.examiner_id,
                    e.age_at_exam,
                    e.risk_group.value if e.risk_group else None,
                    _factors_text(e.risk_factors),
                    e.interval_months,
                    e.treatment_plan,
                    e.findings,
                    e.bite_check.value,
                    int(t is not None),
                    None if t is None else _int_or_none(t.referral_offered),
                    t.referral_answer.value if t and t.referral_answer else None,
                    _iso(e.next_revision_due),
                    signed,
                    e.examiner_id,
                    stamp,
                    e.examiner_id,
                    signed,
                    e.examiner_id,
                )
            )
            if e.indices is not None:
                index_rows.append((exam_id, e.indices))
            if t is not None:
                tobacco_rows += [
                    (exam_id, e.patient_id, day, p.value, s.value, stamp, e.examiner_id)
                    for p, s in t.statuses
                ]
        # The lock triggers refuse child rows of a signed exam, so the children go in first
        # and the exams after them, already signed; the foreign keys are checked at COMMIT.
        self._conn.execute("PRAGMA defer_foreign_keys = ON")
        self._insert_indices(index_rows)
        self._conn.executemany(
            "INSERT INTO exam_tobacco (exam_id, patient_id, recorded_on, product, status,"
            " created_at, created_by) VALUES (?,?,?,?,?,?,?)",
            tobacco_rows,
        )
        self._conn.executemany(
            "INSERT INTO exams (id, patient_id, exam_date, kind, examiner_id, age_at_exam,"
            " risk_group, risk_factors, interval_months, treatment_plan, findings, bite_check,"
            " tobacco_recorded, tobacco_referral_offered, tobacco_referral_answer,"
            " next_revision_due, signed_at, signed_by, created_at, created_by, updated_at,"
            " updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            exam_rows,
        )
        return len(exam_rows)

    # -- reading exams -------------------------------------------------------------------
    def get(self, exam_id: int) -> Exam | None:
        """One exam with its indices, tobacco rows and amendments."""
        row = self._conn.execute(
            f"SELECT {_EXAM_COLUMNS} FROM {_EXAM_FROM} WHERE e.id = ?", (exam_id,)
        ).fetchone()
        if row is None:
            return None
        return self._assemble([row], False, exam_id)[0]

    def for_patient(self, patient_id: int) -> list[Exam]:
        """A patient's exams, newest first, each complete (four indexed queries in all)."""
        rows = self._conn.execute(
            f"SELECT {_EXAM_COLUMNS} FROM {_EXAM_FROM} WHERE e.patient_id = ?"
            " ORDER BY e.exam_date DESC, e.id DESC",
            (patient_id,),
        ).fetchall()
        return self._assemble(rows, True, patient_id)

    def _assemble(self, rows: list[tuple[object, ...]], by_patient: bool, key: int) -> list[Exam]:
        if not rows:
            return []
        join = " JOIN exams e ON e.id = {t}.exam_id WHERE e.patient_id = ?"
        own = " WHERE {t}.exam_id = ?"
        where = join if by_patient else own
        index_columns = ", ".join("i." + c.strip() for c in _INDEX_COLUMNS.split(","))
        indices = {
            int(str(r[0])): CariesIndices(*(int(str(v)) for v in r[1:]))
            for r in self._conn.execute(
                f"SELECT i.exam_id, {index_columns} FROM exam_caries_indices i"
                + where.format(t="i"),
                (key,),
            )
        }
        statuses: dict[int, list[tuple[TobaccoProduct, TobaccoStatus]]] = {}
        tobacco_where = "t.patient_id = ?" if by_patient else "t.exam_id = ?"
        for r in self._conn.execute(
            "SELECT t.exam_id, t.product, t.status FROM exam_tobacco t"
            f" WHERE {tobacco_where} ORDER BY t.id",
            (key,),
        ):
            statuses.setdefault(int(r[0]), []).append((TobaccoProduct(r[1]), TobaccoStatus(r[2])))
        amendments: dict[int, list[Amendment]] = {}
        for r in self._conn.execute(
            "SELECT a.id, a.exam_id, a.field, a.old_value, a.new_value, a.next_revision_due,"
            " a.reason, a.created_at, a.created_by, coalesce(u.full_name, '')"
            " FROM exam_amendments a LEFT JOIN users u ON u.id = a.created_by"
            + where.format(t="a")
            + " ORDER BY a.id",
            (key,),
        ):
            amendments.setdefault(int(r[1]), []).append(
                Amendment(
                    id=int(r[0]),
                    exam_id=int(r[1]),
                    field=AmendField(r[2]),
                    old_value=str(r[3]),
                    new_value=str(r[4]),
                    next_revision_due=to_date(r[5]),
                    reason=str(r[6]),
                    created_at=str(r[7]),
                    created_by=int(r[8]),
                    created_by_name=str(r[9]),
                )
            )
        exams = []
        for r in rows:
            exam_id = int(str(r[0]))
            tobacco = None
            if r[18]:
                tobacco = TobaccoRecord(
                    tuple(statuses.get(exam_id, ())),
                    _bool_or_none(r[19]),
                    ReferralAnswer(r[20]) if r[20] else None,
                )
            exams.append(
                Exam(
                    id=exam_id,
                    patient_id=int(str(r[1])),
                    exam_date=req_date(r[2]),
                    kind=ExamKind(r[3]),
                    examiner_id=int(str(r[4])),
                    examiner_name=str(r[5]),
                    age_at_exam=int(str(r[6])),
                    risk_group=RiskGroup(r[7]) if r[7] else None,
                    risk_factors=_factors(r[8]),
                    interval_months=int(str(r[9])) if r[9] is not None else None,
                    treatment_plan=str(r[10]),
                    findings=str(r[11]),
                    bite_check=BiteCheck(r[12]),
                    bite_findings=str(r[13]),
                    next_revision_due=to_date(r[14]),
                    signed_at=str(r[15]) if r[15] is not None else None,
                    signed_by_name=str(r[16]),
                    created_at=str(r[17]),
                    indices=indices.get(exam_id),
                    tobacco=tobacco,
                    amendments=tuple(amendments.get(exam_id, ())),
                )
            )
        return exams

    def latest_signed_revision(self, patient_id: int) -> RevisionDue | None:
        """The patient's latest signed dentist or hygienist revision exam and its due date."""
        row = self._conn.execute(
            f"SELECT e.patient_id, e.id, e.exam_date, e.kind, {_CURRENT_DUE} FROM exams e"
            f" WHERE e.patient_id = ? AND e.signed_at IS NOT NULL AND e.kind IN {_REVISION_KINDS}"
            " ORDER BY e.exam_date DESC, e.id DESC LIMIT 1",
            (patient_id,),
        ).fetchone()
        return _revision_due(row) if row else None

    def revision_status_all(self) -> list[RevisionStatus]:
        """Every patient with the latest signed revision exam (for recall lists)."""
        rows = self._conn.execute(
            "SELECT p.id, p.birth_date, p.end_date, e.patient_id, e.id, e.exam_date, e.kind,"
            f" {_CURRENT_DUE} FROM patients p LEFT JOIN exams e ON e.id = ("
            " SELECT x.id FROM exams x WHERE x.patient_id = p.id AND x.signed_at IS NOT NULL"
            f" AND x.kind IN {_REVISION_KINDS} ORDER BY x.exam_date DESC, x.id DESC LIMIT 1)"
            " ORDER BY p.id"
        ).fetchall()
        return [
            RevisionStatus(
                int(r[0]),
                req_date(r[1]),
                to_date(r[2]),
                _revision_due(r[3:]) if r[3] is not None else None,
            )
            for r in rows
        ]

    # -- journal consents ----------------------------------------------------------------
    def add_consent(
        self,
        patient_id: int,
        action: ConsentAction,
        draft: ConsentDraft,
        user_id: int,
        withdraws_id: int | None = None,
    ) -> int:
        """Add a dated consent row (a withdrawal names the consent it ends)."""
        cursor = self._conn.execute(
            "INSERT INTO journal_consents (patient_id, action, scope, given_by, collected_by,"
            " collected_on, withdraws_id, note, created_at, created_by)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                patient_id,
                action.value,
                draft.scope.strip(),
                draft.given_by.strip(),
                user_id,
                draft.collected_on.isoformat(),
                withdraws_id,
                draft.note.strip(),
                self._stamp(),
                user_id,
            ),
        )
        return int(cursor.lastrowid or 0)

    def consents(self, patient_id: int) -> list[JournalConsent]:
        """A patient's consent rows, oldest first."""
        return [
            JournalConsent(
                id=int(r[0]),
                patient_id=int(r[1]),
                action=ConsentAction(r[2]),
                scope=str(r[3]),
                given_by=str(r[4]),
                collected_by=int(r[5]),
                collected_by_name=str(r[6]),
                collected_on=req_date(r[7]),
                withdraws_id=int(r[8]) if r[8] is not None else None,
                note=str(r[9]),
                created_at=str(r[10]),
            )
            for r in self._conn.execute(
                "SELECT c.id, c.patient_id, c.action, c.scope, c.given_by, c.collected_by,"
                " coalesce(u.full_name, ''), c.collected_on, c.withdraws_id, c.note, c.created_at"
                " FROM journal_consents c LEFT JOIN users u ON u.id = c.collected_by"
                " WHERE c.patient_id = ? ORDER BY c.id",
                (patient_id,),
            )
        ]


def _clinical_values(draft: ExamDraft) -> tuple[object, ...]:
    """The columns insert and update share, from risk_group to tobacco_referral_answer."""
    tobacco = draft.tobacco
    return (
        draft.risk_group.value if draft.risk_group else None,
        _factors_text(draft.risk_factors),
        draft.interval_months,
        draft.treatment_plan.strip(),
        draft.findings.strip(),
        draft.bite_check.value,
        draft.bite_findings.strip(),
        int(tobacco is not None),
        None if tobacco is None else _int_or_none(tobacco.referral_offered),
        tobacco.referral_answer.value if tobacco and tobacco.referral_answer else None,
    )


def _int_or_none(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _revision_due(row: tuple[object, ...]) -> RevisionDue:
    return RevisionDue(
        patient_id=int(str(row[0])),
        exam_id=int(str(row[1])),
        exam_date=req_date(row[2]),
        kind=ExamKind(row[3]),
        next_revision_due=req_date(row[4]),
    )
