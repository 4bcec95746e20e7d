"""What every screen needs: the store, the user acting, and today's date."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from clinic_desk.domain.people import User
from clinic_desk.paths import AppPaths
from clinic_desk.store.store import Store


@dataclass
class AppContext:
    """Passed into each window and dialog; no module-level globals."""

    store: Store
    user: User
    paths: AppPaths
    demo: bool = False
    today: Callable[[], date] = field(default=date.today)
    now: Callable[[], datetime] = field(default=datetime.now)

    def user_name(self, user_id: int | None) -> str:
        """A user's full name, or '' when unknown."""
        if user_id is None:
            return ""
        user = self.store.users.get(user_id)
        return user.full_name if user else ""
