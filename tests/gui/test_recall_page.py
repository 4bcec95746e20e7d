"""Booking a revision from the recall list through the real page and dialog."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from clinic_desk.domain.appointments import AppointmentKind, AppointmentStatus
from clinic_desk.domain.listing import ListingKind
from clinic_desk.domain.patient_records import PatientDraft
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


def test_summon_everyone_due_books_times_and_archives_one_letter_per_household(
    qtbot: QtBot,
    ctx: AppContext,
    clinics: dict[str, int],
    dentist_id: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from clinic_desk.domain.patient_records import GuardianDraft

    mother = GuardianDraft(
        "19840412-2387", "Anna", "Lindqvist", "Storgatan 12", "903 25", "Umeå", "070-1234567"
    )
    listing = ListingDraft(clinics["own"], date(2024, 2, 1), ListingKind.CHOICE, "Anna")
    siblings = [
        register_patient(
            ctx.store,
            ctx.user,
            PatientDraft(
                pid,
                name,
                "Lindqvist",
                "Storgatan 12",
                "903 25",
                "Umeå",
                responsible_dentist_id=dentist_id,
            ),
            GUI_TODAY,
            guardians=(mother,),
            listing=listing,
        )
        for pid, name in (("20230613-1323", "Märta"), ("20230101-2387", "Olle"))
    ]
    assert len(siblings) == 2
    ctx.now = lambda: datetime(2026, 11, 23, 8, 0)  # type: ignore[method-assign]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: shown.append(str(a[2])))
    page = RecallPage(ctx)
    qtbot.addWidget(page)
    page.form.month.setDate(page.form.month.date().addMonths(1))  # December
    assert len(page.summon_candidates()) == 2
    result = page.summon_all(ask_file=False)
    assert result is not None
    assert (result.booked, result.letters) == (2, 1)  # siblings share their mother's letter
    assert "2 tider bokade och 1 brev arkiverade" in shown[-1]
    for patient_id in siblings:
        assert [d.kind for d in ctx.store.documents.for_patient(patient_id)] == ["recall_letter"]
    assert {r.state(GUI_TODAY) for r in page.model.rows} == {RecallState.SUMMONED}


def test_the_delayed_recall_dashboard_counts_late_patients(
    qtbot: QtBot, ctx: AppContext, clinics: dict[str, int], dentist_id: int
) -> None:
    from clinic_desk.ui.recall_dashboard import RecallDashboard
    from clinic_desk.workflows.recall import recall_responsible

    register_patient(  # turned 3 in 2021: first exam overdue since 2021-12-31
        ctx.store,
        ctx.user,
        PatientDraft("20180412-2388", "Olle", "Berg", responsible_dentist_id=dentist_id),
        GUI_TODAY,
        listing=ListingDraft(clinics["own"], date(2024, 2, 1), ListingKind.CHOICE, "Anna Berg"),
    )
    page = RecallDashboard(ctx)
    qtbot.addWidget(page)
    assert "<b>1</b> försenade av 1 listade" in page.form.headline.text()
    assert page.bands.data[-1] == ("> 6 mån", 1)
    assert page.model.rowCount() == 1
    page.form.responsible.setCurrentIndex(page.form.responsible.findData(dentist_id))
    assert recall_responsible(ctx.store) == dentist_id
