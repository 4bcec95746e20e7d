"""The audit chain's head (newest id and hash), kept outside the database file.

The hash chain shows an edited, removed or reordered entry, but not the newest entries cut
off: the rest of the chain still holds. So after every commit the head is saved where
someone holding only the file cannot reach (the OS keyring, beside the database key), and
every open and every verification compares the file with it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Protocol

from clinic_desk.store.audit import ChainBreak


@dataclass(frozen=True)
class ChainHead:
    """The newest audit entry as last committed."""

    entry_id: int
    hash: str

    def text(self) -> str:
        """As stored: 'id:hash'."""
        return f"{self.entry_id}:{self.hash}"

    @classmethod
    def parse(cls, text: str | None) -> ChainHead | None:
        """From 'id:hash'; None for nothing or anything malformed."""
        if not text or ":" not in text:
            return None
        number, digest = text.split(":", 1)
        if not number.isdigit() or len(digest) != 64:
            return None
        return cls(int(number), digest)


class ChainHeadStore(Protocol):
    """Where the head is kept (clinic_desk/secrets.py provides the keyring one)."""

    def load(self) -> ChainHead | None:
        """The head saved last, or None when none was saved."""

    def save(self, head: ChainHead) -> None:
        """Replace the saved head."""


def current_head(conn: sqlite3.Connection) -> ChainHead | None:
    """The newest entry in the file, or None for an empty log."""
    row = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    return ChainHead(int(row[0]), str(row[1])) if row else None


def check_head(conn: sqlite3.Connection, saved: ChainHead | None) -> ChainBreak | None:
    """A break when the file lacks the saved head: entries cut off the end (a rewind) or
    the saved entry rewritten. None when the file holds it (newer entries may follow)."""
    if saved is None:
        return None
    row = conn.execute("SELECT hash FROM audit_log WHERE id = ?", (saved.entry_id,)).fetchone()
    if row is None:
        newest = current_head(conn)
        last = newest.entry_id if newest else 0
        return ChainBreak(
            saved.entry_id,
            f"entries {last + 1}..{saved.entry_id} removed from the end (log rewound)",
        )
    if str(row[0]) != saved.hash:
        return ChainBreak(saved.entry_id, "differs from the head saved outside the file")
    return None
