"""Benchmarks: a large demo clinic built once per run, and a figure printer.

Size: CLINIC_BENCH_PATIENTS (default 100,000). Figures are printed, never asserted: a
benchmark's job is to measure, with a baseline taken in the same run on the same machine.

Building 100,000 patients takes minutes. For repeated runs on one machine set
CLINIC_BENCH_CACHE to a folder: the built clinic is kept there, keyed by its size and a hash
of the demo builder and the migrations, and copied for the next run. CI never sets it.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import statistics
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from clinic_desk.demo import build_demo_clinic
from clinic_desk.store.store import Store

BENCH_TODAY = date(2026, 11, 23)
BENCH_PATIENTS = int(os.environ.get("CLINIC_BENCH_PATIENTS", "100000"))


@dataclass(frozen=True)
class Figures:
    """Timings of one measured operation, in milliseconds."""

    name: str
    samples: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure(
    name: str, calls: list[Callable[[], object]], repeat: int = 1, inner: int = 1
) -> Figures:
    """Time each call (after one warm-up pass), in milliseconds. With `inner` > 1 each
    sample is the mean of that many back-to-back calls: for operations of a few
    microseconds, where one call is too short for the clock and the scheduler."""
    for call in calls[: min(len(calls), 20)]:
        call()
    samples: list[float] = []
    for _ in range(repeat):
        for call in calls:
            start = time.perf_counter()
            for _ in range(inner):
                call()
            samples.append((time.perf_counter() - start) * 1000 / inner)
    return Figures(name, samples)


def _cache_key() -> str:
    """Size, day and a hash of every source file that shapes the built clinic."""
    package = Path(__file__).resolve().parents[2] / "clinic_desk"
    sources = sorted(package.glob("demo*.py")) + sorted(package.glob("store/migrations/*.py"))
    digest = hashlib.sha256(f"{BENCH_PATIENTS}:{BENCH_TODAY}".encode())
    for source in sources:
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def big_clinic(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """A demo clinic of BENCH_PATIENTS patients (built once per run, or copied from the
    CLINIC_BENCH_CACHE folder)."""
    folder: Path = tmp_path_factory.mktemp("bench-clinic")
    database = folder / "clinic.sqlite"
    cache_dir = os.environ.get("CLINIC_BENCH_CACHE")
    cached = Path(cache_dir) / f"clinic-{_cache_key()}.sqlite" if cache_dir else None
    start = time.perf_counter()
    if cached is not None and cached.exists():
        shutil.copyfile(cached, database)
        store = Store.open(database, folder / "backups")
        how = f"copied from {cached}"
    else:
        store = Store.open(database, folder / "backups")
        build_demo_clinic(store, BENCH_PATIENTS, today=BENCH_TODAY)
        store.conn.execute("ANALYZE")
        how = "built"
        if cached is not None:
            cached.parent.mkdir(parents=True, exist_ok=True)
            store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copyfile(database, cached)
    took = time.perf_counter() - start
    print(f"\n[bench] demo clinic with {BENCH_PATIENTS} patients {how} in {took:.1f} s")
    yield store
    store.conn.close()


@pytest.fixture
def report(capsys: pytest.CaptureFixture[str]) -> Callable[..., None]:
    """Print figures (and their ratio to a baseline) past pytest's capture."""

    def show(
        figures: Figures,
        baseline: Figures | None = None,
        target_ms: float | None = None,
        target_ratio: float | None = None,
    ) -> None:
        line = f"[bench] {figures.name}: p50 {figures.p50:.2f} ms, p95 {figures.p95:.2f} ms"
        verdicts = []
        if baseline is not None:
            ratio = figures.p95 / baseline.p95 if baseline.p95 else float("inf")
            line += (
                f" | baseline ({baseline.name}) p50 {baseline.p50:.2f} ms,"
                f" p95 {baseline.p95:.2f} ms, ratio {ratio:.2f}"
            )
            if target_ratio is not None:
                verdicts.append(
                    f"ratio target {target_ratio}: {'met' if ratio <= target_ratio else 'MISSED'}"
                )
        if target_ms is not None:
            verdicts.append(
                f"p95 target {target_ms} ms: {'met' if figures.p95 <= target_ms else 'MISSED'}"
            )
        if verdicts:
            line += " | " + "; ".join(verdicts)
        with capsys.disabled():
            print(line)

    return show
