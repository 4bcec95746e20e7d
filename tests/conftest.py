"""Shared test setup: offscreen Qt, a fixed clock, fresh clinic databases in tmp_path."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend

from clinic_desk.domain.clinics import ClinicDraft
from clinic_desk.domain.patient_records import GuardianDraft, PatientDraft
from clinic_desk.domain.people import Profession, User
from clinic_desk.domain.personal_id import luhn_check_digit
from clinic_desk.paths import AppPaths, paths_for
from clinic_desk.store.store import Store
from clinic_desk.workflows.clinics import save_clinic
from clinic_desk.workflows.listing import ListingDraft
from clinic_desk.workflows.patients import register_patient
from clinic_desk.workflows.staff import add_staff, ensure_local_user

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 30, 0)

OWN_CLINIC = ClinicDraft(
    name="Tandkliniken Testgården",
    org_number="559012-3450",
    code="TEST",
    address_line="Storgatan 1",
    postal_code="903 26",
    city="Umeå",
    bankgiro="5050-1055",
    f_skatt=True,
    is_own=True,
)
OTHER_CLINIC = ClinicDraft(
    name="Folktandvården Björkbacken",
    org_number="232100-0222",
    code="BJBK",
    city="Umeå",
    area_responsible=True,
)
THIRD_CLINIC = ClinicDraft(
    name="Tandläkarhuset Norrsken", org_number="556036-0793", code="NORR", city="Umeå"
)


class MemoryKeyring(KeyringBackend):
    """The OS keyring's stand-in: secrets in a dict, gone when the test ends."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.secrets: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.secrets.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.secrets[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.secrets.pop((service, username), None)


@pytest.fixture(autouse=True)
def memory_keyring() -> Iterator[MemoryKeyring]:
    """No test touches the real keyring: every test gets an empty in-memory one."""
    before = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    yield backend
    keyring.set_keyring(before)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def app_paths(tmp_path: Path) -> AppPaths:
    return paths_for(tmp_path / "clinic").ensure()


@pytest.fixture
def store(app_paths: AppPaths) -> Iterator[Store]:
    opened = Store.open(app_paths.database, app_paths.backup_dir, now=lambda: NOW)
    yield opened
    opened.conn.close()


@pytest.fixture
def actor(store: Store) -> User:
    return ensure_local_user(store)


@pytest.fixture
def clinics(store: Store, actor: User) -> dict[str, int]:
    """Our own clinic and two others; name -> id."""
    return {
        "own": save_clinic(store, actor, OWN_CLINIC),
        "other": save_clinic(store, actor, OTHER_CLINIC),
        "third": save_clinic(store, actor, THIRD_CLINIC),
    }


@pytest.fixture
def dentist_id(store: Store, actor: User) -> int:
    return add_staff(store, actor, "karin.holm", "Karin Holm", Profession.DENTIST)


# -- helpers for the unit tests (added with tests/unit/store and tests/unit/workflows) ----------

COUNTED_TABLES = ("patients", "guardians", "patient_guardians", "listings", "audit_log", "clinics")


@pytest.fixture
def pid() -> Callable[..., str]:
    """A valid canonical personal number for a birth date 'YYYYMMDD' and a serial 'NNN'."""

    def make(birth: str, serial: str = "238") -> str:
        return f"{birth}-{serial}{luhn_check_digit(birth[2:] + serial)}"

    return make


@pytest.fixture
def register(store: Store, actor: User, today: date) -> Callable[..., int]:
    """Register a patient through the workflow: register(personal_id, first, last, **more)."""

    def make(
        personal_id: str,
        first_name: str,
        last_name: str,
        *,
        guardians: tuple[GuardianDraft, ...] = (),
        listing: ListingDraft | None = None,
        **fields: Any,
    ) -> int:
        draft = PatientDraft(personal_id, first_name, last_name, **fields)
        return register_patient(store, actor, draft, today, guardians=guardians, listing=listing)

    return make


@pytest.fixture
def counts(store: Store) -> Callable[[], dict[str, int]]:
    """How many rows the tables that user actions write to hold now."""

    def count() -> dict[str, int]:
        return {
            table: int(store.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in COUNTED_TABLES
        }

    return count
