"""Appointments: booking, moving, status changes, and the day and week views (by SQL)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from clinic_desk.domain.appointments import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    ConfirmedHow,
)

_COLUMNS = (
    "a.id, a.patient_id, a.practitioner_id, a.start_at, a.end_at, a.kind, a.status,"
    " a.confirmed_how, a.confirmed_at, a.confirmed_by_name, a.cancel_reason, a.note, a.overbooked"
)
_HOLDING = tuple(s.value for s in AppointmentStatus if s.holds_time)
_HOLDING_SQL = "(" + ",".join(f"'{s}'" for s in _HOLDING) + ")"


def _stamp(value: datetime) -> str:
    return value.isoformat(timespec="minutes")


def _appointment(row: tuple[Any, ...]) -> Appointment:
    start = datetime.fromisoformat(row[3])
    end = datetime.fromisoformat(row[4])
    return Appointment(
        id=int(row[0]),
        patient_id=int(row[1]),
        practitioner_id=int(row[2]),
        start=start,
        minutes=int((end - start).total_seconds() // 60),
        kind=AppointmentKind(row[5]),
        status=AppointmentStatus(row[6]),
        confirmed_how=ConfirmedHow(row[7]) if row[7] else None,
        confirmed_at=datetime.fromisoformat(row[8]) if row[8] else None,
        confirmed_by_name=str(row[9]),
        cancel_reason=str(row[10]),
        note=str(row[11]),
        overbooked=bool(row[12]),
    )


def _values(a: Appointment) -> tuple[object, ...]:
    """The columns insert and update share, from practitioner_id to overbooked."""
    return (
        a.practitioner_id,
        _stamp(a.start),
        _stamp(a.end),
        a.kind.value,
        a.status.value,
        a.confirmed_how.value if a.confirmed_how else None,
        a.confirmed_at.isoformat(timespec="minutes") if a.confirmed_at else None,
        a.confirmed_by_name,
        a.cancel_reason,
        a.note,
        int(a.overbooked),
    )


@dataclass(frozen=True)
class BookEntry:
    """An appointment as the day and week views show it (patient name included)."""

    appointment: Appointment
    patient_name: str
    personal_id: str
    protected_identity: bool


class AppointmentRepository:
    """SQL for appointments and their event history."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def _now_text(self) -> str:
        return self._now().isoformat(timespec="seconds")

    def insert(self, appointment: Appointment, user_id: int) -> int:
        """Store a new appointment; `appointment.id` is ignored."""
        stamp = self._now_text()
        cursor = self._conn.execute(
            "INSERT INTO appointments (patient_id, practitioner_id, start_at, end_at, kind, status,"
            " confirmed_how, confirmed_at, confirmed_by_name, cancel_reason, note, overbooked,"
            " created_at, created_by, updated_at, updated_by)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                appointment.patient_id,
                *_values(appointment),
                stamp,
                user_id,
                stamp,
                user_id,
            ),
        )
        return int(cursor.lastrowid or 0)

    def insert_many(self, appointments: list[Appointment], user_id: int) -> None:
        """Store many appointments at once (demo data, benchmarks)."""
        stamp = self._now_text()
        self._conn.executemany(
            "INSERT INTO appointments (patient_id, practitioner_id, start_at, end_at, kind, status,"
            " confirmed_how, confirmed_at, confirmed_by_name, overbooked, created_at, created_by,"
            " updated_at, updated_by) VALUES (?,?,?,?,?,?,?,?,?,0,?,?,?,?)",
            [
                (
                    a.patient_id,
                    a.practitioner_id,
                    _stamp(a.start),
                    _stamp(a.end),
                    a.kind.value,
                    a.status.value,
                    a.confirmed_how.value if a.confirmed_how else None,
                    a.confirmed_at.isoformat(timespec="minutes") if a.confirmed_at else None,
                    a.confirmed_by_name,
                    stamp,
                    user_id,
                    stamp,
                    user_id,
                )
                for a in appointments
            ],
        )

    def update(self, appointment: Appointment, user_id: int) -> None:
        """Save an appointment's time, length, status and confirmation."""
        self._conn.execute(
            "UPDATE appointments SET practitioner_id=?, start_at=?, end_at=?, kind=?, status=?,"
            " confirmed_how=?, confirmed_at=?, confirmed_by_name=?, cancel_reason=?, note=?,"
            " overbooked=?, updated_at=?, updated_by=? WHERE id=?",
            (
                *_values(appointment),
                self._now_text(),
                user_id,
                appointment.id,
            ),
        )

    def add_event(
        self, appointment_id: int, user_id: int, event: str, detail: dict[str, Any] | None = None
    ) -> None:
        """Append to an appointment's history."""
        self._conn.execute(
            "INSERT INTO appointment_events (appointment_id, at, user_id, event, detail)"
            " VALUES (?,?,?,?,?)",
            (
                appointment_id,
                self._now_text(),
                user_id,
                event,
                json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
            ),
        )

    def events(self, appointment_id: int) -> list[tuple[str, str, dict[str, Any]]]:
        """(at, event, detail) of one appointment, oldest first."""
        return [
            (str(r[0]), str(r[1]), json.loads(r[2]))
            for r in self._conn.execute(
                "SELECT at, event, detail FROM appointment_events"
                " WHERE appointment_id=? ORDER BY id",
                (appointment_id,),
            )
        ]

    def get(self, appointment_id: int) -> Appointment | None:
        """One appointment by id."""
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM appointments a WHERE a.id=?", (appointment_id,)
        ).fetchone()
        return _appointment(row) if row else None

    def conflicts(
        self, practitioner_id: int, start: datetime, minutes: int, ignore_id: int | None = None
    ) -> list[Appointment]:
        """The practitioner's appointments that hold time overlapping [start, start+minutes)."""
        end = start + timedelta(minutes=minutes)
        rows = self._conn.execute(
            f"SELECT {_COLUMNS} FROM appointments a WHERE a.practitioner_id = ?"
            f" AND a.start_at < ? AND a.end_at > ? AND a.status IN {_HOLDING_SQL}"
            " AND a.id IS NOT ? ORDER BY a.start_at",
            (practitioner_id, _stamp(end), _stamp(start), ignore_id),
        ).fetchall()
        return [_appointment(r) for r in rows]

    def for_patient(self, patient_id: int) -> list[Appointment]:
        """A patient's appointments, newest first (cancelled ones included)."""
        return [
            _appointment(r)
            for r in self._conn.execute(
                f"SELECT {_COLUMNS} FROM appointments a WHERE a.patient_id=?"
                " ORDER BY a.start_at DESC, a.id DESC",
                (patient_id,),
            )
        ]

    def next_booked(self, patient_id: int, after: datetime) -> Appointment | None:
        """The patient's next appointment that still holds a time."""
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM appointments a WHERE a.patient_id=? AND a.start_at >= ?"
            f" AND a.status IN ('summoned', 'agreed') ORDER BY a.start_at LIMIT 1",
            (patient_id, _stamp(after)),
        ).fetchone()
        return _appointment(row) if row else None

    def book(
        self,
        first_day: date,
        days: int,
        practitioner_ids: list[int] | None = None,
        include_cancelled: bool = True,
    ) -> list[BookEntry]:
        """Everything booked from `first_day` for `days` days (one or all practitioners)."""
        start = datetime.combine(first_day, datetime.min.time())
        end = start + timedelta(days=days)
        sql = (
            f"SELECT {_COLUMNS}, p.first_name || ' ' || p.last_name, p.personal_id,"
            " p.protected_identity FROM appointments a JOIN patients p ON p.id = a.patient_id"
            " WHERE a.start_at >= ? AND a.start_at < ?"
        )
        params: list[object] = [_stamp(start), _stamp(end)]
        if practitioner_ids:
            sql += f" AND a.practitioner_id IN ({','.join('?' * len(practitioner_ids))})"
            params += practitioner_ids
        if not include_cancelled:
            sql += f" AND a.status IN {_HOLDING_SQL}"
        sql += " ORDER BY a.start_at, a.practitioner_id, a.id"
        return [
            BookEntry(_appointment(r[:13]), str(r[13]), str(r[14]), bool(r[15]))
            for r in self._conn.execute(sql, params)
        ]
