"""The role matrix over every workflow: each public workflow that acts for a user declares
its permission, and refuses every role without it before reading or writing anything.

The workflows are found, not listed: a new module or function is covered (or fails the
first test) as soon as it exists."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator

import pytest

import clinic_desk.workflows
from clinic_desk.domain.people import Profession, User
from clinic_desk.domain.permissions import PERMISSIONS, PermissionDenied, required_permission
from clinic_desk.store.store import Store


def _workflows() -> Iterator[tuple[str, Callable[..., object]]]:
    for info in pkgutil.iter_modules(clinic_desk.workflows.__path__):
        module = importlib.import_module(f"clinic_desk.workflows.{info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            original = inspect.unwrap(function)
            if name.startswith("_") or original.__module__ != module.__name__:
                continue
            parameters = inspect.signature(original).parameters
            if "actor" in parameters and "store" in parameters:
                yield f"{info.name}.{name}", function


WORKFLOWS = sorted(_workflows())


def test_workflows_are_found() -> None:
    names = {name for name, _ in WORKFLOWS}
    assert {"patients.register_patient", "staff.add_staff", "access_log.export_review"} <= names


@pytest.mark.parametrize(("name", "function"), WORKFLOWS, ids=[n for n, _ in WORKFLOWS])
def test_every_workflow_declares_its_permission(name: str, function: Callable[..., object]) -> None:
    assert required_permission(function) is not None, f"{name} lacks @requires(Permission.…)"


def _user(store: Store, profession: Profession) -> User:
    with store.transaction():
        user_id = store.users.insert(f"test.{profession.value}", "Test Användare", profession, None)
    user = store.users.get(user_id)
    assert user is not None
    return user


def _call(function: Callable[..., object], store: Store, actor: User) -> None:
    """Call with the real store and actor and None for everything else."""
    parameters = inspect.signature(inspect.unwrap(function)).parameters
    arguments = {
        name: store if name == "store" else actor if name == "actor" else None
        for name, parameter in parameters.items()
        if parameter.default is inspect.Parameter.empty
        and parameter.kind not in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    }
    function(**arguments)


@pytest.mark.parametrize("profession", list(Profession), ids=[p.value for p in Profession])
def test_each_role_is_refused_exactly_where_the_matrix_says(
    store: Store, profession: Profession
) -> None:
    actor = _user(store, profession)
    refused = allowed = 0
    for name, function in WORKFLOWS:
        permission = required_permission(function)
        if permission is None:
            continue  # reported by the test above
        changes = store.conn.total_changes
        entries = store.audit.count()
        if permission in PERMISSIONS[profession]:
            try:
                _call(function, store, actor)
            except PermissionDenied as exc:  # pragma: no cover - the failure message
                pytest.fail(f"{name} refused {profession.value}: {exc}")
            except Exception:  # None arguments: any other error is fine here
                pass
            allowed += 1
        else:
            with pytest.raises(PermissionDenied, match="får du inte"):
                _call(function, store, actor)
            assert store.conn.total_changes == changes, f"{name} wrote before refusing"
            assert store.audit.count() == entries
            refused += 1
    assert allowed + refused == len(WORKFLOWS)
    assert allowed
    assert refused
