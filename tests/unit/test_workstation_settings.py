"""The workstation file's settings: where this PC keeps its backups."""

from __future__ import annotations

from pathlib import Path

from clinic_desk.settings import WorkstationSettings


def test_backups_are_in_the_clinic_folder_alone_without_a_second_folder(tmp_path: Path) -> None:
    assert WorkstationSettings().backup_folders(tmp_path / "backups") == [tmp_path / "backups"]


def test_a_second_folder_comes_after_the_clinic_folder(tmp_path: Path) -> None:
    settings = WorkstationSettings(second_backup_dir=str(tmp_path / "usb"))
    assert settings.backup_folders(tmp_path / "backups") == [
        tmp_path / "backups",
        tmp_path / "usb",
    ]
