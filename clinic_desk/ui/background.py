"""Work off the GUI thread: a function runs on a worker thread, its result comes back as a
signal on the GUI thread. For work that needs no progress dialog (a check, a daily backup);
the function must use its own database connection (Store.own_connection)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal


class BackgroundTask(QObject):
    """One call of `work` on a worker thread. `done` carries its result; an exception is
    raised again on the GUI thread (so the crash handler sees programming errors)."""

    done = Signal(object)
    _failed = Signal(object)

    def __init__(self, parent: QObject, work: Callable[[], object]) -> None:
        super().__init__(parent)
        self._work = work
        self._thread: threading.Thread | None = None
        self._failed.connect(self._raise)

    def start(self) -> None:
        """Start the worker thread (once)."""
        if self._thread is not None:
            raise RuntimeError("a BackgroundTask runs once")
        self._thread = threading.Thread(target=self._run, name="clinic-desk-background")
        self._thread.start()

    def running(self) -> bool:
        """True while the worker thread has not finished."""
        return self._thread is not None and self._thread.is_alive()

    def wait(self) -> None:
        """Block until the work is finished (before the database closes)."""
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        try:
            result = self._work()
        except BaseException as exc:  # handed to the GUI thread, raised there
            self._failed.emit(exc)
            return
        self.done.emit(result)

    @staticmethod
    def _raise(exc: object) -> None:
        assert isinstance(exc, BaseException)
        raise exc
