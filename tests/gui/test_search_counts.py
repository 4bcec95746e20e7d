"""The search page counts every patient exactly, and a search up to its cap."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from clinic_desk.domain.patient_records import PatientDraft
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


def test_the_page_reads_the_first_page_once_when_it_opens(
    qtbot: QtBot, ctx: AppContext, monkeypatch: object
) -> None:
    patients = ctx.store.patients
    reads: list[int] = []
    search = patients.search

    def counted(*args: object, **kwargs: object) -> object:
        reads.append(1)
        return search(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(patients, "search", counted)  # type: ignore[attr-defined]
    page = SearchPage(ctx)
    qtbot.addWidget(page)
    assert len(reads) == 1  # the first sort order is set before the first query
    page.model.sort(0)  # a new order is read again
    assert len(reads) == 2
    page.model.sort(0)  # the same order is not
    assert len(reads) == 2
