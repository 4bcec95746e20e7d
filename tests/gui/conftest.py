"""GUI test fixtures: an AppContext on a fresh clinic with a fixed date."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_desk.domain.people import User
from clinic_desk.paths import AppPaths
from clinic_desk.store.store import Store
from clinic_desk.ui.context import AppContext

GUI_TODAY = date(2026, 11, 23)


@pytest.fixture
def ctx(
    store: Store, actor: User, app_paths: AppPaths, clinics: dict[str, int], dentist_id: int
) -> AppContext:
    return AppContext(store=store, user=actor, paths=app_paths, today=lambda: GUI_TODAY)
