"""Screenshots of the reports window (docs/images/region-*.png): an export stopped by a row
to fix, the batch log, the annual statistics. Called from tools/screenshots.py on its demo
clinic, or alone:

    .venv/bin/python tools/screenshots_region.py [--patients N] [--out DIR]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication, QWidget

from clinic_desk.ui.context import AppContext
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.region_report_window import RegionReportWindow


def _wait_for_export(window: RegionReportWindow) -> None:
    deadline = time.monotonic() + 60
    while window.export.job_thread is not None and time.monotonic() < deadline:
        QApplication.processEvents()
        time.sleep(0.02)
    QApplication.processEvents()


def shoot_region(
    window: MainWindow, ctx: AppContext, save: Callable[[QWidget, str], None], folder: Path
) -> None:
    """region-export (a row to fix), region-batches, region-statistics."""
    store = ctx.store
    month = f"{ctx.today():%Y-%m}"
    row = store.conn.execute(
        "SELECT e.patient_id FROM exams e JOIN patients p ON p.id = e.patient_id"
        " WHERE e.exam_date >= ? AND e.signed_at IS NOT NULL AND p.protected_identity = 0"
        " AND e.kind = 'dentist_revision' ORDER BY e.id LIMIT 1",
        (f"{month}-01",),
    ).fetchone()
    reports = RegionReportWindow(window, ctx)
    reports.resize(1180, 720)
    reports.show()
    page = reports.export
    page.form.period.setText(month)
    page.form.folder.setText(str(folder))
    if row:  # a patient registered with a reserve number: the row to fix
        store.conn.execute("UPDATE patients SET is_reserve_number = 1 WHERE id = ?", (row[0],))
    page.start()
    _wait_for_export(reports)
    save(reports, "region-export")
    if row:
        store.conn.execute("UPDATE patients SET is_reserve_number = 0 WHERE id = ?", (row[0],))
        page.start()
        _wait_for_export(reports)
    reports.show_tab(1)
    reports.batches.form.batches.selectRow(0)
    save(reports, "region-batches")
    reports.show_tab(2)
    save(reports, "region-statistics")
    reports.close()


def main() -> int:
    from clinic_desk.demo import build_demo_clinic
    from clinic_desk.paths import paths_for
    from clinic_desk.store.store import Store
    from clinic_desk.ui.app import application
    from clinic_desk.workflows.staff import ensure_local_user

    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=3000)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent.parent / "docs/images")
    args = parser.parse_args()
    day = date(2026, 11, 23)
    folder = Path(tempfile.mkdtemp(prefix="clinic-region-shots-"))
    paths = paths_for(folder).ensure()
    app = application()
    store = Store.open(paths.database, paths.backup_dir)
    build_demo_clinic(store, args.patients, today=day)
    ctx = AppContext(store, ensure_local_user(store), paths, demo=True, today=lambda: day)
    window = MainWindow(ctx)

    def save(widget: QWidget, name: str) -> None:
        QApplication.processEvents()
        path = args.out / f"{name}.png"
        widget.grab().save(str(path))
        print(path)

    shoot_region(window, ctx, save, folder / "export")
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
