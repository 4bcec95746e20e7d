"""Unexpected errors: a Swedish message, a log file without patient data, and carry on.

The log keeps the error's type and where in the code it happened, never its message or the
values involved: those may hold names or personal numbers (Patientdatalagen).
"""

from __future__ import annotations

import sys
import traceback
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox

import clinic_desk


def scrubbed_report(kind: type[BaseException], tb: TracebackType | None) -> str:
    """Type, version and code locations of an error — no message, no values."""
    lines = [
        f"Clinic Desk {clinic_desk.__version__}, {datetime.now().isoformat(timespec='seconds')}",
        f"{kind.__module__}.{kind.__qualname__}",
    ]
    for frame in traceback.extract_tb(tb):
        lines.append(f"  {Path(frame.filename).name}:{frame.lineno} in {frame.name}")
    return "\n".join(lines) + "\n"


def write_crash_log(log_dir: Path, kind: type[BaseException], tb: TracebackType | None) -> Path:
    """Append the scrubbed report to today's crash log; returns its path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    path = log_dir / f"fel-{datetime.now():%Y-%m-%d}.log"
    with path.open("a", encoding="utf-8") as handle:
        handle.write(scrubbed_report(kind, tb) + "\n")
    return path


def install_crash_handler(
    log_dir: Path, show: Callable[[str], None] | None = None
) -> Callable[..., None]:
    """Route uncaught exceptions to the log and a message box; returns the hook installed."""

    def tell(text: str) -> None:
        if QApplication.instance() is not None:
            QMessageBox.critical(QApplication.activeWindow(), "Oväntat fel", text)

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, value, tb)
            return
        try:
            path = write_crash_log(log_dir, kind, tb)
            where = f"Felet har skrivits till {path} (utan patientuppgifter)."
        except OSError:
            where = "Felet kunde inte skrivas till loggfilen."
        (show or tell)(
            "Ett oväntat fel inträffade. Det du höll på med sparades inte, men allt som redan "
            f"var sparat finns kvar. Försök igen; händer det igen, kontakta support.\n\n{where}"
        )

    sys.excepthook = hook
    return hook
