"""Region report files (docs/export-format.md): CSV per report kind, a JSON manifest per
batch, and the JSON Schemas shipped with the program.

Bytes are a pure function of the rows and the batch facts (no clock, no dict order), so a
batch rebuilt from the same records is identical to the one sent.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from clinic_desk.domain.clinics import Clinic
from clinic_desk.domain.region_report import FORMAT_VERSION, HEADERS, ReportKind, Row

FORMAT_NAME = "clinic-desk-region-export"
MANIFEST = "manifest"


@dataclass(frozen=True)
class BatchFile:
    """One file of a batch as written."""

    name: str
    report_kind: str  # a ReportKind value, or "manifest"
    row_count: int
    sha256: str
    content: bytes


@dataclass(frozen=True)
class BatchFacts:
    """What the manifest says about a batch besides its files."""

    batch_id: int
    kind: str  # regular | correction
    corrects_batch_id: int | None
    period: str
    period_first: str
    period_last: str
    covers_from: str
    created_at: str
    created_by: str


def file_prefix(clinic: Clinic, batch_id: int) -> str:
    """'5590123450_00007': the clinic's organisation number and the batch number."""
    digits = "".join(ch for ch in clinic.org_number if ch.isdigit())
    return f"{digits}_{batch_id:05d}"


def csv_bytes(kind: ReportKind, rows: Iterable[Row]) -> bytes:
    """UTF-8 (no byte order mark), ';' between fields, CRLF line ends, a header first: what
    csv.writer writes (RFC 4180 quoting where a field needs it)."""
    header = HEADERS[kind]
    rows = rows if isinstance(rows, list) else list(rows)
    # The common case, a field never holding ';', '"' or a line break, joined directly (a
    # year's files are some 130,000 rows): the counts below prove no field needs quoting,
    # so the text is exactly csv.writer's. Otherwise csv.writer quotes what needs it.
    width = len(header)
    text = "\r\n".join([";".join(header), *map(";".join, rows), ""])
    lines = len(rows) + 1
    if (
        width > 1
        and all(len(row) == width for row in rows)
        and text.count(";") == lines * (width - 1)
        and text.count("\n") == lines
        and text.count("\r") == lines
        and '"' not in text
    ):
        return text.encode("utf-8")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def read_csv(content: bytes) -> list[list[str]]:
    """The rows of a CSV file written by `csv_bytes`, header included."""
    return list(csv.reader(io.StringIO(content.decode("utf-8")), delimiter=";"))


def make_file(name: str, report_kind: str, row_count: int, content: bytes) -> BatchFile:
    """A file with its checksum."""
    return BatchFile(name, report_kind, row_count, hashlib.sha256(content).hexdigest(), content)


def report_files(
    clinic: Clinic, batch_id: int, rows: Sequence[tuple[ReportKind, Sequence[Row]]]
) -> list[BatchFile]:
    """One CSV file per report kind (every kind, empty ones with just the header)."""
    prefix = file_prefix(clinic, batch_id)
    return [
        make_file(
            f"{prefix}_{kind.value}.csv", kind.value, len(kind_rows), csv_bytes(kind, kind_rows)
        )
        for kind, kind_rows in rows
    ]


def manifest_bytes(clinic: Clinic, facts: BatchFacts, report: Sequence[BatchFile]) -> bytes:
    """The batch's manifest: clinic, period, counts and SHA-256 of each file, format."""
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "format_version": FORMAT_VERSION,
        "batch": facts.batch_id,
        "kind": facts.kind,
        "corrects_batch": facts.corrects_batch_id,
        "clinic": {
            "name": clinic.name,
            "org_number": clinic.org_number,
            "code": clinic.code,
            "hsa_id": clinic.hsa_id,
        },
        "period": facts.period,
        "period_first": facts.period_first,
        "period_last": facts.period_last,
        "covers_from": facts.covers_from,
        "created_at": facts.created_at,
        "created_by": facts.created_by,
        "files": [
            {
                "name": f.name,
                "report_kind": f.report_kind,
                "rows": f.row_count,
                "sha256": f.sha256,
            }
            for f in report
        ],
        "total_rows": sum(f.row_count for f in report),
    }
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=True)
    return (text + "\n").encode("utf-8")


def manifest_file(clinic: Clinic, facts: BatchFacts, report: Sequence[BatchFile]) -> BatchFile:
    """The manifest as a file of the batch."""
    content = manifest_bytes(clinic, facts, report)
    name = f"{file_prefix(clinic, facts.batch_id)}_manifest.json"
    return make_file(name, MANIFEST, len(report), content)


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema shipped for a report kind's rows (or the manifest, kind 'manifest')."""
    text = (files("clinic_desk.export") / "schemas" / f"{kind}.schema.json").read_text("utf-8")
    loaded: dict[str, Any] = json.loads(text)
    return loaded


def schema_names() -> list[str]:
    """Every schema file shipped."""
    folder = files("clinic_desk.export") / "schemas"
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".schema.json"))
