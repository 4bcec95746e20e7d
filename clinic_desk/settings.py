"""Workstation settings: what belongs to this PC rather than the clinic (a JSON file).

Clinic-wide settings live in the database (store/settings.py); this file keeps only what
differs per workstation, such as the window's size and place.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any


@dataclass
class WorkstationSettings:
    """Per-PC preferences; unknown or malformed values fall back to the defaults."""

    window_geometry: str = ""  # base64 of QMainWindow.saveGeometry()
    show_ended_patients: bool = True

    @classmethod
    def load(cls, path: Path) -> WorkstationSettings:
        """Read the file; a missing or damaged file gives the defaults (never an error)."""
        try:
            raw: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        settings = cls()
        for item in fields(cls):
            value = raw.get(item.name)
            if isinstance(value, type(getattr(settings, item.name))):
                setattr(settings, item.name, value)
        return settings

    def save(self, path: Path) -> None:
        """Write the file atomically (a crash never leaves half a file)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        temporary.replace(path)
