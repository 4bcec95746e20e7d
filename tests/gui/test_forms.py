"""Every Designer form loads, and every widget the code looks up is in it."""

from __future__ import annotations

import importlib
import pkgutil

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

import clinic_desk.ui
from clinic_desk.ui.forms import ALL_SPECS, Form, form_names, load_widget


def _import_all_ui_modules() -> None:
    for module in pkgutil.iter_modules(clinic_desk.ui.__path__):
        importlib.import_module(f"clinic_desk.ui.{module.name}")


_import_all_ui_modules()


@pytest.mark.parametrize("name", form_names())
def test_every_form_loads(qtbot: QtBot, name: str) -> None:
    widget = load_widget(name)
    qtbot.addWidget(widget)
    assert widget.objectName()


@pytest.mark.parametrize("spec", ALL_SPECS, ids=lambda spec: spec.file)
def test_widgets_the_code_uses_exist(qtbot: QtBot, spec: object) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    root = load_widget(spec.file, host)  # type: ignore[attr-defined]
    Form(spec, root)  # type: ignore[arg-type]  # raises LookupError naming a missing widget


def test_every_form_is_used_by_some_screen() -> None:
    used = {spec.file for spec in ALL_SPECS}
    assert set(form_names()) == used


def test_missing_widget_is_reported(qtbot: QtBot) -> None:
    from clinic_desk.ui.forms import FormSpec

    host = QWidget()
    qtbot.addWidget(host)
    spec = FormSpec.__new__(FormSpec)  # not registered: a deliberately wrong spec
    object.__setattr__(spec, "file", "end_dialog.ui")
    object.__setattr__(spec, "widgets", {"no_such_widget": QWidget})
    with pytest.raises(LookupError, match="no_such_widget"):
        Form(spec, load_widget("end_dialog.ui", host))
