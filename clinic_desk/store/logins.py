"""Login attempts as the audit log records them (for slowing down password guessing)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

LOGIN_ACTIONS = ("login.ok", "login.failed", "session.unlock")


@dataclass(frozen=True)
class FailedLogins:
    """Wrong passwords for one user name since its last successful login."""

    count: int
    last_at: str | None  # ISO time of the newest failure


class LoginLog:
    """Reads login entries of the audit table; the entries are written by AuditLog.append."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def failures_since_success(self, username: str, limit: int = 100) -> FailedLogins:
        """Failures in a row (newest first, up to `limit`) for `username`."""
        rows = self._conn.execute(
            "SELECT action, at FROM audit_log WHERE action IN (?,?,?)"
            " AND json_extract(detail, '$.username') = ? ORDER BY id DESC LIMIT ?",
            (*LOGIN_ACTIONS, username, limit),
        ).fetchall()
        count = 0
        last_at: str | None = None
        for action, at in rows:
            if action != "login.failed":
                break
            count += 1
            last_at = last_at or str(at)
        return FailedLogins(count, last_at)
