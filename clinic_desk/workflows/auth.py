"""Personal logins: passwords hashed with argon2, the first administrator, login, unlock,
password changes. Failed attempts are logged and slow down the next ones.

Every attempt is one audit entry: 'login.ok', 'login.failed' (with the user name typed and
why), 'login.throttled' (tried again before the wait was over), 'session.unlock',
'session.lock'.
"""

from __future__ import annotations

import functools
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from clinic_desk.domain.errors import FieldError, RuleViolation, ValidationError
from clinic_desk.domain.people import Profession, User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.store.store import Store
from clinic_desk.workflows.staff import USERNAME_RULE, clean_username

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_PASSWORD = 8
FREE_ATTEMPTS = 3  # wrong passwords in a row before each try must wait
FIRST_WAIT = 5  # seconds after the first counted failure; doubles with each one after
MAX_WAIT = 300
_WRONG = "Fel användarnamn eller lösenord."


@functools.cache
def _hasher() -> PasswordHasher:
    """argon2id with argon2-cffi's RFC 9106 low-memory profile (loaded on first use: the
    window's first paint and the demo clinic need no password check)."""
    from argon2 import PasswordHasher

    return PasswordHasher()


def _verify(stored: str, password: str) -> bool:
    """Whether `password` matches the hash `stored`; with no hash stored it still takes as
    long (a dummy hash is checked) and is False."""
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        _hasher().verify(stored or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False
    return bool(stored)


@functools.cache
def _dummy_hash() -> str:
    """Verified when the user name is unknown, so that a wrong name takes as long as a wrong
    password and the timing gives nothing away (made on first use: start-up stays fast)."""
    return _hasher().hash("clinic-desk-no-such-user")


class LoginRefused(RuleViolation):
    """Wrong user name or password, a closed account, or a try before the wait is over."""

    def __init__(self, message: str, retry_after: int = 0) -> None:
        super().__init__(message)
        self.retry_after = retry_after


def hash_password(password: str) -> str:
    """An argon2id hash of `password` (the password itself is never stored)."""
    return _hasher().hash(password)


def check_new_password(password: str, repeated: str, field: str = "password") -> None:
    """A new password must be long enough and typed the same twice."""
    errors = []
    if len(password) < MIN_PASSWORD:
        errors.append(FieldError(field, f"Lösenordet ska ha minst {MIN_PASSWORD} tecken."))
    elif password.strip() != password:
        errors.append(FieldError(field, "Lösenordet får inte börja eller sluta med mellanslag."))
    if password != repeated:
        errors.append(FieldError("repeat", "Lösenorden är inte lika."))
    if errors:
        raise ValidationError(errors)


def wait_seconds(failures: int) -> int:
    """How long the next attempt must wait after `failures` wrong passwords in a row."""
    if failures < FREE_ATTEMPTS:
        return 0
    return int(min(FIRST_WAIT * 2 ** (failures - FREE_ATTEMPTS), MAX_WAIT))


def needs_first_administrator(store: Store) -> bool:
    """True for a new clinic: no account exists yet."""
    return store.users.count() == 0


def create_first_administrator(
    store: Store, username: str, full_name: str, password: str, repeated: str, hsa_id: str = ""
) -> User:
    """Create the clinic's first account, an administrator with a password (first start)."""
    errors = []
    name = clean_username(username)
    if not USERNAME_RULE.match(name):
        errors.append(
            FieldError(
                "username", "Användarnamn: 2–32 tecken, a–z, siffror, punkt eller bindestreck."
            )
        )
    if not full_name.strip():
        errors.append(FieldError("full_name", "Skriv för- och efternamn."))
    try:
        check_new_password(password, repeated)
    except ValidationError as exc:
        errors += exc.errors
    if errors:
        raise ValidationError(errors)
    digest = hash_password(password)
    with store.transaction():
        if store.users.count():
            raise RuleViolation("Det finns redan konton. Logga in med ditt eget.")
        user_id = store.users.insert(
            name,
            full_name.strip(),
            Profession.ADMINISTRATOR,
            None,
            password_hash=digest,
            hsa_id=hsa_id.strip(),
        )
        store.audit.append(
            user_id, "user.create", entity="user", entity_id=user_id, detail={"first_start": True}
        )
    user = store.users.get(user_id)
    assert user is not None
    return user


def _wait_left(store: Store, username: str, now: datetime) -> int:
    failures = store.logins.failures_since_success(username)
    wait = wait_seconds(failures.count)
    if not wait or failures.last_at is None:
        return 0
    ready = datetime.fromisoformat(failures.last_at) + timedelta(seconds=wait)
    return max(0, int((ready - now).total_seconds() + 0.999))


def _password_matches(store: Store, user: User | None, password: str) -> bool:
    stored = store.users.password_hash(user.id) if user else ""
    if not _verify(stored, password):
        return False
    if user is not None and _hasher().check_needs_rehash(stored):
        store.users.set_password_hash(user.id, hash_password(password))
    return True


def _attempt(
    store: Store, username: str, password: str, ok_action: str, detail: dict[str, object]
) -> User:
    """Check one attempt inside one transaction with its audit entry; raise LoginRefused."""
    name = clean_username(username)
    refusal: LoginRefused | None = None
    with store.transaction():
        wait = _wait_left(store, name, store.now())
        user = store.users.by_username(name)
        if wait:
            store.audit.append(
                user.id if user else None,
                "login.throttled",
                entity="user",
                detail={"username": name, "wait": wait, **detail},
            )
            refusal = LoginRefused(
                f"För många felaktiga försök. Vänta {wait} sekunder och försök igen.", wait
            )
        elif user is None or not user.active or not _password_matches(store, user, password):
            if user is None:
                reason = "unknown"
                _password_matches(store, None, password)  # the same time as a known name
            elif not store.users.password_hash(user.id):
                reason = "no_password"
            elif user.active or not _password_matches(store, user, password):
                reason = "wrong_password"
            else:
                reason = "closed"  # the password was right: saying so gives nothing away
            store.audit.append(
                user.id if user else None,
                "login.failed",
                entity="user",
                entity_id=user.id if user else "",
                detail={"username": name, "reason": reason, **detail},
            )
            refusal = LoginRefused("Kontot är stängt." if reason == "closed" else _WRONG)
        else:
            store.audit.append(
                user.id,
                ok_action,
                entity="user",
                entity_id=user.id,
                detail={"username": name, **detail},
            )
    if refusal is not None:
        after = _wait_left(store, name, store.now())
        if after and not refusal.retry_after:
            refusal = LoginRefused(f"{refusal} Nästa försök kan göras om {after} sekunder.", after)
        raise refusal
    assert user is not None
    return user


def log_in(store: Store, username: str, password: str, switched_from: User | None = None) -> User:
    """Check a user name and password; the logged-in user, or LoginRefused."""
    detail: dict[str, object] = {"switched_from": switched_from.id} if switched_from else {}
    return _attempt(store, username, password, "login.ok", detail)


def enter_demo(store: Store, admin: User) -> User:
    """The demo clinic logs its administrator in by itself. Its password is published, so
    checking it would only cost a start a seventh of a second; a clinic not built as a demo
    is refused."""
    if store.settings.get("demo") is not True:
        raise LoginRefused("Bara demokliniken loggar in av sig själv.")
    with store.transaction():
        store.audit.append(
            admin.id,
            "login.ok",
            entity="user",
            entity_id=admin.id,
            detail={"username": admin.username, "demo": True},
        )
    return admin


def unlock(store: Store, user: User, password: str) -> User:
    """Unlock a locked screen with the locked user's own password."""
    return _attempt(store, user.username, password, "session.unlock", {"unlock": True})


def lock_session(store: Store, user: User, idle: bool) -> None:
    """Record that the screen was locked (by the user, or after idle minutes)."""
    with store.transaction():
        store.audit.append(
            user.id, "session.lock", entity="user", entity_id=user.id, detail={"idle": idle}
        )


def change_own_password(
    store: Store, user: User, current: str, password: str, repeated: str
) -> None:
    """A user changes their own password (the current one is asked for)."""
    check_new_password(password, repeated)
    stored = store.users.password_hash(user.id)
    if not _verify(stored, current):
        raise ValidationError([FieldError("current", "Det nuvarande lösenordet stämmer inte.")])
    digest = hash_password(password)
    with store.transaction():
        store.users.set_password_hash(user.id, digest)
        store.audit.append(user.id, "user.password", entity="user", entity_id=user.id)


@requires(Permission.MANAGE_USERS)
def set_password(store: Store, actor: User, user_id: int, password: str, repeated: str) -> None:
    """Give an account a new password (a new member of staff, a forgotten password)."""
    check_new_password(password, repeated)
    digest = hash_password(password)
    with store.transaction():
        if store.users.get(user_id) is None:
            raise ValidationError([FieldError("user", "Kontot finns inte.")])
        store.users.set_password_hash(user_id, digest)
        store.audit.append(
            actor.id, "user.password", entity="user", entity_id=user_id, detail={"reset": True}
        )
