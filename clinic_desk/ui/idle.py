"""The idle lock's clock: no key, mouse or touch input for some minutes locks the screen."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Emits `idle` when no key, mouse or touch input reached the program for `minutes`."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        self._watching = False
        self._timer.start()

    def watch_input(self) -> None:
        """Start seeing the program's input (once the window is shown and ready).

        The filter sees every event of every object; PySide builds the Python type of each
        kind of object it is handed the first time, which costs ~5 ms while the first window
        is painted, so it is installed after that."""
        app = QApplication.instance()
        if app is not None and not self._watching:
            app.installEventFilter(self)
            self._watching = True

    def set_minutes(self, minutes: int) -> None:
        """Change the idle time (the workstation setting)."""
        self._timer.setInterval(max(1, minutes) * 60_000)
        self.restart()

    def set_interval_ms(self, milliseconds: int) -> None:
        """The idle time in milliseconds (tests)."""
        self._timer.setInterval(milliseconds)
        self.restart()

    def restart(self) -> None:
        """Count from now again."""
        self._timer.start()

    def pause(self) -> None:
        """Stop counting (while the lock screen is up)."""
        self._timer.stop()

    def stop(self) -> None:
        """Stop watching for good (the window closes)."""
        self._timer.stop()
        app = QApplication.instance()
        if app is not None and self._watching:
            app.removeEventFilter(self)
            self._watching = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS and self._timer.isActive():
            self._timer.start()
        return False
