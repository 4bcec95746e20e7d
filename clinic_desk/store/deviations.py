"""SQL for the deviation register and the region's follow-up cases."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, Literal

from clinic_desk.domain.deviations import (
    Category,
    Deviation,
    DeviationDraft,
    Origin,
    Severity,
)
from clinic_desk.domain.follow_up import FollowUpDecision, FollowUpDraft, FollowUpRecord
from clinic_desk.domain.people import shown_name
from clinic_desk.store.rows import req_date, to_date

_DEVIATION = (
    "SELECT d.id, d.occurred_on, d.reported_on, d.title, d.description, d.origin,"
    " d.other_provider, d.category, d.severity, d.patient_id, p.personal_id, p.first_name,"
    " p.last_name, p.protected_identity, d.exam_id, d.assigned_to,"
    " coalesce(a.full_name, ''), d.answer, d.answered_on, d.lessons, d.closed_on,"
    " coalesce(r.full_name, '')"
    " FROM deviations d LEFT JOIN patients p ON p.id = d.patient_id"
    " LEFT JOIN users a ON a.id = d.assigned_to LEFT JOIN users r ON r.id = d.created_by"
)


def _deviation(r: tuple[Any, ...]) -> Deviation:
    patient_text = (
        f"{r[10]}  {shown_name(str(r[11]), str(r[12]), bool(r[13]))}" if r[9] is not None else ""
    )
    return Deviation(
        id=int(r[0]),
        occurred_on=req_date(r[1]),
        reported_on=req_date(r[2]),
        title=str(r[3]),
        description=str(r[4]),
        origin=Origin(r[5]),
        other_provider=str(r[6]),
        category=Category(r[7]) if r[7] else None,
        severity=Severity(r[8]) if r[8] else None,
        patient_id=int(r[9]) if r[9] is not None else None,
        patient_text=patient_text,
        exam_id=int(r[14]) if r[14] is not None else None,
        assigned_to=int(r[15]) if r[15] is not None else None,
        assigned_name=str(r[16]),
        answer=str(r[17]),
        answered_on=to_date(r[18]),
        lessons=str(r[19]),
        closed_on=to_date(r[20]),
        reported_by_name=str(r[21]),
    )


class DeviationRepository:
    """SQL for deviations (never deleted; a closed one never changes)."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def _stamp(self) -> str:
        return self._now().isoformat(timespec="seconds")

    def insert(self, draft: DeviationDraft, reported_on: date, user_id: int) -> int:
        """Record a new deviation."""
        stamp = self._stamp()
        cursor = self._conn.execute(
            "INSERT INTO deviations (occurred_on, reported_on, title, description, origin,"
            " other_provider, category, severity, patient_id, exam_id, created_at, created_by,"
            " updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                draft.occurred_on.isoformat(),
                reported_on.isoformat(),
                draft.title.strip(),
                draft.description.strip(),
                draft.origin.value,
                draft.other_provider.strip(),
                draft.category.value if draft.category else None,
                draft.severity.value if draft.severity else None,
                draft.patient_id,
                draft.exam_id,
                stamp,
                user_id,
                stamp,
                user_id,
            ),
        )
        return int(cursor.lastrowid or 0)

    def _update(self, deviation_id: int, user_id: int, **values: object) -> None:
        columns = ", ".join(f"{name} = :{name}" for name in values)
        self._conn.execute(
            f"UPDATE deviations SET {columns}, updated_at = :stamp, updated_by = :user"
            " WHERE id = :id",
            {**values, "stamp": self._stamp(), "user": user_id, "id": deviation_id},
        )

    def classify(
        self, deviation_id: int, category: Category, severity: Severity, user_id: int
    ) -> None:
        """Set the kind and seriousness."""
        self._update(deviation_id, user_id, category=category.value, severity=severity.value)

    def assign(self, deviation_id: int, assignee: int, user_id: int) -> None:
        """Name who investigates."""
        self._update(deviation_id, user_id, assigned_to=assignee)

    def answer(self, deviation_id: int, answer: str, answered_on: date, user_id: int) -> None:
        """Keep the answer sent to the provider the deviation came from."""
        self._update(
            deviation_id, user_id, answer=answer.strip(), answered_on=answered_on.isoformat()
        )

    def close(self, deviation_id: int, lessons: str, closed_on: date, user_id: int) -> None:
        """Close with the lessons learnt."""
        self._update(
            deviation_id,
            user_id,
            lessons=lessons.strip(),
            closed_on=closed_on.isoformat(),
            closed_by=user_id,
        )

    def get(self, deviation_id: int) -> Deviation | None:
        """One deviation."""
        row = self._conn.execute(f"{_DEVIATION} WHERE d.id = ?", (deviation_id,)).fetchone()
        return _deviation(row) if row else None

    def all(self, open_only: bool = False) -> list[Deviation]:
        """Deviations, newest first (open ones only on request)."""
        where = " WHERE d.closed_on IS NULL" if open_only else ""
        rows = self._conn.execute(
            f"{_DEVIATION}{where} ORDER BY d.reported_on DESC, d.id DESC"
        ).fetchall()
        return [_deviation(r) for r in rows]

    def for_patient(self, patient_id: int) -> list[Deviation]:
        """Deviations that name this patient, newest first."""
        rows = self._conn.execute(
            f"{_DEVIATION} WHERE d.patient_id = ? ORDER BY d.reported_on DESC, d.id DESC",
            (patient_id,),
        ).fetchall()
        return [_deviation(r) for r in rows]

    def exam_patient(self, exam_id: int) -> int | None:
        """Whose exam this is (a deviation links a record of its own patient only)."""
        row = self._conn.execute("SELECT patient_id FROM exams WHERE id = ?", (exam_id,)).fetchone()
        return int(row[0]) if row else None


class FollowUpRepository:
    """SQL for the region's follow-up cases; decisions are append-only."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def _stamp(self) -> str:
        return self._now().isoformat(timespec="seconds")

    def insert(self, draft: FollowUpDraft, user_id: int) -> int:
        """Record a finding."""
        stamp = self._stamp()
        cursor = self._conn.execute(
            "INSERT INTO follow_up_cases (title, request_date, severity, deviation,"
            " self_reported, plan_deadline, note, created_at, created_by, updated_at,"
            " updated_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                draft.title.strip(),
                draft.request_date.isoformat(),
                draft.severity,
                draft.deviation,
                int(draft.self_reported),
                draft.plan_deadline.isoformat(),
                draft.note.strip(),
                stamp,
                user_id,
                stamp,
                user_id,
            ),
        )
        return int(cursor.lastrowid or 0)

    def set_plan_sent(self, case_id: int, sent_on: date, user_id: int) -> None:
        """When the action plan went to the region."""
        self._conn.execute(
            "UPDATE follow_up_cases SET plan_sent_on = ?, updated_at = ?, updated_by = ?"
            " WHERE id = ?",
            (sent_on.isoformat(), self._stamp(), user_id, case_id),
        )

    def add_decision(
        self,
        case_id: int,
        decided_on: date,
        kind: Literal["failed", "approved"],
        note: str,
        user_id: int,
    ) -> int:
        """Keep one of the region's decisions."""
        cursor = self._conn.execute(
            "INSERT INTO follow_up_events (case_id, decided_on, kind, note, created_at,"
            " created_by) VALUES (?,?,?,?,?,?)",
            (case_id, decided_on.isoformat(), kind, note.strip(), self._stamp(), user_id),
        )
        return int(cursor.lastrowid or 0)

    def all(self) -> list[FollowUpRecord]:
        """Every case with its decisions, newest request first."""
        decisions: dict[int, list[FollowUpDecision]] = {}
        for r in self._conn.execute(
            "SELECT id, case_id, decided_on, kind, note FROM follow_up_events"
            " ORDER BY decided_on, id"
        ):
            kind: Literal["failed", "approved"] = "approved" if r[3] == "approved" else "failed"
            decisions.setdefault(int(r[1]), []).append(
                FollowUpDecision(int(r[0]), req_date(r[2]), kind, str(r[4]))
            )
        rows = self._conn.execute(
            "SELECT id, title, request_date, severity, deviation, self_reported, plan_deadline,"
            " plan_sent_on, note FROM follow_up_cases ORDER BY request_date DESC, id DESC"
        ).fetchall()
        return [
            FollowUpRecord(
                id=int(r[0]),
                title=str(r[1]),
                request_date=req_date(r[2]),
                severity=int(r[3]),
                deviation=int(r[4]),
                self_reported=bool(r[5]),
                plan_deadline=req_date(r[6]),
                plan_sent_on=to_date(r[7]),
                note=str(r[8]),
                decisions=tuple(decisions.get(int(r[0]), ())),
            )
            for r in rows
        ]

    def get(self, case_id: int) -> FollowUpRecord | None:
        """One case with its decisions."""
        return next((r for r in self.all() if r.id == case_id), None)
