"""The demo clinic's accounts: one published password, so that the demo logs in by itself.

Kept apart from demo.py (which builds the clinic) so that starting the demo does not import
the clinic generator.
"""

from __future__ import annotations

from clinic_desk.domain.people import User
from clinic_desk.store.store import Store
from clinic_desk.workflows.staff import ensure_local_user

DEMO_PASSWORD = "demo"


def give_demo_passwords(store: Store) -> User:
    """Every demo account without a password gets DEMO_PASSWORD (documented in the README);
    returns the demo administrator, whom the demo logs in as."""
    from clinic_desk.workflows.auth import hash_password

    admin = ensure_local_user(store)
    missing = [u for u in store.users.all() if not store.users.password_hash(u.id)]
    if missing:
        digest = hash_password(DEMO_PASSWORD)
        with store.transaction():
            for user in missing:
                store.users.set_password_hash(user.id, digest)
            store.audit.append(
                admin.id,
                "user.password",
                entity="user",
                detail={"demo": True, "users": [u.id for u in missing]},
            )
    return admin
