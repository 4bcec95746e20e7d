"""Booking a revision from the recall list through the real page and dialog."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from clinic_desk.domain.appointments import AppointmentKind, AppointmentStatus
from clinic_desk.domain.listing import ListingKind
from clinic_desk.domain.people import PatientDraft
from clinic_desk.domain.recall import RecallState
from clinic_desk.ui.booking_dialogs import BookingDialog
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.recall_page import RecallPage
from clinic_desk.workflows.listing import ListingDraft
from clinic_desk.workflows.patients import register_patient
from tests.gui.conftest import GUI_TODAY
from tests.gui.helpers import drive_modal


def test_book_the_next_free_time_from_the_recall_list(
    qtbot: QtBot, ctx: AppContext, clinics: dict[str, int], dentist_id: int
) -> None:
    patient_id = register_patient(
        ctx.store,
        ctx.user,
        PatientDraft("20230613-1323", "Lilly", "Jonsson", responsible_dentist_id=dentist_id),
        GUI_TODAY,
        listing=ListingDraft(clinics["own"], date(2024, 2, 1), ListingKind.CHOICE, "Sara Jonsson"),
    )
    ctx.now = lambda: datetime(2026, 11, 23, 8, 0)  # type: ignore[method-assign]
    page = RecallPage(ctx)
    qtbot.addWidget(page)
    page.form.month.setDate(page.form.month.date().addYears(0).addMonths(1))  # December
    assert [r.patient_id for r in page.model.rows] == [patient_id]  # due 2026-12-31 (turns 3)
    assert page.model.rows[0].state(GUI_TODAY) is RecallState.DUE
    page.form.rows.selectRow(0)

    def accept(dialog: QDialog) -> None:
        assert isinstance(dialog, BookingDialog)
        assert dialog.form.kind.currentData() is AppointmentKind.REVISION
        assert "Jonsson" in dialog.form.patient_found.text()
        dialog.form.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    drive_modal(qtbot, page.book_selected, accept)
    booked = ctx.store.appointments.for_patient(patient_id)
    assert len(booked) == 1
    assert booked[0].practitioner_id == dentist_id
    assert booked[0].status is AppointmentStatus.AGREED
    assert booked[0].start == datetime(2026, 11, 30, 8, 0)  # a month before due, first free
    assert page.model.rows[0].state(GUI_TODAY) is RecallState.BOOKED
    assert "Bokad: 1" in page.form.summary.text()
