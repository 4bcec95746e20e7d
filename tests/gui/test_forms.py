"""Every Designer form loads, and every widget the code looks up is in it."""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest
from PySide6.QtWidgets import QLayout, QWidget
from pytestqt.qtbot import QtBot

import clinic_desk.ui
from clinic_desk.ui.forms import (
    ALL_SPECS,
    Form,
    FormSpec,
    build_compiled,
    form_names,
    load_widget,
)
from tools.compile_forms import AT_START, compile_form, compiled_path


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


def _named_widgets(root: QWidget) -> dict[str, dict[str, object]]:
    """Each named widget's class and the values of its Designer properties; each layout's
    margins, spacing and what it holds."""
    found: dict[str, dict[str, object]] = {}
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.objectName() or widget.objectName().startswith("qt_"):
            continue
        meta = widget.metaObject()
        values: dict[str, object] = {"class": meta.className()}
        for index in range(meta.propertyCount()):
            prop = meta.property(index)
            if prop.isDesignable() and prop.isStored() and prop.name() not in ("geometry",):
                values[prop.name()] = re.sub(r" at 0x[0-9a-f]+", "", repr(prop.read(widget)))
        found[widget.objectName()] = values
    for layout in root.findChildren(QLayout):
        margins = layout.contentsMargins()
        found[f"layout {layout.objectName()}"] = {
            "class": layout.metaObject().className(),
            "margins": (margins.left(), margins.top(), margins.right(), margins.bottom()),
            "spacing": layout.spacing(),
            "items": [layout.itemAt(i).widget() is not None for i in range(layout.count())],
        }
    return found


@pytest.mark.parametrize("spec", [s for s in ALL_SPECS if s.compiled], ids=lambda s: s.file)
def test_a_compiled_form_builds_what_the_form_file_describes(qtbot: QtBot, spec: FormSpec) -> None:
    assert spec.compiled is not None
    for parent in (None, QWidget()):  # alone, and inside a page as load_form puts it
        from_python = build_compiled(spec.compiled, parent)
        from_file = load_widget(spec.file, parent)
        qtbot.addWidget(parent or from_python)
        if parent is None:
            qtbot.addWidget(from_file)
        assert _named_widgets(from_python) == _named_widgets(from_file)


@pytest.mark.parametrize("name", AT_START)
def test_a_compiled_form_is_up_to_date_with_its_form_file(name: str) -> None:
    """Run `python tools/compile_forms.py` after changing the form in Designer."""
    assert compiled_path(name).read_text(encoding="utf-8") == compile_form(name)


def test_the_forms_compiled_are_the_ones_the_screens_ask_for() -> None:
    assert {spec.file for spec in ALL_SPECS if spec.compiled} == set(AT_START)
