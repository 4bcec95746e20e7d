"""Copies of the database file made with SQLite's online backup API."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path


def backup_database(conn: sqlite3.Connection, backup_dir: Path, label: str) -> Path:
    """Copy the open database into `backup_dir` and check the copy; return its path."""
    backup_dir.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = backup_dir / f"clinic-{label}-{stamp}.sqlite"
    copy = sqlite3.connect(target)
    try:
        conn.backup(copy)
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        copy.close()
    if result != "ok":
        target.unlink(missing_ok=True)
        raise OSError(f"backup {target} failed its integrity check: {result}")
    return target
