"""The demo clinic: made-up but realistic data, the same every time for the same seed.

Used by `clinic-desk --demo`, `clinic-desk demo-data`, the tests, the benchmarks and the
screenshot script. It goes through the same workflows as the screens do, inside one
transaction per batch so that building 100,000 patients takes seconds, not hours.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from clinic_desk.demo_accounts import DEMO_PASSWORD as DEMO_PASSWORD
from clinic_desk.demo_accounts import give_demo_passwords as give_demo_passwords
from clinic_desk.demo_appointments import build_demo_appointments
from clinic_desk.demo_compliance import build_demo_compliance
from clinic_desk.demo_emergency import build_demo_emergency, emergency_visit_count
from clinic_desk.demo_exams import build_demo_exams
from clinic_desk.demo_exports import build_demo_exports
from clinic_desk.domain.clinics import ClinicDraft
from clinic_desk.domain.listing import ListingKind
from clinic_desk.domain.patient_records import GuardianDraft, PatientDraft
from clinic_desk.domain.people import Profession, User
from clinic_desk.domain.personal_id import luhn_check_digit
from clinic_desk.store.store import Store
from clinic_desk.workflows.clinics import save_clinic
from clinic_desk.workflows.listing import ListingDraft, list_patient
from clinic_desk.workflows.patients import end_patient, register_patient
from clinic_desk.workflows.staff import add_staff, ensure_local_user

DEFAULT_SEED = 20261123
DEFAULT_PATIENTS = 3000

GIRLS = (
    "Alice",
    "Maja",
    "Elsa",
    "Astrid",
    "Wilma",
    "Freja",
    "Olivia",
    "Selma",
    "Alma",
    "Ella",
    "Ebba",
    "Saga",
    "Agnes",
    "Vera",
    "Lilly",
    "Stella",
    "Signe",
    "Alva",
    "Ines",
    "Juni",
    "Majken",
    "Tyra",
    "Ellen",
    "Hedda",
    "Elvira",
    "Linnea",
    "Klara",
    "Nora",
    "Ester",
    "Sigrid",
    "Märta",
    "Åsa",
    "Mira",
    "Ida",
    "Moa",
    "Tilde",
    "Hanna",
    "Emilia",
    "Greta",
    "Sofia",
)
BOYS = (
    "Noah",
    "William",
    "Hugo",
    "Liam",
    "Lucas",
    "Oliver",
    "Elias",
    "Adam",
    "Alexander",
    "Nils",
    "Vincent",
    "Leo",
    "Theo",
    "Oscar",
    "Olle",
    "Matteo",
    "Ludvig",
    "Frans",
    "Axel",
    "Vide",
    "Sixten",
    "Harry",
    "Gustav",
    "Isak",
    "Charlie",
    "Melvin",
    "Arvid",
    "Loke",
    "Ture",
    "Albin",
    "Björn",
    "Måns",
    "Östen",
    "Ivar",
    "Edvin",
    "Filip",
    "Jonatan",
    "Anton",
    "Viktor",
    "Emil",
)
ADULT_WOMEN = (
    "Anna",
    "Maria",
    "Karin",
    "Sara",
    "Emma",
    "Johanna",
    "Linda",
    "Malin",
    "Jenny",
    "Sofie",
    "Camilla",
    "Elin",
    "Frida",
    "Helena",
    "Jessica",
    "Lena",
    "Therese",
    "Åsa",
    "Annika",
    "Petra",
)
ADULT_MEN = (
    "Johan",
    "Erik",
    "Anders",
    "Peter",
    "Mikael",
    "Daniel",
    "Fredrik",
    "Magnus",
    "Jonas",
    "Andreas",
    "Mattias",
    "Niklas",
    "Marcus",
    "Stefan",
    "Henrik",
    "Per",
    "Jörgen",
    "Oskar",
    "Tobias",
    "Martin",
)
SURNAMES = (
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Lindberg",
    "Lindström",
    "Lindqvist",
    "Lindgren",
    "Berglund",
    "Bergström",
    "Lundberg",
    "Lundqvist",
    "Sandberg",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Eklund",
    "Danielsson",
    "Lundin",
    "Håkansson",
    "Björk",
    "Bergman",
    "Holmberg",
    "Nyström",
    "Holmgren",
    "Öberg",
    "Åström",
    "Marklund",
    "Lundmark",
    "Burman",
    "Granström",
    "Nordin",
    "Hedlund",
    "Sundqvist",
    "Ström",
    "Åberg",
    "Ahmed",
    "Hassan",
    "Ali",
    "Mohammed",
    "Nguyen",
    "Kowalski",
    "Virtanen",
    "Niemi",
    "Korhonen",
)
STREETS = (
    "Storgatan",
    "Kungsgatan",
    "Skolgatan",
    "Rådhusesplanaden",
    "Västra Esplanaden",
    "Björkvägen",
    "Tallvägen",
    "Granvägen",
    "Älvvägen",
    "Ålidhemsvägen",
    "Mariehemsvägen",
    "Tvistevägen",
    "Sandbacka",
    "Klockarbacken",
    "Myrvägen",
    "Fjällvägen",
    "Norrlandsgatan",
    "Östra Kyrkogatan",
    "Backenvägen",
    "Holmsundsvägen",
)
TOWNS = (
    ("Umeå", "903"),
    ("Umeå", "904"),
    ("Umeå", "907"),
    ("Holmsund", "913"),
    ("Vännäs", "911"),
    ("Hörnefors", "914"),
    ("Sävar", "918"),
    ("Robertsfors", "915"),
    ("Nordmaling", "914"),
    ("Bjurholm", "916"),
)
OWN_CLINIC = ClinicDraft(
    name="Tandkliniken Solgläntan",
    org_number="559012-3450",
    code="SOLG",
    address_line="Storgatan 41",
    postal_code="903 26",
    city="Umeå",
    phone="090-12 34 50",
    email="reception@solglantan.example",
    bankgiro="5050-1055",
    f_skatt=True,
    is_own=True,
)
OTHER_CLINICS = (
    ("Folktandvården Björkbacken", "BJBK", "Umeå", True),
    ("Folktandvården Älvsidan", "ALVS", "Vännäs", True),
    ("Tandläkarhuset Norrsken", "NORR", "Umeå", False),
    ("Barntandvården Fjällsippan", "FJSP", "Umeå", False),
    ("Holmsunds Tandvård", "HOLM", "Holmsund", False),
    ("Tandvårdshuset Lärkan", "LARK", "Sävar", False),
    ("Kustens Tandklinik", "KUST", "Hörnefors", False),
    ("Tandkliniken Midnattssol", "MDNS", "Robertsfors", False),
)
STAFF = (
    ("karin.holm", "Karin Holm", Profession.DENTIST),
    ("erik.lund", "Erik Lund", Profession.DENTIST),
    ("sara.nystrom", "Sara Nyström", Profession.DENTIST),
    ("maja.berg", "Maja Berg", Profession.HYGIENIST),
    ("ali.hassan", "Ali Hassan", Profession.HYGIENIST),
    ("lena.sjoberg", "Lena Sjöberg", Profession.DENTAL_NURSE),
    ("petra.ek", "Petra Ek", Profession.RECEPTIONIST),
    ("anders.wallin", "Anders Wallin", Profession.MANAGER),
)


@dataclass(frozen=True)
class DemoSummary:
    """What was built."""

    patients: int
    guardians: int
    clinics: int
    protected: int


def org_number(rng: random.Random) -> str:
    """A made-up but valid organisation number (aktiebolag, 55xxxx)."""
    body = "55" + "".join(str(rng.randrange(10)) for _ in range(7))
    return f"{body[:6]}-{body[6:]}{luhn_check_digit(body)}"


def personal_number(rng: random.Random, birth: date, used: set[str], female: bool) -> str:
    """A valid, unused personal number for a birth date."""
    while True:
        serial = rng.randrange(0, 100)
        sex_digit = rng.choice((0, 2, 4, 6, 8) if female else (1, 3, 5, 7, 9))
        tail = f"{serial:02d}{sex_digit}"
        ten = birth.strftime("%y%m%d") + tail
        canonical = f"{birth.strftime('%Y%m%d')}-{tail}{luhn_check_digit(ten)}"
        if canonical not in used:
            used.add(canonical)
            return canonical


def _phone(rng: random.Random) -> str:
    pairs = f"{rng.randrange(10, 100)} {rng.randrange(10, 100)}"
    return f"07{rng.choice('0236')}-{rng.randrange(100, 1000)} {pairs}"


def build_demo_clinic(
    store: Store,
    patients: int = DEFAULT_PATIENTS,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill an empty database with the demo clinic."""
    if store.patients.count_all():
        raise ValueError("demo data goes into an empty database only")
    today = today or date.today()
    rng = random.Random(seed)
    actor = ensure_local_user(store)
    with store.transaction():
        store.settings.set("demo", True, actor.id)
        dentists = [
            add_staff(store, actor, username, name, profession)
            for username, name, profession in STAFF
        ]
        dentist_ids = [
            uid for uid, (_u, _n, p) in zip(dentists, STAFF, strict=True) if p is Profession.DENTIST
        ]
        own_id = save_clinic(store, actor, OWN_CLINIC)
        other_ids = [
            save_clinic(
                store,
                actor,
                ClinicDraft(
                    name=name,
                    org_number=org_number(rng),
                    code=code,
                    city=city,
                    address_line=f"{rng.choice(STREETS)} {rng.randrange(1, 60)}",
                    postal_code=f"{rng.choice(TOWNS)[1]} {rng.randrange(10, 100)}",
                    invoice_address=f"{name}\nFakturor\nBox {rng.randrange(100, 9999)}\n{city}",
                    area_responsible=area,
                ),
            )
            for name, code, city, area in OTHER_CLINICS
        ]
    # Emergency visits register patients from other clinics: part of the total asked for.
    emergency = emergency_visit_count(patients)
    summary = _build_families(
        store, actor, rng, today, patients - emergency, own_id, other_ids, dentist_ids, progress
    )
    build_demo_exams(store, actor, today, seed)
    emergency = build_demo_emergency(store, actor, today, seed, patients)
    build_demo_appointments(store, actor, today, seed)
    build_demo_compliance(store, actor, today)
    build_demo_exports(store, actor, today)
    return DemoSummary(summary[0] + emergency, summary[1], 1 + len(other_ids), summary[2])


def _build_families(
    store: Store,
    actor: User,
    rng: random.Random,
    today: date,
    target: int,
    own_id: int,
    other_ids: list[int],
    dentist_ids: list[int],
    progress: Callable[[int, int], None] | None,
) -> tuple[int, int, int]:
    used: set[str] = set()
    made = guardians_made = protected_made = 0
    protected_every = max(target // 5, 1)  # a handful: 5 in the default clinic
    while made < target:
        with store.transaction():
            for _ in range(min(200, target - made)):
                if made >= target:
                    break
                children, guardians_added, protected_added = _family(
                    store,
                    actor,
                    rng,
                    today,
                    used,
                    own_id,
                    other_ids,
                    dentist_ids,
                    min(rng.choice((1, 1, 2, 2, 2, 3)), target - made),
                    protect=(made // protected_every) != ((made + 3) // protected_every),
                )
                made += children
                guardians_made += guardians_added
                protected_made += protected_added
        if progress:
            progress(made, target)
    return made, guardians_made, protected_made


def _family(
    store: Store,
    actor: User,
    rng: random.Random,
    today: date,
    used: set[str],
    own_id: int,
    other_ids: list[int],
    dentist_ids: list[int],
    children: int,
    protect: bool,
) -> tuple[int, int, int]:
    surname = rng.choice(SURNAMES)
    town, postal_prefix = rng.choice(TOWNS)
    address = f"{rng.choice(STREETS)} {rng.randrange(1, 120)}"
    postal = f"{postal_prefix} {rng.randrange(10, 100)}"
    parents: list[GuardianDraft] = []
    for index in range(rng.choice((1, 2, 2, 2))):
        female = index == 0
        birth = today - timedelta(days=rng.randrange(26 * 365, 52 * 365))
        separate = index == 1 and rng.random() < 0.2  # separated parents: another address
        parents.append(
            GuardianDraft(
                personal_id=personal_number(rng, birth, used, female),
                first_name=rng.choice(ADULT_WOMEN if female else ADULT_MEN),
                last_name=surname if rng.random() < 0.8 else rng.choice(SURNAMES),
                address_line=f"{rng.choice(STREETS)} {rng.randrange(1, 120)}"
                if separate
                else address,
                postal_code=f"{postal_prefix} {rng.randrange(10, 100)}" if separate else postal,
                city=town,
                phone=_phone(rng),
                email=f"{surname.lower().replace('å', 'a').replace('ä', 'a').replace('ö', 'o')}"
                f"{rng.randrange(1, 99)}@exempel.se"
                if rng.random() < 0.7
                else "",
                receives_letters=True,
                relation="Förälder",
            )
        )
    protected_count = 0
    for child in range(children):
        female = rng.random() < 0.5
        age_days = rng.randrange(0, 22 * 365)
        birth = today - timedelta(days=age_days)
        is_protected = protect and child == 0
        adult = age_days >= 18 * 365
        draft = PatientDraft(
            personal_id=personal_number(rng, birth, used, female),
            first_name=rng.choice(GIRLS if female else BOYS),
            last_name=surname,
            address_line=address,
            postal_code=postal,
            city=town,
            phone=_phone(rng) if adult or rng.random() < 0.3 else "",
            responsible_dentist_id=rng.choice(dentist_ids),
            protected_identity=is_protected,
            registered_in_region=rng.random() > 0.02,
        )
        guardian = parents[0]
        consent = f"{draft.first_name} {surname}" if adult else guardian.first_name
        consent += "" if adult else f" {guardian.last_name}"
        listing = None
        if age_days >= 2 * 365:
            moved_in = rng.random() < 0.15
            first_clinic = rng.choice(other_ids) if moved_in else own_id
            listed_on = max(
                birth + timedelta(days=3 * 365), today - timedelta(days=rng.randrange(200, 3000))
            )
            listing = ListingDraft(
                first_clinic,
                min(listed_on, today),
                ListingKind.CHOICE,
                consent,
            )
        patient_id = register_patient(
            store,
            actor,
            draft,
            today,
            guardians=tuple(parents) if not adult else (),
            listing=listing,
        )
        protected_count += int(is_protected)
        roll = rng.random()
        if listing is not None and listing.clinic_id != own_id:
            # moved to us from another clinic
            moved_on = min(today, listing.listed_on + timedelta(days=rng.randrange(60, 900)))
            list_patient(
                store,
                actor,
                patient_id,
                ListingDraft(own_id, max(moved_on, listing.listed_on), ListingKind.CHOICE, consent),
            )
        elif listing is not None and roll < 0.04:
            # chose another clinic: stays here to the end of the month, then leaves
            moved_on = min(today, listing.listed_on + timedelta(days=rng.randrange(60, 900)))
            list_patient(
                store,
                actor,
                patient_id,
                ListingDraft(
                    rng.choice(other_ids),
                    max(moved_on, listing.listed_on),
                    ListingKind.CHOICE,
                    consent,
                ),
            )
        elif roll < 0.06:
            end_patient(
                store,
                actor,
                patient_id,
                today - timedelta(days=rng.randrange(1, 400)),
                "Flyttat från regionen",
            )
    return children, len(parents), protected_count
