"""Region export batches already sent by the demo clinic: the last three finished months, one
batch each, so the batch log and its compare and re-save buttons have something to show.

The files go to a temporary folder and are dropped: the batch log keeps every byte.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from clinic_desk.domain.people import Profession, User
from clinic_desk.domain.region_report import Period, parse_period
from clinic_desk.store.store import Store
from clinic_desk.workflows.region_reports import export_period

MONTHS_SENT = 3


def _months_before(today: date, count: int) -> list[Period]:
    """The `count` whole months before `today`'s month, oldest first."""
    out = []
    year, month = today.year, today.month
    for _ in range(count):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        out.append(parse_period(f"{year}-{month:02d}"))
    return out[::-1]


def build_demo_exports(store: Store, actor: User, today: date) -> int:
    """Send the demo's batches as its manager; returns how many were written."""
    managers = store.users.with_profession(Profession.MANAGER)
    sender = managers[0] if managers else actor
    written = 0
    with tempfile.TemporaryDirectory(prefix="clinic-desk-demo-export-") as folder:
        for period in _months_before(today, MONTHS_SENT):
            result = export_period(store, sender, period, Path(folder), today)
            written += result.batch_id is not None
    return written
