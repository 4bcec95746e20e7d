"""Cold start: the program to a usable main window on the demo clinic, against a bare
QApplication showing an empty window, both as fresh processes in the same run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from clinic_desk.demo import build_demo_clinic
from clinic_desk.store.store import Store
from tests.bench.conftest import BENCH_TODAY, Figures

RUNS = 40  # p95 of 40 is the third slowest: one or two stray slow starts do not decide it
BARE = (
    "import time\n"
    "from PySide6.QtCore import QEvent, QObject, QTimer\n"
    "from PySide6.QtWidgets import QApplication, QMainWindow\n"
    "app = QApplication([])\n"
    "window = QMainWindow()\n"
    "def ready():\n"
    "    print(f'ready {time.time():.6f}', flush=True)\n"
    "    window.close()\n"
    "class FirstPaint(QObject):\n"
    "    def eventFilter(self, watched, event):\n"
    "        if watched is window and event.type() == QEvent.Type.Paint:\n"
    "            window.removeEventFilter(self)\n"
    "            QTimer.singleShot(0, ready)\n"
    "        return False\n"
    "first_paint = FirstPaint()\n"
    "window.installEventFilter(first_paint)\n"
    "window.show()\n"
    "raise SystemExit(app.exec())\n"
)


def _time_process(args: list[str], pycache: Path) -> tuple[float, float]:
    """(ms from spawn to the window shown and ready, ms from spawn to the process gone).

    Both programs print `ready <wall clock>` once their window has been painted for the
    first time and the events queued with that paint are handled (the window is on screen
    and takes input); what follows (closing, saving, interpreter teardown) is not part of
    starting, but the whole process time is reported beside it."""
    # An installed program runs from compiled bytecode (pip compiles at install, PyInstaller
    # ships .pyc files); with PYTHONDONTWRITEBYTECODE set, as in CI, every start would
    # compile our modules afresh. The warm-up run fills a cache of its own instead.
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        "QT_QPA_PLATFORM": "offscreen",
        "PYTHONPYCACHEPREFIX": str(pycache),
    }
    spawned = time.time()
    start = time.perf_counter()
    result = subprocess.run(args, env=env, capture_output=True, timeout=120, check=False)
    whole = (time.perf_counter() - start) * 1000
    assert result.returncode == 0, result.stderr.decode(errors="replace")
    ready = [line for line in result.stdout.decode().splitlines() if line.startswith("ready ")]
    assert ready, result.stdout.decode(errors="replace")
    return (float(ready[0].split()[1]) - spawned) * 1000, whole


@pytest.mark.bench
def test_cold_start_to_main_window(tmp_path: Path, report: Callable[..., None]) -> None:
    store = Store.open(tmp_path / "clinic.sqlite", tmp_path / "backups")
    build_demo_clinic(store, 3000, today=BENCH_TODAY)
    store.close()
    ours_args = [
        sys.executable,
        "-m",
        "clinic_desk",
        "--data-dir",
        str(tmp_path),
        "--demo",  # logs in as the demo administrator: no login dialog to wait on
        "--exit-when-ready",
    ]
    bare_args = [sys.executable, "-c", BARE]
    pycache = tmp_path / "pycache"
    _time_process(ours_args, pycache)  # warm the OS file cache for both, as a second start
    _time_process(bare_args, pycache)  # would; and compile our modules once
    ours = Figures("cold start to main window painted (demo clinic)", [])
    bare = Figures("bare QApplication + empty window painted", [])
    ours_whole = Figures("same, spawn to process exit", [])
    bare_whole = Figures("bare, spawn to process exit", [])
    for _ in range(RUNS):
        for figures, whole, args in (
            (ours, ours_whole, ours_args),
            (bare, bare_whole, bare_args),
        ):
            shown, gone = _time_process(args, pycache)
            figures.samples.append(shown)
            whole.samples.append(gone)
    report(ours, bare, target_ms=1500, target_ratio=2)
    report(ours_whole, bare_whole)
