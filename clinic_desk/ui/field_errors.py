"""Messages shown at the field they are about, in red, right under it."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QFormLayout, QLabel, QLayout, QWidget

from clinic_desk.domain.errors import ValidationError

_STYLE = "color: #b00020;"
_INVALID = "border: 1px solid #b00020;"


def _form_layout_of(widget: QWidget) -> QFormLayout | None:
    parent = widget.parentWidget()
    if parent is None:
        return None
    top = parent.layout()
    stack: list[QLayout] = [top] if top is not None else []
    while stack:
        layout = stack.pop()
        if isinstance(layout, QFormLayout) and layout.indexOf(widget) >= 0:
            return layout
        for index in range(layout.count()):
            item = layout.itemAt(index)
            child = item.layout() if item is not None else None
            if child is not None:
                stack.append(child)
    return None


def _row_of(layout: QFormLayout, widget: QWidget) -> int:
    """The form row a widget sits in (PySide6's getWidgetPosition is typed loosely)."""
    for row in range(layout.rowCount()):
        for role in (QFormLayout.ItemRole.FieldRole, QFormLayout.ItemRole.SpanningRole):
            item = layout.itemAt(row, role)
            if item is not None and item.widget() is widget:
                return row
    return layout.rowCount() - 1


class FieldErrors:
    """Shows ValidationError messages next to the widgets of a form."""

    def __init__(self, fields: Mapping[str, QWidget], fallback: QLabel | None = None) -> None:
        self._fields = dict(fields)
        self._fallback = fallback
        self._labels: list[tuple[QFormLayout | None, QLabel]] = []
        self._marked: list[QWidget] = []

    def clear(self) -> None:
        """Remove every message shown."""
        for layout, label in self._labels:
            if layout is not None:
                layout.removeRow(label)
            else:
                label.deleteLater()
        self._labels.clear()
        for widget in self._marked:
            widget.setStyleSheet("")
            widget.setToolTip("")
        self._marked.clear()
        if self._fallback is not None:
            self._fallback.clear()
            self._fallback.hide()

    def show(self, error: ValidationError) -> list[str]:
        """Show each message at its field; returns the messages that had no field."""
        self.clear()
        loose: list[str] = []
        first: QWidget | None = None
        for item in error.errors:
            widget = self._fields.get(item.field)
            if widget is None:
                loose.append(item.message)
                continue
            first = first or widget
            widget.setStyleSheet(_INVALID)
            widget.setToolTip(item.message)
            self._marked.append(widget)
            label = QLabel(item.message)
            label.setObjectName(f"error_{item.field}")
            label.setStyleSheet(_STYLE)
            label.setWordWrap(True)
            layout = _form_layout_of(widget)
            if layout is not None:
                row = _row_of(layout, widget)
                layout.insertRow(row + 1, "", label)
            elif self._fallback is not None:
                loose.append(item.message)
                label.deleteLater()
                continue
            self._labels.append((layout, label))
        if loose and self._fallback is not None:
            self._fallback.setText("\n".join(loose))
            self._fallback.setStyleSheet(_STYLE)
            self._fallback.show()
        if first is not None:
            first.setFocus()
        return loose

    def messages(self) -> list[str]:
        """The messages shown now (for tests and screen readers)."""
        shown = [label.text() for _layout, label in self._labels]
        if self._fallback is not None and self._fallback.text():
            shown.append(self._fallback.text())
        return shown
