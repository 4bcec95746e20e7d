"""The compliance page driven as a manager would: the morning view opens at start, a check's
patient opens from its button, a deviation is reported and closed, a region finding is
recorded and failed, capacity saved."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from clinic_desk.domain.deviations import Origin
from clinic_desk.domain.listing import ListingKind
from clinic_desk.domain.patient_records import PatientDraft
from clinic_desk.domain.people import Profession
from clinic_desk.domain.personal_id import luhn_check_digit
from clinic_desk.ui.compliance_page import TAB_DEVIATIONS, TAB_REGION, CompliancePage
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.deviation_views import HandleDeviationDialog
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.workflows.listing import ListingDraft
from clinic_desk.workflows.patients import register_patient
from clinic_desk.workflows.staff import add_staff
from tests.gui.conftest import GUI_TODAY
from tests.gui.helpers import drive_modal, save_from_preview, type_text


@pytest.fixture
def said(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []
    for name in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *a, **k: messages.append(str(a[2])))
    return messages


def _pid(birth: str, serial: str) -> str:
    return f"{birth}-{serial}{luhn_check_digit(birth[2:] + serial)}"


def _three_year_old(ctx: AppContext) -> int:
    own = ctx.store.clinics.own()
    assert own is not None
    listing = ListingDraft(own.id, date(2026, 1, 10), ListingKind.CHOICE, "Anna Lindqvist")
    return register_patient(
        ctx.store,
        ctx.user,
        PatientDraft(_pid("20230615", "238"), "Liam", "Lindqvist"),
        GUI_TODAY,
        listing=listing,
    )


def test_the_morning_view_opens_for_a_manager_and_a_patient_opens_from_a_check(
    qtbot: QtBot, ctx: AppContext, said: list[str]
) -> None:
    patient_id = _three_year_old(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.compliance.open_morning_view()
    page = window.stack.currentWidget()
    assert isinstance(page, CompliancePage)
    assert page.dashboard is not None
    tile = page._tiles["recall"]
    assert "Revision och kallelse" in tile.text()
    assert "Gult" in tile.text()
    page.select_check("first_exam")
    assert page.form.items.rowCount() == 1
    assert "Liam" in page.form.items.item(0, 0).text()
    assert page.form.act.text() == "Öppna patienten"
    page.form.act.click()
    assert window.stack.currentWidget() is window.card
    assert window.card.record is not None
    assert window.card.record.patient.id == patient_id
    # a check not about a patient points at the screen that fixes it
    page.select_check("listing_capacity")
    page.form.act.click()
    assert page.form.tabs.currentIndex() == 3


def test_the_morning_view_does_not_open_for_a_receptionist(qtbot: QtBot, ctx: AppContext) -> None:
    user_id = add_staff(
        ctx.store, ctx.user, "rut.reception", "Rut Reception", Profession.RECEPTIONIST
    )
    receptionist = ctx.store.users.get(user_id)
    assert receptionist is not None
    ctx.user = receptionist
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.compliance.open_morning_view()
    assert not isinstance(window.stack.currentWidget(), CompliancePage)
    assert not window.compliance.action_overview.isVisible()
    assert window.compliance.action_new_deviation.isEnabled()


def test_a_deviation_from_another_provider_is_reported_answered_and_closed(
    qtbot: QtBot, ctx: AppContext, said: list[str]
) -> None:
    patient_id = _three_year_old(ctx)
    page = CompliancePage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    page.form.tabs.setCurrentIndex(TAB_DEVIATIONS)

    def fill(dialog: QDialog) -> None:
        f = dialog.form  # type: ignore[attr-defined]
        f.origin.setCurrentIndex(f.origin.findData(Origin.OTHER_PROVIDER))
        type_text(qtbot, f.other_provider, "Folktandvården Umeå")
        type_text(qtbot, f.title, "Återrapport saknades")
        f.description.setPlainText("Ingen återrapport efter akutbesöket.")
        type_text(qtbot, f.personal_id, _pid("20230615", "238"))
        f.personal_id.editingFinished.emit()
        assert f.patient_name.text() == "Liam Lindqvist"
        f.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    drive_modal(qtbot, page.deviations.new, fill)
    assert page.form.deviations.rowCount() == 1
    assert "svar saknas" in page.form.deviations.item(0, 6).text()
    unanswered = page.dashboard.result("deviations_unanswered") if page.dashboard else None
    assert unanswered is not None
    assert unanswered.count == 1
    deviation = ctx.store.deviations.for_patient(patient_id)[0]

    def handle(dialog: QDialog) -> None:
        assert isinstance(dialog, HandleDeviationDialog)
        f = dialog.form
        f.classify.click()
        f.assign.click()
        f.close_deviation.click()
        assert "besvaras" in f.message.text()
        f.answer.setPlainText("Vi skickar återrapport samma dag.")
        f.save_answer.click()
        f.lessons.setPlainText("Återrapporten skickas innan besöket stängs.")
        f.close_deviation.click()
        assert "Avslutet sparad" in f.message.text()
        dialog.accept()

    page.deviations.select(deviation.id)
    drive_modal(qtbot, page.deviations.handle, handle)
    closed = ctx.store.deviations.get(deviation.id)
    assert closed is not None
    assert closed.closed_on == GUI_TODAY
    assert page.form.deviations.rowCount() == 0  # open ones only


def test_a_region_finding_failed_shows_the_sanction(
    qtbot: QtBot, ctx: AppContext, said: list[str]
) -> None:
    _three_year_old(ctx)
    page = CompliancePage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    page.form.tabs.setCurrentIndex(TAB_REGION)

    def fill(dialog: QDialog) -> None:
        f = dialog.form  # type: ignore[attr-defined]
        type_text(qtbot, f.title, "Försenade kallelser")
        f.request_date.setDate(date(2026, 9, 1))
        f.plan_deadline.setDate(date(2026, 10, 1))
        f.severity.setCurrentIndex(1)  # 2
        f.deviation.setCurrentIndex(1)  # 2
        assert "gult" in f.colour.text()
        f.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    drive_modal(qtbot, page.follow_ups.new, fill)
    assert page.form.cases.rowCount() == 1

    def fail(dialog: QDialog) -> None:
        f = dialog.form  # type: ignore[attr-defined]
        f.failed.setChecked(True)
        f.decided_on.setDate(date(2026, 10, 5))
        f.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    drive_modal(qtbot, page.follow_ups.decide, fail)
    # 3 kr x 1 listed from September through November
    assert "3,00\xa0kr" in page.form.sanction_headline.text()
    assert "9,00\xa0kr" in page.form.sanction_headline.text()
    assert page.form.sanctions.rowCount() == 3
    assert page.form.timeline.rowCount() == 3
    assert page.dashboard is not None
    assert page.dashboard.result("follow_up_cases").count == 1


def test_capacity_under_30_without_notice_turns_the_listing_area_red(
    qtbot: QtBot, ctx: AppContext, said: list[str]
) -> None:
    page = CompliancePage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    page.form.capacity_limited.setChecked(True)
    page.form.capacity.setValue(20)
    page.form.save_capacity.click()
    assert page.dashboard is not None
    assert page.dashboard.result("listing_capacity").light.name == "RED"
    assert "Rött" in page._tiles["listing"].text()


def test_the_dashboard_pdf_is_saved(
    qtbot: QtBot, ctx: AppContext, said: list[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "avtal.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    page = CompliancePage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    drive_modal(qtbot, page.form.print.click, save_from_preview)
    assert target.read_bytes().startswith(b"%PDF")
