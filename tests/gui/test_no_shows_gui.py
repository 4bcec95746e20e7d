"""Two no-shows for a 9-year-old with two guardians: notices, the concern flag, the fee."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from clinic_desk.domain.appointments import AppointmentKind
from clinic_desk.domain.patient_records import GuardianDraft, PatientDraft
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.no_show_views import ConcernDecisionDialog, NoShowSection
from clinic_desk.ui.print_preview import PrintPreviewDialog
from clinic_desk.workflows.appointments import AppointmentDraft, book_appointment
from clinic_desk.workflows.no_shows import FEE_KEY
from clinic_desk.workflows.patients import register_patient
from tests.gui.conftest import GUI_TODAY
from tests.gui.helpers import drive_modal

MOTHER = GuardianDraft(
    "19840412-2387", "Anna", "Lindqvist", "Storgatan 12", "903 25", "Umeå", "070-1234567"
)
FATHER = GuardianDraft(
    "19821130-8930", "Johan", "Berg", "Kungsgatan 3", "903 27", "Umeå", "070-7654321"
)


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    said: list[str] = []
    monkeypatch.setattr(
        QMessageBox,
        "question",
        lambda *a, **k: (said.append(str(a[2])), QMessageBox.StandardButton.Yes)[1],
    )
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: said.append(str(a[2])))
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: said.append(str(a[2])))
    return said


def test_two_no_shows_notices_concern_and_fee(
    qtbot: QtBot, ctx: AppContext, dentist_id: int, answers: list[str]
) -> None:
    child = register_patient(
        ctx.store,
        ctx.user,
        PatientDraft("20170412-2389", "Ella", "Lindqvist"),
        GUI_TODAY,
        guardians=(MOTHER, FATHER),
    )
    booked_at = datetime(2026, 10, 1, 8, 0)
    times = {
        day: book_appointment(
            ctx.store,
            ctx.user,
            AppointmentDraft(
                child,
                dentist_id,
                datetime(2026, 11, day, 9, 0),
                45,
                AppointmentKind.REVISION,
                summoned=day == 20,
            ),
            booked_at,
        )
        for day in (9, 16, 20)
    }
    dentist = ctx.store.users.get(dentist_id)
    assert dentist is not None
    ctx.user = dentist
    ctx.now = lambda: datetime(2026, 11, 23, 10, 0)  # type: ignore[method-assign]
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.open_patient(child)
    section = next(s for s in window.card.sections if isinstance(s, NoShowSection))
    table = section.form.times

    def log(appointment_id: int) -> None:
        row = [a.id for a in section._times].index(appointment_id)
        table.selectRow(row)
        assert section.form.no_show.isEnabled()
        section.form.no_show.click()

    log(times[9])
    assert "Oro för barn" not in window.card.form.header.text()

    def two_letters(dialog: QDialog) -> None:
        # One notice per guardian, in one preview to print at once.
        assert isinstance(dialog, PrintPreviewDialog)
        assert dialog.preview_pages() == 2
        dialog.reject()

    drive_modal(qtbot, lambda: log(times[16]), two_letters)
    assert any("barn som far illa" in text for text in answers)
    documents = ctx.store.documents.for_patient(child)
    assert sorted(d.recipient for d in documents) == ["Anna Lindqvist", "Johan Berg"]
    assert all(d.kind == "no_show_notice" for d in documents)
    window.open_patient(child)  # the card shows the flag until the decision
    assert "Oro för barn – beslut saknas" in window.card.form.header.text()

    def decide(dialog: QDialog) -> None:
        assert isinstance(dialog, ConcernDecisionDialog)
        dialog.form.reason.setPlainText("Familjen nådd per telefon, ny tid bokad.")
        dialog.form.buttons.button(QDialogButtonBox.StandardButton.Save).click()

    drive_modal(qtbot, section.form.decide.click, decide)
    window.open_patient(child)
    assert "Oro för barn" not in window.card.form.header.text()

    # the fee: not for a summoned time, allowed for an agreed one (fee set to 300 kr)
    with ctx.store.transaction():
        ctx.store.settings.set(FEE_KEY, 30_000, ctx.user.id)
    log(times[20])  # summoned, never confirmed
    section.refresh()
    table.selectRow([a.id for a in section._times].index(times[20]))
    assert not section.form.fee.isEnabled()
    assert "kallelse" in section.form.fee_reason.text()
    table.selectRow([a.id for a in section._times].index(times[16]))
    assert section.form.fee.isEnabled()


def test_the_no_show_page_lists_follow_ups_concerns_and_rates(
    qtbot: QtBot, ctx: AppContext, dentist_id: int, answers: list[str]
) -> None:
    from clinic_desk.ui.no_show_views import NoShowPage
    from clinic_desk.workflows.no_shows import log_no_show

    child = register_patient(
        ctx.store,
        ctx.user,
        PatientDraft("20170412-2389", "Ella", "Lindqvist"),
        GUI_TODAY,
        guardians=(MOTHER,),
    )
    for day in (9, 16):
        appointment = book_appointment(
            ctx.store,
            ctx.user,
            AppointmentDraft(
                child, dentist_id, datetime(2026, 11, day, 9), 45, AppointmentKind.REVISION
            ),
            datetime(2026, 10, 1, 8),
        )
        log_no_show(ctx.store, ctx.user, appointment, datetime(2026, 11, day, 10))
    dentist = ctx.store.users.get(dentist_id)
    assert dentist is not None
    ctx.user = dentist
    page = NoShowPage(ctx)
    qtbot.addWidget(page)
    page.refresh()
    assert page.form.follow_ups.rowCount() == 1
    assert page.form.concerns.rowCount() == 1
    assert "2 uteblivna av 2 tider (100.0 %)" in page.form.stats_note.text()
    assert page.chart.data == [("26-11", 100)]
