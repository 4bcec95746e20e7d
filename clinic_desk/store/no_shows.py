"""No-shows: who missed which times, notices sent, concern cases, fees, and statistics."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from clinic_desk.store.rows import req_date, to_date


@dataclass(frozen=True)
class ConcernCase:
    """A child-at-risk concern raised by repeated no-shows, and its decision once made."""

    id: int
    patient_id: int
    raised_on: date
    raised_reason: str
    decision: str | None
    decided_on: date | None
    decided_by: int | None
    decision_reason: str


@dataclass(frozen=True)
class FollowUp:
    """A patient who missed a time and has no new one yet."""

    patient_id: int
    name: str
    personal_id: str
    protected_identity: bool
    missed_on: datetime
    practitioner_id: int


_CUBE_AXES = {"month": 0, "practitioner": 1, "kind": 2}


@dataclass(frozen=True)
class RateCube:
    """Counts per (month, practitioner id, kind): (key..., total, no-shows, late)."""

    cells: tuple[tuple[str, str, str, int, int, int], ...]

    def by(self, group: str) -> list[RateRow]:
        """The counts summed per 'month', 'practitioner' or 'kind', in key order."""
        axis = _CUBE_AXES[group]
        sums: dict[str, list[int]] = {}
        for cell in self.cells:
            counts = sums.setdefault(str(cell[axis]), [0, 0, 0])
            counts[0] += cell[3]
            counts[1] += cell[4]
            counts[2] += cell[5]
        ordered = sorted(sums, key=(lambda k: int(k)) if group == "practitioner" else None)
        return [RateRow(key, *sums[key]) for key in ordered]


@dataclass(frozen=True)
class RateRow:
    """Counts for one group of the statistics (a month, a practitioner or a kind)."""

    key: str
    total: int
    no_shows: int
    late_cancellations: int

    @property
    def no_show_rate(self) -> float:
        return 100.0 * self.no_shows / self.total if self.total else 0.0

    @property
    def late_cancellation_rate(self) -> float:
        return 100.0 * self.late_cancellations / self.total if self.total else 0.0


def _concern(r: tuple[Any, ...]) -> ConcernCase:
    return ConcernCase(
        int(r[0]),
        int(r[1]),
        req_date(r[2]),
        str(r[3]),
        r[4],
        to_date(r[5]),
        int(r[6]) if r[6] is not None else None,
        str(r[7]),
    )


_CONCERN = (
    "id, patient_id, raised_on, raised_reason, decision, decided_on, decided_by, decision_reason"
)
# Times that count in the rates: those that were due to happen (not cancelled in time).
_COUNTED = "('agreed', 'summoned', 'arrived', 'done', 'no_show', 'late_cancelled')"


class NoShowRepository:
    """SQL for notices, concerns, fees and no-show figures."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def _stamp(self) -> str:
        return self._now().isoformat(timespec="seconds")

    # -- no-shows -------------------------------------------------------------------------
    def missed(self, patient_id: int) -> list[tuple[int, datetime]]:
        """(appointment id, start) of every time the patient did not come to, oldest first."""
        return [
            (int(r[0]), datetime.fromisoformat(r[1]))
            for r in self._conn.execute(
                "SELECT id, start_at FROM appointments WHERE patient_id = ? AND status = 'no_show'"
                " ORDER BY start_at",
                (patient_id,),
            )
        ]

    def follow_ups(self) -> list[FollowUp]:
        """Patients whose latest no-show has no later time booked (the follow-up list)."""
        rows = self._conn.execute(
            "WITH last AS (SELECT patient_id, max(start_at) AS missed FROM appointments"
            " WHERE status = 'no_show' GROUP BY patient_id)"
            " SELECT l.patient_id, p.first_name || ' ' || p.last_name, p.personal_id,"
            " p.protected_identity, l.missed,"
            " (SELECT a.practitioner_id FROM appointments a WHERE a.patient_id = l.patient_id"
            " AND a.start_at = l.missed AND a.status = 'no_show' LIMIT 1)"
            " FROM last l JOIN patients p ON p.id = l.patient_id WHERE p.end_date IS NULL"
            " AND NOT EXISTS (SELECT 1 FROM appointments b WHERE b.patient_id = l.patient_id"
            " AND b.start_at > l.missed AND b.status IN ('summoned', 'agreed', 'arrived', 'done'))"
            " ORDER BY l.missed"
        ).fetchall()
        return [
            FollowUp(
                int(r[0]), str(r[1]), str(r[2]), bool(r[3]), datetime.fromisoformat(r[4]), int(r[5])
            )
            for r in rows
        ]

    # -- notices --------------------------------------------------------------------------
    def last_notice(self, patient_id: int) -> date | None:
        """When the latest written notice about this patient was sent."""
        row = self._conn.execute(
            "SELECT max(sent_on) FROM no_show_notices WHERE patient_id = ?", (patient_id,)
        ).fetchone()
        return to_date(row[0])

    def add_notice(
        self,
        patient_id: int,
        guardian_id: int | None,
        recipient: str,
        sent_on: date,
        appointment_ids: list[int],
        document_id: int,
        user_id: int,
    ) -> int:
        """Record a sent notice."""
        cursor = self._conn.execute(
            "INSERT INTO no_show_notices (patient_id, guardian_id, recipient, sent_on,"
            " appointment_ids, document_id, sent_by, created_at) VALUES (?,?,?,?,?,?,?,?)",
            (
                patient_id,
                guardian_id,
                recipient,
                sent_on.isoformat(),
                json.dumps(appointment_ids),
                document_id,
                user_id,
                self._stamp(),
            ),
        )
        return int(cursor.lastrowid or 0)

    def notices(self, patient_id: int) -> list[tuple[date, str, int]]:
        """(sent on, recipient, document id) of the notices about a patient, newest first."""
        return [
            (req_date(r[0]), str(r[1]), int(r[2]))
            for r in self._conn.execute(
                "SELECT sent_on, recipient, document_id FROM no_show_notices WHERE patient_id=?"
                " ORDER BY id DESC",
                (patient_id,),
            )
        ]

    # -- concerns -------------------------------------------------------------------------
    def open_concern(self, patient_id: int) -> ConcernCase | None:
        """The patient's undecided concern case, if any."""
        row = self._conn.execute(
            f"SELECT {_CONCERN} FROM concern_cases WHERE patient_id = ? AND decision IS NULL"
            " ORDER BY id DESC LIMIT 1",
            (patient_id,),
        ).fetchone()
        return _concern(row) if row else None

    def raise_concern(self, patient_id: int, raised_on: date, reason: str) -> int:
        """Open a concern case."""
        cursor = self._conn.execute(
            "INSERT INTO concern_cases (patient_id, raised_on, raised_reason, created_at)"
            " VALUES (?,?,?,?)",
            (patient_id, raised_on.isoformat(), reason, self._stamp()),
        )
        return int(cursor.lastrowid or 0)

    def decide(
        self, case_id: int, decision: str, decided_on: date, user_id: int, reason: str
    ) -> None:
        """Record the decision (once; a trigger refuses a second one)."""
        self._conn.execute(
            "UPDATE concern_cases SET decision=?, decided_on=?, decided_by=?, decision_reason=?"
            " WHERE id=?",
            (decision, decided_on.isoformat(), user_id, reason, case_id),
        )

    def concern(self, case_id: int) -> ConcernCase | None:
        """One case."""
        row = self._conn.execute(
            f"SELECT {_CONCERN} FROM concern_cases WHERE id=?", (case_id,)
        ).fetchone()
        return _concern(row) if row else None

    def concerns(self, open_only: bool = True) -> list[tuple[ConcernCase, str, str]]:
        """Cases with the patient's name and personal number, oldest first."""
        where = "WHERE c.decision IS NULL" if open_only else ""
        rows = self._conn.execute(
            f"SELECT c.{_CONCERN.replace(', ', ', c.')}, p.first_name || ' ' || p.last_name,"
            f" p.personal_id FROM concern_cases c JOIN patients p ON p.id = c.patient_id {where}"
            " ORDER BY c.raised_on, c.id"
        ).fetchall()
        return [(_concern(r[:8]), str(r[8]), str(r[9])) for r in rows]

    # -- fees -----------------------------------------------------------------------------
    def next_fee_id(self) -> int:
        """The id the next fee gets (inside the caller's transaction: used for its OCR)."""
        row = self._conn.execute("SELECT coalesce(max(id), 0) + 1 FROM patient_fees").fetchone()
        return int(row[0])

    def add_fee(
        self,
        fee_id: int,
        patient_id: int,
        appointment_id: int | None,
        kind: str,
        amount_ore: int,
        recipient: str,
        ocr: str,
        issued_on: date,
        due_on: date,
        document_id: int,
        user_id: int,
    ) -> None:
        """Record an issued fee."""
        self._conn.execute(
            "INSERT INTO patient_fees (id, patient_id, appointment_id, kind, amount_ore,"
            " recipient, ocr, issued_on, due_on, document_id, created_at, created_by)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                fee_id,
                patient_id,
                appointment_id,
                kind,
                amount_ore,
                recipient,
                ocr,
                issued_on.isoformat(),
                due_on.isoformat(),
                document_id,
                self._stamp(),
                user_id,
            ),
        )

    def fee_for_appointment(self, appointment_id: int) -> int | None:
        """The id of the no-show fee already issued for a time, if any."""
        row = self._conn.execute(
            "SELECT id FROM patient_fees WHERE appointment_id = ? AND kind = 'no_show'",
            (appointment_id,),
        ).fetchone()
        return int(row[0]) if row else None

    # -- statistics -----------------------------------------------------------------------
    def rate_cube(self, first: date, last: date) -> RateCube:
        """No-show and late-cancellation counts from `first` to `last` (inclusive) in one
        pass, per month, practitioner and kind; `RateCube.by` folds them."""
        rows = self._conn.execute(
            "SELECT substr(start_at, 1, 7), practitioner_id, kind, count(*),"
            " sum(status = 'no_show'), sum(status = 'late_cancelled')"
            f" FROM appointments WHERE start_at >= ? AND start_at < ? AND status IN {_COUNTED}"
            " GROUP BY 1, 2, 3",
            (first.isoformat(), date.fromordinal(last.toordinal() + 1).isoformat()),
        ).fetchall()
        return RateCube(
            tuple(
                (str(r[0]), str(r[1]), str(r[2]), int(r[3]), int(r[4] or 0), int(r[5] or 0))
                for r in rows
            )
        )

    def rates(self, first: date, last: date, group: str) -> list[RateRow]:
        """Counts from `first` to `last` (inclusive), grouped by 'month', 'practitioner'
        (user id) or 'kind'."""
        return self.rate_cube(first, last).by(group)

    def most_no_shows(self, first: date, last: date, limit: int = 20) -> list[tuple[int, str, int]]:
        """(patient id, name, no-shows) of the patients who missed most times in the period."""
        return [
            (int(r[0]), str(r[1]), int(r[2]))
            for r in self._conn.execute(
                "SELECT a.patient_id, CASE WHEN p.protected_identity THEN 'Skyddad identitet'"
                " ELSE p.first_name || ' ' || p.last_name END, count(*)"
                " FROM appointments a JOIN patients p ON p.id = a.patient_id"
                " WHERE a.status = 'no_show' AND a.start_at >= ? AND a.start_at < ?"
                " GROUP BY a.patient_id ORDER BY count(*) DESC, a.patient_id LIMIT ?",
                (first.isoformat(), date.fromordinal(last.toordinal() + 1).isoformat(), limit),
            )
        ]
