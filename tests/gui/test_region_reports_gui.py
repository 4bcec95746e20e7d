"""The reports window: an export on its worker thread, the problem list opening the patient,
the batch log, cancelling, and the statistics with charts; reached from the main window."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from clinic_desk.domain.people import Profession
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.region_report_window import ExportWorker, RegionReportWindow
from clinic_desk.workflows.staff import add_staff
from tests.gui.helpers import drive_modal, save_from_preview, type_text
from tests.unit.workflows.region_support import (
    ExamSpec,
    PatientSpec,
    insert_exam,
    insert_listing,
    insert_patient,
)


@pytest.fixture
def clinic(ctx: AppContext, clinics: dict[str, int]) -> list[int]:
    """Two listed patients with October exams; their ids."""
    store = ctx.store
    hygienist = add_staff(store, ctx.user, "lena.ek", "Lena Ek", Profession.HYGIENIST)
    ids = []
    with store.transaction():
        for serial, (birth, kind) in enumerate(
            ((date(2014, 5, 6), "dentist_revision"), (date(2019, 2, 3), "hygienist_revision"))
        ):
            spec = PatientSpec(birth)
            patient_id = insert_patient(store.conn, spec, 200 + serial, ctx.user.id)
            insert_listing(store.conn, patient_id, clinics["own"], date(2026, 10, 1), None, 1)
            insert_exam(
                store.conn, patient_id, birth, ExamSpec(0, date(2026, 10, 5), kind), hygienist
            )
            ids.append(patient_id)
    return ids


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []
    for name in ("information", "warning"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: messages.append(str(a[2])))
    return messages


def _export(qtbot: QtBot, window: RegionReportWindow, folder: Path, period: str) -> None:
    page = window.export
    type_text(qtbot, page.form.period, period)
    page.form.folder.setText(str(folder))
    page.form.export.click()
    qtbot.waitUntil(lambda: page.job_thread is None, timeout=10_000)


def test_export_runs_off_the_gui_thread_and_lands_in_the_log(
    qtbot: QtBot, ctx: AppContext, clinic: list[int], tmp_path: Path
) -> None:
    window = RegionReportWindow(None, ctx)
    qtbot.addWidget(window)
    assert window.batches.form.details.toPlainText().startswith("Ingen omgång")
    _export(qtbot, window, tmp_path, "2026-10")
    assert "Omgång 1" in window.export.form.result.text()
    assert window.export.form.progress.value() == 100
    assert len(list(tmp_path.glob("*.csv"))) == 4
    assert window.batches.form.batches.rowCount() == 1
    assert "SHA-256" in window.batches.form.details.toPlainText()
    window.batches.compare()
    assert "stämmer" in window.batches.form.details.toPlainText()
    # Exporting the same month again: nothing new.
    _export(qtbot, window, tmp_path, "2026-10")
    assert "Inget nytt" in window.export.form.result.text()


def test_a_bad_row_lists_the_patient_with_a_button_that_opens_the_record(
    qtbot: QtBot, ctx: AppContext, clinic: list[int], tmp_path: Path
) -> None:
    with ctx.store.transaction():
        ctx.store.conn.execute(
            "UPDATE patients SET personal_id = '20190203-1000' WHERE id = ?", (clinic[1],)
        )
    window = RegionReportWindow(None, ctx)
    qtbot.addWidget(window)
    _export(qtbot, window, tmp_path / "out", "2026-10")
    assert "inget har skrivits" in window.export.form.result.text()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    table = window.export.form.problems
    assert table.rowCount() >= 1
    assert "kontrollsiffra" in table.item(0, 5).text()
    button = table.cellWidget(0, 0)
    assert isinstance(button, QPushButton)
    with qtbot.waitSignal(window.open_patient) as opened:
        button.click()
    assert opened.args == [clinic[1]]


def test_a_cancelled_export_writes_nothing(
    qtbot: QtBot, ctx: AppContext, clinic: list[int], tmp_path: Path
) -> None:
    worker = ExportWorker(ctx, "2026-10", tmp_path / "out")
    worker.stop.set()
    with qtbot.waitSignal(worker.failed) as failed:
        worker.run()
    assert "avbröts" in failed.args[0]
    assert not (tmp_path / "out").exists()
    assert ctx.store.region_reports.batches() == []


def test_the_statistics_tab_shows_the_year_with_charts(
    qtbot: QtBot,
    ctx: AppContext,
    clinic: list[int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = RegionReportWindow(None, ctx)
    qtbot.addWidget(window)
    window.show_tab(2)
    stats = window.stats
    assert stats.figures is not None
    assert stats.figures.exams_done == 2
    assert "Kariesfria" in stats.form.summary.text()
    assert [label for label, _v in stats.caries_free.data] == ["3 år", "6 år", "12 år", "19 år"]
    assert stats.form.ages.rowCount() == 17
    target = tmp_path / "arsstatistik.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    drive_modal(qtbot, stats.form.save_pdf.click, save_from_preview)
    assert target.read_bytes().startswith(b"%PDF")


def test_the_reports_menu_opens_the_window(
    qtbot: QtBot, ctx: AppContext, clinic: list[int], said: list[str]
) -> None:
    main = MainWindow(ctx)
    qtbot.addWidget(main)
    main.action_statistics.trigger()
    window = main.region_window
    assert isinstance(window, RegionReportWindow)
    assert window.form.tabs.currentIndex() == 2
    main.action_region_export.trigger()
    assert main.region_window is not window
    assert isinstance(main.region_window, RegionReportWindow)
    assert main.region_window.form.tabs.currentIndex() == 0
    main.region_window.close()
