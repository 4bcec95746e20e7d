"""The main window builds only the search page at start; the others on first show."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from clinic_desk.ui.book_page import BookPage
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.no_show_views import NoShowPage
from clinic_desk.ui.patient_card import PatientCard
from clinic_desk.ui.recall_dashboard import RecallDashboard
from clinic_desk.ui.recall_page import RecallPage

PAGES = {
    "card": PatientCard,
    "book": BookPage,
    "recall": RecallPage,
    "delayed": RecallDashboard,
    "no_shows": NoShowPage,
}


def test_only_the_search_page_is_built_at_start(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    assert window.stack.count() == 1
    assert window.stack.currentWidget() is window.search
    assert all(window.pages.built(name) is None for name in PAGES)


def test_each_page_is_built_once_on_first_show(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    for show, name in (
        (window.show_book, "book"),
        (window.show_recall, "recall"),
        (window.show_delayed, "delayed"),
        (window.show_no_shows, "no_shows"),
    ):
        show()
        page = window.pages.built(name)
        assert isinstance(page, PAGES[name])
        assert window.stack.currentWidget() is page
        show()
        assert window.pages.built(name) is page
    assert window.pages.built("card") is None
    assert window.stack.count() == 5
    window.show_search()
    assert window.stack.currentWidget() is window.search


def test_a_time_booked_from_the_recall_list_builds_no_book(qtbot: QtBot, ctx: AppContext) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.recall.booked.emit()  # the book reads its times afresh when first shown
    assert window.pages.built("book") is None
    window.show_book()
    window.recall.booked.emit()  # a built book refreshes (and stays the same page)
    assert window.stack.currentWidget() is window.pages.built("book")
