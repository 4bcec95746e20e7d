"""Every file location Clinic Desk uses, in one place.

The defaults follow the platform's conventions (platformdirs); `--data-dir` on the command
line and the tests point everything at one folder instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "ClinicDesk"
APP_AUTHOR = "ClinicDesk"


@dataclass(frozen=True)
class AppPaths:
    """The folders and files of one clinic's data."""

    data_dir: Path
    config_dir: Path

    @property
    def database(self) -> Path:
        return self.data_dir / "clinic.sqlite"

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / "backups"

    @property
    def archive_dir(self) -> Path:
        return self.data_dir / "archive"

    @property
    def log_dir(self) -> Path:
        return self.data_dir / "logs"

    @property
    def workstation_settings(self) -> Path:
        return self.config_dir / "workstation.json"

    def ensure(self) -> AppPaths:
        """Create the folders if they are missing and return self."""
        for folder in (self.data_dir, self.config_dir, self.backup_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def default_paths() -> AppPaths:
    """The user's real clinic data, in the platform's user data folder."""
    return AppPaths(
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR)),
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, APP_AUTHOR)),
    )


def demo_paths() -> AppPaths:
    """The demo clinic: a separate folder, never the user's real database."""
    base = Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))
    return AppPaths(data_dir=base / "demo", config_dir=base / "demo" / "config")


def paths_for(data_dir: Path) -> AppPaths:
    """All data (and the workstation settings) in one chosen folder."""
    return AppPaths(data_dir=data_dir, config_dir=data_dir / "config")
