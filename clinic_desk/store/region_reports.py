"""Region reports: the facts a batch is built from, the batch log, and the annual statistics.

The SELECTs already leave out what may never be sent (protected identities, unsigned exams,
health checks, patients outside the target group by birth year); the domain checks every
fact again (`region_report.may_send`) before a row is made.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from clinic_desk.domain.region_report import (
    EmergencyFact,
    ExamFact,
    IndexCounts,
    ListingFact,
    Person,
    ReportKind,
)
from clinic_desk.domain.region_stats import StatisticsCounts
from clinic_desk.store.rows import req_date

# Target group by birth year (the calendar year turning 3 to 19), as SQL on two ISO dates.
_TARGET = (
    "CAST(substr({day}, 1, 4) AS INTEGER) - CAST(substr(p.birth_date, 1, 4) AS INTEGER)"
    " BETWEEN 3 AND 19"
)
_PERSON = (
    "p.id, p.personal_id, p.birth_date, p.protected_identity, p.registered_in_region,"
    " p.is_reserve_number"
)
_SENDABLE_PATIENT = "p.protected_identity = 0 AND p.registered_in_region = 1"

_EXAMS = f"""
SELECT e.id, {_PERSON}, e.exam_date, e.kind, e.signed_at IS NOT NULL, coalesce(u.hsa_id, ''),
       e.age_at_exam,
       coalesce((SELECT a.new_value FROM exam_amendments a WHERE a.exam_id = e.id
                 AND a.field = 'risk_group' ORDER BY a.id DESC LIMIT 1), e.risk_group),
       coalesce((SELECT CAST(a.new_value AS INTEGER) FROM exam_amendments a
                 WHERE a.exam_id = e.id AND a.field = 'interval_months'
                 ORDER BY a.id DESC LIMIT 1), e.interval_months),
       coalesce((SELECT a.next_revision_due FROM exam_amendments a WHERE a.exam_id = e.id
                 AND a.field = 'interval_months' ORDER BY a.id DESC LIMIT 1),
                e.next_revision_due),
       c.exam_id IS NOT NULL, c.primary_dft, c.primary_dfs, c.perm_dft, c.perm_dfs,
       c.perm_dfs_approximal, c.perm_ds
FROM exams e
JOIN patients p ON p.id = e.patient_id
LEFT JOIN users u ON u.id = e.examiner_id
LEFT JOIN exam_caries_indices c ON c.exam_id = e.id
WHERE e.exam_date BETWEEN ? AND ? AND e.signed_at IS NOT NULL
  AND e.kind IN ('dentist_revision', 'hygienist_revision')
  AND {_SENDABLE_PATIENT} AND {_TARGET.format(day="e.exam_date")}
ORDER BY e.exam_date, e.id
"""

_LISTINGS = f"""
SELECT l.id, {_PERSON}, 'new', l.responsible_from, l.kind,
       coalesce((SELECT c.org_number FROM listings o JOIN clinics c ON c.id = o.clinic_id
                 WHERE o.patient_id = l.patient_id AND o.id <> l.id
                   AND o.responsible_from < l.responsible_from
                 ORDER BY o.responsible_from DESC, o.id DESC LIMIT 1), '')
FROM listings l JOIN patients p ON p.id = l.patient_id
WHERE l.clinic_id = ? AND l.responsible_from BETWEEN ? AND ?
  AND {_SENDABLE_PATIENT} AND {_TARGET.format(day="l.responsible_from")}
UNION ALL
SELECT l.id, {_PERSON}, 'ended', l.responsible_to, l.kind,
       coalesce((SELECT c.org_number FROM listings o JOIN clinics c ON c.id = o.clinic_id
                 WHERE o.patient_id = l.patient_id AND o.id <> l.id
                   AND o.responsible_from > l.responsible_from AND o.clinic_id <> l.clinic_id
                 ORDER BY o.responsible_from, o.id LIMIT 1), '')
FROM listings l JOIN patients p ON p.id = l.patient_id
WHERE l.clinic_id = ? AND l.responsible_to BETWEEN ? AND ?
  AND {_SENDABLE_PATIENT} AND {_TARGET.format(day="l.responsible_to")}
ORDER BY 9, 1, 8
"""

_EMERGENCY = f"""
SELECT v.id, {_PERSON}, v.registered_in_region, v.protected_identity, v.treatment_date,
       coalesce(lc.org_number, ''), v.payer_kind, coalesce(pc.org_number, ''),
       coalesce((SELECT group_concat(code, ',') FROM (SELECT t.code FROM emergency_treatments t
                 WHERE t.visit_id = v.id ORDER BY t.position, t.id)), ''),
       coalesce((SELECT sum(t.price_ore) FROM emergency_treatments t WHERE t.visit_id = v.id), 0)
FROM emergency_visits v
JOIN patients p ON p.id = v.patient_id
LEFT JOIN clinics lc ON lc.id = v.listed_clinic_id
LEFT JOIN clinics pc ON pc.id = v.payer_clinic_id
WHERE v.treatment_date BETWEEN ? AND ? AND v.status = 'closed'
  AND v.payer_kind IN ('listing_clinic', 'area_clinic')
  AND (v.listed_clinic_id IS NULL OR v.listed_clinic_id <> ?)
  AND v.protected_identity = 0 AND v.registered_in_region = 1
  AND {_SENDABLE_PATIENT} AND {_TARGET.format(day="v.treatment_date")}
ORDER BY v.treatment_date, v.id
"""


class _Days(dict[str, date]):
    """ISO text -> date, each distinct text parsed once (a year's rows share few dates)."""

    def __missing__(self, text: str) -> date:
        day = self[text] = date.fromisoformat(text)
        return day


def _person(r: Sequence[Any], days: _Days) -> Person:
    """Columns 1-6 of a fact row."""
    return Person(r[1], r[2], days[r[3]], r[4] == 1, r[5] == 1, r[6] == 1)


@dataclass(frozen=True)
class StoredFile:
    """One file of a sent batch, byte for byte."""

    name: str
    report_kind: str
    row_count: int
    sha256: str
    content: bytes


@dataclass(frozen=True)
class BatchInfo:
    """A sent batch as the export log lists it."""

    id: int
    kind: str  # regular | correction
    period: str
    period_first: date
    period_last: date
    covers_from: date
    corrects_batch_id: int | None
    format_version: str
    row_count: int
    created_at: str
    created_by: int
    created_by_name: str


_BATCH = (
    "b.id, b.kind, b.period, b.period_first, b.period_last, b.covers_from,"
    " b.corrects_batch_id, b.format_version, b.row_count, b.created_at, b.created_by,"
    " coalesce(u.full_name, '')"
)


def _batch(r: Sequence[object]) -> BatchInfo:
    return BatchInfo(
        id=int(str(r[0])),
        kind=str(r[1]),
        period=str(r[2]),
        period_first=req_date(r[3]),
        period_last=req_date(r[4]),
        covers_from=req_date(r[5]),
        corrects_batch_id=int(str(r[6])) if r[6] is not None else None,
        format_version=str(r[7]),
        row_count=int(str(r[8])),
        created_at=str(r[9]),
        created_by=int(str(r[10])),
        created_by_name=str(r[11]),
    )


class RegionReportRepository:
    """SQL for region exports and the annual statistics."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    # -- facts ---------------------------------------------------------------------------
    def exam_facts(self, first: date, last: date) -> Iterator[ExamFact]:
        """Signed revision exams from `first` to `last` of patients who may be reported, read
        as they are used (an export of a year checks each and keeps only its rows)."""
        days = _Days()
        indices: dict[tuple[int, ...], IndexCounts] = {}  # a year has a few hundred sets
        for r in self._conn.execute(_EXAMS, (first.isoformat(), last.isoformat())):
            counts = None
            if r[15]:
                counted = r[16:22]
                counts = indices.get(counted)
                if counts is None:
                    counts = indices[counted] = IndexCounts(*counted)
            yield ExamFact(
                r[0],
                Person(r[1], r[2], days[r[3]], r[4] == 1, r[5] == 1, r[6] == 1),
                days[r[7]],
                r[8],
                r[9] == 1,
                r[10],
                r[11],
                r[12],
                r[13],
                days[r[14]] if r[14] else None,
                counts,
            )

    def listing_facts(self, clinic_id: int, first: date, last: date) -> list[ListingFact]:
        """Listings at `clinic_id` whose responsibility starts or ends from `first` to `last`."""
        span = (clinic_id, first.isoformat(), last.isoformat())
        out: list[ListingFact] = []
        days = _Days()
        for r in self._conn.execute(_LISTINGS, span + span):
            event = "moved" if r[7] == "ended" and r[10] else str(r[7])
            out.append(
                ListingFact(
                    int(r[0]),
                    _person(r, days),
                    event,
                    date.fromisoformat(r[8]),
                    str(r[9]),
                    str(r[10]),
                )
            )
        return out

    def emergency_facts(self, own_clinic_id: int, first: date, last: date) -> list[EmergencyFact]:
        """Closed emergency visits, billed to another clinic, of patients listed elsewhere."""
        out: list[EmergencyFact] = []
        days = _Days()
        for r in self._conn.execute(
            _EMERGENCY, (first.isoformat(), last.isoformat(), own_clinic_id)
        ):
            person = _person(r, days)
            if not r[7]:
                person = person._replace(registered_in_region=False)
            out.append(
                EmergencyFact(
                    int(r[0]),
                    person,
                    bool(r[8]),
                    date.fromisoformat(r[9]),
                    str(r[10]),
                    str(r[11]),
                    str(r[12]),
                    str(r[13]),
                    int(r[14]),
                )
            )
        return out

    # -- the batch log ---------------------------------------------------------------------
    def sent_record_ids(self, kind: ReportKind) -> set[str]:
        """Records of this file kind already sent in some batch (as 'add')."""
        sent: set[str] = set()
        for (ids,) in self._conn.execute(
            "SELECT record_ids FROM region_export_items WHERE report_kind = ? AND action = 'add'",
            (kind.value,),
        ):
            sent.update(str(ids).split("\n"))
        sent.discard("")
        return sent

    def first_period_start(self) -> date | None:
        """The first day of the earliest period any regular batch covered."""
        row = self._conn.execute(
            "SELECT min(period_first) FROM region_export_batches WHERE kind = 'regular'"
        ).fetchone()
        return req_date(row[0]) if row and row[0] else None

    def next_batch_id(self) -> int:
        """The id the next batch gets (inside the caller's transaction: its file names)."""
        row = self._conn.execute(
            "SELECT coalesce(max(id), 0) + 1 FROM region_export_batches"
        ).fetchone()
        return int(row[0])

    def insert_batch(
        self,
        batch_id: int,
        kind: str,
        period: str,
        period_first: date,
        period_last: date,
        covers_from: date,
        corrects_batch_id: int | None,
        format_version: str,
        row_count: int,
        created_at: str,
        user_id: int,
    ) -> None:
        """Record a batch (its files and items follow)."""
        self._conn.execute(
            "INSERT INTO region_export_batches (id, kind, period, period_first, period_last,"
            " covers_from, corrects_batch_id, format_version, row_count, created_at, created_by)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (
                batch_id,
                kind,
                period,
                period_first.isoformat(),
                period_last.isoformat(),
                covers_from.isoformat(),
                corrects_batch_id,
                format_version,
                row_count,
                created_at,
                user_id,
            ),
        )

    def insert_files(self, batch_id: int, files: Iterable[StoredFile]) -> None:
        """Keep each file of a batch byte for byte."""
        self._conn.executemany(
            "INSERT INTO region_export_files (batch_id, name, report_kind, row_count, sha256,"
            " content) VALUES (?,?,?,?,?,?)",
            [(batch_id, f.name, f.report_kind, f.row_count, f.sha256, f.content) for f in files],
        )

    def insert_items(self, batch_id: int, groups: Iterable[tuple[str, str, Sequence[str]]]) -> None:
        """Which records the batch sent: (report kind, action, record ids in file order)."""
        self._conn.executemany(
            "INSERT INTO region_export_items (batch_id, report_kind, action, record_ids)"
            " VALUES (?, ?, ?, ?)",
            [(batch_id, kind, action, "\n".join(ids)) for kind, action, ids in groups if ids],
        )

    def batches(self) -> list[BatchInfo]:
        """Every batch, newest first."""
        rows = self._conn.execute(
            f"SELECT {_BATCH} FROM region_export_batches b"
            " LEFT JOIN users u ON u.id = b.created_by ORDER BY b.id DESC"
        ).fetchall()
        return [_batch(r) for r in rows]

    def batch(self, batch_id: int) -> BatchInfo | None:
        """One batch."""
        row = self._conn.execute(
            f"SELECT {_BATCH} FROM region_export_batches b"
            " LEFT JOIN users u ON u.id = b.created_by WHERE b.id = ?",
            (batch_id,),
        ).fetchone()
        return _batch(row) if row else None

    def files(self, batch_id: int) -> list[StoredFile]:
        """A batch's files, manifest last."""
        rows = self._conn.execute(
            "SELECT name, report_kind, row_count, sha256, content FROM region_export_files"
            " WHERE batch_id = ? ORDER BY report_kind = 'manifest', name",
            (batch_id,),
        ).fetchall()
        return [StoredFile(str(r[0]), str(r[1]), int(r[2]), str(r[3]), bytes(r[4])) for r in rows]

    def items(self, batch_id: int) -> list[tuple[str, str, str]]:
        """(report kind, record id, action) of every record a batch sent."""
        rows = self._conn.execute(
            "SELECT report_kind, action, record_ids FROM region_export_items WHERE batch_id = ?",
            (batch_id,),
        ).fetchall()
        return [
            (str(kind), rid, str(action))
            for kind, action, ids in rows
            for rid in str(ids).split("\n")
            if rid
        ]

    def corrections_of(self, batch_id: int) -> list[int]:
        """Ids of the corrections sent for a batch, oldest first."""
        rows = self._conn.execute(
            "SELECT id FROM region_export_batches WHERE corrects_batch_id = ? ORDER BY id",
            (batch_id,),
        ).fetchall()
        return [int(r[0]) for r in rows]

    # -- annual statistics -----------------------------------------------------------------
    def statistics_counts(self, clinic_id: int, year: int) -> StatisticsCounts:
        """The counts behind the annual statistics for `year` (domain.region_stats)."""
        first, last = f"{year}-01-01", f"{year}-12-31"
        day = min(date(year, 12, 31), self._now().date()).isoformat()
        # Per listed patient (by the age turned this year): the due date left by the last
        # revision exam before the year (or the first-exam date for the year turning 3) and
        # the first revision exam in the year. recall_due holds each patient's latest exam
        # and its due date (amendments applied): when that exam is older than the year it
        # answers both, so the per-patient searches run only for patients examined since.
        recall = self._conn.execute(
            f"""
            WITH listed AS (
                SELECT DISTINCT l.patient_id AS id FROM listings l
                WHERE l.clinic_id = :clinic AND l.responsible_from <= :day
                  AND (l.responsible_to IS NULL OR l.responsible_to >= :day)
            ), state AS MATERIALIZED (
                SELECT {year} - CAST(substr(p.birth_date, 1, 4) AS INTEGER) AS age,
                  coalesce(CASE WHEN r.exam_date < :first THEN r.due_date
                    WHEN r.exam_date IS NOT NULL THEN
                      (SELECT coalesce((SELECT a.next_revision_due FROM exam_amendments a
                                WHERE a.exam_id = e.id AND a.field = 'interval_months'
                                ORDER BY a.id DESC LIMIT 1), e.next_revision_due)
                       FROM exams e WHERE e.patient_id = p.id AND e.exam_date < :first
                       AND e.signed_at IS NOT NULL
                       AND e.kind IN ('dentist_revision', 'hygienist_revision')
                       ORDER BY e.exam_date DESC, e.id DESC LIMIT 1) END,
                    (CAST(substr(p.birth_date, 1, 4) AS INTEGER) + 3) || '-12-31') AS due,
                  CASE WHEN r.exam_date >= :first THEN
                      (SELECT e.exam_date FROM exams e WHERE e.patient_id = p.id
                       AND e.exam_date BETWEEN :first AND :last AND e.signed_at IS NOT NULL
                       AND e.kind IN ('dentist_revision', 'hygienist_revision')
                       ORDER BY e.exam_date, e.id LIMIT 1) END AS done
                FROM listed JOIN patients p ON p.id = listed.id
                LEFT JOIN recall_due r ON r.patient_id = p.id
                WHERE {_SENDABLE_PATIENT} AND age BETWEEN 3 AND 19
            )
            SELECT age, due <= :last, done IS NOT NULL, done IS NOT NULL AND done <= due
                       AND due >= :first, count(*)
            FROM state GROUP BY 1, 2, 3, 4
            """,
            {"clinic": clinic_id, "day": day, "first": first, "last": last},
        ).fetchall()
        listed_by_age: dict[int, int] = {}
        for age, _d, _h, _t, n in recall:
            listed_by_age[int(age)] = listed_by_age.get(int(age), 0) + int(n)
        # The latest revision exam with indices in the year, per patient listed at the clinic
        # on its date, by age that year.
        caries = self._conn.execute(
            f"""
            SELECT {year} - CAST(substr(p.birth_date, 1, 4) AS INTEGER) AS age, count(*),
                   sum(c.caries_free), sum(c.primary_dft), sum(c.perm_dft)
            FROM exams e
            JOIN patients p ON p.id = e.patient_id
            JOIN exam_caries_indices c ON c.exam_id = e.id
            WHERE e.exam_date BETWEEN ? AND ? AND e.signed_at IS NOT NULL
              AND e.kind IN ('dentist_revision', 'hygienist_revision')
              AND {_SENDABLE_PATIENT} AND age BETWEEN 3 AND 19
              AND EXISTS (SELECT 1 FROM listings l WHERE l.patient_id = e.patient_id
                          AND l.clinic_id = ? AND l.responsible_from <= e.exam_date
                          AND (l.responsible_to IS NULL OR l.responsible_to >= e.exam_date))
              AND e.id = (SELECT x.id FROM exams x JOIN exam_caries_indices xc
                            ON xc.exam_id = x.id
                          WHERE x.patient_id = e.patient_id AND x.signed_at IS NOT NULL
                          AND x.kind IN ('dentist_revision', 'hygienist_revision')
                          AND x.exam_date BETWEEN ? AND ?
                          ORDER BY x.exam_date DESC, x.id DESC LIMIT 1)
            GROUP BY age
            """,
            (first, last, clinic_id, first, last),
        ).fetchall()
        emergency = self._conn.execute(
            "SELECT CASE WHEN v.listed_clinic_id = ? THEN 'own' ELSE v.payer_kind END, count(*)"
            " FROM emergency_visits v WHERE v.treatment_date BETWEEN ? AND ? GROUP BY 1",
            (clinic_id, first, last),
        ).fetchall()
        return StatisticsCounts(
            year=year,
            listed_by_age=tuple(sorted(listed_by_age.items())),
            recall=tuple((bool(d), bool(h), bool(t), int(n)) for _a, d, h, t, n in recall),
            caries_by_age=tuple(
                (int(a), int(n), int(f), int(d), int(t)) for a, n, f, d, t in caries
            ),
            emergency=tuple((str(k), int(n)) for k, n in emergency),
        )
