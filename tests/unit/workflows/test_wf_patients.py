"""Tests for the patient register workflows: one user action, one transaction, one entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest

from clinic_desk.domain.errors import DuplicatePersonalId, NotFound, ValidationError
from clinic_desk.domain.letters import letter_recipients
from clinic_desk.domain.listing import ListingKind
from clinic_desk.domain.patient_records import GuardianDraft, PatientDraft
from clinic_desk.domain.people import User
from clinic_desk.store.store import Store
from clinic_desk.workflows.listing import ListingDraft
from clinic_desk.workflows.patients import (
    add_guardian,
    end_patient,
    find_guardian,
    open_patient_record,
    register_patient,
    remove_guardian,
    resume_patient,
    reveal_protected_identity,
    update_guardian,
    update_patient,
)

Counts = Callable[[], dict[str, int]]


@pytest.fixture
def mother(pid: Callable[..., str]) -> GuardianDraft:
    return GuardianDraft(
        personal_id=pid("19840612", "402")[2:],  # typed without the century
        first_name="Anna",
        last_name="Lindqvist",
        address_line="Storgatan 1",
        postal_code="90326",
        city="Umeå",
        phone="070-123 45 67",
        relation="Förälder",
    )


@pytest.fixture
def father() -> GuardianDraft:
    return GuardianDraft(
        personal_id="",
        first_name="Johan",
        last_name="Lindqvist",
        address_line="Kungsgatan 9",
        postal_code="903 30",
        city="Umeå",
        receives_letters=False,
    )


def _entries(store: Store) -> list[tuple[str, int | None]]:
    rows = store.conn.execute("SELECT action, patient_id FROM audit_log ORDER BY id").fetchall()
    return [(str(r[0]), r[1]) for r in rows]


# -- registering ----------------------------------------------------------------------------


def test_register_a_child_with_two_guardians(
    store: Store,
    actor: User,
    today: date,
    pid: Callable[..., str],
    mother: GuardianDraft,
    father: GuardianDraft,
    counts: Counts,
) -> None:
    before = counts()
    draft = PatientDraft(
        f"  {pid('20150307')[2:]} ",
        " Maja ",
        "Lindqvist ",
        address_line="Storgatan 1",
        postal_code="90326",
        city="Umeå",
    )
    patient_id = register_patient(store, actor, draft, today, guardians=(mother, father))
    after = counts()
    assert after["patients"] == before["patients"] + 1
    assert after["guardians"] == before["guardians"] + 2
    assert after["patient_guardians"] == before["patient_guardians"] + 2
    assert after["audit_log"] == before["audit_log"] + 1
    patient = store.patients.get(patient_id)
    assert patient is not None
    assert patient.personal_id == pid("20150307")
    assert (patient.first_name, patient.last_name, patient.postal_code) == (
        "Maja",
        "Lindqvist",
        "903 26",
    )
    assert patient.birth_date == date(2015, 3, 7)
    assert not patient.is_reserve_number
    links = store.guardians.for_patient(patient_id)
    assert [link.guardian.first_name for link in links] == ["Anna", "Johan"]
    assert links[0].guardian.personal_id == pid("19840612", "402")
    assert [link.receives_letters for link in links] == [True, False]
    (entry,) = store.audit.for_patient(patient_id)
    assert entry.action == "patient.create"
    assert entry.detail == {
        "guardians": [link.guardian.id for link in links],
        "listing": None,
        "reserve_number": False,
    }


def test_siblings_share_one_guardian_row(
    store: Store,
    actor: User,
    today: date,
    pid: Callable[..., str],
    mother: GuardianDraft,
    counts: Counts,
) -> None:
    maja = register_patient(
        store, actor, PatientDraft(pid("20150307"), "Maja", "Lindqvist"), today, (mother,)
    )
    (anna,) = store.guardians.for_patient(maja)
    before = counts()
    # The form found her by number and passes her id along.
    olle = register_patient(
        store,
        actor,
        PatientDraft(pid("20120101"), "Olle", "Lindqvist"),
        today,
        (replace(mother, existing_id=anna.guardian.id),),
    )
    # Typed in again by hand, with the same personal number in another form.
    typed_again = replace(mother, personal_id=pid("19840612", "402").replace("-", ""))
    lo = register_patient(
        store, actor, PatientDraft(pid("20180202"), "Lo", "Lindqvist"), today, (typed_again,)
    )
    after = counts()
    assert after["guardians"] == before["guardians"]  # no duplicate guardian
    assert after["patient_guardians"] == before["patient_guardians"] + 2
    assert sorted(store.guardians.children_of(anna.guardian.id)) == sorted([maja, olle, lo])
    for child in (olle, lo):
        (link,) = store.guardians.for_patient(child)
        assert link.guardian.id == anna.guardian.id


def test_register_with_a_first_listing(
    store: Store, actor: User, today: date, pid: Callable[..., str], clinics: dict[str, int]
) -> None:
    listing = ListingDraft(clinics["own"], today, ListingKind.CHOICE, " Anna Lindqvist ")
    patient_id = register_patient(
        store, actor, PatientDraft(pid("20150307"), "Maja", "Lindqvist"), today, listing=listing
    )
    (item,) = store.listings.for_patient(patient_id)
    assert (item.clinic_id, item.responsible_from, item.responsible_to) == (
        clinics["own"],
        today,
        None,
    )
    assert item.consent_given_by == "Anna Lindqvist"
    (entry,) = store.audit.for_patient(patient_id)
    assert entry.detail["listing"] == item.id


def test_a_bad_listing_saves_nothing(
    store: Store,
    actor: User,
    today: date,
    pid: Callable[..., str],
    clinics: dict[str, int],
    mother: GuardianDraft,
    counts: Counts,
) -> None:
    before = counts()
    listing = ListingDraft(9999, today, ListingKind.CHOICE, "Anna")
    with pytest.raises(ValidationError) as exc:
        register_patient(
            store,
            actor,
            PatientDraft(pid("20150307"), "Maja", "Lindqvist"),
            today,
            (mother,),
            listing,
        )
    assert exc.value.message_for("clinic_id")
    assert counts() == before


def test_a_young_adult_gets_their_own_letters(
    store: Store, actor: User, today: date, pid: Callable[..., str], mother: GuardianDraft
) -> None:
    adult = register_patient(
        store,
        actor,
        PatientDraft(pid("20081123"), "Elsa", "Lindqvist", address_line="Ek 1"),
        today,
        (mother,),
    )
    child = register_patient(
        store, actor, PatientDraft(pid("20081124"), "Ebba", "Lindqvist"), today, (mother,)
    )
    adult_record = open_patient_record(store, actor, adult)
    (recipient,) = letter_recipients(adult_record.patient, adult_record.guardians, today)
    assert (recipient.name, recipient.address_line, recipient.guardian_id) == (
        "Elsa Lindqvist",
        "Ek 1",
        None,
    )
    child_record = open_patient_record(store, actor, child)
    (recipient,) = letter_recipients(child_record.patient, child_record.guardians, today)
    assert recipient.name == "Anna Lindqvist"
    assert recipient.guardian_id == child_record.guardians[0].guardian.id


def test_a_duplicate_personal_number_is_refused_and_nothing_saved(
    store: Store,
    actor: User,
    today: date,
    pid: Callable[..., str],
    mother: GuardianDraft,
    clinics: dict[str, int],
    counts: Counts,
) -> None:
    existing = register_patient(
        store, actor, PatientDraft(pid("20150307"), "Maja", "Lindqvist"), today
    )
    before = counts()
    listing = ListingDraft(clinics["own"], today, ListingKind.CHOICE, "Anna")
    for typed in (pid("20150307"), pid("20150307")[2:].replace("-", "")):
        with pytest.raises(DuplicatePersonalId) as exc:
            register_patient(
                store, actor, PatientDraft(typed, "Maja", "Andersson"), today, (mother,), listing
            )
        assert exc.value.existing_patient_id == existing
        assert exc.value.existing_name == "Maja Lindqvist"
        assert "Maja Lindqvist" in (exc.value.message_for("personal_id") or "")
    assert counts() == before


@pytest.mark.parametrize("typed", ["20150307-2385", "20151332-2384", "", "hej"])
def test_an_invalid_personal_number_saves_nothing(
    store: Store, actor: User, today: date, counts: Counts, typed: str
) -> None:
    before = counts()
    with pytest.raises(ValidationError) as exc:
        register_patient(store, actor, PatientDraft(typed, "Maja", "Lindqvist"), today)
    assert [e.field for e in exc.value.errors] == ["personal_id"]
    assert counts() == before


def test_an_invalid_guardian_saves_nothing(
    store: Store, actor: User, today: date, pid: Callable[..., str], counts: Counts
) -> None:
    before = counts()
    bad = GuardianDraft(personal_id="19840612-0000", first_name="", last_name="Lindqvist")
    with pytest.raises(ValidationError) as exc:
        register_patient(
            store, actor, PatientDraft(pid("20150307"), "Maja", "Lindqvist"), today, (bad,)
        )
    assert {e.field for e in exc.value.errors} == {"guardians"}
    assert all(e.message.startswith("Vårdnadshavare 1: ") for e in exc.value.errors)
    assert counts() == before


def test_reserve_numbers_for_patients_without_a_swedish_number(
    store: Store, actor: User, today: date
) -> None:
    def reserve(first: str, born: date) -> str:
        patient_id = register_patient(
            store, actor, PatientDraft("", first, "Hassan", reserve_birth_date=born), today
        )
        patient = store.patients.get(patient_id)
        assert patient is not None
        assert patient.is_reserve_number
        assert patient.birth_date == born
        return patient.personal_id

    assert reserve("Amir", date(2019, 5, 4)) == "20190504-R001"
    assert reserve("Amira", date(2019, 5, 4)) == "20190504-R002"
    assert reserve("Omar", date(2017, 1, 31)) == "20170131-R001"


def test_a_new_reserve_number_skips_one_typed_by_hand(
    store: Store, actor: User, today: date
) -> None:
    register_patient(store, actor, PatientDraft("20190504-r001", "Amir", "Hassan"), today)
    second = register_patient(
        store,
        actor,
        PatientDraft("", "Amira", "Hassan", reserve_birth_date=date(2019, 5, 4)),
        today,
    )
    patient = store.patients.get(second)
    assert patient is not None
    assert patient.personal_id == "20190504-R002"
    with pytest.raises(DuplicatePersonalId):
        register_patient(store, actor, PatientDraft("20190504-R002", "Omar", "Hassan"), today)


# -- opening and changing -------------------------------------------------------------------


def test_opening_a_record_is_logged_once(
    store: Store,
    actor: User,
    today: date,
    pid: Callable[..., str],
    mother: GuardianDraft,
    clinics: dict[str, int],
    counts: Counts,
) -> None:
    listing = ListingDraft(clinics["own"], today, ListingKind.CHOICE, "Anna")
    patient_id = register_patient(
        store,
        actor,
        PatientDraft(pid("20150307"), "Maja", "Lindqvist"),
        today,
        (mother,),
        listing,
    )
    before = counts()
    record = open_patient_record(store, actor, patient_id)
    assert counts()["audit_log"] == before["audit_log"] + 1
    latest = store.audit.for_patient(patient_id, limit=1)[0]
    assert (latest.action, latest.user_id, latest.entity_id) == (
        "patient.open",
        actor.id,
        str(patient_id),
    )
    assert record.patient.id == patient_id
    assert [link.guardian.first_name for link in record.guardians] == ["Anna"]
    assert [item.clinic_id for item in record.listings] == [clinics["own"]]
    with pytest.raises(NotFound):
        open_patient_record(store, actor, patient_id + 100)
    assert counts()["audit_log"] == before["audit_log"] + 1


def test_update_patient_logs_the_changed_fields(
    store: Store, actor: User, today: date, pid: Callable[..., str], dentist_id: int
) -> None:
    patient_id = register_patient(
        store, actor, PatientDraft(pid("20150307"), "Maja", "Lindqvist"), today
    )
    update_patient(
        store,
        actor,
        patient_id,
        PatientDraft(
            pid("20150307"), "Maja", "Öberg", city="Umeå", responsible_dentist_id=dentist_id
        ),
        today,
    )
    patient = store.patients.get(patient_id)
    assert patient is not None
    assert (patient.last_name, patient.city, patient.responsible_dentist_id) == (
        "Öberg",
        "Umeå",
        dentist_id,
    )
    entry = store.audit.for_patient(patient_id, limit=1)[0]
    assert entry.action == "patient.update"
    assert entry.detail == {"fields": ["city", "last_name", "responsible_dentist_id"]}


def test_update_to_another_patients_number_is_refused(
    store: Store, actor: User, today: date, pid: Callable[..., str], counts: Counts
) -> None:
    maja = register_patient(store, actor, PatientDraft(pid("20150307"), "Maja", "L"), today)
    olle = register_patient(store, actor, PatientDraft(pid("20120101"), "Olle", "L"), today)
    before = counts()
    with pytest.raises(DuplicatePersonalId) as exc:
        update_patient(store, actor, olle, PatientDraft(pid("20150307"), "Olle", "L"), today)
    assert exc.value.existing_patient_id == maja
    assert counts() == before
    still = store.patients.get(olle)
    assert still is not None
    assert still.personal_id == pid("20120101")


def test_switching_a_patient_to_a_reserve_number_gives_a_new_one(
    store: Store, actor: User, today: date, pid: Callable[..., str]
) -> None:
    # The form clears the personal number field when "Reservnummer" is ticked.
    patient_id = register_patient(
        store, actor, PatientDraft(pid("20150307"), "Maja", "Lindqvist"), today
    )
    born = date(2015, 3, 8)
    update_patient(
        store,
        actor,
        patient_id,
        PatientDraft("", "Maja", "Lindqvist", reserve_birth_date=born),
        today,
    )
    patient = store.patients.get(patient_id)
    assert patient is not None
    assert (patient.personal_id, patient.birth_date, patient.is_reserve_number) == (
        "20150308-R001",
        born,
        True,
    )


def test_saving_a_reserve_patient_again_keeps_the_number(
    store: Store, actor: User, today: date
) -> None:
    born = date(2019, 5, 4)
    patient_id = register_patient(
        store, actor, PatientDraft("", "Amir", "Hassan", reserve_birth_date=born), today
    )
    for draft in (
        PatientDraft("20190504-R001", "Amir", "Hassan", city="Umeå"),  # the read-only field
        PatientDraft("", "Amir", "Hassan", city="Umeå", reserve_birth_date=born),
    ):
        update_patient(store, actor, patient_id, draft, today)
        patient = store.patients.get(patient_id)
        assert patient is not None
        assert patient.personal_id == "20190504-R001"
    assert store.patients.count_all() == 1


def test_update_of_a_missing_patient(store: Store, actor: User, today: date) -> None:
    with pytest.raises(NotFound):
        update_patient(
            store, actor, 999, PatientDraft("", "A", "B", reserve_birth_date=today), today
        )


def test_ending_and_resuming_a_patient(
    store: Store,
    actor: User,
    today: date,
    pid: Callable[..., str],
    clinics: dict[str, int],
    counts: Counts,
) -> None:
    listing = ListingDraft(clinics["own"], date(2020, 1, 1), ListingKind.CHOICE, "Anna")
    patient_id = register_patient(
        store, actor, PatientDraft(pid("20150307"), "Maja", "L"), today, listing=listing
    )
    before = counts()
    with pytest.raises(ValidationError) as exc:
        end_patient(store, actor, patient_id, today, "  ")
    assert exc.value.message_for("end_reason")
    assert counts() == before
    end_patient(store, actor, patient_id, today, " Flyttat från regionen ")
    patient = store.patients.get(patient_id)
    assert patient is not None
    assert (patient.end_date, patient.end_reason) == (today, "Flyttat från regionen")
    (item,) = store.listings.for_patient(patient_id)
    assert (item.responsible_to, item.end_reason) == (today, "Patienten avslutad")
    with pytest.raises(ValidationError):
        end_patient(store, actor, patient_id, today, "Igen")
    resume_patient(store, actor, patient_id)
    resumed = store.patients.get(patient_id)
    assert resumed is not None
    assert resumed.active
    assert counts()["audit_log"] == before["audit_log"] + 2
    assert [e.action for e in store.audit.for_patient(patient_id, limit=2)] == [
        "patient.resume",
        "patient.end",
    ]


def test_reveal_protected_identity_needs_a_reason(
    store: Store, actor: User, today: date, pid: Callable[..., str], counts: Counts
) -> None:
    patient_id = register_patient(
        store, actor, PatientDraft(pid("20150307"), "Maja", "L", protected_identity=True), today
    )
    before = counts()
    with pytest.raises(ValidationError):
        reveal_protected_identity(store, actor, patient_id, "")
    assert counts() == before
    patient = reveal_protected_identity(store, actor, patient_id, "Kallelse ska skickas")
    assert patient.first_name == "Maja"
    entry = store.audit.for_patient(patient_id, limit=1)[0]
    assert (entry.action, entry.detail) == (
        "patient.reveal_protected",
        {"reason": "Kallelse ska skickas"},
    )


# -- guardians ------------------------------------------------------------------------------


def test_guardian_actions(
    store: Store,
    actor: User,
    today: date,
    pid: Callable[..., str],
    mother: GuardianDraft,
    father: GuardianDraft,
    counts: Counts,
) -> None:
    maja = register_patient(store, actor, PatientDraft(pid("20150307"), "Maja", "L"), today)
    anna = add_guardian(store, actor, maja, mother, today)
    johan = add_guardian(store, actor, maja, father, today)
    assert [link.guardian.id for link in store.guardians.for_patient(maja)] == [anna, johan]
    update_guardian(
        store,
        actor,
        maja,
        anna,
        replace(mother, phone="070-999 99 99", receives_letters=False),
        today,
    )
    links = {link.guardian.id: link for link in store.guardians.for_patient(maja)}
    assert links[anna].guardian.phone == "070-999 99 99"
    assert not links[anna].receives_letters
    remove_guardian(store, actor, maja, johan)
    assert [link.guardian.id for link in store.guardians.for_patient(maja)] == [anna]
    actions = [e.action for e in store.audit.for_patient(maja)]
    assert actions == [
        "guardian.unlink",
        "guardian.update",
        "guardian.link",
        "guardian.link",
        "patient.create",
    ]
    with pytest.raises(NotFound):
        add_guardian(store, actor, 999, mother, today)


def test_a_guardian_cannot_take_another_guardians_number(
    store: Store,
    actor: User,
    today: date,
    pid: Callable[..., str],
    mother: GuardianDraft,
    father: GuardianDraft,
    counts: Counts,
) -> None:
    maja = register_patient(
        store, actor, PatientDraft(pid("20150307"), "Maja", "L"), today, (mother, father)
    )
    anna, johan = (link.guardian.id for link in store.guardians.for_patient(maja))
    before = counts()
    with pytest.raises(ValidationError) as exc:
        update_guardian(
            store, actor, maja, johan, replace(father, personal_id=mother.personal_id), today
        )
    assert exc.value.message_for("personal_id")
    assert counts() == before
    johan_now = store.guardians.get(johan)
    assert johan_now is not None
    assert johan_now.personal_id == ""
    # The same number on a sibling's form links Anna instead of clashing.
    olle = register_patient(
        store,
        actor,
        PatientDraft(pid("20120101"), "Olle", "L"),
        today,
        (replace(father, personal_id=mother.personal_id, first_name="Anna"),),
    )
    assert [link.guardian.id for link in store.guardians.for_patient(olle)] == [anna]


def test_find_guardian_by_any_form_of_the_number(
    store: Store, actor: User, today: date, pid: Callable[..., str], mother: GuardianDraft
) -> None:
    register_patient(store, actor, PatientDraft(pid("20150307"), "Maja", "L"), today, (mother,))
    number = pid("19840612", "402")
    for typed in (number, number[2:], number.replace("-", "")):
        found = find_guardian(store, typed, today)
        assert found is not None
        assert found.first_name == "Anna"
    assert find_guardian(store, "19840612-0000", today) is None
    assert find_guardian(store, "", today) is None
    assert find_guardian(store, pid("19900101"), today) is None
