"""Workstation settings: what belongs to this PC rather than the clinic (a JSON file).

Clinic-wide settings live in the database (store/settings.py); this file keeps only what
differs per workstation, such as the window's size and place.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

MIN_IDLE_MINUTES = 1
MAX_IDLE_MINUTES = 120


@dataclass
class WorkstationSettings:
    """Per-PC preferences; unknown or malformed values fall back to the defaults."""

    window_geometry: str = ""  # base64 of QMainWindow.saveGeometry()
    show_ended_patients: bool = True
    idle_lock_minutes: int = 10  # the screen locks after this many minutes without input
    second_backup_dir: str = ""  # a USB stick or network share for a copy of each backup
    printer_name: str = ""  # where documents print; "" means the system's default printer

    @classmethod
    def load(cls, path: Path) -> WorkstationSettings:
        """Read the file; a missing or damaged file gives the defaults (never an error)."""
        try:
            raw: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError, RecursionError):  # deeply nested JSON recurses
            return cls()
        if not isinstance(raw, dict):
            return cls()
        settings = cls()
        for item in fields(cls):
            value = raw.get(item.name)
            # type() rather than isinstance(): JSON true must not pass for a number.
            if type(value) is type(getattr(settings, item.name)):
                setattr(settings, item.name, value)
        if not MIN_IDLE_MINUTES <= settings.idle_lock_minutes <= MAX_IDLE_MINUTES:
            settings.idle_lock_minutes = cls.idle_lock_minutes
        if "\0" in settings.second_backup_dir:
            settings.second_backup_dir = ""
        if "\0" in settings.printer_name:
            settings.printer_name = ""
        return settings

    def backup_folders(self, backup_dir: Path) -> list[Path]:
        """Where this PC keeps backups: the clinic's backup folder, then the second folder
        (USB stick, network share) when one is set."""
        folders = [backup_dir]
        if self.second_backup_dir:
            folders.append(Path(self.second_backup_dir))
        return folders

    def save(self, path: Path) -> None:
        """Write the file atomically (a crash never leaves half a file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        temporary.replace(path)
