"""Our own clinic and the other clinics of the region."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from clinic_desk.domain.clinics import Clinic, ClinicDraft

_COLUMNS = (
    "id, code, name, org_number, address_line, postal_code, city, phone, email,"
    " invoice_address, bankgiro, f_skatt, hsa_id, is_own, area_responsible, active"
)
_FIELDS = (
    "code",
    "name",
    "org_number",
    "address_line",
    "postal_code",
    "city",
    "phone",
    "email",
    "invoice_address",
    "bankgiro",
    "f_skatt",
    "hsa_id",
    "is_own",
    "area_responsible",
)


def _clinic(row: tuple[object, ...]) -> Clinic:
    return Clinic(
        id=int(str(row[0])),
        code=str(row[1]),
        name=str(row[2]),
        org_number=str(row[3]),
        address_line=str(row[4]),
        postal_code=str(row[5]),
        city=str(row[6]),
        phone=str(row[7]),
        email=str(row[8]),
        invoice_address=str(row[9]),
        bankgiro=str(row[10]),
        f_skatt=bool(row[11]),
        hsa_id=str(row[12]),
        is_own=bool(row[13]),
        area_responsible=bool(row[14]),
        active=bool(row[15]),
    )


def _values(draft: ClinicDraft) -> tuple[object, ...]:
    return tuple(int(v) if isinstance(v, bool) else v for v in (getattr(draft, f) for f in _FIELDS))


class ClinicRepository:
    """SQL for the clinics table."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def insert(self, draft: ClinicDraft, user_id: int) -> int:
        """Store a new clinic; returns its id."""
        stamp = self._now().isoformat(timespec="seconds")
        cursor = self._conn.execute(
            f"INSERT INTO clinics ({', '.join(_FIELDS)}, created_at, created_by, updated_at,"
            f" updated_by) VALUES ({', '.join('?' * (len(_FIELDS) + 4))})",
            (*_values(draft), stamp, user_id, stamp, user_id),
        )
        return int(cursor.lastrowid or 0)

    def update(self, clinic_id: int, draft: ClinicDraft, user_id: int) -> None:
        """Overwrite a clinic's details."""
        assignments = ", ".join(f"{f}=?" for f in _FIELDS)
        self._conn.execute(
            f"UPDATE clinics SET {assignments}, updated_at=?, updated_by=? WHERE id=?",
            (*_values(draft), self._now().isoformat(timespec="seconds"), user_id, clinic_id),
        )

    def set_active(self, clinic_id: int, active: bool, user_id: int) -> None:
        """Take a clinic out of (or back into) the lists; it is never deleted."""
        self._conn.execute(
            "UPDATE clinics SET active=?, updated_at=?, updated_by=? WHERE id=?",
            (int(active), self._now().isoformat(timespec="seconds"), user_id, clinic_id),
        )

    def get(self, clinic_id: int) -> Clinic | None:
        """One clinic by id."""
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM clinics WHERE id=?", (clinic_id,)
        ).fetchone()
        return _clinic(row) if row else None

    def own(self) -> Clinic | None:
        """Our own clinic, once it has been set up."""
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM clinics WHERE is_own=1").fetchone()
        return _clinic(row) if row else None

    def by_org_number(self, org_number: str) -> Clinic | None:
        """The active clinic with this organisation number."""
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM clinics WHERE org_number=? AND active=1", (org_number,)
        ).fetchone()
        return _clinic(row) if row else None

    def all(self, include_inactive: bool = False) -> list[Clinic]:
        """Every clinic, own first, then by name."""
        where = "" if include_inactive else "WHERE active=1"
        return [
            _clinic(r)
            for r in self._conn.execute(
                f"SELECT {_COLUMNS} FROM clinics {where} ORDER BY is_own DESC, name"
            )
        ]
