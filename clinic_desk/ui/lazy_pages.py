"""Pages of the main window's stack, each built the first time it is shown.

A page's factory imports its module, builds the widget and wires its signals; nothing of it
is imported or read from the database at start, so the window opens fast.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QStackedWidget, QWidget


class LazyPages:
    """A registry of page factories over one QStackedWidget."""

    def __init__(self, stack: QStackedWidget) -> None:
        self.stack = stack
        self._factories: dict[str, Callable[[], QWidget]] = {}
        self._built: dict[str, QWidget] = {}

    def register(self, name: str, factory: Callable[[], QWidget]) -> None:
        """Add a page; `factory` builds it (and connects its signals) on first use."""
        if name in self._factories:
            raise ValueError(f"page {name!r} registered twice")
        self._factories[name] = factory

    def page(self, name: str) -> QWidget:
        """The page called `name`, built and added to the stack on first use."""
        widget = self._built.get(name)
        if widget is None:
            widget = self._factories[name]()
            self.stack.addWidget(widget)
            self._built[name] = widget
        return widget

    def built(self, name: str) -> QWidget | None:
        """The page if it has been built, else None (nothing is built)."""
        return self._built.get(name)

    def is_current(self, name: str) -> bool:
        """True when the page is built and is the one shown."""
        widget = self._built.get(name)
        return widget is not None and self.stack.currentWidget() is widget
