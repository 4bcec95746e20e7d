"""Opening hours and letter templates through their dialogs."""

from __future__ import annotations

from datetime import datetime, time

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from clinic_desk.ui.book_settings import LetterTemplatesDialog, OpeningHoursDialog
from clinic_desk.ui.context import AppContext
from clinic_desk.workflows.appointments import opening_hours
from clinic_desk.workflows.recall import lead_months
from clinic_desk.workflows.recall_letters import template


def _save(dialog: QDialog) -> None:
    dialog.form.buttons.button(QDialogButtonBox.StandardButton.Save).click()  # type: ignore[attr-defined]


def test_opening_hours_are_saved_and_checked(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = OpeningHoursDialog(None, ctx)
    qtbot.addWidget(dialog)
    f = dialog.form
    f.open5.setChecked(True)  # open on Saturdays 09–13 without a break
    f.opens5.setTime(QTime(9, 0))
    f.closes5.setTime(QTime(13, 0))
    f.break_from5.setTime(QTime(12, 0))
    f.break_to5.setTime(QTime(12, 0))
    f.closes0.setTime(QTime(7, 0))  # Monday closes before it opens: refused
    _save(dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert any("efter öppningstiden" in m for m in dialog.errors.messages())
    f.closes0.setTime(QTime(16, 0))
    f.lead_months.setValue(3)
    _save(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    hours = opening_hours(ctx.store)
    assert hours.is_open(datetime(2026, 11, 28, 9, 0), 45)  # a Saturday
    assert not hours.is_open(datetime(2026, 11, 23, 15, 30), 45)  # Monday closes at 16
    assert hours.days[5] is not None
    assert hours.days[5].breaks == ()
    assert hours.days[0] is not None
    assert hours.days[0].breaks == ((time(12), time(13)),)
    assert lead_months(ctx.store) == 3


def test_letter_templates_preview_and_save(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = LetterTemplatesDialog(None, ctx)
    qtbot.addWidget(dialog)
    assert "Märta" in dialog.form.preview.toPlainText()
    assert "2027-03-02 kl. 09:00 hos Karin Holm" in dialog.form.preview.toPlainText()
    dialog.form.text.setPlainText("Hej {mottagare}!\n\n{tider}\n\n{klinik}")
    assert dialog.form.preview.toPlainText().startswith("Hej Anna Exempelsson!")
    dialog.form.template.setCurrentIndex(1)  # the letter without a time
    dialog.form.text.setPlainText("Hej {mottagare}! Ring oss.")  # no {tider}: refused
    _save(dialog)
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert any("{tider}" in m for m in dialog.errors.messages())
    dialog.form.restore.click()
    _save(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert template(ctx.store, "recall_booked") == "Hej {mottagare}!\n\n{tider}\n\n{klinik}"
    assert "Ring oss på" in template(ctx.store, "recall_unbooked")


def test_no_show_settings_are_saved(qtbot: QtBot, ctx: AppContext) -> None:
    from clinic_desk.workflows.no_shows import no_show_settings

    dialog = OpeningHoursDialog(None, ctx)
    qtbot.addWidget(dialog)
    assert dialog.form.fee_kr.value() == 0  # no fee until the clinic decides on one
    dialog.form.threshold.setValue(3)
    dialog.form.window_months.setValue(18)
    dialog.form.fee_kr.setValue(250)
    _save(dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    saved = no_show_settings(ctx.store)
    assert (saved.threshold, saved.window_months, saved.fee_ore) == (3, 18, 25_000)
