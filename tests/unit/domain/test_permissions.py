"""The permission matrix: data, messages, and the documented table."""

from __future__ import annotations

from pathlib import Path

import pytest

from clinic_desk.domain.errors import RuleViolation
from clinic_desk.domain.people import Profession, User
from clinic_desk.domain.permissions import (
    PERMISSIONS,
    Permission,
    PermissionDenied,
    allowed,
    require,
    requires,
)

DOC = Path(__file__).resolve().parents[3] / "docs" / "permissions.md"


def _user(profession: Profession, active: bool = True) -> User:
    return User(7, "anna.berg", "Anna Berg", profession, active)


def test_every_profession_has_a_row() -> None:
    assert set(PERMISSIONS) == set(Profession)


@pytest.mark.parametrize("profession", list(Profession))
@pytest.mark.parametrize("permission", list(Permission))
def test_require_follows_the_matrix(profession: Profession, permission: Permission) -> None:
    user = _user(profession)
    if permission in PERMISSIONS[profession]:
        require(user, permission)
        assert allowed(user, permission)
    else:
        with pytest.raises(PermissionDenied, match="får du inte") as raised:
            require(user, permission)
        assert isinstance(raised.value, RuleViolation)
        assert permission.label in str(raised.value)
        assert not allowed(user, permission)


def test_a_closed_account_may_do_nothing() -> None:
    closed = _user(Profession.ADMINISTRATOR, active=False)
    for permission in Permission:
        with pytest.raises(PermissionDenied, match="stängt"):
            require(closed, permission)


def test_the_administrator_keeps_what_the_register_needs() -> None:
    admin = PERMISSIONS[Profession.ADMINISTRATOR]
    assert {Permission.REGISTER_PATIENT, Permission.EDIT_CLINICS, Permission.MANAGE_USERS} <= admin
    assert Permission.SIGN_EXAM not in admin


def test_only_clinicians_sign_and_only_managers_read_the_log() -> None:
    signers = {p for p, perms in PERMISSIONS.items() if Permission.SIGN_EXAM in perms}
    assert signers == {Profession.DENTIST, Profession.HYGIENIST}
    readers = {p for p, perms in PERMISSIONS.items() if Permission.READ_ACCESS_LOG in perms}
    assert readers == {Profession.MANAGER, Profession.ADMINISTRATOR}


def test_the_documented_table_is_the_matrix() -> None:
    text = DOC.read_text(encoding="utf-8")
    table = text.split("<!-- permission-table -->")[1].split("<!-- /permission-table -->")[0]
    lines = [line for line in table.strip().splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header[1:] == [p.label for p in Profession]
    rows = lines[2:]
    assert len(rows) == len(Permission)
    for line, permission in zip(rows, Permission, strict=True):
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert f"`{permission.name}`" in cells[0]
        marks = {p: cells[i + 1] == "✔" for i, p in enumerate(Profession)}
        assert marks == {p: permission in PERMISSIONS[p] for p in Profession}, permission


def test_requires_finds_the_actor_by_position_or_name() -> None:
    @requires(Permission.MANAGE_USERS)
    def act(store: object, actor: User, value: int) -> int:
        return value

    assert act(None, _user(Profession.MANAGER), 3) == 3
    assert act(None, actor=_user(Profession.MANAGER), value=4) == 4
    with pytest.raises(PermissionDenied):
        act(None, _user(Profession.DENTIST), 3)
    with pytest.raises(PermissionDenied):
        act(None, actor=_user(Profession.RECEPTIONIST), value=3)


def test_requires_needs_an_actor_parameter() -> None:
    with pytest.raises(TypeError):

        @requires(Permission.EXPORT)
        def no_actor(store: object) -> None:
            return None
