"""The appointment book through its real widgets: book, move, cancel, overbook, holidays."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from clinic_desk.domain.appointments import AppointmentStatus
from clinic_desk.domain.patient_records import PatientDraft
from clinic_desk.ui.book_grid import GUTTER, HEADER, PX_PER_MINUTE
from clinic_desk.ui.book_page import BookPage
from clinic_desk.ui.booking_dialogs import BookingDialog, CancelTimeDialog
from clinic_desk.ui.context import AppContext
from clinic_desk.workflows.patients import register_patient
from tests.gui.conftest import GUI_TODAY
from tests.gui.helpers import drive_modal, type_text

MONDAY = date(2026, 11, 30)


@pytest.fixture
def book(qtbot: QtBot, ctx: AppContext) -> BookPage:
    register_patient(
        ctx.store, ctx.user, PatientDraft("20150307-2389", "Märta", "Lindqvist"), GUI_TODAY
    )
    ctx.now = lambda: datetime(2026, 11, 23, 8, 0)  # type: ignore[method-assign]
    page = BookPage(ctx)
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show_day(MONDAY)
    return page


@pytest.fixture
def questions(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Answer every QMessageBox.question with Yes; the list holds what was asked."""
    asked: list[str] = []

    def question(*args: object, **_kw: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    return asked


def _click_slot(qtbot: QtBot, page: BookPage, column: int, hour: int, minute: int = 0) -> None:
    grid = page.grid
    width = (grid.width() - GUTTER) / len(grid.columns)
    y = HEADER + ((hour - 7) * 60 + minute) * PX_PER_MINUTE + 2
    qtbot.mouseClick(
        grid, Qt.MouseButton.LeftButton, pos=QPoint(int(GUTTER + column * width + 10), int(y))
    )


def _book_in_dialog(qtbot: QtBot, dialog: QDialog, patient: str = "20150307-2389") -> None:
    assert isinstance(dialog, BookingDialog)
    type_text(qtbot, dialog.form.patient, patient)
    dialog.form.patient.editingFinished.emit()
    buttons: QDialogButtonBox = dialog.form.buttons
    buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def test_book_move_and_cancel_a_time(
    qtbot: QtBot, book: BookPage, ctx: AppContext, questions: list[str]
) -> None:
    dentist_column = next(i for i, c in enumerate(book.grid.columns) if c.title == "Karin Holm")
    drive_modal(
        qtbot,
        lambda: _click_slot(qtbot, book, dentist_column, 9),
        lambda d: _book_in_dialog(qtbot, d),
    )
    entries = ctx.store.appointments.book(MONDAY, 1)
    assert len(entries) == 1
    booked = entries[0].appointment
    assert booked.start == datetime(2026, 11, 30, 9, 0)
    assert booked.status is AppointmentStatus.AGREED

    # move it: the grid's drag ends in entry_moved, which asks and moves
    book._entry_moved(booked.id, dentist_column, datetime(2026, 11, 30, 10, 30))
    moved = ctx.store.appointments.get(booked.id)
    assert moved is not None
    assert moved.start == datetime(2026, 11, 30, 10, 30)
    assert questions == ["Flytta tiden till 2026-11-30 10:30?"]

    # cancel it through the real dialog; it stays in the book as cancelled
    def cancel(dialog: QDialog) -> None:
        assert isinstance(dialog, CancelTimeDialog)
        dialog.form.reason.setCurrentText("Sjuk")
        dialog.form.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    assert moved is not None
    drive_modal(qtbot, lambda: book._cancel(moved), cancel)
    shown = [e.appointment for e in book.grid.entries]
    assert [a.status for a in shown] == [AppointmentStatus.CANCELLED_BY_PATIENT]
    book.form.show_cancelled.setChecked(False)
    assert book.grid.entries == []


def test_overbooking_is_refused_then_confirmed(
    qtbot: QtBot, book: BookPage, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    column = next(i for i, c in enumerate(book.grid.columns) if c.title == "Karin Holm")
    drive_modal(
        qtbot, lambda: _click_slot(qtbot, book, column, 9), lambda d: _book_in_dialog(qtbot, d)
    )
    replies = [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes]
    asked: list[str] = []

    def question(*args: object, **_kw: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))
        return replies.pop(0)

    monkeypatch.setattr(QMessageBox, "question", question)

    def book_then_decline_then_accept(dialog: QDialog) -> None:
        _book_in_dialog(qtbot, dialog)  # asked, answered No: the dialog stays open
        assert dialog.isVisible()
        assert len(ctx.store.appointments.book(MONDAY, 1)) == 1
        dialog.form.buttons.button(QDialogButtonBox.StandardButton.Ok).click()  # Yes

    drive_modal(
        qtbot,
        lambda: book.book_at(
            book.grid.columns[column].practitioner_id, datetime(2026, 11, 30, 9, 15)
        ),
        book_then_decline_then_accept,
    )
    assert "dubbelboka" in asked[0]
    times = ctx.store.appointments.book(MONDAY, 1)
    assert len(times) == 2
    assert [t.appointment.overbooked for t in times] == [False, True]


def test_a_holiday_warns_before_booking(
    qtbot: QtBot, book: BookPage, ctx: AppContext, questions: list[str]
) -> None:
    asked = questions
    book.show_day(date(2026, 12, 24))
    assert "Julafton" in book.form.day_note.text()
    drive_modal(qtbot, lambda: _click_slot(qtbot, book, 0, 9), lambda d: _book_in_dialog(qtbot, d))
    assert any("Julafton" in text for text in asked)
    assert len(ctx.store.appointments.book(date(2026, 12, 24), 1)) == 1


def test_the_exam_opens_from_the_days_appointment_for_clinicians_only(
    qtbot: QtBot, book: BookPage, ctx: AppContext, dentist_id: int
) -> None:
    from clinic_desk.domain.appointments import AppointmentKind
    from clinic_desk.ui.exam_dialog import ExamDialog
    from clinic_desk.workflows.appointments import AppointmentDraft, book_appointment

    patient = ctx.store.patients.by_personal_id("20150307-2389")
    assert patient is not None
    appointment_id = book_appointment(
        ctx.store,
        ctx.user,
        AppointmentDraft(
            patient.id, dentist_id, datetime(2026, 11, 30, 9, 0), 45, AppointmentKind.REVISION
        ),
        datetime(2026, 11, 23, 8, 0),
    )
    appointment = ctx.store.appointments.get(appointment_id)
    assert appointment is not None
    labels = [label for label, _handler in book.actions_for(appointment)]
    assert "Undersökning…" not in labels  # the administrator records no exams
    dentist = ctx.store.users.get(dentist_id)
    assert dentist is not None
    ctx.user = dentist
    actions = dict(book.actions_for(appointment))
    assert "Undersökning…" in actions

    def look(dialog: QDialog) -> None:
        assert isinstance(dialog, ExamDialog)
        assert "Lindqvist" in dialog.form.patient_line.text()
        dialog.reject()

    drive_modal(qtbot, actions["Undersökning…"], look)  # type: ignore[arg-type]
