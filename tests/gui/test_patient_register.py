"""Registering, finding, listing and ending patients through the real screens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
)
from pytestqt.qtbot import QtBot

from clinic_desk.ui.context import AppContext
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.patient_dialog import PatientDialog
from tests.gui.conftest import GUI_TODAY
from tests.gui.helpers import child, drive_modal, type_text

CHILD_PID = "20150307-2389"  # born 2015-03-07, 11 years old on the test date
PARENT_1 = "19840412-2387"
PARENT_2 = "19821130-8930"


def _type(widget: object, text: str, qtbot: QtBot) -> None:
    type_text(qtbot, widget, text)


def _fill_guardian(
    qtbot: QtBot,
    dialog: QDialog,
    pid: str,
    first: str,
    last: str,
    phone: str,
    address: str | None = None,
) -> None:
    _type(child(dialog, QLineEdit, "personal_id"), pid, qtbot)
    _type(child(dialog, QLineEdit, "first_name"), first, qtbot)
    _type(child(dialog, QLineEdit, "last_name"), last, qtbot)
    _type(child(dialog, QLineEdit, "phone"), phone, qtbot)
    if address is not None:
        _type(child(dialog, QLineEdit, "address_line"), address, qtbot)
    buttons = child(dialog, QDialogButtonBox, "buttons")
    assert isinstance(buttons, QDialogButtonBox)
    buttons.button(QDialogButtonBox.StandardButton.Save).click()


def _save(dialog: QDialog) -> None:
    buttons = child(dialog, QDialogButtonBox, "buttons")
    assert isinstance(buttons, QDialogButtonBox)
    buttons.button(QDialogButtonBox.StandardButton.Save).click()


def _fill_patient(qtbot: QtBot, dialog: PatientDialog, pid: str) -> None:
    f = dialog.form
    _type(f.personal_id, pid, qtbot)
    _type(f.first_name, "Märta", qtbot)
    _type(f.last_name, "Lindqvist", qtbot)
    _type(f.address_line, "Storgatan 12", qtbot)
    _type(f.postal_code, "90325", qtbot)
    _type(f.city, "Umeå", qtbot)
    f.responsible_dentist.setCurrentIndex(1)
    if not f.consent_given_by.text():
        _type(f.consent_given_by, "Anna Lindqvist", qtbot)


def test_create_patient_with_two_guardians_and_find_them(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, PatientDialog)
        _fill_patient(qtbot, dialog, CHILD_PID)
        drive_modal(
            qtbot,
            dialog.form.add_guardian.click,
            lambda g: _fill_guardian(qtbot, g, PARENT_1, "Anna", "Lindqvist", "070-123 45 67"),
        )
        drive_modal(
            qtbot,
            dialog.form.add_guardian.click,
            lambda g: _fill_guardian(
                qtbot, g, PARENT_2, "Johan", "Berg", "070-765 43 21", address="Kungsgatan 3"
            ),
        )
        assert dialog.form.guardians_table.rowCount() == 2
        assert dialog.form.consent_given_by.text() == "Anna Lindqvist"
        _save(dialog)

    drive_modal(qtbot, window.new_patient, fill)

    # the card opens on the new patient, with both guardians and the listing at our clinic
    assert window.stack.currentWidget() is window.card
    record = window.card.record
    assert record is not None
    assert record.patient.personal_id == CHILD_PID
    assert [g.guardian.first_name for g in record.guardians] == ["Anna", "Johan"]
    assert record.listings[0].clinic_name == "Tandkliniken Testgården"
    assert window.card.form.guardians_table.rowCount() == 2

    # Esc goes back to the search box; find by name fragment and by number typed three ways
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_Escape)
    assert window.stack.currentWidget() is window.search
    box = window.search.form.search_box
    for typed in ("lindq", "MÄRTA", "ndqvi", CHILD_PID, "1503072389", "150307-2389"):
        type_text(qtbot, box, typed)
        window.search.run_search()
        assert window.search.model.total == 1, typed
        assert window.search.model.patient_id(0) == record.patient.id

    # Enter in the search box opens the patient
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.card
    opened = [
        e for e in ctx.store.audit.for_patient(record.patient.id) if e.action == "patient.open"
    ]
    assert len(opened) == 2


def test_invalid_personal_number_shows_message_and_saves_nothing(
    qtbot: QtBot, ctx: AppContext
) -> None:
    dialog = PatientDialog(None, ctx)
    qtbot.addWidget(dialog)
    _fill_patient(qtbot, dialog, "20150307-2386")  # wrong check digit
    before = (ctx.store.patients.count_all(), ctx.store.audit.count())
    _save(dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    message = dialog.findChild(QLabel, "error_personal_id")
    assert message is not None
    assert "kontrollsiffra" in message.text()
    assert (ctx.store.patients.count_all(), ctx.store.audit.count()) == before

    # an impossible date and a missing name are both shown at their fields
    _type(dialog.form.personal_id, "20150230-2380", qtbot)
    dialog.form.first_name.clear()
    _save(dialog)
    assert "finns inte" in dialog.findChild(QLabel, "error_personal_id").text()
    assert dialog.findChild(QLabel, "error_first_name") is not None
    assert ctx.store.patients.count_all() == before[0]


def test_duplicate_personal_number_offers_the_existing_patient(
    qtbot: QtBot, ctx: AppContext, monkeypatch: object
) -> None:
    from PySide6.QtWidgets import QMessageBox

    first = PatientDialog(None, ctx)
    qtbot.addWidget(first)
    _fill_patient(qtbot, first, CHILD_PID)
    _save(first)
    assert first.result() == QDialog.DialogCode.Accepted

    asked: list[str] = []

    def answer_yes(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer_yes)  # type: ignore[attr-defined]
    second = PatientDialog(None, ctx)
    qtbot.addWidget(second)
    _fill_patient(qtbot, second, "150307-2389")
    _save(second)
    assert asked
    assert "finns redan" in asked[0]
    assert second.duplicate_of == first.saved_patient_id
    assert ctx.store.patients.count_all() == 1


def test_end_listing_then_list_at_another_clinic(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = PatientDialog(None, ctx)
    qtbot.addWidget(dialog)
    _fill_patient(qtbot, dialog, CHILD_PID)
    _save(dialog)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert dialog.saved_patient_id is not None
    window.open_patient(dialog.saved_patient_id)
    card = window.card

    def end_it(end: QDialog) -> None:
        reason = child(end, QComboBox, "end_reason")
        assert isinstance(reason, QComboBox)
        reason.setCurrentText("Flyttat från regionen")
        buttons = child(end, QDialogButtonBox, "buttons")
        assert isinstance(buttons, QDialogButtonBox)
        buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    drive_modal(qtbot, card.form.end_listing.click, end_it)
    assert card.record is not None
    assert card.record.listings[0].responsible_to == GUI_TODAY  # the last day responsible
    assert card.record.listings[0].end_reason == "Flyttat från regionen"
    assert not card.form.end_listing.isEnabled()

    def list_it(listing: QDialog) -> None:
        clinic = child(listing, QComboBox, "clinic")
        assert isinstance(clinic, QComboBox)
        clinic.setCurrentIndex(clinic.findText("Tandläkarhuset Norrsken"))
        consent = child(listing, QLineEdit, "consent_given_by")
        _type(consent, "Anna Lindqvist", qtbot)
        effect = child(listing, QLabel, "effect")
        assert isinstance(effect, QLabel)
        assert "Norrsken" in effect.text()
        buttons = child(listing, QDialogButtonBox, "buttons")
        assert isinstance(buttons, QDialogButtonBox)
        buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    drive_modal(qtbot, card.form.list_at_clinic.click, list_it)
    assert [item.clinic_name for item in card.record.listings] == [
        "Tandkliniken Testgården",
        "Tandläkarhuset Norrsken",
    ]
    assert "Norrsken" in card.form.responsible_now.text()
    assert card.form.listings_table.rowCount() == 2
    actions = [e.action for e in ctx.store.audit.for_patient(card.record.patient.id)]
    assert "listing.end" in actions
    assert "listing.create" in actions


def test_protected_identity_is_masked_until_revealed(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = PatientDialog(None, ctx)
    qtbot.addWidget(dialog)
    _fill_patient(qtbot, dialog, CHILD_PID)
    checkbox = dialog.form.protected_identity
    assert isinstance(checkbox, QCheckBox)
    checkbox.setChecked(True)
    _save(dialog)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    box = window.search.form.search_box
    qtbot.keyClicks(box, "Lindqvist")
    window.search.run_search()
    assert window.search.model.total == 0  # a name never reveals a protected patient
    box.clear()
    qtbot.keyClicks(box, CHILD_PID)
    window.search.run_search()
    assert window.search.model.total == 1
    assert window.search.model.index(0, 1).data() == "Skyddad identitet"
    qtbot.keyClick(box, Qt.Key.Key_Return)
    card = window.card
    assert "Lindqvist" not in card.form.header.text()
    assert card.form.v_address.text() == "Skyddad"
    reveal = card.form.reveal
    assert isinstance(reveal, QPushButton)
    assert reveal.isVisibleTo(card)

    def give_reason(d: QDialog) -> None:
        reason = child(d, QComboBox, "reason")
        assert isinstance(reason, QComboBox)
        reason.setCurrentText("Patienten är här för behandling")
        buttons = child(d, QDialogButtonBox, "buttons")
        assert isinstance(buttons, QDialogButtonBox)
        buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    drive_modal(qtbot, reveal.click, give_reason)
    assert "Märta Lindqvist" in card.form.header.text()
    assert card.record is not None
    actions = [e.action for e in ctx.store.audit.for_patient(card.record.patient.id)]
    assert actions[0] == "patient.reveal_protected"
