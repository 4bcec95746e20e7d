"""Region export and annual statistics at BENCH_PATIENTS patients.

Measured:

* a full-year export (`export_period` for 2025, the last whole year: the demo clinic has
  already sent batches for the months before today's, read, check every row, write four CSV
  files and the manifest, record the batch, its files and every record sent). An export is
  incremental, so each sample runs on a fresh copy of the clinic (the copy is not timed).
  Baseline: the same three SELECTs run on the same connection and written straight to CSV
  with csv.writer, no checks, no log.
* the statistics screen: `StatisticsPage.show_year` with Qt (offscreen), i.e. the counting
  SQL, the figures, the tables and the charts; and `statistics()` alone.
"""

from __future__ import annotations

import csv
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from clinic_desk.domain.region_report import parse_period
from clinic_desk.paths import paths_for
from clinic_desk.store import region_reports as sql
from clinic_desk.store.store import Store
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.region_report_window import StatisticsPage
from clinic_desk.workflows.region_reports import export_period, statistics
from clinic_desk.workflows.staff import ensure_local_user
from tests.bench.conftest import BENCH_TODAY, Figures, measure

SAMPLES = 5
YEAR = BENCH_TODAY.year - 1


@pytest.fixture
def copies(big_clinic: Store, tmp_path: Path) -> Iterator[Callable[[], Store]]:
    """Fresh copies of the big clinic, opened; closed at the end."""
    big_clinic.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    opened: list[Store] = []

    def copy() -> Store:
        folder = tmp_path / f"copy{len(opened)}"
        folder.mkdir()
        shutil.copyfile(big_clinic.path, folder / "clinic.sqlite")
        store = Store.open(folder / "clinic.sqlite", folder / "backups")
        opened.append(store)
        return store

    yield copy
    for store in opened:
        store.close()


def _baseline(store: Store, out: Path) -> None:
    """The same SELECTs straight to CSV."""
    out.mkdir(parents=True, exist_ok=True)
    own = store.clinics.own()
    assert own is not None
    first, last = f"{YEAR}-01-01", f"{YEAR}-12-31"
    queries = {
        "listings": (sql._LISTINGS, (own.id, first, last, own.id, first, last)),
        "exams": (sql._EXAMS, (first, last)),
        "emergency": (sql._EMERGENCY, (first, last, own.id)),
    }
    for name, (query, params) in queries.items():
        with (out / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerows(store.conn.execute(query, params))


def test_full_year_export(
    copies: Callable[[], Store], tmp_path: Path, report: Callable[..., None]
) -> None:
    stores = [copies() for _ in range(SAMPLES)]
    actors = [ensure_local_user(s) for s in stores]
    period = parse_period(str(YEAR))
    exported: list[float] = []
    raw: list[float] = []
    rows = 0
    # On each fresh copy: the baseline once to warm the connection, then baseline and export
    # timed back to back, so both read a warm file under the same load.
    for index, (store, actor) in enumerate(zip(stores, actors, strict=True)):
        _baseline(store, tmp_path / f"warm{index}")
        start = time.perf_counter()
        _baseline(store, tmp_path / f"raw{index}")
        raw.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        result = export_period(store, actor, period, tmp_path / f"out{index}", BENCH_TODAY)
        exported.append((time.perf_counter() - start) * 1000)
        assert result.batch_id is not None, result.message
        rows = sum(n for _k, n in result.counts)
    report(
        Figures(f"full-year export {YEAR} ({rows} rows)", exported),
        Figures("same SELECTs to CSV", raw),
        target_ms=3000,
        target_ratio=3.0,
    )


def test_statistics_screen(
    big_clinic: Store, qapp: QApplication, tmp_path: Path, report: Callable[..., None]
) -> None:
    ctx = AppContext(
        big_clinic,
        ensure_local_user(big_clinic),
        paths_for(tmp_path / "paths"),
        today=lambda: BENCH_TODAY,
    )
    page = StatisticsPage(ctx)
    page.resize(1200, 800)

    def show() -> None:
        page.show_year(BENCH_TODAY.year)
        QApplication.processEvents()

    screen = measure(f"statistics screen (Qt, year {BENCH_TODAY.year})", [show] * 5)
    plain = measure(
        "statistics() without Qt", [lambda: statistics(big_clinic, BENCH_TODAY.year)] * 5
    )
    report(screen, plain, target_ms=1000)
