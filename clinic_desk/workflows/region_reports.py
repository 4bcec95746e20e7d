"""Reporting to the region (RULES.md §7): export batches, the batch log, corrections and the
annual statistics report.

A batch covers a period and holds every record dated in it (or in an earlier exported period,
when signed or registered late) that has not been sent before. Every row is checked first;
one bad row and nothing is written: the user gets the rows and patients to fix. A batch once
sent is kept byte for byte (re-saved from the log, never re-rendered); a change afterwards is
sent as a correction batch that names the batch it corrects.
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from pathlib import Path

from clinic_desk.documents.annual_report_pdf import annual_report_pdf
from clinic_desk.domain.clinics import Clinic
from clinic_desk.domain.errors import RuleViolation
from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.domain.region_report import (
    FORMAT_VERSION,
    Action,
    Fact,
    Period,
    Person,
    ReportKind,
    Row,
    RowProblem,
    build_row,
    exam_rows,
    listing_rows,
    may_send,
    person_problems,
    problems_of,
    record_id,
    record_problems,
    row_problems,
    withdraw_row,
)
from clinic_desk.domain.region_stats import AnnualStatistics, annual_statistics
from clinic_desk.export.region_files import (
    BatchFacts,
    BatchFile,
    manifest_file,
    read_csv,
    report_files,
)
from clinic_desk.store.region_reports import BatchInfo, StoredFile
from clinic_desk.store.store import Store

KINDS = (ReportKind.LISTINGS, ReportKind.CARE, ReportKind.DENTAL_HEALTH, ReportKind.EMERGENCY)
Progress = Callable[[int, str], None]
"""Told (per cent done, what is going on) as an export proceeds."""


class ExportCancelled(Exception):
    """The user stopped the export before anything was written."""


@dataclass(frozen=True)
class ExportResult:
    """What an export did. With problems nothing was written; without rows no batch was
    made; otherwise `batch_id` is the new batch and `paths` its files."""

    batch_id: int | None
    paths: tuple[Path, ...] = ()
    counts: tuple[tuple[ReportKind, int], ...] = ()
    problems: tuple[RowProblem, ...] = ()
    message: str = ""


@dataclass(frozen=True)
class Difference:
    """A record sent in a batch that reads differently today."""

    kind: ReportKind
    record_id: str
    patient_id: int | None
    sent: Row
    today: Row | None  # None: may no longer be sent (or is gone): to be withdrawn

    @property
    def what(self) -> str:
        """In Swedish: changed, or to be withdrawn."""
        return "ändrad" if self.today is not None else "återkallas (får inte längre skickas)"


@dataclass(frozen=True)
class Comparison:
    """A batch compared with today's data (its latest sent version of each record)."""

    batch: BatchInfo
    records: int
    differences: tuple[Difference, ...] = field(default_factory=tuple)


def _own_clinic(store: Store) -> Clinic:
    own = store.clinics.own()
    if own is None:
        raise RuleViolation("Ange den egna kliniken i klinikregistret (Register → Kliniker).")
    return own


def _tick(
    progress: Progress | None, cancelled: Callable[[], bool] | None, pct: int, text: str
) -> None:
    if cancelled is not None and cancelled():
        raise ExportCancelled
    if progress is not None:
        progress(pct, text)


def _facts(
    store: Store, clinic_id: int, first: date, last: date, kind: ReportKind
) -> Sequence[Fact]:
    repo = store.region_reports
    if kind is ReportKind.LISTINGS:
        return repo.listing_facts(clinic_id, first, last)
    if kind is ReportKind.EMERGENCY:
        return repo.emergency_facts(clinic_id, first, last)
    return list(repo.exam_facts(first, last))


def _collect(
    store: Store,
    clinic_id: int,
    first: date,
    last: date,
    today: date,
    skip: Callable[[ReportKind], set[str]],
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> tuple[list[tuple[ReportKind, list[Row]]], list[RowProblem]]:
    """Rows of each kind (records not in `skip(kind)`) and every problem found."""
    rows: dict[ReportKind, list[Row]] = {}
    problems: list[RowProblem] = []
    people: dict[Person, tuple[str, ...]] = {}  # each patient's identity checked once

    def identity(person: Person) -> tuple[str, ...]:
        messages = people.get(person)
        if messages is None:
            messages = people[person] = tuple(person_problems(person, today))
        return messages

    kind = ReportKind.LISTINGS
    _tick(progress, cancelled, 10, f"Läser och kontrollerar: {kind.label}")
    rows[kind] = listing_rows(
        store.region_reports.listing_facts(clinic_id, first, last),
        skip(kind),
        first,
        last,
        today,
        identity,
        problems,
    )
    kind = ReportKind.EMERGENCY
    _tick(progress, cancelled, 35, f"Läser och kontrollerar: {kind.label}")
    sent = skip(kind)
    out = rows[kind] = []
    for fact in store.region_reports.emergency_facts(clinic_id, first, last):
        rid = record_id(kind, fact)
        if rid in sent or not may_send(kind, fact):
            continue
        found = [*identity(fact.person), *record_problems(kind, fact, first, last, today)]
        if found:
            problems.extend(problems_of(kind, fact, len(out) + 2, rid, found))
        out.append(build_row(kind, fact, Action.ADD, rid))
    _tick(progress, cancelled, 60, f"Läser och kontrollerar: {ReportKind.CARE.label}")
    rows[ReportKind.CARE], rows[ReportKind.DENTAL_HEALTH] = exam_rows(
        store.region_reports.exam_facts(first, last),
        skip(ReportKind.CARE),
        skip(ReportKind.DENTAL_HEALTH),
        first,
        last,
        today,
        identity,
        problems,
    )
    return [(kind, rows[kind]) for kind in KINDS], problems


def _write(out_dir: Path, files: Sequence[BatchFile]) -> list[Path]:
    """Write each file under a temporary name first; the caller renames them when the batch
    is recorded, so a failed export leaves no file that looks sent."""
    out_dir.mkdir(parents=True, exist_ok=True)
    temps = []
    for f in files:
        temp = out_dir / f".{f.name}.part"
        temp.write_bytes(f.content)
        temps.append(temp)
    return temps


def _sent_groups(
    rows: Sequence[tuple[ReportKind, Sequence[Row]]],
) -> list[tuple[str, str, list[str]]]:
    """The records a batch sends as (file kind, action, record ids in file order), per kind
    its actions in the order they first appear (a regular batch: one group per file)."""
    groups = []
    for kind, kind_rows in rows:
        actions = dict.fromkeys(map(itemgetter(1), kind_rows))
        if len(actions) == 1:
            groups.append((kind.value, next(iter(actions)), list(map(itemgetter(0), kind_rows))))
            continue
        for action in actions:
            groups.append((kind.value, action, [row[0] for row in kind_rows if row[1] == action]))
    return groups


def _record(
    store: Store,
    actor: User,
    clinic: Clinic,
    out_dir: Path,
    facts: BatchFacts,
    period: Period,
    rows: Sequence[tuple[ReportKind, Sequence[Row]]],
) -> tuple[int, list[Path]]:
    """Build the files, record the batch and write the files: one transaction, one entry."""
    temps: list[Path] = []
    try:
        with store.transaction():
            batch_id = store.region_reports.next_batch_id()
            facts = BatchFacts(
                batch_id,
                facts.kind,
                facts.corrects_batch_id,
                facts.period,
                facts.period_first,
                facts.period_last,
                facts.covers_from,
                facts.created_at,
                facts.created_by,
            )
            report = report_files(clinic, batch_id, rows)
            files = [*report, manifest_file(clinic, facts, report)]
            total = sum(len(r) for _k, r in rows)
            store.region_reports.insert_batch(
                batch_id,
                facts.kind,
                facts.period,
                period.first,
                period.last,
                date.fromisoformat(facts.covers_from),
                facts.corrects_batch_id,
                FORMAT_VERSION,
                total,
                facts.created_at,
                actor.id,
            )
            store.region_reports.insert_files(
                batch_id,
                (
                    StoredFile(f.name, f.report_kind, f.row_count, f.sha256, f.content)
                    for f in files
                ),
            )
            store.region_reports.insert_items(batch_id, _sent_groups(rows))
            store.audit.append(
                actor.id,
                "region_export.correction" if facts.corrects_batch_id else "region_export.batch",
                entity="region_export_batch",
                entity_id=batch_id,
                detail={
                    "period": facts.period,
                    "corrects": facts.corrects_batch_id,
                    "folder": str(out_dir),
                    "files": {f.name: f.sha256 for f in files},
                    "rows": total,
                },
            )
            temps = _write(out_dir, files)
    except BaseException:
        for temp in temps:
            temp.unlink(missing_ok=True)
        raise
    paths = []
    for temp, f in zip(temps, files, strict=True):
        final = out_dir / f.name
        os.replace(temp, final)
        paths.append(final)
    return batch_id, paths


def _problems_message(problems: Sequence[RowProblem]) -> str:
    patients = len({p.patient_id for p in problems})
    return (
        f"{len(problems)} fel hos {patients} {'patient' if patients == 1 else 'patienter'}: "
        "inget har skrivits. Rätta patienterna i listan och exportera igen."
    )


def _covers_from(store: Store, period: Period) -> date:
    earliest = store.region_reports.first_period_start()
    return min(period.first, earliest) if earliest else period.first


@requires(Permission.EXPORT)
def export_period(
    store: Store,
    actor: User,
    period: Period,
    out_dir: Path,
    today: date,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ExportResult:
    """Check and write the next batch for `period` into `out_dir` (nothing on any problem)."""
    with _cycle_collector_paused():
        return _export_period(store, actor, period, out_dir, today, progress, cancelled)


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector paused (process-wide) while a batch is built.

    A year's export keeps some 100,000 rows and the patients it has checked alive until it
    ends, none of them in a reference cycle: the collector would walk them, and every other
    live object, again and again for nothing (a tenth of a full-year export). Reference
    counting frees everything as usual meanwhile; the collector resumes, if it was on, when
    the block ends, however it ends."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _export_period(
    store: Store,
    actor: User,
    period: Period,
    out_dir: Path,
    today: date,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
) -> ExportResult:
    clinic = _own_clinic(store)
    covers_from = _covers_from(store, period)
    if period.first > today:
        raise RuleViolation(f"Perioden {period.label} har inte börjat ännu.")
    rows, problems = _collect(
        store,
        clinic.id,
        covers_from,
        min(period.last, today),  # a listing that ends at the month's end waits for it
        today,
        store.region_reports.sent_record_ids,
        progress,
        cancelled,
    )
    counts = tuple((kind, len(r)) for kind, r in rows)
    if problems:
        return ExportResult(
            None,
            counts=counts,
            problems=tuple(problems),
            message=_problems_message(problems),
        )
    if not any(n for _k, n in counts):
        return ExportResult(
            None, counts=counts, message=f"Inget nytt att skicka för {period.label}."
        )
    _tick(progress, cancelled, 90, "Skriver filerna")
    facts = BatchFacts(
        0,
        "regular",
        None,
        period.label,
        period.first.isoformat(),
        period.last.isoformat(),
        covers_from.isoformat(),
        store.now().isoformat(timespec="seconds"),
        f"{actor.full_name} ({actor.username})",
    )
    batch_id, paths = _record(store, actor, clinic, out_dir, facts, period, rows)
    _tick(progress, None, 100, "Klart")
    return ExportResult(
        batch_id,
        tuple(paths),
        counts,
        message=f"Omgång {batch_id} för {period.label}: "
        f"{sum(n for _k, n in counts)} rader i {len(paths)} filer.",
    )


def batch_log(store: Store) -> list[BatchInfo]:
    """Every batch sent, newest first."""
    return store.region_reports.batches()


def _batch(store: Store, batch_id: int) -> BatchInfo:
    batch = store.region_reports.batch(batch_id)
    if batch is None:
        raise RuleViolation(f"Omgång {batch_id} finns inte.")
    return batch


@requires(Permission.EXPORT)
def batch_files(store: Store, actor: User, batch_id: int) -> list[StoredFile]:
    """A batch's files exactly as sent (to show them)."""
    _batch(store, batch_id)
    return store.region_reports.files(batch_id)


@requires(Permission.EXPORT)
def resave_batch(store: Store, actor: User, batch_id: int, out_dir: Path) -> list[Path]:
    """Write a sent batch again, byte for byte from the log (logged)."""
    _batch(store, batch_id)
    files = store.region_reports.files(batch_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    with store.transaction():
        store.audit.append(
            actor.id,
            "region_export.resave",
            entity="region_export_batch",
            entity_id=batch_id,
            detail={"folder": str(out_dir), "files": [f.name for f in files]},
        )
        for f in files:
            (out_dir / f.name).write_bytes(f.content)
            paths.append(out_dir / f.name)
    return paths


def _today_rows(
    store: Store, batch: BatchInfo, today: date
) -> dict[tuple[ReportKind, str], tuple[Row, int]]:
    """Today's row (and patient id) of every record that may be sent from the batch's span."""
    clinic = _own_clinic(store)
    found: dict[tuple[ReportKind, str], tuple[Row, int]] = {}
    exams: Sequence[Fact] | None = None
    for kind in KINDS:
        if kind in (ReportKind.CARE, ReportKind.DENTAL_HEALTH):
            exams = exams or _facts(store, clinic.id, batch.covers_from, batch.period_last, kind)
            facts = exams
        else:
            facts = _facts(store, clinic.id, batch.covers_from, batch.period_last, kind)
        for fact in facts:
            if may_send(kind, fact):
                found[(kind, record_id(kind, fact))] = (
                    build_row(kind, fact),
                    fact.person.patient_id,
                )
    return found


def _sent_rows(store: Store, batch_ids: Iterable[int]) -> dict[tuple[ReportKind, str], Row]:
    """The last version sent of each record in these batches (in order)."""
    sent: dict[tuple[ReportKind, str], Row] = {}
    for batch_id in batch_ids:
        for f in store.region_reports.files(batch_id):
            if f.report_kind == "manifest":
                continue
            kind = ReportKind(f.report_kind)
            for row in read_csv(f.content)[1:]:
                sent[(kind, row[0])] = tuple(row)
    return sent


@requires(Permission.EXPORT)
def rebuild_batch(store: Store, actor: User, batch_id: int, today: date) -> list[BatchFile]:
    """A regular batch's files built again from today's data (equal to the sent bytes as
    long as nothing in its records changed)."""
    batch = _batch(store, batch_id)
    if batch.kind != "regular":
        raise RuleViolation("Bara vanliga omgångar kan byggas om; en rättelse visas som den är.")
    clinic = _own_clinic(store)
    items = {(ReportKind(k), rid) for k, rid, _a in store.region_reports.items(batch_id)}
    current = _today_rows(store, batch, today)
    rows = [
        (kind, [row for (k, rid), (row, _p) in current.items() if k is kind and (k, rid) in items])
        for kind in KINDS
    ]
    # Same order as the export wrote them: the facts' own order is kept by the dict.
    report = report_files(clinic, batch_id, rows)
    facts = _facts_of(store, batch)
    return [*report, manifest_file(clinic, facts, report)]


def _facts_of(store: Store, batch: BatchInfo) -> BatchFacts:
    """The manifest facts of a sent batch (who sent it as the manifest said then)."""
    manifest = next(f for f in store.region_reports.files(batch.id) if f.report_kind == "manifest")
    created_by = str(json.loads(manifest.content)["created_by"])
    return BatchFacts(
        batch.id,
        batch.kind,
        batch.corrects_batch_id,
        batch.period,
        batch.period_first.isoformat(),
        batch.period_last.isoformat(),
        batch.covers_from.isoformat(),
        batch.created_at,
        created_by,
    )


@requires(Permission.EXPORT)
def compare_batch(store: Store, actor: User, batch_id: int, today: date) -> Comparison:
    """Each record of a regular batch (as last sent, corrections included) against today."""
    batch = _batch(store, batch_id)
    if batch.kind != "regular":
        raise RuleViolation("Jämför den ursprungliga omgången; rättelsen ingår i jämförelsen.")
    sent = _sent_rows(store, [batch_id, *store.region_reports.corrections_of(batch_id)])
    current = _today_rows(store, batch, today)
    differences = []
    for (kind, rid), row in sent.items():
        if row[1] == Action.WITHDRAW.value:
            continue
        now = current.get((kind, rid))
        if now is None:
            differences.append(Difference(kind, rid, None, row, None))
        elif now[0][2:] != row[2:]:
            differences.append(Difference(kind, rid, now[1], row, now[0]))
    return Comparison(batch, len(sent), tuple(differences))


@requires(Permission.EXPORT)
def send_correction(
    store: Store, actor: User, batch_id: int, out_dir: Path, today: date
) -> ExportResult:
    """A correction batch for `batch_id`: changed records replaced, records that may no
    longer be sent withdrawn (by id only). Checked like any batch."""
    comparison = compare_batch(store, actor, batch_id, today)
    if not comparison.differences:
        return ExportResult(None, message=f"Omgång {batch_id} stämmer med dagens uppgifter.")
    clinic = _own_clinic(store)
    batch = comparison.batch
    changed = {(d.kind, d.record_id) for d in comparison.differences if d.today is not None}
    withdrawn = [(d.kind, d.record_id) for d in comparison.differences if d.today is None]
    rows: dict[ReportKind, list[Row]] = {kind: [] for kind in KINDS}
    problems: list[RowProblem] = []
    for kind in KINDS:
        facts = _facts(store, clinic.id, batch.covers_from, batch.period_last, kind)
        for fact in facts:
            rid = record_id(kind, fact)
            if (kind, rid) not in changed or not may_send(kind, fact):
                continue
            line = len(rows[kind]) + 2
            problems.extend(
                row_problems(kind, fact, line, batch.covers_from, batch.period_last, today)
            )
            rows[kind].append(build_row(kind, fact, Action.REPLACE))
    for kind, rid in withdrawn:
        rows[kind].append(withdraw_row(kind, rid))
    if problems:
        return ExportResult(
            None, problems=tuple(problems), message="Rättelsen: " + _problems_message(problems)
        )
    period = Period(batch.period_first, batch.period_last)
    manifest = BatchFacts(
        0,
        "correction",
        batch_id,
        batch.period,
        batch.period_first.isoformat(),
        batch.period_last.isoformat(),
        batch.covers_from.isoformat(),
        store.now().isoformat(timespec="seconds"),
        f"{actor.full_name} ({actor.username})",
    )
    ordered = [(kind, rows[kind]) for kind in KINDS]
    new_id, paths = _record(store, actor, clinic, out_dir, manifest, period, ordered)
    return ExportResult(
        new_id,
        tuple(paths),
        tuple((kind, len(r)) for kind, r in ordered),
        message=f"Rättelse {new_id} av omgång {batch_id}: {len(changed)} ändrade, "
        f"{len(withdrawn)} återkallade.",
    )


# -- annual statistics ---------------------------------------------------------------------


def statistics(store: Store, year: int) -> AnnualStatistics:
    """The year's figures (protected identities left out, as in the region files)."""
    clinic = _own_clinic(store)
    counts = store.region_reports.statistics_counts(clinic.id, year)
    cube = store.no_shows.rate_cube(date(year, 1, 1), date(year, 12, 31))
    total = sum(cell[3] for cell in cube.cells)
    no_shows = sum(cell[4] for cell in cube.cells)
    return annual_statistics(counts, total, no_shows)


@requires(Permission.EXPORT)
def annual_report(store: Store, actor: User, year: int, today: date) -> tuple[bytes, int]:
    """The annual statistics as a PDF, archived (returns the PDF and its archive id)."""
    clinic = _own_clinic(store)
    figures = statistics(store, year)
    content = annual_report_pdf(clinic, figures, today)
    with store.transaction():
        document = store.documents.add(
            "annual_report",
            f"Årsstatistik {year}",
            content,
            actor.id,
            source_table="region_statistics",
            source_id=year,
        )
        store.audit.append(
            actor.id,
            "region_statistics.report",
            entity="document",
            entity_id=document.id,
            detail={"year": year},
        )
    return content, document.id
