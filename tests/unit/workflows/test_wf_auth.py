"""Personal logins: first administrator, argon2 hashes, login, slow-down, unlock, passwords."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from clinic_desk.domain.errors import RuleViolation, ValidationError
from clinic_desk.domain.people import Profession, User
from clinic_desk.domain.permissions import PermissionDenied
from clinic_desk.store.store import Store
from clinic_desk.workflows.auth import (
    LoginRefused,
    change_own_password,
    create_first_administrator,
    enter_demo,
    hash_password,
    lock_session,
    log_in,
    needs_first_administrator,
    set_password,
    unlock,
    wait_seconds,
)
from clinic_desk.workflows.staff import add_staff, set_staff_active

START = datetime(2026, 11, 23, 8, 0, 0)
PASSWORD = "tandborste-42"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def clinic(tmp_path: Path, clock: Clock) -> Iterator[Store]:
    store = Store.open(tmp_path / "clinic.sqlite", tmp_path / "backups", now=clock)
    yield store
    store.close()


@pytest.fixture
def admin(clinic: Store) -> User:
    return create_first_administrator(clinic, "Anna.Berg ", "Anna Berg", PASSWORD, PASSWORD)


def _actions(store: Store) -> list[str]:
    return [r[0] for r in store.conn.execute("SELECT action FROM audit_log ORDER BY id")]


def test_the_first_administrator_is_created_once_with_a_hashed_password(
    clinic: Store, admin: User
) -> None:
    assert admin.username == "anna.berg"
    assert admin.profession is Profession.ADMINISTRATOR
    assert not needs_first_administrator(clinic)
    stored = clinic.users.password_hash(admin.id)
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    raw = clinic.path.read_bytes() + Path(str(clinic.path) + "-wal").read_bytes()
    assert PASSWORD.encode() not in raw
    with pytest.raises(RuleViolation, match="redan konton"):
        create_first_administrator(clinic, "erik", "Erik Lund", PASSWORD, PASSWORD)
    assert _actions(clinic) == ["user.create"]


@pytest.mark.parametrize(
    ("username", "full_name", "password", "repeated", "field"),
    [
        ("a", "Anna Berg", PASSWORD, PASSWORD, "username"),
        ("anna", " ", PASSWORD, PASSWORD, "full_name"),
        ("anna", "Anna Berg", "kort", "kort", "password"),
        ("anna", "Anna Berg", PASSWORD, PASSWORD + "x", "repeat"),
        ("anna", "Anna Berg", " " + PASSWORD, " " + PASSWORD, "password"),
    ],
)
def test_a_bad_first_administrator_is_refused_and_nothing_saved(
    clinic: Store, username: str, full_name: str, password: str, repeated: str, field: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        create_first_administrator(clinic, username, full_name, password, repeated)
    assert raised.value.message_for(field)
    assert needs_first_administrator(clinic)
    assert clinic.audit.count() == 0


def test_login_with_the_right_password_is_logged(clinic: Store, admin: User) -> None:
    assert log_in(clinic, " ANNA.BERG", PASSWORD) == admin
    assert _actions(clinic)[-1] == "login.ok"


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(
    clinic: Store, admin: User
) -> None:
    with pytest.raises(LoginRefused) as wrong:
        log_in(clinic, "anna.berg", "fel-lösenord")
    with pytest.raises(LoginRefused) as unknown:
        log_in(clinic, "ingen.alls", PASSWORD)
    assert str(wrong.value) == str(unknown.value) == "Fel användarnamn eller lösenord."
    rows = clinic.conn.execute(
        "SELECT user_id, json_extract(detail, '$.reason') FROM audit_log"
        " WHERE action = 'login.failed' ORDER BY id"
    ).fetchall()
    assert rows == [(admin.id, "wrong_password"), (None, "unknown")]


def test_failed_logins_slow_down_the_next_attempts(
    clinic: Store, admin: User, clock: Clock
) -> None:
    for _ in range(3):
        with pytest.raises(LoginRefused):
            log_in(clinic, "anna.berg", "fel")
    with pytest.raises(LoginRefused, match="Vänta 5 sekunder") as early:
        log_in(clinic, "anna.berg", PASSWORD)  # even the right password must wait
    assert early.value.retry_after == 5
    clock.advance(5)
    with pytest.raises(LoginRefused, match="10 sekunder"):
        log_in(clinic, "anna.berg", "fel")  # the fourth failure: the wait doubles
    clock.advance(9)
    with pytest.raises(LoginRefused, match="Vänta 1 sekunder"):
        log_in(clinic, "anna.berg", PASSWORD)
    clock.advance(1)
    assert log_in(clinic, "anna.berg", PASSWORD) == admin
    with pytest.raises(LoginRefused, match=r"^Fel användarnamn eller lösenord\.$"):
        log_in(clinic, "anna.berg", "fel")  # a success starts the count again
    assert _actions(clinic)[1:] == [
        "login.failed",
        "login.failed",
        "login.failed",
        "login.throttled",
        "login.failed",
        "login.throttled",
        "login.ok",
        "login.failed",
    ]


def test_the_wait_doubles_up_to_five_minutes() -> None:
    assert [wait_seconds(n) for n in range(8)] == [0, 0, 0, 5, 10, 20, 40, 80]
    assert wait_seconds(50) == 300


def test_a_closed_account_cannot_log_in(clinic: Store, admin: User) -> None:
    user_id = add_staff(
        clinic, admin, "karin", "Karin Holm", Profession.DENTIST,
        password_hash=hash_password(PASSWORD),
    )  # fmt: skip
    assert log_in(clinic, "karin", PASSWORD).id == user_id
    set_staff_active(clinic, admin, user_id, False)
    with pytest.raises(LoginRefused, match="stängt"):
        log_in(clinic, "karin", PASSWORD)
    with pytest.raises(LoginRefused, match="Fel användarnamn"):
        log_in(clinic, "karin", "fel-lösen")  # a wrong password does not tell it is closed


def test_an_account_without_a_password_cannot_log_in(clinic: Store, admin: User) -> None:
    add_staff(clinic, admin, "petra", "Petra Ek", Profession.RECEPTIONIST)
    with pytest.raises(LoginRefused):
        log_in(clinic, "petra", "")
    assert clinic.conn.execute(
        "SELECT json_extract(detail, '$.reason') FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetchone() == ("no_password",)


def test_unlock_takes_the_locked_users_own_password(clinic: Store, admin: User) -> None:
    other = add_staff(
        clinic, admin, "karin", "Karin Holm", Profession.DENTIST,
        password_hash=hash_password("karins-lösen"),
    )  # fmt: skip
    assert other
    lock_session(clinic, admin, idle=True)
    with pytest.raises(LoginRefused):
        unlock(clinic, admin, "karins-lösen")
    assert unlock(clinic, admin, PASSWORD) == admin
    assert _actions(clinic)[-3:] == ["session.lock", "login.failed", "session.unlock"]


def test_switching_user_records_who_was_logged_in(clinic: Store, admin: User) -> None:
    add_staff(
        clinic, admin, "karin", "Karin Holm", Profession.DENTIST,
        password_hash=hash_password("karins-lösen"),
    )  # fmt: skip
    karin = log_in(clinic, "karin", "karins-lösen", switched_from=admin)
    assert karin.username == "karin"
    assert clinic.conn.execute(
        "SELECT json_extract(detail, '$.switched_from') FROM audit_log ORDER BY id DESC LIMIT 1"
    ).fetchone() == (admin.id,)


def test_passwords_are_changed_by_their_owner_or_a_user_manager(clinic: Store, admin: User) -> None:
    user_id = add_staff(clinic, admin, "karin", "Karin Holm", Profession.DENTIST)
    set_password(clinic, admin, user_id, "första-lösen", "första-lösen")
    karin = log_in(clinic, "karin", "första-lösen")
    with pytest.raises(PermissionDenied):
        set_password(clinic, karin, admin.id, "kapat-lösen", "kapat-lösen")
    with pytest.raises(ValidationError) as raised:
        change_own_password(clinic, karin, "fel", "andra-lösen", "andra-lösen")
    assert raised.value.message_for("current")
    change_own_password(clinic, karin, "första-lösen", "andra-lösen", "andra-lösen")
    assert log_in(clinic, "karin", "andra-lösen") == karin
    with pytest.raises(LoginRefused):
        log_in(clinic, "anna.berg", "kapat-lösen")


def test_only_a_demo_clinic_logs_itself_in(clinic: Store, admin: User) -> None:
    with pytest.raises(LoginRefused, match="demokliniken"):
        enter_demo(clinic, admin)  # a real clinic opened with --demo gets the login dialog
    assert "login.ok" not in _actions(clinic)
    with clinic.transaction():
        clinic.settings.set("demo", True, admin.id)
    assert enter_demo(clinic, admin) == admin
    assert _actions(clinic)[-1] == "login.ok"
