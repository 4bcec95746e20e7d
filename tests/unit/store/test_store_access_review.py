"""The review's filters and flags, computed in SQL."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

from clinic_desk.domain.listing import ListingKind
from clinic_desk.domain.patient_records import PatientDraft
from clinic_desk.domain.people import Profession, User
from clinic_desk.store.access_review import BURST_COUNT, ReviewFilter
from clinic_desk.store.store import Store
from clinic_desk.workflows.listing import ListingDraft, list_patient
from clinic_desk.workflows.patients import open_patient_record, register_patient
from clinic_desk.workflows.staff import ensure_local_user

DAY = date(2026, 11, 23)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 8, 0)

    def __call__(self) -> datetime:
        return self.now


def _setup(tmp_path: Path) -> tuple[Store, Clock, User, User]:
    clock = Clock()
    store = Store.open(tmp_path / "c.sqlite", tmp_path / "b", now=clock)
    admin = ensure_local_user(store)
    with store.transaction():
        nurse_id = store.users.insert("sara", "Sara Nilsson", Profession.DENTAL_NURSE, admin.id)
    nurse = store.users.get(nurse_id)
    assert nurse is not None
    return store, clock, admin, nurse


def test_flags_follow_the_care_relation_protection_and_bursts(
    tmp_path: Path, pid: Callable[..., str]
) -> None:
    store, clock, admin, nurse = _setup(tmp_path)
    from clinic_desk.workflows.clinics import save_clinic
    from tests.conftest import OWN_CLINIC

    own = save_clinic(store, admin, OWN_CLINIC)
    listed = register_patient(store, admin, PatientDraft(pid("20150307"), "Maja", "Lind"), DAY)
    list_patient(store, admin, listed, ListingDraft(own, DAY, ListingKind.CHOICE, "Mamma"))
    strangers = [
        register_patient(store, admin, PatientDraft(pid("2012010" + str(n)), "Ola", f"N{n}"), DAY)
        for n in range(1, 10)
    ]
    clock.now = datetime(2026, 11, 24, 9, 0)
    open_patient_record(store, nurse, listed)  # listed at our clinic: no flag
    open_patient_record(store, nurse, strangers[0])  # not listed, no visit: flagged
    open_patient_record(store, admin, strangers[0])  # not the day it was registered: flagged
    review = store.access_review
    rows = review.rows(ReviewFilter(action="patient.open", first=date(2026, 11, 24)))
    flags = {(r.user_id, r.patient_id): r.flags for r in rows}
    assert flags[(nurse.id, listed)] == frozenset()
    assert flags[(nurse.id, strangers[0])] == {"no_relation"}
    assert flags[(admin.id, strangers[0])] == {"no_relation"}
    assert review.count(ReviewFilter(user_id=nurse.id, first=date(2026, 11, 24))) == 2
    assert review.count(ReviewFilter(patient_id=listed)) >= 2
    assert review.count(ReviewFilter(action="patient.", last=date(2026, 11, 23))) == 10
    # A burst: BURST_COUNT different records within ten minutes.
    for n in range(BURST_COUNT):
        clock.now = datetime(2026, 11, 25, 10, 0) + timedelta(seconds=20 * n)
        open_patient_record(store, nurse, strangers[n % len(strangers)] if n < 9 else listed)
    burst = review.rows(ReviewFilter(first=date(2026, 11, 25), flagged_only=True), limit=100)
    assert any("burst" in r.flags for r in burst) is False  # only 10 different records
    store.close()


def test_a_burst_of_many_records_is_flagged(tmp_path: Path, pid: Callable[..., str]) -> None:
    store, clock, admin, nurse = _setup(tmp_path)
    ids = [
        register_patient(store, admin, PatientDraft(pid(f"2010{n:02d}01"), "Ida", f"P{n}"), DAY)
        for n in range(1, 13)
    ] + [
        register_patient(store, admin, PatientDraft(pid(f"2011{n:02d}01"), "Ida", f"Q{n}"), DAY)
        for n in range(1, 13)
    ]
    for n, patient in enumerate(ids):
        clock.now = datetime(2026, 11, 25, 10, 0) + timedelta(seconds=15 * n)
        open_patient_record(store, nurse, patient)
    rows = store.access_review.rows(ReviewFilter(first=date(2026, 11, 25)), limit=100)
    burst = [r for r in rows if "burst" in r.flags]
    assert len(burst) == len(ids) - BURST_COUNT + 1  # from the 20th record on
    store.close()
