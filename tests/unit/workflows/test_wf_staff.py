"""Tests for staff accounts and the local account the program runs as."""

from __future__ import annotations

import getpass
from collections.abc import Callable

import pytest

from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.people import Profession, User
from clinic_desk.store.store import Store
from clinic_desk.workflows.staff import add_staff, ensure_local_user, set_staff_active

Counts = Callable[[], dict[str, int]]


def test_the_first_start_creates_exactly_one_administrator(store: Store) -> None:
    assert store.users.count() == 0
    first = ensure_local_user(store)
    assert first.profession is Profession.ADMINISTRATOR
    assert first.active
    assert store.users.count() == 1
    assert store.audit.count() == 1
    second = ensure_local_user(store)
    assert second == first
    assert store.users.count() == 1
    assert store.audit.count() == 1
    row = store.conn.execute("SELECT user_id, action, detail FROM audit_log").fetchone()
    assert row == (first.id, "user.create", '{"first_start": true}')


def test_the_local_user_is_the_administrator_even_with_more_staff(
    store: Store, actor: User, dentist_id: int
) -> None:
    assert ensure_local_user(store) == actor
    assert store.users.count() == 2


def test_add_staff(store: Store, actor: User, counts: Counts) -> None:
    before = counts()
    user_id = add_staff(store, actor, "  Karin.Holm ", " Karin Holm ", Profession.DENTIST)
    assert store.users.get(user_id) == User(user_id, "karin.holm", "Karin Holm", Profession.DENTIST)
    assert counts()["audit_log"] == before["audit_log"] + 1
    row = store.conn.execute(
        "SELECT user_id, action, entity_id, detail FROM audit_log ORDER BY id DESC"
    ).fetchone()
    assert row == (actor.id, "user.create", str(user_id), '{"profession": "dentist"}')


@pytest.mark.parametrize(
    ("username", "full_name", "fields"),
    [
        ("k", "Karin Holm", ["username"]),
        ("karin holm", "Karin Holm", ["username"]),
        ("karin.höglund", "Karin Höglund", ["username"]),
        ("karin", " ", ["full_name"]),
        ("", "", ["username", "full_name"]),
    ],
)
def test_add_staff_checks_the_form(
    store: Store, actor: User, counts: Counts, username: str, full_name: str, fields: list[str]
) -> None:
    before = counts()
    with pytest.raises(ValidationError) as exc:
        add_staff(store, actor, username, full_name, Profession.RECEPTIONIST)
    assert [e.field for e in exc.value.errors] == fields
    assert counts() == before


def test_a_taken_username_is_refused(store: Store, actor: User, counts: Counts) -> None:
    add_staff(store, actor, "karin.holm", "Karin Holm", Profession.DENTIST)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        add_staff(store, actor, "KARIN.HOLM", "Karin Holm II", Profession.HYGIENIST)
    assert exc.value.message_for("username") == "Användarnamnet är upptaget."
    assert counts() == before


def test_closing_and_reopening_an_account(
    store: Store, actor: User, dentist_id: int, counts: Counts
) -> None:
    before = counts()
    set_staff_active(store, actor, dentist_id, False)
    closed = store.users.get(dentist_id)
    assert closed is not None
    assert not closed.active
    assert store.users.with_profession(Profession.DENTIST) == []
    set_staff_active(store, actor, dentist_id, True)
    assert [u.id for u in store.users.with_profession(Profession.DENTIST)] == [dentist_id]
    assert counts()["audit_log"] == before["audit_log"] + 2
    with pytest.raises(ValidationError):
        set_staff_active(store, actor, actor.id, False)
    assert counts()["audit_log"] == before["audit_log"] + 2


@pytest.mark.parametrize(
    ("login", "username"),
    [("Karin.Holm", "karin.holm"), ("björn", "admin"), ("x", "admin"), ("DOMAIN\\kh", "domainkh")],
)
def test_the_local_account_is_named_after_the_login(
    store: Store, monkeypatch: pytest.MonkeyPatch, login: str, username: str
) -> None:
    monkeypatch.setenv("LOGNAME", login)  # the first place getpass looks
    assert ensure_local_user(store).username == username


def test_a_login_the_system_cannot_name_gives_admin(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Some systems have no user variable and no password entry for the uid (KeyError, OSError).
    def no_user() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(getpass, "getuser", no_user)
    user = ensure_local_user(store)
    assert (user.username, user.profession) == ("admin", Profession.ADMINISTRATOR)
