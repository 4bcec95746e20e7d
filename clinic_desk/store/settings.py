"""Clinic-wide settings, kept in the database as JSON values."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any


class SettingsRepository:
    """SQL for the settings table."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def get(self, key: str, default: Any = None) -> Any:
        """The value of a setting, or `default`."""
        row = self._conn.execute("SELECT value FROM settings WHERE key=?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set(self, key: str, value: Any, user_id: int | None) -> None:
        """Store a setting."""
        self._conn.execute(
            "INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?,?,?,?)"
            " ON CONFLICT(key) DO UPDATE SET value=excluded.value,"
            " updated_at=excluded.updated_at, updated_by=excluded.updated_by",
            (
                key,
                json.dumps(value, ensure_ascii=False),
                self._now().isoformat(timespec="seconds"),
                user_id,
            ),
        )
