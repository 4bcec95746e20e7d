"""GUI test fixtures: an AppContext on a fresh clinic with a fixed date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from clinic_desk.demo import build_demo_clinic
from clinic_desk.domain.people import User
from clinic_desk.paths import AppPaths, paths_for
from clinic_desk.store.store import Store
from clinic_desk.ui.context import AppContext

GUI_TODAY = date(2026, 11, 23)


@pytest.fixture
def ctx(
    store: Store, actor: User, app_paths: AppPaths, clinics: dict[str, int], dentist_id: int
) -> AppContext:
    return AppContext(store=store, user=actor, paths=app_paths, today=lambda: GUI_TODAY)


@pytest.fixture
def demo_paths(tmp_path: Path) -> AppPaths:
    """A small demo clinic's folder (plain until the program opens it), for tests that run
    the whole program with `run_gui`."""
    paths = paths_for(tmp_path / "clinic").ensure()
    plain = Store.open(paths.database, paths.backup_dir)
    build_demo_clinic(plain, 200, today=GUI_TODAY)
    plain.close()
    return paths
