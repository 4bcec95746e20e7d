"""Batch summoning: 200 due patients, times offered, letters by household, all archived."""

from __future__ import annotations

import io
import random
from datetime import date, datetime

import pytest
from pypdf import PdfReader

from clinic_desk.domain.appointments import AppointmentStatus
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.listing import ListingKind
from clinic_desk.domain.patient_records import GuardianDraft, PatientDraft
from clinic_desk.domain.people import Profession, User
from clinic_desk.domain.personal_id import luhn_check_digit
from clinic_desk.store.recall import RecallFilter
from clinic_desk.store.store import Store
from clinic_desk.workflows.listing import ListingDraft
from clinic_desk.workflows.patients import register_patient
from clinic_desk.workflows.recall import recall_list
from clinic_desk.workflows.recall_letters import (
    plan_letters,
    save_template,
    send_letter,
    summon,
    template,
)
from clinic_desk.workflows.staff import add_staff

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 8, 0)


def _pid(birth: date, serial: int) -> str:
    tail = f"{serial:03d}"
    return f"{birth:%Y%m%d}-{tail}{luhn_check_digit(birth.strftime('%y%m%d') + tail)}"


@pytest.fixture
def households(store: Store, actor: User, clinics: dict[str, int], dentist_id: int) -> list[int]:
    """100 households of two siblings born 2023 (due 2026-12-31 by the first-exam rule)."""
    add_staff(store, actor, "maja.berg", "Maja Berg", Profession.HYGIENIST)
    rng = random.Random(3)
    ids = []
    with store.transaction():
        for family in range(100):
            surname = f"Testsson{family:03d}"
            street = f"Storgatan {family + 1}"
            parent = GuardianDraft(
                _pid(date(1985, 1, 1 + family % 28), 200 + family),
                "Anna",
                surname,
                street,
                "903 25",
                "Umeå",
                "070-1234567",
            )
            for sibling in range(2):
                birth = date(2023, 1 + sibling * 6, 1 + family % 28)
                ids.append(
                    register_patient(
                        store,
                        actor,
                        PatientDraft(
                            _pid(birth, 10 * family + sibling + 1),
                            rng.choice(("Alva", "Hugo", "Märta")) + str(sibling),
                            surname,
                            street,
                            "903 25",
                            "Umeå",
                            responsible_dentist_id=dentist_id,
                        ),
                        TODAY,
                        guardians=(parent,),
                        listing=ListingDraft(
                            clinics["own"], date(2026, 1, 5), ListingKind.CHOICE, "Anna " + surname
                        ),
                    )
                )
    return ids


def test_summon_two_hundred_and_write_one_letter_per_household(
    store: Store, actor: User, households: list[int], tmp_path: object
) -> None:
    december = RecallFilter(due_from=date(2026, 12, 1), due_to=date(2026, 12, 31))
    due = {r.patient_id: r.due_date for r in recall_list(store, TODAY, NOW, december)}
    assert len(due) == 200
    booked = summon(store, actor, sorted(due), due, TODAY, NOW)
    assert len(booked) == 200
    times = [store.appointments.get(i) for i in booked]
    assert all(t is not None and t.status is AppointmentStatus.SUMMONED for t in times)
    starts = sorted(t.start for t in times if t is not None)
    assert starts[0] == datetime(2026, 11, 30, 8, 0)  # a month before due, first free
    assert len({s.date() for s in starts}) >= 10  # spread over working days
    assert all(s.weekday() < 5 for s in starts)
    assert len(set(starts)) == 200  # one dentist: never two at once

    plan = plan_letters(store, sorted(due), TODAY, NOW)
    assert len(plan.letters) == 100  # siblings share their guardian's letter
    assert all(len(letter.children) == 2 for letter in plan.letters)
    before = store.audit.count()
    documents = [d for letter in plan.letters for d in send_letter(store, actor, letter, TODAY)]
    assert len(documents) == 200  # archived with each child
    assert store.audit.count() == before + 100
    first = documents[0]
    assert first.patient_id is not None
    text = PdfReader(io.BytesIO(store.documents.content(first.id))).pages[0].extract_text()
    assert "Kallelse" in text
    assert "Anna Testsson" in text
    assert "kl. 08:00" in text
    assert "Storgatan" in text


def test_a_template_must_keep_the_times(store: Store, actor: User) -> None:
    with pytest.raises(ValidationError) as missing:
        save_template(store, actor, "recall_booked", "Hej {mottagare}! Välkommen.")
    assert "{tider}" in str(missing.value)
    with pytest.raises(ValidationError):
        save_template(store, actor, "recall_booked", "Hej {namn}! {tider}")
    save_template(store, actor, "recall_booked", "Hej {mottagare}!\n\n{tider}\n\n{klinik}")
    assert template(store, "recall_booked").startswith("Hej {mottagare}!")
    save_template(store, actor, "recall_booked", "")
    assert "Det är dags" in template(store, "recall_booked")
