"""The document archive: every PDF sent or printed, with its SHA-256. Never changed."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ArchivedDocument:
    """An archived document's description (the bytes are fetched on their own)."""

    id: int
    kind: str
    title: str
    patient_id: int | None
    source_table: str
    source_id: str
    recipient: str
    sha256: str
    size: int
    created_at: str
    created_by: int


class ArchiveDamaged(Exception):
    """The stored bytes no longer match their checksum."""


_COLUMNS = (
    "id, kind, title, patient_id, source_table, source_id, recipient, sha256, size,"
    " created_at, created_by"
)


def _doc(row: tuple[object, ...]) -> ArchivedDocument:
    return ArchivedDocument(
        id=int(str(row[0])),
        kind=str(row[1]),
        title=str(row[2]),
        patient_id=int(str(row[3])) if row[3] is not None else None,
        source_table=str(row[4]),
        source_id=str(row[5]),
        recipient=str(row[6]),
        sha256=str(row[7]),
        size=int(str(row[8])),
        created_at=str(row[9]),
        created_by=int(str(row[10])),
    )


class DocumentArchive:
    """SQL for the documents table."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def add(
        self,
        kind: str,
        title: str,
        content: bytes,
        user_id: int,
        *,
        patient_id: int | None = None,
        source_table: str = "",
        source_id: str | int = "",
        recipient: str = "",
    ) -> ArchivedDocument:
        """Archive a document (inside the caller's transaction)."""
        digest = hashlib.sha256(content).hexdigest()
        cursor = self._conn.execute(
            "INSERT INTO documents (kind, title, patient_id, source_table, source_id, recipient,"
            " sha256, size, content, created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                kind,
                title,
                patient_id,
                source_table,
                str(source_id),
                recipient,
                digest,
                len(content),
                content,
                self._now().isoformat(timespec="seconds"),
                user_id,
            ),
        )
        found = self.get(int(cursor.lastrowid or 0))
        assert found is not None
        return found

    def get(self, document_id: int) -> ArchivedDocument | None:
        """One document's description."""
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM documents WHERE id=?", (document_id,)
        ).fetchone()
        return _doc(row) if row else None

    def content(self, document_id: int) -> bytes:
        """The archived bytes, checked against their SHA-256."""
        row = self._conn.execute(
            "SELECT content, sha256 FROM documents WHERE id=?", (document_id,)
        ).fetchone()
        if row is None:
            raise KeyError(document_id)
        data = bytes(row[0])
        if hashlib.sha256(data).hexdigest() != row[1]:
            raise ArchiveDamaged(f"document {document_id} does not match its checksum")
        return data

    def for_patient(self, patient_id: int) -> list[ArchivedDocument]:
        """A patient's documents, newest first."""
        return [
            _doc(r)
            for r in self._conn.execute(
                f"SELECT {_COLUMNS} FROM documents WHERE patient_id=? ORDER BY id DESC",
                (patient_id,),
            )
        ]

    def for_source(self, source_table: str, source_id: str | int) -> list[ArchivedDocument]:
        """Documents made from one row (an invoice, a letter batch, ...), oldest first."""
        return [
            _doc(r)
            for r in self._conn.execute(
                f"SELECT {_COLUMNS} FROM documents WHERE source_table=? AND source_id=?"
                " ORDER BY id",
                (source_table, str(source_id)),
            )
        ]
