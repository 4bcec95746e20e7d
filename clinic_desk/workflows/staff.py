"""Staff accounts. Until personal logins exist, the program acts as the one local account."""

from __future__ import annotations

import getpass
import re

from clinic_desk.domain.errors import FieldError, ValidationError
from clinic_desk.domain.people import Profession, User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.store.store import Store

_USERNAME = re.compile(r"^[a-z0-9._-]{2,32}$")
USERNAME_RULE = _USERNAME


def clean_username(typed: str) -> str:
    """A user name as stored: no surrounding spaces, lower case."""
    return typed.strip().lower()


def _login_name() -> str:
    """The operating system's user name, or '' where it has none (no variable, no entry)."""
    try:
        return getpass.getuser()
    except (KeyError, OSError, ImportError):
        return ""


def ensure_local_user(store: Store) -> User:
    """The account the program runs as; created (as administrator) at first start."""
    users = store.users.all()
    if users:
        admins = [u for u in users if u.profession is Profession.ADMINISTRATOR]
        return (admins or users)[0]
    login = "".join(ch for ch in _login_name().lower() if ch.isalnum() or ch in "._-")
    username = login if _USERNAME.match(login) else "admin"
    with store.transaction():
        user_id = store.users.insert(username, username, Profession.ADMINISTRATOR, None)
        store.audit.append(
            user_id, "user.create", entity="user", entity_id=user_id, detail={"first_start": True}
        )
    user = store.users.get(user_id)
    assert user is not None
    return user


@requires(Permission.MANAGE_USERS)
def add_staff(
    store: Store,
    actor: User,
    username: str,
    full_name: str,
    profession: Profession,
    *,
    password_hash: str = "",
    hsa_id: str = "",
) -> int:
    """Create an account for a member of staff; returns its id. Without a password hash
    the account cannot log in until an administrator gives it a password."""
    errors: list[FieldError] = []
    username = clean_username(username)
    if not _USERNAME.match(username):
        errors.append(
            FieldError(
                "username", "Användarnamn: 2–32 tecken, a–z, siffror, punkt eller bindestreck."
            )
        )
    if not full_name.strip():
        errors.append(FieldError("full_name", "Skriv för- och efternamn."))
    if errors:
        raise ValidationError(errors)
    with store.transaction():
        if store.users.by_username(username) is not None:
            raise ValidationError([FieldError("username", "Användarnamnet är upptaget.")])
        user_id = store.users.insert(
            username,
            full_name.strip(),
            profession,
            actor.id,
            password_hash=password_hash,
            hsa_id=hsa_id.strip(),
        )
        store.audit.append(
            actor.id,
            "user.create",
            entity="user",
            entity_id=user_id,
            detail={"profession": profession.value},
        )
    return user_id


@requires(Permission.MANAGE_USERS)
def set_staff_active(store: Store, actor: User, user_id: int, active: bool) -> None:
    """Close (or reopen) an account; it is never deleted."""
    if user_id == actor.id and not active:
        raise ValidationError([FieldError("active", "Du kan inte stänga ditt eget konto.")])
    with store.transaction():
        store.users.set_active(user_id, active)
        store.audit.append(
            actor.id,
            "user.activate" if active else "user.deactivate",
            entity="user",
            entity_id=user_id,
        )
