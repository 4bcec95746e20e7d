"""The append-only audit log. Each entry holds the hash of the one before it.

Triggers refuse UPDATE and DELETE; the hash chain shows any change made around them
(a raw edit with the triggers dropped, a deleted row, rows put in another order).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

GENESIS = "0" * 64


@dataclass(frozen=True)
class AuditEntry:
    """One line of the audit log."""

    id: int
    at: str
    user_id: int | None
    user_name: str
    action: str
    patient_id: int | None
    entity: str
    entity_id: str
    detail: dict[str, Any]


@dataclass(frozen=True)
class ChainBreak:
    """Where the hash chain does not hold."""

    entry_id: int
    reason: str


def entry_hash(
    prev_hash: str,
    entry_id: int,
    at: str,
    user_id: int | None,
    action: str,
    patient_id: int | None,
    entity: str,
    entity_id: str,
    detail: str,
) -> str:
    """The SHA-256 that links an entry to the one before it."""
    payload = json.dumps(
        [prev_hash, entry_id, at, user_id, action, patient_id, entity, entity_id, detail],
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AuditLog:
    """Writes and reads the audit table."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def append(
        self,
        user_id: int | None,
        action: str,
        *,
        patient_id: int | None = None,
        entity: str = "",
        entity_id: str | int = "",
        detail: dict[str, Any] | None = None,
    ) -> int:
        """Add one entry (inside the caller's transaction); return its id."""
        row = self._conn.execute(
            "SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1"
        ).fetchone()
        prev_id, prev_hash = (row[0], row[1]) if row else (0, GENESIS)
        entry_id = prev_id + 1
        at = self._now().isoformat(timespec="seconds")
        detail_text = json.dumps(detail or {}, ensure_ascii=False, sort_keys=True)
        digest = entry_hash(
            prev_hash,
            entry_id,
            at,
            user_id,
            action,
            patient_id,
            entity,
            str(entity_id),
            detail_text,
        )
        self._conn.execute(
            "INSERT INTO audit_log (id, at, user_id, action, patient_id, entity, entity_id,"
            " detail, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                entry_id,
                at,
                user_id,
                action,
                patient_id,
                entity,
                str(entity_id),
                detail_text,
                prev_hash,
                digest,
            ),
        )
        return entry_id

    def for_patient(self, patient_id: int, limit: int = 500) -> list[AuditEntry]:
        """The newest entries about one patient, newest first."""
        rows = self._conn.execute(
            "SELECT a.id, a.at, a.user_id, coalesce(u.full_name, ''), a.action, a.patient_id,"
            " a.entity, a.entity_id, a.detail FROM audit_log a"
            " LEFT JOIN users u ON u.id = a.user_id"
            " WHERE a.patient_id = ? ORDER BY a.id DESC LIMIT ?",
            (patient_id, limit),
        ).fetchall()
        return [
            AuditEntry(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], json.loads(r[8]))
            for r in rows
        ]

    def count(self) -> int:
        """How many entries the log holds."""
        return int(self._conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])

    def verify(self) -> list[ChainBreak]:
        """Walk the whole chain; an empty list means it is intact."""
        breaks: list[ChainBreak] = []
        expected_prev = GENESIS
        expected_id = 1
        for row in self._conn.execute(
            "SELECT id, at, user_id, action, patient_id, entity, entity_id, detail,"
            " prev_hash, hash FROM audit_log ORDER BY id"
        ):
            entry_id = row[0]
            if entry_id != expected_id:
                breaks.append(
                    ChainBreak(entry_id, f"entries {expected_id}..{entry_id - 1} missing")
                )
            if row[8] != expected_prev:
                breaks.append(ChainBreak(entry_id, "does not follow the entry before it"))
            digest = entry_hash(row[8], *row[:8])
            if digest != row[9]:
                breaks.append(ChainBreak(entry_id, "content changed after it was written"))
            expected_prev = row[9]
            expected_id = entry_id + 1
        return breaks
