"""The demo clinic's emergency care: a year of visits by other clinics' patients, with paid,
partly paid, unpaid, overdue, reminded and credited invoices, and return reports.

Runs through the same workflows as the screens, in date order, so invoice numbers follow
issue dates. The number of visits grows with the clinic but is capped, to stay fast.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from clinic_desk.domain.clinics import Clinic
from clinic_desk.domain.emergency import Placement
from clinic_desk.domain.invoice_settings import validate_invoice_settings
from clinic_desk.domain.invoicing import (
    EmergencyVisitDraft,
    InvoiceStatus,
    NewPatientDraft,
    TreatmentDraft,
)
from clinic_desk.domain.people import Profession, User
from clinic_desk.domain.personal_id import luhn_check_digit
from clinic_desk.store.store import Store
from clinic_desk.workflows.emergency import mark_return_report_sent, register_emergency_visit
from clinic_desk.workflows.invoice_settings import save_invoice_settings
from clinic_desk.workflows.invoices import issue_credit_note, register_payment, send_reminder
from clinic_desk.workflows.price_lists import import_price_list, sample_price_list_bytes

SEED_OFFSET = 7_007
MAX_VISITS = 240
DEMO_UNIT_NAME = "Region Västerbotten, Beställarenheten"
DEMO_UNIT_ADDRESS = "Ledningsstaben, Hälsoval tandvård\nBox 443\n901 09 Umeå"
COMPLAINTS = (
    ("Värk i underkäken sedan två dagar.", "Djup karies, pulpit.", "Rotbehandling bör planeras."),
    ("Svullen kind på höger sida.", "Abscess utgående från mjölktand.", "Kontroll om en vecka."),
    ("Slog i framtanden vid fotboll.", "Emaljfraktur utan pulpaskada.", "Röntgenkontroll om 6 v."),
    ("Tappat en fyllning.", "Fyllning lossnat, ingen värk.", "Permanent fyllning hos er."),
    ("Ont vid tuggning.", "Perikoronit vid frambrytande tand.", "Munhygienråd givna."),
)
TREATMENT_SETS = (
    ("103", "301"),
    ("103", "302", "121"),
    ("103", "401"),
    ("103", "521"),
    ("113", "301"),
    ("103", "303", "127"),
    ("103", "402"),
)
FIRST_NAMES = ("Alva", "Noah", "Saga", "Elias", "Wilma", "Hugo", "Ebba", "Liam", "Ines", "Vide")
LAST_NAMES = ("Berglund", "Lundmark", "Nordin", "Sandberg", "Holmgren", "Öberg", "Åström")


def emergency_visit_count(patients: int) -> int:
    """How many emergency visits (each a patient new to the register) a demo clinic of
    `patients` patients gets: about one per twelve patients, at most MAX_VISITS."""
    return min(MAX_VISITS, max(2, patients // 12))


def _personal_number(rng: random.Random, today: date, store: Store) -> str:
    """A valid personal number nobody in the register has."""
    while True:
        birth = today - timedelta(days=rng.randrange(4 * 365, 19 * 365))
        tail = f"{rng.randrange(100):02d}{rng.randrange(10)}"
        ten = birth.strftime("%y%m%d") + tail
        number = f"{birth.strftime('%Y%m%d')}-{tail}{luhn_check_digit(ten)}"
        if store.patients.by_personal_id(number) is None:
            return number


def _visit_time(rng: random.Random, day: date) -> datetime:
    return datetime.combine(day, time(rng.randrange(8, 17), rng.choice((0, 15, 30, 45))))


def build_demo_emergency(
    store: Store,
    actor: User,
    today: date,
    seed: int,
    patients: int,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add a year of emergency visits and their invoices; each visit registers one new
    patient (emergency_visit_count of them). Returns the number of visits."""
    rng = random.Random(seed + SEED_OFFSET)
    visits = emergency_visit_count(patients)
    own = store.clinics.own()
    assert own is not None
    others = [c for c in store.clinics.all() if not c.is_own]
    listing = [c for c in others if not c.area_responsible] or others
    area = [c for c in others if c.area_responsible]
    dentists = [u.id for u in store.users.with_profession(Profession.DENTIST)] or [actor.id]
    import_price_list(store, actor, sample_price_list_bytes(), "sample-price-list.csv")
    # The demo's year of reminders all use one rate, set from the half-year a year back.
    rate_from = date(today.year - 1, 1 if today.month < 7 else 7, 1)
    save_invoice_settings(
        store,
        actor,
        validate_invoice_settings(
            unit_name=DEMO_UNIT_NAME,
            unit_address=DEMO_UNIT_ADDRESS,
            payment_days=30,
            rate_text="2,25",
            rate_valid_from=rate_from,
            collective_monthly=False,
            payment_qr=True,
        ),
    )
    days = sorted(
        _weekday_mostly(rng, today - timedelta(days=rng.randrange(2, 366))) for _ in range(visits)
    )
    follow_ups: list[tuple[date, int, str, int]] = []  # (day, order, what, id)
    order = 0

    def run_follow_ups(until: date) -> None:
        while follow_ups and follow_ups[0][0] <= until:
            day, _order, what, target = heapq.heappop(follow_ups)
            _follow_up(store, actor, rng, day, what, target, today)

    with store.transaction():
        for number, day in enumerate(days, start=1):
            run_follow_ups(day)
            draft = _draft(store, rng, today, day, listing, area, dentists)
            visit_id = register_emergency_visit(store, actor, draft, day, close=True)
            visit = store.emergency.get(visit_id)
            assert visit is not None
            if visit.invoice_id is not None:
                order += 1
                heapq.heappush(
                    follow_ups,
                    (day + timedelta(days=rng.randrange(12, 45)), order, "pay", visit.invoice_id),
                )
            if visit.return_report_document_id is not None and rng.random() < 0.85:
                order += 1
                heapq.heappush(
                    follow_ups,
                    (day + timedelta(days=rng.randrange(0, 4)), order, "report", visit_id),
                )
            if progress and number % 20 == 0:
                progress(number, len(days))
        run_follow_ups(today)
    return len(days)


def _weekday_mostly(rng: random.Random, day: date) -> date:
    """Most emergency visits fall on weekdays; some weekend ones show the duty warning."""
    if day.weekday() >= 5 and rng.random() < 0.85:
        return day - timedelta(days=day.weekday() - 4)
    return day


def _draft(
    store: Store,
    rng: random.Random,
    today: date,
    day: date,
    listing: list[Clinic],
    area: list[Clinic],
    dentists: list[int],
) -> EmergencyVisitDraft:
    roll = rng.random()
    listed: int | None = None
    placement = Placement.NONE
    registered = True
    protected = False
    if roll < 0.70:
        listed = rng.choice(listing).id
    elif roll < 0.80 and area:
        listed = rng.choice(area).id
    elif roll < 0.86:
        listed = rng.choice(listing).id
        placement = Placement.INSIDE_REGION
    elif roll < 0.89:
        listed = rng.choice(listing).id
        protected = True
    elif roll < 0.93:
        listed = rng.choice(listing).id
        registered = False
    complaint, findings, advice = rng.choice(COMPLAINTS)
    teeth = ("46", "36", "85", "75", "11", "21", "16", "26")
    return EmergencyVisitDraft(
        treated_at=_visit_time(rng, day),
        practitioner_id=rng.choice(dentists),
        treatments=tuple(
            TreatmentDraft(code, rng.choice(teeth) if code not in ("103", "113") else "")
            for code in rng.choice(TREATMENT_SETS)
        ),
        new_patient=NewPatientDraft(
            _personal_number(rng, today, store),
            rng.choice(FIRST_NAMES),
            rng.choice(LAST_NAMES),
            f"070-{rng.randrange(100, 1000)} {rng.randrange(10, 100)} {rng.randrange(10, 100)}",
        ),
        listed_clinic_id=listed,
        registered_in_region=registered,
        placement=placement,
        protected_identity=protected,
        complaint=complaint,
        findings=findings,
        advice=advice,
    )


def _follow_up(
    store: Store, actor: User, rng: random.Random, day: date, what: str, target: int, today: date
) -> None:
    """Pay, credit, remind or send: what happened to an invoice or report on `day`."""
    if what == "report":
        mark_return_report_sent(store, actor, target, day, today)
        return
    invoice = store.invoices.get(target)
    row = store.invoices.row(target, day)
    if invoice is None or row is None or row.status is InvoiceStatus.CREDITED:
        return
    roll = rng.random()
    if what == "pay":
        if roll < 0.06:
            issue_credit_note(store, actor, target, day, "Fel åtgärdskod på fakturan")
        elif roll < 0.12:
            issue_credit_note(store, actor, target, day, "Röntgen debiterad två gånger", 6_500)
            register_payment(store, actor, target, invoice.total_ore - 6_500, day, day)
        elif roll < 0.72:
            register_payment(store, actor, target, invoice.total_ore, day, day)
        elif roll < 0.82:
            register_payment(store, actor, target, invoice.total_ore // 2, day, day)
        # else: unpaid; becomes overdue and gets a reminder 20 days after the due date
        if roll >= 0.72:
            remind_on = invoice.due_date + timedelta(days=20)
            if remind_on <= today and rng.random() < 0.7:
                _follow_up(store, actor, rng, remind_on, "remind", target, today)
        return
    if what == "remind" and row.status is InvoiceStatus.OVERDUE:
        send_reminder(store, actor, target, day)
