"""Finishing the start-up guide: one clinic-wide fact, one audit entry, own clinic first."""

from __future__ import annotations

import pytest

from clinic_desk.domain.errors import RuleViolation
from clinic_desk.domain.people import Profession, User
from clinic_desk.domain.permissions import PermissionDenied
from clinic_desk.store.store import Store
from clinic_desk.workflows.setup import complete_setup, may_run_setup, setup_complete
from clinic_desk.workflows.staff import add_staff


def test_a_new_clinic_is_not_set_up_until_the_guide_is_finished(
    store: Store, actor: User, clinics: dict[str, int]
) -> None:
    assert not setup_complete(store)
    before = store.audit.count()
    complete_setup(store, actor)
    assert setup_complete(store)
    assert store.audit.count() == before + 1
    row = store.conn.execute("SELECT action, detail FROM audit_log ORDER BY id DESC").fetchone()
    assert row[0] == "setup.complete"
    assert '"first_time": true' in row[1]
    complete_setup(store, actor)  # re-running the guide later is recorded too
    assert store.audit.verify() == []


def test_the_guide_cannot_finish_without_the_own_clinic(store: Store, actor: User) -> None:
    with pytest.raises(RuleViolation, match="egna kliniken"):
        complete_setup(store, actor)
    assert not setup_complete(store)


def test_only_those_who_may_set_up_the_clinic_finish_the_guide(
    store: Store, actor: User, clinics: dict[str, int]
) -> None:
    user_id = add_staff(store, actor, "petra.ek", "Petra Ek", Profession.RECEPTIONIST)
    receptionist = store.users.get(user_id)
    assert receptionist is not None
    assert may_run_setup(actor)
    assert not may_run_setup(receptionist)
    with pytest.raises(PermissionDenied):
        complete_setup(store, receptionist)
    assert not setup_complete(store)
