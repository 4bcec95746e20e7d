"""Access-log review (loggkontroll): the audit log filtered, paged and flagged in SQL.

Flags for unusual access:
- `no_relation`: a patient record opened by someone when, that day, the patient was not
  listed at our clinic, had no appointment, exam or emergency visit (where those tables
  exist), the user was not the patient's responsible dentist, and the user did not
  register the patient that day;
- `protected`: a record with protected identity opened, or its identity revealed;
- `burst`: the user opened BURST_COUNT or more different records within BURST_MINUTES.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import date, timedelta

from clinic_desk.domain.people import PROTECTED_MASK

BURST_COUNT = 20
BURST_MINUTES = 10
FLAG_NO_RELATION = "no_relation"
FLAG_PROTECTED = "protected"
FLAG_BURST = "burst"
FLAG_LABELS = {
    FLAG_NO_RELATION: "Ingen vårdrelation den dagen",
    FLAG_PROTECTED: "Skyddad identitet",
    FLAG_BURST: f"Många journaler på kort tid ({BURST_COUNT} på {BURST_MINUTES} min)",
}
OPEN_ACTIONS = ("patient.open", "patient.reveal_protected")


@dataclass(frozen=True)
class ReviewFilter:
    """What the reviewer asks for; None means any."""

    user_id: int | None = None
    patient_id: int | None = None
    first: date | None = None
    last: date | None = None
    action: str | None = None  # an exact action, or a prefix ending in '.' ('patient.')
    flagged_only: bool = False


@dataclass(frozen=True)
class ReviewRow:
    """One audit entry as the review shows it."""

    id: int
    at: str
    user_id: int | None
    user_name: str
    action: str
    patient_id: int | None
    personal_id: str
    patient_name: str
    flags: frozenset[str] = field(default_factory=frozenset)


def _day(column: str) -> str:
    return f"substr({column}, 1, 10)"


class AccessReview:
    """SQL for the review screen and the review report."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def _tables(self) -> set[str]:
        return {
            str(r[0])
            for r in self._conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
        }

    def _relation_sql(self) -> str:
        day = _day("b.at")
        parts = [
            "EXISTS (SELECT 1 FROM listings l JOIN clinics c ON c.id = l.clinic_id AND c.is_own = 1"
            f" WHERE l.patient_id = b.patient_id AND l.responsible_from <= {day}"
            f" AND (l.responsible_to IS NULL OR l.responsible_to >= {day}))",
            "coalesce(p.responsible_dentist_id = b.user_id, 0)",
            "EXISTS (SELECT 1 FROM audit_log r WHERE r.patient_id = b.patient_id"
            " AND r.user_id = b.user_id AND r.action = 'patient.create'"
            f" AND r.at >= {day} AND r.at < {day} || 'T99')",
        ]
        tables = self._tables()
        if "exams" in tables:
            parts.append(
                "EXISTS (SELECT 1 FROM exams e WHERE e.patient_id = b.patient_id"
                f" AND e.exam_date = {day})"
            )
        if "appointments" in tables:
            parts.append(
                "EXISTS (SELECT 1 FROM appointments ap WHERE ap.patient_id = b.patient_id"
                f" AND ap.start_at >= {day} AND ap.start_at < {day} || 'T99')"
            )
        if "emergency_visits" in tables:
            parts.append(
                "EXISTS (SELECT 1 FROM emergency_visits v WHERE v.patient_id = b.patient_id"
                f" AND v.treatment_date = {day})"
            )
        return " OR ".join(f"({p})" for p in parts)

    def _where(self, where: ReviewFilter) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if where.user_id is not None:
            clauses.append("a.user_id = ?")
            params.append(where.user_id)
        if where.patient_id is not None:
            clauses.append("a.patient_id = ?")
            params.append(where.patient_id)
        if where.first is not None:
            clauses.append("a.at >= ?")
            params.append(where.first.isoformat())
        if where.last is not None:
            clauses.append("a.at < ?")
            params.append((where.last + timedelta(days=1)).isoformat())
        if where.action:
            if where.action.endswith("."):
                clauses.append("a.action >= ? AND a.action < ?")
                params += [where.action, where.action[:-1] + "/"]
            else:
                clauses.append("a.action = ?")
                params.append(where.action)
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _query(self, where: ReviewFilter) -> tuple[str, list[object]]:
        filters, params = self._where(where)
        opened = "b.action IN ('patient.open', 'patient.reveal_protected')"
        since = f"strftime('%Y-%m-%dT%H:%M:%S', b.at, '-{BURST_MINUTES} minutes')"
        sql = f"""
            WITH b AS (SELECT a.id, a.at, a.user_id, a.action, a.patient_id FROM audit_log a
                       {filters})
            SELECT b.id, b.at, b.user_id, coalesce(u.full_name, ''), b.action, b.patient_id,
                   coalesce(p.personal_id, ''), coalesce(p.first_name, ''),
                   coalesce(p.last_name, ''), coalesce(p.protected_identity, 0),
                   CASE WHEN b.action = 'patient.open' AND b.patient_id IS NOT NULL
                        AND NOT ({self._relation_sql()}) THEN 1 ELSE 0 END AS no_relation,
                   CASE WHEN {opened} AND p.protected_identity = 1 THEN 1 ELSE 0 END
                        AS protected,
                   CASE WHEN b.action = 'patient.open' AND (
                        SELECT count(DISTINCT o.patient_id) FROM audit_log o
                        WHERE o.user_id = b.user_id AND o.at >= {since} AND o.at <= b.at
                        AND o.action = 'patient.open') >= {BURST_COUNT}
                        THEN 1 ELSE 0 END AS burst
            FROM b
            LEFT JOIN users u ON u.id = b.user_id
            LEFT JOIN patients p ON p.id = b.patient_id
        """
        if where.flagged_only:
            sql = f"SELECT * FROM ({sql}) WHERE no_relation + protected + burst > 0"
        return sql, params

    def rows(
        self, where: ReviewFilter, limit: int = 200, offset: int = 0, newest_first: bool = True
    ) -> list[ReviewRow]:
        """One page of the review, newest (or oldest) first."""
        sql, params = self._query(where)
        order = "DESC" if newest_first else "ASC"
        found = self._conn.execute(
            f"SELECT * FROM ({sql}) ORDER BY 1 {order} LIMIT ? OFFSET ?", [*params, limit, offset]
        ).fetchall()
        return [_row(r) for r in found]

    def count(self, where: ReviewFilter) -> int:
        """How many entries the filter finds."""
        if not where.flagged_only:
            filters, params = self._where(where)
            return int(
                self._conn.execute(f"SELECT count(*) FROM audit_log a{filters}", params).fetchone()[
                    0
                ]
            )
        sql, params = self._query(where)
        return int(self._conn.execute(f"SELECT count(*) FROM ({sql})", params).fetchone()[0])

    def actions(self) -> list[str]:
        """Every action the log holds, for the filter's pick list."""
        return [
            str(r[0])
            for r in self._conn.execute("SELECT DISTINCT action FROM audit_log ORDER BY 1")
        ]


def _row(r: tuple[object, ...]) -> ReviewRow:
    flags = frozenset(
        name
        for name, value in ((FLAG_NO_RELATION, r[10]), (FLAG_PROTECTED, r[11]), (FLAG_BURST, r[12]))
        if value
    )
    protected = bool(r[9])
    name = PROTECTED_MASK if protected else f"{r[8]}, {r[7]}".strip(", ")
    return ReviewRow(
        id=int(str(r[0])),
        at=str(r[1]),
        user_id=int(str(r[2])) if r[2] is not None else None,
        user_name=str(r[3]),
        action=str(r[4]),
        patient_id=int(str(r[5])) if r[5] is not None else None,
        personal_id=str(r[6]),
        patient_name=name if r[5] is not None else "",
        flags=flags,
    )
