"""The search page counts every patient exactly, and a search up to its cap."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from clinic_desk.domain.people import PatientDraft
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.search_page import SearchPage
from clinic_desk.workflows.patients import register_patient
from tests.gui.conftest import GUI_TODAY


def test_an_empty_box_shows_the_exact_number_of_patients(qtbot: QtBot, ctx: AppContext) -> None:
    register_patient(
        ctx.store, ctx.user, PatientDraft("20150307-2389", "Märta", "Lindqvist"), GUI_TODAY
    )
    page = SearchPage(ctx)
    qtbot.addWidget(page)
    assert page.form.result_count.text() == "1 patient"
    assert not page.model.more_than_cap
