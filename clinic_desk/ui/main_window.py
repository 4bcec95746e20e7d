"""The main window: patient search in the centre, the patient card on top of it."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QStackedWidget, QWidget

import clinic_desk
from clinic_desk.settings import WorkstationSettings
from clinic_desk.ui.compliance_menu import ComplianceMenu
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.integrity_check import IntegrityCheck
from clinic_desk.ui.lazy_pages import LazyPages
from clinic_desk.ui.search_page import SearchPage
from clinic_desk.ui.security_controls import SecurityControls

if TYPE_CHECKING:
    from clinic_desk.store.backups import BackupFile
    from clinic_desk.ui.book_page import BookPage
    from clinic_desk.ui.no_show_views import NoShowPage
    from clinic_desk.ui.patient_card import PatientCard
    from clinic_desk.ui.recall_dashboard import RecallDashboard
    from clinic_desk.ui.recall_page import RecallPage


class MainWindow(QMainWindow):
    """Ctrl+F search, Ctrl+N new patient, Enter opens, Esc goes back."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        own = ctx.store.clinics.own()
        clinic_name = own.name if own else "Clinic Desk"
        self.setWindowTitle(f"{clinic_name} – Clinic Desk" + (" (DEMO)" if ctx.demo else ""))
        self.stack = QStackedWidget(self)
        # Only the search page is built at start; the others on first show (see _register_pages).
        self.search = SearchPage(ctx, self.stack)
        self.stack.addWidget(self.search)
        self.pages = LazyPages(self.stack)
        self._register_pages()
        self.setCentralWidget(self.stack)
        self.search.open_patient.connect(self.open_patient)
        self.search.new_patient.connect(self.new_patient)
        self._build_menus()
        self.security = SecurityControls(self, ctx)
        self.security.user_changed.append(self._user_changed)
        self.compliance = ComplianceMenu(self, ctx)
        self.user_label = QLabel(f"Inloggad: {ctx.user.full_name} ({ctx.user.profession.label})")
        self.statusBar().addPermanentWidget(self.user_label)
        if ctx.demo:
            self.statusBar().showMessage(
                "Demoklinik – påhittade uppgifter, inte riktiga patienter."
            )
        self.resize(1100, 720)
        self.workstation = WorkstationSettings.load(ctx.paths.workstation_settings)
        if self.workstation.window_geometry:
            self.restoreGeometry(QByteArray.fromBase64(self.workstation.window_geometry.encode()))
        self.search.form.include_ended.setChecked(self.workstation.show_ended_patients)
        self.integrity: IntegrityCheck | None = None
        self.show_search()

    # -- pages, built on first show -----------------------------------------------------------
    def _register_pages(self) -> None:
        """Each page's factory imports its module, builds it and wires its signals."""
        self.pages.register("card", self._build_card)
        self.pages.register("book", self._build_book)
        self.pages.register("recall", self._build_recall)
        self.pages.register("delayed", self._build_delayed)
        self.pages.register("no_shows", self._build_no_shows)

    def _build_card(self) -> QWidget:
        from clinic_desk.ui.emergency_section import EmergencySection
        from clinic_desk.ui.exams_section import ExamsSection
        from clinic_desk.ui.no_show_views import NoShowSection
        from clinic_desk.ui.patient_card import PatientCard

        card = PatientCard(self.ctx, self.stack)
        card.add_section(ExamsSection(self.ctx, card))
        card.add_section(EmergencySection(self.ctx, card))
        card.add_section(NoShowSection(self.ctx, card, self._book_for_patient))
        card.back_requested.connect(self.show_search)
        card.changed.connect(self.search.refresh)
        card.open_patient_requested.connect(self.open_patient)
        return card

    def _build_book(self) -> QWidget:
        from clinic_desk.ui.book_page import BookPage

        book = BookPage(self.ctx, self.stack)
        book.open_patient.connect(self.open_patient)
        return book

    def _build_recall(self) -> QWidget:
        from clinic_desk.ui.recall_page import RecallPage

        recall = RecallPage(self.ctx, self.stack)
        recall.open_patient.connect(self.open_patient)
        recall.booked.connect(self._refresh_book)
        return recall

    def _build_delayed(self) -> QWidget:
        from clinic_desk.ui.recall_dashboard import RecallDashboard

        delayed = RecallDashboard(self.ctx, self.stack)
        delayed.open_patient.connect(self.open_patient)
        return delayed

    def _build_no_shows(self) -> QWidget:
        from clinic_desk.ui.no_show_views import NoShowPage

        no_shows = NoShowPage(self.ctx, self.stack)
        no_shows.open_patient.connect(self.open_patient)
        return no_shows

    @property
    def card(self) -> PatientCard:
        """The patient card (built on first use)."""
        return cast("PatientCard", self.pages.page("card"))

    @property
    def book(self) -> BookPage:
        """The appointment book (built on first use)."""
        return cast("BookPage", self.pages.page("book"))

    @property
    def recall(self) -> RecallPage:
        """The recall list (built on first use)."""
        return cast("RecallPage", self.pages.page("recall"))

    @property
    def delayed(self) -> RecallDashboard:
        """The delayed-recall dashboard (built on first use)."""
        return cast("RecallDashboard", self.pages.page("delayed"))

    @property
    def no_shows(self) -> NoShowPage:
        """The no-show follow-up and statistics (built on first use)."""
        return cast("NoShowPage", self.pages.page("no_shows"))

    def _refresh_book(self) -> None:
        """A time was booked elsewhere: a book already built shows it (a new one reads it)."""
        if self.pages.built("book") is not None:
            self.book.refresh()

    def _card_patient_id(self) -> int | None:
        """The patient on the card when the card is the page shown, else None."""
        if not self.pages.is_current("card") or self.card.record is None:
            return None
        return self.card.record.patient.id

    def _action(
        self,
        text: str,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None,
        slot: object,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        self.action_search = self._action(
            "Sök patient", QKeySequence.StandardKey.Find, self.show_search
        )
        self.action_new = self._action(
            "Ny patient…", QKeySequence.StandardKey.New, self.new_patient
        )
        self.action_back = self._action("Tillbaka till sökningen", "Esc", self.show_search)
        self.action_clinics = self._action("Kliniker…", "Ctrl+K", self.show_clinics)
        self.action_staff = self._action("Personal…", None, self.show_staff)
        self.action_quit = self._action("Avsluta", QKeySequence.StandardKey.Quit, self.close)
        self.action_about = self._action("Om Clinic Desk", None, self.show_about)
        patients = self.menuBar().addMenu("&Patient")
        patients.addActions([self.action_search, self.action_new, self.action_back])
        patients.addSeparator()
        patients.addAction(self.action_quit)
        registry = self.menuBar().addMenu("&Register")
        registry.addActions([self.action_clinics, self.action_staff])
        self.action_settings = self._action("Inställningar…", "Ctrl+,", self.show_settings)
        registry.addSeparator()
        registry.addAction(self.action_settings)
        self.action_book = self._action("Tidbok", "Ctrl+B", self.show_book)
        self.action_new_time = self._action("Ny tid…", "Ctrl+T", self.new_appointment)
        self.action_recall = self._action("Kallelselista", "Ctrl+R", self.show_recall)
        book_menu = self.menuBar().addMenu("&Tidbok")
        self.action_delayed = self._action("Försenade kallelser", "Ctrl+D", self.show_delayed)
        book_menu.addActions(
            [self.action_book, self.action_new_time, self.action_recall, self.action_delayed]
        )
        self.action_no_shows = self._action("Uteblivna besök", "Ctrl+Shift+U", self.show_no_shows)
        book_menu.addAction(self.action_no_shows)
        book_menu.addSeparator()
        book_menu.addAction(
            self._action("Öppettider och kallelser…", None, self.show_book_settings)
        )
        book_menu.addAction(self._action("Brevmallar…", None, self.show_letter_templates))
        self._build_emergency_menu()
        self._build_reports_menu()
        help_menu = self.menuBar().addMenu("&Hjälp")
        help_menu.addAction(self.action_about)

    # -- navigation ------------------------------------------------------------------------
    def show_search(self) -> None:
        """Back to the search box (Esc), text selected for a new search."""
        self.stack.setCurrentWidget(self.search)
        self.search.focus_search()

    def show_book(self) -> None:
        """The appointment book (Ctrl+B), read afresh."""
        self.book.refresh()
        self.stack.setCurrentWidget(self.book)
        self.book.grid.setFocus()

    def show_recall(self) -> None:
        """The recall list (Ctrl+R), read afresh."""
        self.recall.refresh()
        self.stack.setCurrentWidget(self.recall)
        self.recall.form.rows.setFocus()

    def show_delayed(self) -> None:
        """The delayed-recall dashboard (Ctrl+D), computed afresh."""
        self.delayed.refresh()
        self.stack.setCurrentWidget(self.delayed)

    def show_no_shows(self) -> None:
        """Missing new times, open child-at-risk cases and no-show statistics."""
        self.no_shows.refresh()
        self.stack.setCurrentWidget(self.no_shows)

    def _book_for_patient(self, patient_id: int) -> None:
        if self.book.book_at(None, None, patient_id) is not None and self.card.record:
            self.card.show_patient(self.card.record.patient.id)

    def show_book_settings(self) -> None:
        """Opening hours, late cancellation and recall lead time."""
        from clinic_desk.ui.book_settings import OpeningHoursDialog

        if OpeningHoursDialog(self, self.ctx).exec():
            self._refresh_book()

    def show_letter_templates(self) -> None:
        """The recall letter texts."""
        from clinic_desk.ui.book_settings import LetterTemplatesDialog

        LetterTemplatesDialog(self, self.ctx).exec()

    def new_appointment(self) -> None:
        """Book a time (Ctrl+T): for the patient on the card, if one is open."""
        patient_id = self._card_patient_id()
        if self.book.book_at(None, None, patient_id) is not None:
            self.show_book()

    def open_patient(self, patient_id: int) -> None:
        """Open the patient card (the opening is logged)."""
        self.card.show_patient(patient_id)
        self.stack.setCurrentWidget(self.card)
        self.card.form.tabs.setFocus()

    def new_patient(self) -> None:
        """Register a new patient; the card opens when saved."""
        from clinic_desk.ui.patient_dialog import PatientDialog

        dialog = PatientDialog(self, self.ctx)
        if dialog.exec() and dialog.saved_patient_id is not None:
            self.search.refresh()
            self.open_patient(dialog.saved_patient_id)
        elif dialog.duplicate_of is not None:
            self.open_patient(dialog.duplicate_of)

    def show_clinics(self) -> None:
        """The clinic registry."""
        from clinic_desk.ui.clinic_dialogs import ClinicsDialog

        ClinicsDialog(self, self.ctx).exec()
        own = self.ctx.store.clinics.own()
        if own:
            self.setWindowTitle(f"{own.name} – Clinic Desk" + (" (DEMO)" if self.ctx.demo else ""))

    def _build_emergency_menu(self) -> None:
        self.action_emergency_new = self._action(
            "Ny akutpatient…", "Ctrl+Shift+A", self.new_emergency_visit
        )
        self.action_emergency = self._action("Akutbesök…", "Ctrl+Shift+E", self.show_emergency)
        self.action_invoices = self._action("Fakturor…", "Ctrl+Shift+F", self.show_invoices)
        self.action_overdue = self._action("Förfallna fakturor…", None, self.show_overdue)
        self.action_invoice_settings = self._action(
            "Fakturainställningar och prislista…", None, self.show_invoice_settings
        )
        menu = self.menuBar().addMenu("&Akut och fakturor")
        menu.addActions([self.action_emergency_new, self.action_emergency])
        menu.addSeparator()
        menu.addActions([self.action_invoices, self.action_overdue, self.action_invoice_settings])

    def new_emergency_visit(self) -> None:
        """Register an emergency visit (for the open patient, if one is open)."""
        from clinic_desk.ui.emergency_visit_dialog import EmergencyVisitDialog

        patient_id = self._card_patient_id()
        if EmergencyVisitDialog(self, self.ctx, patient_id).exec() and patient_id is not None:
            self.open_patient(patient_id)

    def show_emergency(self) -> None:
        """Emergency visits and return reports."""
        from clinic_desk.ui.emergency_window import EmergencyWindow

        EmergencyWindow(self, self.ctx).exec()

    def show_invoices(self) -> None:
        """Invoice follow-up."""
        from clinic_desk.ui.invoices_window import InvoicesWindow

        InvoicesWindow(self, self.ctx).exec()

    def show_overdue(self) -> None:
        """The overdue invoices, ready for reminders."""
        from clinic_desk.domain.invoicing import InvoiceStatus
        from clinic_desk.ui.invoices_window import InvoicesWindow

        window = InvoicesWindow(self, self.ctx)
        window.show_status(InvoiceStatus.OVERDUE)
        window.exec()

    def show_invoice_settings(self) -> None:
        """Commissioning unit, reference rate, price list."""
        from clinic_desk.ui.invoice_dialogs import InvoiceSettingsDialog

        InvoiceSettingsDialog(self, self.ctx).exec()

    def _build_reports_menu(self) -> None:
        self.region_window: QWidget | None = None
        self.action_region_export = self._action(
            "Export till regionen…", "Ctrl+Shift+R", self.show_region_export
        )
        self.action_statistics = self._action("Årsstatistik…", "Ctrl+Shift+S", self.show_statistics)
        menu = self.menuBar().addMenu("R&apporter")
        menu.addActions([self.action_region_export, self.action_statistics])

    def show_region_export(self) -> None:
        """Export to the region and the batches sent (Ctrl+Shift+R)."""
        self._show_region_window(0)

    def show_statistics(self) -> None:
        """The annual statistics (Ctrl+Shift+S)."""
        self._show_region_window(2)

    def _show_region_window(self, tab: int) -> None:
        """A fresh reports window for the user logged in now (not modal: a patient opened
        from its problem list shows here)."""
        from clinic_desk.ui.region_report_window import RegionReportWindow

        if self.region_window is not None:
            self.region_window.close()
        window = RegionReportWindow(self, self.ctx)
        window.open_patient.connect(self.open_patient)
        window.open_patient.connect(lambda _id: self.activateWindow())
        window.show_tab(tab)
        window.show()
        self.region_window = window

    def show_staff(self) -> None:
        """Staff accounts."""
        from clinic_desk.ui.staff_dialog import StaffDialog

        StaffDialog(self, self.ctx).exec()

    def show_settings(self) -> None:
        """Every setting in one window, grouped; the start-up guide can be run again there."""
        from clinic_desk.ui.settings_dialog import SettingsDialog

        SettingsDialog(self, self.ctx, self.security.apply_workstation).exec()
        own = self.ctx.store.clinics.own()
        if own:
            self.setWindowTitle(f"{own.name} – Clinic Desk" + (" (DEMO)" if self.ctx.demo else ""))

    def show_about(self) -> None:
        """Version and where the data lives."""
        QMessageBox.about(
            self,
            "Om Clinic Desk",
            f"<b>Clinic Desk {clinic_desk.__version__}</b><br>"
            "Barn- och ungdomstandvård enligt regionens avtal."
            f"<br><br>Databas: {self.ctx.paths.database}",
        )

    def _user_changed(self) -> None:
        """After a quick switch: the new user's name, back to an empty search."""
        user = self.ctx.user
        self.user_label.setText(f"Inloggad: {user.full_name} ({user.profession.label})")
        self.search.refresh()
        self.show_search()

    # -- after the window is shown ------------------------------------------------------------
    def after_start(self) -> None:
        """What starts once the window is shown and usable: input watching for the idle
        lock, the file check and today's backup, then the morning view for managers (none of
        it once the window has been closed again)."""
        if not self.isVisible():
            return
        self.security.idle.watch_input()
        self.start_maintenance()
        self.compliance.open_morning_view()

    def start_maintenance(self) -> None:
        """The integrity check, then today's backup: both off the GUI thread, started once
        the window is shown so that they never delay it."""
        self.integrity = IntegrityCheck(
            self, self.ctx, self.security.daily_backup, self._restore_damaged, self.close
        )
        self.integrity.start()

    def _restore_damaged(self, backup: BackupFile) -> None:
        """The file failed its check and the user chose a backup: close, run_gui restores."""
        self.security.restore_from = backup
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.integrity is not None:
            self.integrity.wait()  # its connection closes before the store's does
        self.security.stop()
        self.workstation.window_geometry = bytes(self.saveGeometry().toBase64().data()).decode()
        self.workstation.show_ended_patients = self.search.form.include_ended.isChecked()
        # losing the window size must never stop the program from closing
        with contextlib.suppress(OSError):
            self.workstation.save(self.ctx.paths.workstation_settings)
        self.ctx.store.close()
        super().closeEvent(event)
