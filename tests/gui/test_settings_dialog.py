"""Inställningar: the groups, saving a page without closing, this PC's file, the guide again."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from clinic_desk.domain.people import Profession
from clinic_desk.settings import WorkstationSettings
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.settings_dialog import SettingsDialog
from clinic_desk.ui.setup_wizard import SetupWizard
from clinic_desk.ui.workstation_panel import DEFAULT_PRINTER
from clinic_desk.workflows.recall import lead_months
from clinic_desk.workflows.staff import add_staff
from tests.gui.helpers import drive_modal, type_text


def _save(page: object) -> None:
    buttons = page.findChild(QDialogButtonBox, "buttons")  # type: ignore[attr-defined]
    assert buttons is not None
    assert buttons.isVisible()
    shown = [b for b in buttons.buttons() if not b.isHidden()]
    assert [b.text() for b in shown] == ["Spara"]
    shown[0].click()


def _dialog(qtbot: QtBot, ctx: AppContext, saved: list[WorkstationSettings]) -> SettingsDialog:
    dialog = SettingsDialog(None, ctx, saved.append)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_every_group_opens_and_a_page_saves_without_closing(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = _dialog(qtbot, ctx, [])
    titles = [dialog.form.groups.item(i).text() for i in range(dialog.form.groups.count())]
    assert titles == [
        "Egen klinik",
        "Regionens kliniker",
        "Personal och behandlare",
        "Öppettider, kallelser och avgifter",
        "Brevmallar",
        "Fakturor och prislista",
        "Den här datorn",
    ]
    for group in dialog.groups:
        page = dialog.open_group(group.key)
        assert page.isVisible(), group.key
        assert dialog.form.page_title.text() == group.title
        assert dialog.form.page_where.text()

    clinic = dialog.open_group("clinic")
    type_text(qtbot, clinic.form.org_number, "5590123451")  # type: ignore[attr-defined]
    _save(clinic)
    assert clinic.isVisible()  # an error keeps the page as it is
    assert "Sparat" not in dialog.form.status.text()
    type_text(qtbot, clinic.form.org_number, "559012-3450")  # type: ignore[attr-defined]
    type_text(qtbot, clinic.form.phone, "090-12 34 56")  # type: ignore[attr-defined]
    _save(clinic)
    assert clinic.isVisible()
    assert dialog.form.status.text() == "Sparat: Egen klinik."
    own = ctx.store.clinics.own()
    assert own is not None
    assert own.phone == "090-12 34 56"

    book = dialog.open_group("book")
    book.form.lead_months.setValue(2)  # type: ignore[attr-defined]
    _save(book)
    assert lead_months(ctx.store) == 2
    assert dialog.isVisible()

    letters = dialog.open_group("letters")
    assert "Märta Exempelsson" in letters.form.preview.toPlainText()  # type: ignore[attr-defined]


def test_this_pc_is_saved_in_the_workstation_file(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    saved: list[WorkstationSettings] = []
    dialog = _dialog(qtbot, ctx, saved)
    panel = dialog.open_group("workstation")
    form = panel.form  # type: ignore[attr-defined]
    assert form.printer.itemText(0) == DEFAULT_PRINTER
    form.idle_minutes.setValue(7)
    form.second_folder.setText(str(tmp_path))
    _save(panel)
    stored = WorkstationSettings.load(ctx.paths.workstation_settings)
    assert (stored.idle_lock_minutes, stored.second_backup_dir, stored.printer_name) == (
        7,
        str(tmp_path),
        "",
    )
    assert saved == [stored]  # the main window uses it at once
    assert dialog.form.status.text() == "Sparat: Den här datorn."


def test_a_printer_saved_earlier_is_kept_even_when_not_found(qtbot: QtBot, ctx: AppContext) -> None:
    WorkstationSettings(printer_name="Receptionen HP").save(ctx.paths.workstation_settings)
    panel = _dialog(qtbot, ctx, []).open_group("workstation")
    printer = panel.form.printer  # type: ignore[attr-defined]
    assert printer.currentText() == "Receptionen HP (hittas inte nu)"
    assert printer.currentData() == "Receptionen HP"


def test_escape_on_a_page_closes_the_whole_window(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = _dialog(qtbot, ctx, [])
    clinic = dialog.open_group("clinic")
    qtbot.keyClick(clinic.form.name, Qt.Key.Key_Escape)  # type: ignore[attr-defined]
    assert not dialog.isVisible()
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_others_see_only_this_pc(qtbot: QtBot, ctx: AppContext) -> None:
    user_id = add_staff(ctx.store, ctx.user, "petra.ek", "Petra Ek", Profession.RECEPTIONIST)
    receptionist = ctx.store.users.get(user_id)
    assert receptionist is not None
    ctx.user = receptionist
    dialog = _dialog(qtbot, ctx, [])
    assert [g.key for g in dialog.groups] == ["workstation"]
    assert dialog.form.rerun_wizard.isHidden()


def test_the_guide_runs_again_filled_in_from_the_menu(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    seen: list[str] = []

    def in_settings(dialog: QDialog) -> None:
        assert isinstance(dialog, SettingsDialog)

        def in_guide(wizard: QDialog) -> None:
            assert isinstance(wizard, SetupWizard)
            wizard.button(QWizard.WizardButton.NextButton).click()
            page = wizard.currentPage()
            seen.append(page.title())
            seen.append(page.dialog.form.name.text())  # type: ignore[attr-defined]
            wizard.reject()

        drive_modal(qtbot, dialog.form.rerun_wizard.click, in_guide)
        assert dialog.isVisible()
        dialog.reject()

    drive_modal(qtbot, window.action_settings.trigger, in_settings)
    assert seen == ["Kliniken", "Tandkliniken Testgården"]


def test_the_letter_shows_as_its_real_pdf_with_made_up_names(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()))
    letters = _dialog(qtbot, ctx, []).open_group("letters")
    letters.form.text.setPlainText("Hej {mottagare}!\n\n{tider}\n\nVälkomna till {klinik}")  # type: ignore[attr-defined]
    letters.form.show_pdf.click()  # type: ignore[attr-defined]
    assert len(opened) == 1
    text = "".join(page.extract_text() for page in PdfReader(opened[0]).pages)
    assert "Hej Anna Exempelsson!" in text
    assert "Märta Exempelsson: 2027-03-02 kl. 09:00 hos Karin Holm" in text
    assert "Välkomna till Tandkliniken Testgården" in text


def test_closing_with_a_page_not_saved_asks_first(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    answers = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]

    def question(_parent: object, _title: str, text: str, *args: object) -> object:
        asked.append(text)
        return answers.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = _dialog(qtbot, ctx, [])
    for group in dialog.groups:
        dialog.open_group(group.key)  # only looking changes nothing
    dialog.open_group("letters").form.template.setCurrentIndex(1)  # type: ignore[attr-defined]
    assert dialog.unsaved() == []
    book = dialog.open_group("book")
    book.form.lead_months.setValue(4)  # type: ignore[attr-defined]
    letters = dialog.open_group("letters")
    letters.form.text.appendPlainText("Hälsningar")  # type: ignore[attr-defined]
    assert dialog.unsaved() == ["Öppettider, kallelser och avgifter", "Brevmallar"]
    _save(letters)
    assert dialog.unsaved() == ["Öppettider, kallelser och avgifter"]
    dialog.form.buttons.rejected.emit()
    assert dialog.isVisible()  # "No": the window stays with the change in it
    assert asked == [
        "Ändringarna i Öppettider, kallelser och avgifter är inte sparade. Stäng ändå?"
    ]
    dialog.form.buttons.rejected.emit()
    assert not dialog.isVisible()
    assert lead_months(ctx.store) != 4
