"""Files shipped with the program: the icon, letter templates, sample data, contract rules."""

from __future__ import annotations

from pathlib import Path


def resource_path(name: str) -> Path:
    """One of these files on disk.

    The program always runs unpacked (site-packages, or PyInstaller's one-folder app), so
    the file sits beside this module; the window's start uses this rather than
    importlib.resources, which it would otherwise load for the icon alone."""
    return Path(__file__).with_name(name)
