"""Guardians and their links to patients (one guardian, several children)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from clinic_desk.domain.patient_records import Guardian, GuardianDraft, GuardianLink

_COLUMNS = (
    "g.id, g.personal_id, g.first_name, g.last_name, g.address_line, g.postal_code, g.city,"
    " g.phone, g.email"
)


def _guardian(row: tuple[object, ...]) -> Guardian:
    return Guardian(
        id=int(str(row[0])),
        personal_id=str(row[1]),
        first_name=str(row[2]),
        last_name=str(row[3]),
        address_line=str(row[4]),
        postal_code=str(row[5]),
        city=str(row[6]),
        phone=str(row[7]),
        email=str(row[8]),
    )


def _values(draft: GuardianDraft, personal_id: str) -> tuple[str, ...]:
    """The columns insert and update share, from personal_id to email."""
    return (
        personal_id,
        draft.first_name.strip(),
        draft.last_name.strip(),
        draft.address_line.strip(),
        draft.postal_code.strip(),
        draft.city.strip(),
        draft.phone.strip(),
        draft.email.strip(),
    )


class GuardianRepository:
    """SQL for guardians and patient_guardians."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def _stamp(self) -> str:
        return self._now().isoformat(timespec="seconds")

    def insert(self, draft: GuardianDraft, personal_id: str, user_id: int) -> int:
        """Store a new guardian; returns the id."""
        stamp = self._stamp()
        cursor = self._conn.execute(
            "INSERT INTO guardians (personal_id, first_name, last_name, address_line,"
            " postal_code, city, phone, email, created_at, created_by, updated_at, updated_by)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                *_values(draft, personal_id),
                stamp,
                user_id,
                stamp,
                user_id,
            ),
        )
        return int(cursor.lastrowid or 0)

    def update(
        self, guardian_id: int, draft: GuardianDraft, personal_id: str, user_id: int
    ) -> None:
        """Overwrite a guardian's details (shared by all their children)."""
        self._conn.execute(
            "UPDATE guardians SET personal_id=?, first_name=?, last_name=?, address_line=?,"
            " postal_code=?, city=?, phone=?, email=?, updated_at=?, updated_by=? WHERE id=?",
            (
                *_values(draft, personal_id),
                self._stamp(),
                user_id,
                guardian_id,
            ),
        )

    def link(
        self, patient_id: int, guardian_id: int, receives_letters: bool, relation: str, user_id: int
    ) -> None:
        """Make a guardian the guardian of a patient (again, if the link had ended)."""
        self._conn.execute(
            "INSERT INTO patient_guardians (patient_id, guardian_id, receives_letters, relation,"
            " created_at, created_by) VALUES (?,?,?,?,?,?)"
            " ON CONFLICT(patient_id, guardian_id) DO UPDATE SET"
            " receives_letters=excluded.receives_letters, relation=excluded.relation,"
            " ended_at=NULL, ended_by=NULL",
            (patient_id, guardian_id, int(receives_letters), relation, self._stamp(), user_id),
        )

    def set_receives_letters(self, patient_id: int, guardian_id: int, receives: bool) -> None:
        """Whether letters about this patient go to this guardian."""
        self._conn.execute(
            "UPDATE patient_guardians SET receives_letters=? WHERE patient_id=? AND guardian_id=?",
            (int(receives), patient_id, guardian_id),
        )

    def unlink(self, patient_id: int, guardian_id: int, user_id: int) -> None:
        """End the link (kept, with who ended it and when)."""
        self._conn.execute(
            "UPDATE patient_guardians SET ended_at=?, ended_by=?"
            " WHERE patient_id=? AND guardian_id=?",
            (self._stamp(), user_id, patient_id, guardian_id),
        )

    def get(self, guardian_id: int) -> Guardian | None:
        """One guardian by id."""
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM guardians g WHERE g.id = ?", (guardian_id,)
        ).fetchone()
        return _guardian(row) if row else None

    def by_personal_id(self, personal_id: str) -> Guardian | None:
        """A guardian by canonical personal number, to link siblings to the same person."""
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM guardians g WHERE g.personal_id = ? AND g.personal_id <> ''",
            (personal_id,),
        ).fetchone()
        return _guardian(row) if row else None

    def for_patient(self, patient_id: int) -> list[GuardianLink]:
        """A patient's current guardians."""
        rows = self._conn.execute(
            f"SELECT {_COLUMNS}, pg.receives_letters, pg.relation FROM patient_guardians pg"
            " JOIN guardians g ON g.id = pg.guardian_id"
            " WHERE pg.patient_id = ? AND pg.ended_at IS NULL ORDER BY g.id",
            (patient_id,),
        ).fetchall()
        return [GuardianLink(_guardian(r[:9]), bool(r[9]), str(r[10])) for r in rows]

    def children_of(self, guardian_id: int) -> list[int]:
        """Ids of the patients a guardian is currently linked to."""
        return [
            int(r[0])
            for r in self._conn.execute(
                "SELECT patient_id FROM patient_guardians WHERE guardian_id=? AND ended_at IS NULL",
                (guardian_id,),
            )
        ]
