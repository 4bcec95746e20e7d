"""Loading Designer forms from forms/*.ui: the one place that does it.

Each screen declares a FormSpec: its .ui file and the widgets (name and type) its code looks
up. Loading checks every one, so a renamed widget fails at once, and a test loads them all.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from importlib.resources import as_file, files
from typing import Any, TypeVar

from PySide6.QtCore import QFile, QIODevice
from PySide6.QtUiTools import QUiLoader
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

W = TypeVar("W", bound=QWidget)
ALL_SPECS: list[FormSpec] = []


@dataclass(frozen=True)
class FormSpec:
    """A .ui file and the widgets the code expects in it."""

    file: str
    widgets: Mapping[str, type[QWidget]]

    def __post_init__(self) -> None:
        ALL_SPECS.append(self)


class Form:
    """A loaded form: `form.w.name` or `form.get(name)` gives a widget the spec declared."""

    def __init__(self, spec: FormSpec, root: QWidget) -> None:
        self.spec = spec
        self.root = root
        self._widgets: dict[str, QWidget] = {}
        missing = []
        for name, kind in spec.widgets.items():
            found = root.findChild(kind, name)
            if found is None:
                missing.append(f"{name} ({kind.__name__})")
            else:
                self._widgets[name] = found
        if missing:
            raise LookupError(f"{spec.file} lacks widgets: {', '.join(missing)}")

    def get(self, name: str) -> Any:
        """The widget called `name` (declared in the spec)."""
        return self._widgets[name]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.__dict__["_widgets"][name]
        except KeyError:
            raise AttributeError(name) from None


def form_names() -> list[str]:
    """Every .ui file shipped with the program."""
    return sorted(p.name for p in files("clinic_desk.forms").iterdir() if p.name.endswith(".ui"))


def load_widget(file: str, parent: QWidget | None = None) -> QWidget:
    """Load one .ui file into a new widget."""
    loader = QUiLoader()
    with as_file(files("clinic_desk.forms") / file) as path:
        handle = QFile(str(path))
        if not handle.open(QIODevice.OpenModeFlag.ReadOnly):
            raise FileNotFoundError(path)
        try:
            widget = loader.load(handle, parent)
        finally:
            handle.close()
    if widget is None:
        raise RuntimeError(f"could not load {file}: {loader.errorString()}")
    return widget


def load_form(spec: FormSpec, host: QWidget) -> Form:
    """Load a form into `host` (filling it) and check the declared widgets exist."""
    root = load_widget(spec.file, host)
    layout = host.layout()
    if layout is None:
        layout = QVBoxLayout(host)
        if not isinstance(host, QDialog):  # pages sit flush in their window; dialogs keep margins
            layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(root)
    if isinstance(host, QDialog):
        host.setWindowTitle(host.windowTitle() or root.windowTitle())
    return Form(spec, root)
