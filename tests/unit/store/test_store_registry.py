"""Tests for the clinic, user and settings repositories."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from clinic_desk.domain.clinics import ClinicDraft
from clinic_desk.domain.people import Profession, User
from clinic_desk.store.store import Store

OWN = ClinicDraft(
    name="Tandkliniken Testgården",
    org_number="559012-3450",
    code="TEST",
    city="Umeå",
    bankgiro="5050-1055",
    f_skatt=True,
    is_own=True,
)
OTHER = ClinicDraft(
    name="Folktandvården Björkbacken", org_number="232100-0222", area_responsible=True
)
THIRD = ClinicDraft(name="Ängens Tandvård", org_number="556036-0793")


# -- clinics -----------------------------------------------------------------------------------


def test_clinic_round_trip(store: Store, actor: User) -> None:
    with store.transaction():
        own_id = store.clinics.insert(OWN, actor.id)
    own = store.clinics.get(own_id)
    assert own is not None
    assert (own.name, own.org_number, own.code, own.bankgiro) == (
        OWN.name,
        OWN.org_number,
        "TEST",
        "5050-1055",
    )
    assert own.is_own
    assert own.f_skatt
    assert not own.area_responsible
    assert own.active
    assert store.clinics.own() == own
    assert store.clinics.by_org_number("559012-3450") == own
    assert store.clinics.get(own_id + 1) is None


def test_no_own_clinic_at_first(store: Store) -> None:
    assert store.clinics.own() is None
    assert store.clinics.all() == []


def test_only_one_own_clinic(store: Store, actor: User) -> None:
    with store.transaction():
        store.clinics.insert(OWN, actor.id)
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.clinics.insert(replace(THIRD, is_own=True), actor.id)


def test_all_lists_own_first_then_by_name_and_hides_inactive(store: Store, actor: User) -> None:
    with store.transaction():
        third = store.clinics.insert(THIRD, actor.id)
        store.clinics.insert(OTHER, actor.id)
        store.clinics.insert(OWN, actor.id)
        store.clinics.set_active(third, False, actor.id)
    assert [c.name for c in store.clinics.all()] == [OWN.name, OTHER.name]
    assert [c.name for c in store.clinics.all(include_inactive=True)] == [
        OWN.name,
        OTHER.name,
        THIRD.name,
    ]
    assert store.clinics.by_org_number(THIRD.org_number) is None


def test_an_inactive_clinics_org_number_may_be_used_again(store: Store, actor: User) -> None:
    with store.transaction():
        old = store.clinics.insert(THIRD, actor.id)
        with pytest.raises(sqlite3.IntegrityError):
            store.clinics.insert(replace(THIRD, name="Ängens Tandvård AB"), actor.id)
        store.clinics.set_active(old, False, actor.id)
        new = store.clinics.insert(replace(THIRD, name="Ängens Tandvård AB"), actor.id)
    found = store.clinics.by_org_number(THIRD.org_number)
    assert found is not None
    assert found.id == new


def test_update_overwrites_and_stamps(store: Store, actor: User, dentist_id: int) -> None:
    with store.transaction():
        clinic_id = store.clinics.insert(OTHER, actor.id)
        store.clinics.update(clinic_id, replace(OTHER, city="Vännäs", phone="090-1"), dentist_id)
    clinic = store.clinics.get(clinic_id)
    assert clinic is not None
    assert (clinic.city, clinic.phone, clinic.area_responsible) == ("Vännäs", "090-1", True)
    stamp = store.conn.execute(
        "SELECT updated_by, created_by FROM clinics WHERE id = ?", (clinic_id,)
    ).fetchone()
    assert stamp == (dentist_id, actor.id)


# -- users ------------------------------------------------------------------------------------


def test_users(store: Store) -> None:
    with store.transaction():
        admin = store.users.insert("admin", "Admin", Profession.ADMINISTRATOR, None)
        karin = store.users.insert("karin.holm", "Karin Holm", Profession.DENTIST, admin)
        erik = store.users.insert("erik.lund", "Erik Lund", Profession.DENTIST, admin)
        store.users.insert("maja.berg", "Maja Berg", Profession.HYGIENIST, admin)
        store.users.set_active(erik, False)
    assert store.users.count() == 4
    assert store.users.get(karin) == User(karin, "karin.holm", "Karin Holm", Profession.DENTIST)
    assert store.users.by_username("karin.holm") == store.users.get(karin)
    assert store.users.by_username("nobody") is None
    assert [u.username for u in store.users.all()] == ["admin", "karin.holm", "maja.berg"]
    assert len(store.users.all(include_inactive=True)) == 4
    assert [u.username for u in store.users.with_profession(Profession.DENTIST)] == ["karin.holm"]
    both = store.users.with_profession(Profession.DENTIST, Profession.HYGIENIST)
    assert [u.username for u in both] == ["karin.holm", "maja.berg"]
    erik_user = store.users.get(erik)
    assert erik_user is not None
    assert not erik_user.active
    with pytest.raises(sqlite3.IntegrityError), store.transaction():
        store.users.insert("karin.holm", "Karin Holm II", Profession.DENTIST, admin)


# -- settings ---------------------------------------------------------------------------------


def test_settings_round_trip_json_values(store: Store, actor: User) -> None:
    assert store.settings.get("missing") is None
    assert store.settings.get("missing", 2) == 2
    with store.transaction():
        store.settings.set("no_show_threshold", 2, actor.id)
        store.settings.set("recall", {"månader": [6, 12], "aktiv": True}, actor.id)
        store.settings.set("no_show_threshold", 3, None)
    assert store.settings.get("no_show_threshold") == 3
    assert store.settings.get("recall") == {"månader": [6, 12], "aktiv": True}
    stored = store.conn.execute("SELECT value, updated_by FROM settings WHERE key='recall'")
    assert stored.fetchone() == ('{"månader": [6, 12], "aktiv": true}', actor.id)
