"""First-run setup: whether the start-up guide must run, and marking it done.

The guide saves each of its steps through the step's own workflow (the first administrator,
the own clinic, opening hours, staff, ...); finishing it records one clinic-wide fact,
`setup_complete`, in the settings table, so later starts go straight to the login.
"""

from __future__ import annotations

from clinic_desk.domain.errors import RuleViolation
from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import Permission, allowed, requires
from clinic_desk.store.store import Store

SETUP_KEY = "setup_complete"
# The guide saves clinics, accounts and clinic settings: who runs it needs all three.
SETUP_PERMISSIONS = (
    Permission.EDIT_CLINICS,
    Permission.MANAGE_USERS,
    Permission.EDIT_CLINIC_SETTINGS,
)


def may_run_setup(user: User) -> bool:
    """Whether `user` may run the start-up guide (administrator, clinic manager)."""
    return all(allowed(user, permission) for permission in SETUP_PERMISSIONS)


def setup_complete(store: Store) -> bool:
    """True once the start-up guide has been finished for this clinic."""
    return bool(store.settings.get(SETUP_KEY, False))


@requires(Permission.EDIT_CLINIC_SETTINGS)
def complete_setup(store: Store, actor: User) -> None:
    """Record that the start-up guide is finished (the own clinic must be saved by then)."""
    with store.transaction():
        own = store.clinics.own()
        if own is None:
            raise RuleViolation("Lägg in den egna kliniken innan guiden avslutas.")
        first = not setup_complete(store)
        store.settings.set(SETUP_KEY, True, actor.id)
        store.audit.append(
            actor.id,
            "setup.complete",
            entity="settings",
            entity_id=SETUP_KEY,
            detail={"first_time": first, "clinic": own.name},
        )
