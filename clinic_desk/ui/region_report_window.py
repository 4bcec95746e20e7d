"""Reports to the region: export a batch (off the GUI thread, with progress and cancel), the
log of batches sent (show, save again, compare with today, send a correction) and the annual
statistics with charts and a PDF.

The export runs on a worker thread with a Store of its own: SQLite connections belong to the
thread that opened them, and the GUI's connection stays free for the rest of the program.
"""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QWidget,
)

from clinic_desk.domain.errors import RuleViolation
from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import Permission, allowed
from clinic_desk.domain.region_report import RowProblem, parse_period
from clinic_desk.domain.region_stats import (
    PAYER_LABELS,
    AnnualStatistics,
    format_mean,
    format_percent,
)
from clinic_desk.store.store import Store
from clinic_desk.ui.bar_chart import BarChart, place_chart
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.pdf_output import hand_out_pdf
from clinic_desk.ui.table_fill import fill_table
from clinic_desk.workflows.region_reports import (
    ExportCancelled,
    ExportResult,
    annual_report,
    batch_files,
    batch_log,
    compare_batch,
    export_period,
    resave_batch,
    send_correction,
    statistics,
)

WINDOW_SPEC = FormSpec(
    "region_report_window.ui",
    {
        "tabs": QTabWidget,
        "export_tab": QWidget,
        "batches_tab": QWidget,
        "stats_tab": QWidget,
        "buttons": QDialogButtonBox,
    },
)
EXPORT_SPEC = FormSpec(
    "region_export_page.ui",
    {
        "intro": QLabel,
        "period": QLineEdit,
        "folder": QLineEdit,
        "choose_folder": QPushButton,
        "export": QPushButton,
        "cancel": QPushButton,
        "progress": QProgressBar,
        "result": QLabel,
        "problems": QTableWidget,
    },
)
BATCHES_SPEC = FormSpec(
    "region_batches_page.ui",
    {
        "batches": QTableWidget,
        "show_files": QPushButton,
        "resave": QPushButton,
        "compare": QPushButton,
        "correct": QPushButton,
        "details": QPlainTextEdit,
    },
)
STATS_SPEC = FormSpec(
    "region_statistics_page.ui",
    {
        "year": QSpinBox,
        "save_pdf": QPushButton,
        "summary": QLabel,
        "chart_listed": QWidget,
        "chart_caries_free": QWidget,
        "chart_dft": QWidget,
        "chart_perm_dft": QWidget,
        "ages": QTableWidget,
    },
)


def _choose_folder(parent: QWidget, start: str) -> Path | None:
    chosen = QFileDialog.getExistingDirectory(parent, "Välj mapp för filerna", start)
    return Path(chosen) if chosen else None


class ExportWorker(QObject):
    """Runs one export on its own thread and Store; reports progress and the result."""

    progressed = Signal(int, str)
    done = Signal(object)  # ExportResult
    failed = Signal(str)

    def __init__(self, ctx: AppContext, period_text: str, folder: Path) -> None:
        super().__init__()
        self._store_path = ctx.store.path
        self._backup_dir = ctx.store.backup_dir
        self._key = ctx.store.key
        self._chain_head = ctx.store.chain_head
        self._now = ctx.now
        self._user: User = ctx.user
        self._today = ctx.today()
        self._period_text = period_text
        self._folder = folder
        self.stop = threading.Event()

    def run(self) -> None:
        """The thread's work: open, export, close."""
        try:
            period = parse_period(self._period_text)
            store = Store.open(
                self._store_path,
                self._backup_dir,
                now=self._now,
                key=self._key,
                chain_head=self._chain_head,
                check_integrity=False,  # the program checks the file once, at start
            )
            try:
                result = export_period(
                    store,
                    self._user,
                    period,
                    self._folder,
                    self._today,
                    progress=self.progressed.emit,
                    cancelled=self.stop.is_set,
                )
            finally:
                store.close()
        except ExportCancelled:
            self.failed.emit("Exporten avbröts. Inget har skrivits.")
        except (RuleViolation, ValueError, OSError) as exc:
            self.failed.emit(str(exc))
        else:
            self.done.emit(result)


class ExportPage(QWidget):
    """Choose a period and a folder; check and write the batch; list what to fix."""

    open_patient = Signal(int)
    exported = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.form = load_form(EXPORT_SPEC, self)
        today = ctx.today()
        last_month = date(today.year - (today.month == 1), (today.month - 2) % 12 + 1, 1)
        self.form.period.setText(f"{last_month:%Y-%m}")
        self.form.folder.setText(str(ctx.paths.data_dir / "region-export"))
        self.form.choose_folder.clicked.connect(self._choose)
        self.form.export.clicked.connect(self.start)
        self.form.cancel.clicked.connect(self.cancel)
        self.form.progress.setRange(0, 100)
        self.job_thread: QThread | None = None
        self.worker: ExportWorker | None = None
        self.last_result: ExportResult | None = None

    def _choose(self) -> None:
        folder = _choose_folder(self, self.form.folder.text())
        if folder is not None:
            self.form.folder.setText(str(folder))

    def start(self) -> None:
        """Start the export on a worker thread."""
        if self.job_thread is not None:
            return
        try:
            parse_period(self.form.period.text())
        except ValueError as exc:
            QMessageBox.warning(self, "Export", str(exc))
            return
        self.form.result.setText("")
        fill_table(self.form.problems, [], [])
        worker = ExportWorker(self._ctx, self.form.period.text(), Path(self.form.folder.text()))
        thread = QThread(self)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progressed.connect(self._progress)
        worker.done.connect(self._done)
        worker.failed.connect(self._failed)
        worker.done.connect(thread.quit)
        worker.failed.connect(thread.quit)
        thread.finished.connect(self._finished)
        self.job_thread, self.worker = thread, worker
        self.form.export.setEnabled(False)
        self.form.cancel.setEnabled(True)
        self.form.progress.setValue(0)
        thread.start()

    def cancel(self) -> None:
        """Ask the worker to stop before it writes anything."""
        if self.worker is not None:
            self.worker.stop.set()
            self.form.result.setText("Avbryter…")

    def _progress(self, percent: int, text: str) -> None:
        self.form.progress.setValue(percent)
        self.form.result.setText(text)

    def _finished(self) -> None:
        if self.job_thread is not None:
            self.job_thread.deleteLater()
        self.job_thread = None
        self.worker = None
        self.form.export.setEnabled(True)
        self.form.cancel.setEnabled(False)

    def _failed(self, message: str) -> None:
        self.form.progress.setValue(0)
        self.form.result.setText(message)

    def _done(self, result: ExportResult) -> None:
        self.last_result = result
        self.form.result.setText(result.message)
        if result.problems:
            self.form.progress.setValue(0)
            self._show_problems(result.problems)
        elif result.batch_id is not None:
            self.form.progress.setValue(100)
            self.exported.emit()

    def _show_problems(self, problems: tuple[RowProblem, ...]) -> None:
        names: dict[int, str] = {}
        for problem in problems:
            if problem.patient_id is not None and problem.patient_id not in names:
                patient = self._ctx.store.patients.get(problem.patient_id)
                names[problem.patient_id] = patient.full_name if patient else ""
        table = self.form.problems
        fill_table(
            table,
            ["", "Patient", "Personnummer", "Fil", "Rad", "Att rätta"],
            [
                [
                    "",
                    names.get(p.patient_id or 0, ""),
                    p.personal_id,
                    p.kind.label,
                    f"{p.line} ({p.record_id})",
                    p.message,
                ]
                for p in problems
            ],
        )
        for row, problem in enumerate(problems):
            if problem.patient_id is None:
                continue
            button = QPushButton("Öppna")
            button.setToolTip("Öppna patientkortet (loggas)")
            patient_id = problem.patient_id
            button.clicked.connect(lambda _c=False, pid=patient_id: self.open_patient.emit(pid))
            table.setCellWidget(row, 0, button)


class BatchesPage(QWidget):
    """The export log: each batch with who, when, period, files and checksums."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.form = load_form(BATCHES_SPEC, self)
        self._ids: list[int] = []
        self.form.show_files.clicked.connect(self.show_files)
        self.form.resave.clicked.connect(self.resave)
        self.form.compare.clicked.connect(self.compare)
        self.form.correct.clicked.connect(self.correct)
        self.form.batches.itemSelectionChanged.connect(self.show_files)

    def refresh(self) -> None:
        """Read the log again."""
        batches = batch_log(self._ctx.store)
        self._ids = [b.id for b in batches]
        fill_table(
            self.form.batches,
            ["Nr", "Typ", "Period", "Skapad", "Av", "Rader"],
            [
                [
                    str(b.id),
                    "Rättelse av " + str(b.corrects_batch_id) if b.corrects_batch_id else "Omgång",
                    b.period,
                    b.created_at.replace("T", " "),
                    b.created_by_name,
                    str(b.row_count),
                ]
                for b in batches
            ],
        )
        if batches:
            self.form.batches.clearSelection()
            self.form.batches.selectRow(0)
            self.show_files()  # the same row index may already have been selected
        else:
            self.form.details.setPlainText("Ingen omgång har skickats ännu.")

    def selected(self) -> int | None:
        """The batch selected in the list."""
        rows = self.form.batches.selectionModel().selectedRows()
        return self._ids[rows[0].row()] if rows else None

    def show_files(self) -> None:
        """The selected batch's files: name, rows and SHA-256, and the manifest."""
        batch_id = self.selected()
        if batch_id is None:
            return
        files = batch_files(self._ctx.store, self._ctx.user, batch_id)
        lines = [f"Omgång {batch_id}", ""]
        for f in files:
            lines.append(f"{f.name}  {f.row_count} rader  SHA-256 {f.sha256}")
        manifest = next((f for f in files if f.report_kind == "manifest"), None)
        if manifest is not None:
            lines += ["", manifest.content.decode("utf-8")]
        self.form.details.setPlainText("\n".join(lines))

    def resave(self) -> None:
        """Write the selected batch again, byte for byte."""
        batch_id = self.selected()
        if batch_id is None:
            return
        folder = _choose_folder(self, str(self._ctx.paths.data_dir / "region-export"))
        if folder is None:
            return
        try:
            paths = resave_batch(self._ctx.store, self._ctx.user, batch_id, folder)
        except OSError as exc:
            QMessageBox.warning(self, "Spara igen", f"Filerna kunde inte sparas: {exc}")
            return
        QMessageBox.information(
            self, "Spara igen", f"Omgång {batch_id}: {len(paths)} filer sparade i {folder}."
        )

    def compare(self) -> None:
        """Compare the selected batch with today's data."""
        batch_id = self.selected()
        if batch_id is None:
            return
        try:
            comparison = compare_batch(self._ctx.store, self._ctx.user, batch_id, self._ctx.today())
        except RuleViolation as exc:
            QMessageBox.information(self, "Jämför", str(exc))
            return
        if not comparison.differences:
            self.form.details.setPlainText(
                f"Omgång {batch_id}: alla {comparison.records} poster stämmer med dagens uppgifter."
            )
            return
        lines = [
            f"Omgång {batch_id}: {len(comparison.differences)} av {comparison.records} poster "
            "skiljer sig från dagens uppgifter. Skicka en rättelse för att meddela regionen.",
            "",
        ]
        for d in comparison.differences:
            lines.append(f"{d.kind.label}, {d.record_id}: {d.what}")
            lines.append("  skickat: " + ";".join(d.sent[2:]))
            if d.today is not None:
                lines.append("  i dag:   " + ";".join(d.today[2:]))
        self.form.details.setPlainText("\n".join(lines))

    def correct(self) -> None:
        """Send a correction of the selected batch."""
        batch_id = self.selected()
        if batch_id is None:
            return
        folder = _choose_folder(self, str(self._ctx.paths.data_dir / "region-export"))
        if folder is None:
            return
        try:
            result = send_correction(
                self._ctx.store, self._ctx.user, batch_id, folder, self._ctx.today()
            )
        except (RuleViolation, OSError) as exc:
            QMessageBox.warning(self, "Rättelse", str(exc))
            return
        if result.problems:
            self.form.details.setPlainText(
                result.message
                + "\n"
                + "\n".join(
                    f"{p.kind.label} rad {p.line} ({p.personal_id}): {p.message}"
                    for p in result.problems
                )
            )
            return
        QMessageBox.information(self, "Rättelse", result.message)
        self.refresh()


class StatisticsPage(QWidget):
    """The year's figures: listed per age, revision exams, caries-free shares, dft/DFT,
    emergency visits and no-shows, as charts and a table; saved as a PDF."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.form = load_form(STATS_SPEC, self)
        percent = format_percent
        self.listed = place_chart(self.form.chart_listed, BarChart("Listade per ålder"))
        self.caries_free = place_chart(
            self.form.chart_caries_free,
            BarChart("Kariesfria (%) vid 3, 6, 12 och 19 år", "#2e7d32", value_format=percent),
        )
        self.dft = place_chart(
            self.form.chart_dft,
            BarChart("Medel dft per ålder (mjölktänder)", "#d98c2b", value_format=format_mean),
        )
        self.perm_dft = place_chart(
            self.form.chart_perm_dft,
            BarChart(
                "Medel DFT per ålder (permanenta tänder)", "#8e3b2e", value_format=format_mean
            ),
        )
        self.figures: AnnualStatistics | None = None
        self.form.year.setValue(ctx.today().year)
        self.form.year.valueChanged.connect(self.show_year)
        self.form.save_pdf.clicked.connect(self.save)
        self.form.save_pdf.setEnabled(allowed(ctx.user, Permission.EXPORT))

    def refresh(self) -> None:
        """Count the chosen year again."""
        self.show_year(self.form.year.value())

    def show_year(self, year: int) -> None:
        """Count and show one year."""
        try:
            figures = statistics(self._ctx.store, year)
        except RuleViolation as exc:
            self.form.summary.setText(str(exc))
            return
        self.figures = figures
        ages = figures.ages
        self.listed.set_data([(str(a.age), a.listed) for a in ages])
        self.caries_free.set_data(
            [(f"{age} år", share or 0.0) for age, share in figures.caries_free_shares()]
        )
        self.dft.set_data([(str(a.age), a.mean_dft or 0.0) for a in ages if a.age <= 12])
        self.perm_dft.set_data([(str(a.age), a.mean_perm_dft or 0.0) for a in ages if a.age >= 6])
        given = ", ".join(
            f"{n} betalas av {PAYER_LABELS.get(k, k)}" for k, n in figures.emergency_given_by_payer
        )
        self.form.summary.setText(
            f"<b>{figures.listed_total}</b> listade 3–19 år. Revisionsundersökning planerad "
            f"för <b>{figures.exams_due}</b>, undersökta av dem {figures.due_and_done}; "
            f"inom planerat intervall <b>{format_percent(figures.in_time_percent)}</b>. "
            f"Revisionsundersökta under året: {figures.exams_done}. "
            f"Kariesfria: "
            + ", ".join(
                f"{age} år {format_percent(share)}" for age, share in figures.caries_free_shares()
            )
            + f". Akutbesök av andra klinikers patienter: {figures.emergency_given}"
            + (f" ({given})" if given else "")
            + f"; av egna patienter: {figures.emergency_own_patients}. "
            f"Uteblivna besök: <b>{format_percent(figures.no_show_percent)}</b> "
            f"({figures.no_shows} av {figures.appointments} tider)."
        )
        fill_table(
            self.form.ages,
            ["Ålder", "Listade", "Undersökta", "Kariesfria", "Medel dft", "Medel DFT"],
            [
                [
                    str(a.age),
                    str(a.listed),
                    str(a.examined),
                    format_percent(a.caries_free_percent),
                    format_mean(a.mean_dft),
                    format_mean(a.mean_perm_dft),
                ]
                for a in ages
            ],
        )

    def save(self) -> None:
        """The annual report as a PDF (archived), then printed or saved from the print
        preview."""
        year = self.form.year.value()
        try:
            content, _document_id = annual_report(
                self._ctx.store, self._ctx.user, year, self._ctx.today()
            )
        except RuleViolation as exc:
            QMessageBox.warning(self, "Årsstatistik", str(exc))
            return
        hand_out_pdf(self, self._ctx, content, f"arsstatistik-{year}.pdf")


class RegionReportWindow(QDialog):
    """Export, the batches sent and the annual statistics, in one window (not modal: a
    patient opened from the problem list shows in the main window)."""

    open_patient = Signal(int)

    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent)
        self.setWindowTitle("Rapporter till regionen")
        self.form = load_form(WINDOW_SPEC, self)
        self.export = ExportPage(ctx, self.form.export_tab)
        self.batches = BatchesPage(ctx, self.form.batches_tab)
        self.stats = StatisticsPage(ctx, self.form.stats_tab)
        for tab, page in (
            (self.form.export_tab, self.export),
            (self.form.batches_tab, self.batches),
            (self.form.stats_tab, self.stats),
        ):
            tab.layout().addWidget(page)
        may_export = allowed(ctx.user, Permission.EXPORT)
        self.form.tabs.setTabEnabled(0, may_export)
        self.form.tabs.setTabEnabled(1, may_export)
        self.form.buttons.rejected.connect(self.close)
        self.export.open_patient.connect(self.open_patient)
        self.export.exported.connect(self.batches.refresh)
        self.form.tabs.currentChanged.connect(self._tab_changed)
        self.resize(1100, 760)
        if may_export:
            self.batches.refresh()
        else:
            self.form.tabs.setCurrentIndex(2)
        self._tab_changed(self.form.tabs.currentIndex())

    def _tab_changed(self, index: int) -> None:
        if index == 2 and self.stats.figures is None:
            self.stats.refresh()

    def show_tab(self, index: int) -> None:
        """Bring one tab forward: 0 export, 1 batches, 2 statistics (the statistics for a
        user who may not export)."""
        tabs = self.form.tabs
        tabs.setCurrentIndex(index if tabs.isTabEnabled(index) else 2)

    def closeEvent(self, event: QCloseEvent) -> None:
        """A running export is cancelled (nothing written) before the window goes."""
        if self.export.worker is not None:
            self.export.worker.stop.set()
        if self.export.job_thread is not None:
            self.export.job_thread.quit()
            self.export.job_thread.wait()
        super().closeEvent(event)
