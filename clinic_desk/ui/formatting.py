"""How values look on screen: dates YYYY-MM-DD, personal numbers YYYYMMDD-NNNN."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate


def to_qdate(value: date) -> QDate:
    """A Python date as a QDate."""
    return QDate(value.year, value.month, value.day)


def from_qdate(value: QDate) -> date:
    """A QDate as a Python date."""
    return date(value.year(), value.month(), value.day())


def show_date(value: date | None) -> str:
    """'2026-11-23', or '' for no date."""
    return value.isoformat() if value else ""
