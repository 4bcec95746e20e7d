"""Emergency visits and invoice follow-up through the real screens (offscreen)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from clinic_desk.domain.invoicing import InvoiceStatus
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.emergency_visit_dialog import EmergencyVisitDialog
from clinic_desk.ui.emergency_window import EmergencyWindow
from clinic_desk.ui.invoice_dialogs import InvoiceSettingsDialog
from clinic_desk.ui.invoices_window import InvoicesWindow
from clinic_desk.ui.main_window import MainWindow
from tests.gui.helpers import drive_modal, save_from_preview, type_text
from tests.unit.workflows.invoicing_support import set_up_invoicing


@pytest.fixture
def ready(ctx: AppContext) -> AppContext:
    set_up_invoicing(ctx.store, ctx.user)
    return ctx


def _press(dialog: QDialog, which: QDialogButtonBox.StandardButton) -> None:
    buttons = dialog.findChild(QDialogButtonBox, "buttons")
    assert isinstance(buttons, QDialogButtonBox)
    buttons.button(which).click()


def _fill_visit(qtbot: QtBot, dialog: EmergencyVisitDialog, listed: str) -> None:
    f = dialog.form
    type_text(qtbot, f.personal_id, "20150307-2389")
    f.personal_id.editingFinished.emit()
    type_text(qtbot, f.first_name, "Maja")
    type_text(qtbot, f.last_name, "Lindqvist")
    type_text(qtbot, f.guardian_phone, "070-123 45 67")
    f.listed_clinic.setCurrentIndex(f.listed_clinic.findText(listed))
    f.treatment_code.setCurrentIndex(f.treatment_code.findData("103"))
    f.add_treatment.click()
    f.treatment_code.setCurrentIndex(f.treatment_code.findData("301"))
    type_text(qtbot, f.tooth, "46")
    f.add_treatment.click()
    type_text(qtbot, f.findings, "Djup karies 46")


def test_register_a_visit_shows_the_payer_and_invoices_it(qtbot: QtBot, ready: AppContext) -> None:
    window = EmergencyWindow(None, ready)
    qtbot.addWidget(window)

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, EmergencyVisitDialog)
        _fill_visit(qtbot, dialog, "Tandläkarhuset Norrsken")
        assert "Listad vid Tandläkarhuset Norrsken → faktureras Tandläkarhuset Norrsken" in (
            dialog.payer_text()
        )
        assert "880,00" in dialog.form.total.text()
        _press(dialog, QDialogButtonBox.StandardButton.Save)

    drive_modal(qtbot, window.new_visit, handle)
    assert len(window.visits) == 1
    visit = window.visits[0]
    assert visit.invoice_number == 1
    assert [t.code for t in visit.treatments] == ["103", "301"]
    assert visit.treatments[1].tooth == "46"
    assert visit.return_report_document_id is not None
    window.form.visits_table.selectRow(0)
    assert window.form.mark_sent.isEnabled()
    window.mark_sent()
    assert window.visits[0].return_report_sent_on == date(2026, 11, 23)


def test_a_weekend_date_warns_and_an_error_stays_at_its_field(
    qtbot: QtBot, ready: AppContext
) -> None:
    dialog = EmergencyVisitDialog(None, ready)
    qtbot.addWidget(dialog)
    dialog.form.treated_at.setDate(dialog.form.treated_at.date().addDays(-2))  # Saturday
    assert dialog.form.duty_warning.text().startswith("Helg eller helgdag")
    _press(dialog, QDialogButtonBox.StandardButton.Save)  # nothing filled in
    assert dialog.result() == 0
    messages = " ".join(dialog.errors.messages())
    assert "åtgärd" in messages
    assert ready.store.emergency.count() == 0


def test_invoice_list_filters_pays_and_credits(
    qtbot: QtBot, ready: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from clinic_desk.workflows.emergency import register_emergency_visit
    from tests.unit.workflows.invoicing_support import visit_draft

    dentist = ready.store.users.by_username("karin.holm")
    assert dentist is not None
    for pid in ("20150307-2389", "20120101-2380"):
        register_emergency_visit(
            ready.store, ready.user, visit_draft(dentist.id, personal_id=pid), ready.today(),
            close=True,
        )  # fmt: skip
    window = InvoicesWindow(None, ready)
    qtbot.addWidget(window)
    assert window.model.total == 2
    window.select_row(0)
    row = window.selected()
    assert row is not None
    assert row.number == 2  # newest first

    def pay(dialog: QDialog) -> None:
        type_text(qtbot, dialog.form.amount, "500")  # type: ignore[attr-defined]
        _press(dialog, QDialogButtonBox.StandardButton.Save)

    drive_modal(qtbot, window.pay_selected, pay)
    paid = ready.store.invoices.row(row.id, ready.today())
    assert paid is not None
    assert paid.paid_ore == 50_000
    assert paid.status is InvoiceStatus.PARTLY_PAID

    window.select_row(1)

    def credit(dialog: QDialog) -> None:
        type_text(qtbot, dialog.form.reason, "Fel patient")  # type: ignore[attr-defined]
        _press(dialog, QDialogButtonBox.StandardButton.Ok)

    drive_modal(qtbot, window.credit_selected, credit)
    assert window.model.total == 3
    window.show_status(InvoiceStatus.CREDITED)
    assert window.model.total == 1
    window.show_status(InvoiceStatus.CREDIT_NOTE)
    assert window.model.total == 1
    window.show_status(None)
    type_text(qtbot, window.form.search_text, "Maja")
    assert window.model.total >= 1
    target = tmp_path / "journal.csv"
    assert window.export_journal_to(target, date(2026, 1, 1), date(2026, 12, 31))
    assert target.read_bytes().decode("utf-8-sig").count("\r\n") == 4
    saved = tmp_path / "faktura.pdf"
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(saved), "PDF (*.pdf)")
    )
    window.select_row(0)
    drive_modal(qtbot, window.save_selected_pdf, save_from_preview)
    assert saved.read_bytes().startswith(b"%PDF")


def test_settings_dialog_saves_and_imports_a_bad_price_list_without_change(
    qtbot: QtBot, ready: AppContext, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    dialog = InvoiceSettingsDialog(None, ready)
    qtbot.addWidget(dialog)
    bad = tmp_path / "prislista.csv"
    bad.write_text("code;name;price_kr;valid_from;valid_to\n999;X;abc;2026-01-01;\n", "utf-8")
    before = ready.store.price_lists.count()
    assert not dialog.import_file(bad)
    assert "Rad 2" in shown[0]
    assert ready.store.price_lists.count() == before
    type_text(qtbot, dialog.form.reference_rate, "2,75")
    _press(dialog, QDialogButtonBox.StandardButton.Save)
    assert dialog.result() == QDialog.DialogCode.Accepted
    rate = ready.store.settings.get("reference_rate")
    assert rate["percent"] == "2.75"


def test_main_window_has_the_emergency_menu(qtbot: QtBot, ready: AppContext) -> None:
    window = MainWindow(ready)
    qtbot.addWidget(window)
    assert window.action_emergency_new.shortcut().toString() == "Ctrl+Shift+A"
    assert window.action_invoices.shortcut().toString() == "Ctrl+Shift+F"
    titles = [window.card.form.tabs.tabText(i) for i in range(window.card.form.tabs.count())]
    assert "Akut och fakturor" in titles
