"""The recall list: listed patients with their due date and next booked time, by SQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from clinic_desk.domain.recall import RecallRow

_iso = date.fromisoformat

# The due date that counts: a hand-set one for the current exam, else the exam's.
_DUE = (
    "coalesce((SELECT o.due_date FROM recall_overrides o WHERE o.patient_id = p.id"
    " AND o.exam_id IS r.exam_id ORDER BY o.id DESC LIMIT 1), r.due_date,"
    " printf('%04d-12-31', CAST(substr(p.birth_date, 1, 4) AS INTEGER) + 3))"
)
_NEXT = (
    "(SELECT a.start_at || '|' || a.status FROM appointments a WHERE a.patient_id = p.id"
    " AND a.start_at >= :now AND a.status IN ('summoned', 'agreed')"
    " ORDER BY a.start_at LIMIT 1)"
)
_LISTED_HERE = (
    "EXISTS (SELECT 1 FROM listings l WHERE l.patient_id = p.id AND l.clinic_id = :clinic"
    " AND l.responsible_from <= :today"
    " AND (l.responsible_to IS NULL OR l.responsible_to >= :today))"
)


@dataclass(frozen=True)
class RecallFilter:
    """Which patients the list shows (None = any)."""

    due_from: date | None = None
    due_to: date | None = None
    dentist_id: int | None = None
    min_age_year: int | None = None  # birth year bounds, for age bands
    max_age_year: int | None = None


def _row(r: tuple[Any, ...]) -> RecallRow:
    # Positional and without helpers: a month's list is thousands of rows.
    next_time = None
    summoned = False
    if r[10]:
        start, status = r[10].split("|")
        next_time = datetime.fromisoformat(start)
        summoned = status == "summoned"
    return RecallRow(
        r[0],
        r[1],
        r[2],
        r[3],
        _iso(r[4]),
        bool(r[5]),
        r[6],
        _iso(r[7]),
        _iso(r[8]) if r[8] else None,
        bool(r[9]),
        next_time,
        summoned,
    )


class RecallRepository:
    """SQL for recall lists and hand-set due dates."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def rows(
        self, clinic_id: int, today: date, now: datetime, selection: RecallFilter
    ) -> list[RecallRow]:
        """Listed patients of `clinic_id` on `today` matching the filter, by due date."""
        # the target group: from the year the patient turns 3 through the year they turn 19
        where = [
            "p.end_date IS NULL",
            _LISTED_HERE,
            "p.birth_date <= printf('%04d-12-31', :year - 3)",
            "p.birth_date >= printf('%04d-01-01', :year - 19)",
        ]
        params: dict[str, object] = {
            "clinic": clinic_id,
            "today": today.isoformat(),
            "now": now.isoformat(timespec="minutes"),
            "year": today.year,
        }
        if selection.due_from is not None:
            where.append(f"{_DUE} >= :due_from")
            params["due_from"] = selection.due_from.isoformat()
        if selection.due_to is not None:
            where.append(f"{_DUE} <= :due_to")
            params["due_to"] = selection.due_to.isoformat()
        if selection.dentist_id is not None:
            where.append("p.responsible_dentist_id = :dentist")
            params["dentist"] = selection.dentist_id
        if selection.min_age_year is not None:
            where.append("p.birth_date >= :born_from")
            params["born_from"] = f"{selection.min_age_year:04d}-01-01"
        if selection.max_age_year is not None:
            where.append("p.birth_date <= :born_to")
            params["born_to"] = f"{selection.max_age_year:04d}-12-31"
        source = "patients p"
        if selection.due_from is not None and selection.due_to is not None:
            # Only patients whose due date can fall in the period are read: by the exam's due
            # date (indexed), a hand-set date, or the first-exam rule (31 Dec of the year the
            # patient turns 3, i.e. a birth year); the full condition is checked after.
            years = range(selection.due_from.year, selection.due_to.year + 1)
            first_exam = [
                f"SELECT id FROM patients WHERE birth_date >= '{y - 3:04d}-01-01'"
                f" AND birth_date <= '{y - 3:04d}-12-31'"
                for y in years
                if selection.due_from <= date(y, 12, 31) <= selection.due_to
            ]
            candidates = " UNION ".join(
                [
                    "SELECT patient_id FROM recall_due WHERE due_date >= :due_from"
                    " AND due_date <= :due_to",
                    "SELECT patient_id FROM recall_overrides WHERE due_date >= :due_from"
                    " AND due_date <= :due_to",
                    *first_exam,
                ]
            )
            source = f"({candidates}) AS c JOIN patients p ON p.id = c.patient_id"
        sql = (
            "SELECT p.id, p.personal_id, p.first_name, p.last_name, p.birth_date,"
            f" p.protected_identity, p.responsible_dentist_id, {_DUE} AS due, r.exam_date,"
            " EXISTS (SELECT 1 FROM recall_overrides o WHERE o.patient_id = p.id"
            f" AND o.exam_id IS r.exam_id), {_NEXT}"
            f" FROM {source} LEFT JOIN recall_due r ON r.patient_id = p.id"
            f" WHERE {' AND '.join(where)} ORDER BY due, p.sort_name, p.id"
        )
        return [_row(r) for r in self._conn.execute(sql, params)]

    def row(self, patient_id: int, today: date, now: datetime) -> RecallRow | None:
        """One patient's recall standing (listed anywhere)."""
        sql = (
            "SELECT p.id, p.personal_id, p.first_name, p.last_name, p.birth_date,"
            f" p.protected_identity, p.responsible_dentist_id, {_DUE} AS due, r.exam_date,"
            " EXISTS (SELECT 1 FROM recall_overrides o WHERE o.patient_id = p.id"
            f" AND o.exam_id IS r.exam_id), {_NEXT}"
            " FROM patients p LEFT JOIN recall_due r ON r.patient_id = p.id WHERE p.id = :id"
        )
        found = self._conn.execute(
            sql, {"id": patient_id, "now": now.isoformat(timespec="minutes")}
        ).fetchone()
        return _row(found) if found else None

    def current_exam_id(self, patient_id: int) -> int | None:
        """The exam the current due date comes from, if any."""
        found = self._conn.execute(
            "SELECT exam_id FROM recall_due WHERE patient_id = ?", (patient_id,)
        ).fetchone()
        return int(found[0]) if found else None

    def add_override(
        self, patient_id: int, exam_id: int | None, due: date, reason: str, user_id: int
    ) -> int:
        """Set a due date by hand for the current exam."""
        cursor = self._conn.execute(
            "INSERT INTO recall_overrides (patient_id, exam_id, due_date, reason, created_at,"
            " created_by) VALUES (?,?,?,?,?,?)",
            (
                patient_id,
                exam_id,
                due.isoformat(),
                reason.strip(),
                self._now().isoformat(timespec="seconds"),
                user_id,
            ),
        )
        return int(cursor.lastrowid or 0)
