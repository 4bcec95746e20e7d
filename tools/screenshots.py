"""Take the user guide's screenshots from the demo clinic (docs/images/*.png).

    .venv/bin/python tools/screenshots.py [--data-dir DIR]

Builds a demo clinic in a temporary folder (or uses DIR), opens the real windows with a
fixed date and saves each screen with QWidget.grab(), so the pictures are regenerated
whenever the screens change. Runs offscreen; no display needed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from clinic_desk.demo import build_demo_clinic
from clinic_desk.paths import paths_for
from clinic_desk.store.store import Store
from clinic_desk.ui.app import application
from clinic_desk.ui.book_settings import LetterTemplatesDialog, OpeningHoursDialog
from clinic_desk.ui.booking_dialogs import BookingDialog
from clinic_desk.ui.clinic_dialogs import ClinicsDialog
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.patient_dialog import PatientDialog
from clinic_desk.workflows.staff import ensure_local_user

sys.path.insert(0, str(Path(__file__).resolve().parent))
from screenshots_care import shoot_care
from screenshots_compliance import shoot_compliance
from screenshots_printing import shoot_printing
from screenshots_region import shoot_region
from screenshots_security import shoot_security
from screenshots_setup import shoot_settings, shoot_setup_wizard

SHOT_DAY = date(2026, 11, 23)
OUT = Path(__file__).resolve().parent.parent / "docs" / "images"


def save(widget: QWidget, name: str) -> None:
    """Render a widget to docs/images/<name>.png."""
    QApplication.processEvents()
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


def shoot_dialog(
    dialog: QDialog, name: str, prepare: Callable[[QDialog], None] | None = None
) -> None:
    """Show a dialog, let it lay itself out, save it and close it."""
    if prepare:
        prepare(dialog)
    dialog.show()
    QApplication.processEvents()
    save(dialog, name)
    dialog.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--patients", type=int, default=3000)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="clinic-shots-"))
    paths = paths_for(folder).ensure()
    app = application()
    store = Store.open(paths.database, paths.backup_dir)
    if store.patients.count_all() == 0:
        build_demo_clinic(store, args.patients, today=SHOT_DAY)
    ctx = AppContext(store, ensure_local_user(store), paths, demo=True, today=lambda: SHOT_DAY)
    window = MainWindow(ctx)
    window.resize(1180, 720)
    window.show()
    save(window, "main-window")

    box = window.search.form.search_box
    box.setText("lindq")
    window.search.run_search()
    save(window, "search-by-name")

    patient_id = window.search.model.patient_id(0)
    # a patient with guardians and a move between clinics makes the best example
    row = store.conn.execute(
        "SELECT l.patient_id FROM listings l JOIN patients p ON p.id = l.patient_id"
        " WHERE p.protected_identity = 0 AND p.end_date IS NULL"
        " GROUP BY l.patient_id HAVING count(*) >= 2 ORDER BY l.patient_id LIMIT 1"
    ).fetchone()
    if row:
        patient_id = int(row[0])
    window.open_patient(patient_id)
    for index, name in enumerate(("card-details", "card-guardians", "card-listing")):
        window.card.form.tabs.setCurrentIndex(index)
        save(window, name)

    protected = store.conn.execute(
        "SELECT id FROM patients WHERE protected_identity = 1 ORDER BY id LIMIT 1"
    ).fetchone()
    if protected:
        window.open_patient(int(protected[0]))
        window.card.form.tabs.setCurrentIndex(0)
        save(window, "card-protected")

    shoot_dialog(PatientDialog(window, ctx), "new-patient")
    shoot_dialog(ClinicsDialog(window, ctx), "clinics")

    window.show_book()
    window.book.show_day(SHOT_DAY + timedelta(days=7))
    save(window, "book-day")
    window.book.form.week_view.setChecked(True)
    window.book.form.practitioner.setCurrentIndex(1)
    save(window, "book-week")
    window.book.form.day_view.setChecked(True)
    window.book.form.practitioner.setCurrentIndex(0)
    shoot_dialog(BookingDialog(window, ctx, datetime.combine(SHOT_DAY, time(9, 0))), "booking")
    window.show_recall()
    window.recall.form.month.setDate(window.recall.form.month.date().addMonths(1))
    save(window, "recall-list")
    window.show_delayed()
    save(window, "recall-delayed")
    window.show_no_shows()
    window.no_shows.form.tabs.setCurrentIndex(2)
    save(window, "no-show-statistics")
    window.no_shows.form.tabs.setCurrentIndex(0)
    save(window, "no-show-follow-up")
    shoot_dialog(OpeningHoursDialog(window, ctx), "opening-hours")
    shoot_dialog(LetterTemplatesDialog(window, ctx), "letter-templates")
    shoot_care(window, ctx, save)
    shoot_security(window, ctx, save)
    shoot_printing(window, ctx, save)
    shoot_region(window, ctx, save, folder / "region-export")
    shoot_compliance(window, ctx, save, folder / "compliance-dashboard.pdf")
    shoot_settings(window, ctx, save)
    shoot_setup_wizard(save)
    QTimer.singleShot(0, app.quit)
    app.exec()
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
