"""Small helpers for turning SQLite values into Python values."""

from __future__ import annotations

from datetime import date


def to_date(value: object) -> date | None:
    """An ISO text date from the database, or None."""
    return date.fromisoformat(str(value)) if value else None


def req_date(value: object) -> date:
    """An ISO text date that must be present."""
    return date.fromisoformat(str(value))
