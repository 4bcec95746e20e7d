"""Loading Designer forms from forms/*.ui: the one place that does it.

Each screen declares a FormSpec: its .ui file and the widgets (name and type) its code looks
up. Loading checks every one, so a renamed widget fails at once, and a test loads them all.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from PySide6.QtUiTools import QUiLoader

W = TypeVar("W", bound=QWidget)


class CompiledForm(Protocol):
    """A form class made by Qt's uic (clinic_desk/ui/compiled/)."""

    def setupUi(self, root: QWidget) -> None: ...


ALL_SPECS: list[FormSpec] = []


@dataclass(frozen=True)
class FormSpec:
    """A .ui file and the widgets the code expects in it."""

    file: str
    widgets: Mapping[str, type[QWidget]]
    # The class tools/compile_forms.py made from the .ui file, for forms shown at every
    # start (faster than QUiLoader's first use); the .ui file is still the one to edit.
    compiled: type[CompiledForm] | None = None

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
    from importlib.resources import files

    return sorted(p.name for p in files("clinic_desk.forms").iterdir() if p.name.endswith(".ui"))


@functools.cache
def _loader() -> QUiLoader:
    """One loader for every form, made without Designer's plugin folders.

    QUiLoader loads every Designer plugin it finds when it is made (Qt Quick, WebEngine and
    PySide's own: about 20 ms, a tenth of the program's start); our forms use Qt's own
    widgets only, so it is made while Qt's library paths are empty and is kept."""
    from PySide6.QtUiTools import QUiLoader  # not needed by the compiled start-up form

    paths = QCoreApplication.libraryPaths()
    QCoreApplication.setLibraryPaths([])
    try:
        return QUiLoader()
    finally:
        QCoreApplication.setLibraryPaths(paths)


def load_widget(file: str, parent: QWidget | None = None) -> QWidget:
    """Load one .ui file into a new widget."""
    from importlib.resources import as_file, files  # not needed by the compiled start-up form

    from PySide6.QtCore import QFile, QIODevice

    loader = _loader()
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


def build_compiled(compiled: type[CompiledForm], parent: QWidget | None = None) -> QWidget:
    """A new widget made by the Python compiled from a .ui file, laid out as QUiLoader
    would: a form loaded into a parent has no margins around its top layout."""
    root = QWidget(parent)
    compiled().setupUi(root)
    layout = root.layout()
    if parent is not None and layout is not None:
        layout.setContentsMargins(0, 0, 0, 0)
    return root


def load_form(spec: FormSpec, host: QWidget) -> Form:
    """Load a form into `host` (filling it) and check the declared widgets exist."""
    if spec.compiled is not None:
        root = build_compiled(spec.compiled, host)
    else:
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
