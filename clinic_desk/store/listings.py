"""The listing history of each patient."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import date, datetime

from clinic_desk.domain.listing import Listing, ListingKind
from clinic_desk.store.rows import req_date, to_date


class ListingRepository:
    """SQL for the listings table."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def insert(
        self,
        patient_id: int,
        clinic_id: int,
        listed_on: date,
        responsible_from: date,
        kind: ListingKind,
        consent_given_by: str,
        user_id: int,
    ) -> int:
        """Record a new listing; returns its id."""
        cursor = self._conn.execute(
            "INSERT INTO listings (patient_id, clinic_id, listed_on, responsible_from, kind,"
            " consent_given_by, consent_recorded_by, consent_recorded_at)"
            " VALUES (?,?,?,?,?,?,?,?)",
            (
                patient_id,
                clinic_id,
                listed_on.isoformat(),
                responsible_from.isoformat(),
                kind.value,
                consent_given_by,
                user_id,
                self._now().isoformat(timespec="seconds"),
            ),
        )
        return int(cursor.lastrowid or 0)

    def end(self, listing_id: int, responsible_to: date, reason: str, user_id: int) -> None:
        """Close a listing period."""
        self._conn.execute(
            "UPDATE listings SET responsible_to=?, end_reason=?, ended_by=?, ended_at=? WHERE id=?",
            (
                responsible_to.isoformat(),
                reason,
                user_id,
                self._now().isoformat(timespec="seconds"),
                listing_id,
            ),
        )

    def for_patient(self, patient_id: int) -> list[Listing]:
        """Every listing of a patient, oldest first."""
        rows = self._conn.execute(
            "SELECT l.id, l.patient_id, l.clinic_id, c.name, l.listed_on, l.responsible_from,"
            " l.responsible_to, l.kind, l.consent_given_by, coalesce(u.full_name, ''),"
            " l.consent_recorded_at, l.end_reason FROM listings l"
            " JOIN clinics c ON c.id = l.clinic_id"
            " LEFT JOIN users u ON u.id = l.consent_recorded_by"
            " WHERE l.patient_id = ? ORDER BY l.responsible_from, l.id",
            (patient_id,),
        ).fetchall()
        return [
            Listing(
                id=int(r[0]),
                patient_id=int(r[1]),
                clinic_id=int(r[2]),
                clinic_name=str(r[3]),
                listed_on=req_date(r[4]),
                responsible_from=req_date(r[5]),
                responsible_to=to_date(r[6]),
                kind=ListingKind(r[7]),
                consent_given_by=str(r[8]),
                consent_recorded_by=str(r[9]),
                consent_recorded_at=str(r[10]),
                end_reason=str(r[11]),
            )
            for r in rows
        ]

    def count_listed_at(self, clinic_id: int, day: date) -> int:
        """How many patients a clinic is responsible for on a day."""
        iso = day.isoformat()
        return int(
            self._conn.execute(
                "SELECT count(DISTINCT patient_id) FROM listings WHERE clinic_id=?"
                " AND responsible_from <= ? AND (responsible_to IS NULL OR responsible_to >= ?)",
                (clinic_id, iso, iso),
            ).fetchone()[0]
        )
