"""Contract compliance checks: where the clinic breaks its contract, seen before the region
sees it (RULES.md, all sections). Each check is a pure function over facts the store loaded;
it returns a `CheckResult` with the count, the patients (or invoices, visits) behind it and
a light. The store may hand over more rows than a check needs (it narrows by cheap bounds);
the function decides exactly.

Lights: green = nothing to do; yellow = something to do before a deadline; red = the contract
is broken now. An area's light is its worst check's.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum

from clinic_desk.domain.billing import format_kronor
from clinic_desk.domain.care_rules import (
    add_months,
    age_on,
    bite_check_required,
    first_exam_due,
    free_care_ends,
    in_target_group,
    latest_next_dentist_exam,
    max_revision_interval_months,
    tobacco_record_required,
)
from clinic_desk.domain.contract_rules import DEFAULT_RULES, ContractRules
from clinic_desk.domain.deviations import ANSWER_DAYS, Deviation
from clinic_desk.domain.follow_up import COLOUR_LABELS, FollowUpRecord, colour_today
from clinic_desk.domain.no_show import assess_no_shows
from clinic_desk.domain.people import shown_name

__all__ = [
    "AREAS",
    "Area",
    "CheckItem",
    "CheckResult",
    "Light",
]

UNSIGNED_DAYS = 2
"""An exam left unsigned longer than this many days is flagged."""
RETURN_REPORT_DAYS = 3
"""A return report not sent within this many days of the visit turns the check red."""
BACKUP_DAYS = 2
"""Same limit as the backup warning (workflows/backups.py)."""
ACCESS_REVIEW_DAYS = 31
"""Access log reviewed at least monthly (the clinic's routine for loggkontroll, SOSFS
2008:14 asks for regular checks without a fixed interval): yellow after a month, red after
a quarter."""
ACCESS_REVIEW_RED_DAYS = 92


class Light(Enum):
    """A check's or an area's standing."""

    GREEN = 0
    YELLOW = 1
    RED = 2

    @property
    def label(self) -> str:
        return {0: "Grönt", 1: "Gult", 2: "Rött"}[self.value]


class Area(Enum):
    """The dashboard's areas, one light each."""

    RECALL = "recall"
    RECORDS = "records"
    NO_SHOWS = "no_shows"
    EMERGENCY = "emergency"
    LISTING = "listing"
    QUALITY = "quality"
    REGION = "region"

    @property
    def label(self) -> str:
        return _AREA_LABELS[self]


_AREA_LABELS = {
    Area.RECALL: "Revision och kallelse",
    Area.RECORDS: "Journal",
    Area.NO_SHOWS: "Uteblivna besök",
    Area.EMERGENCY: "Akut och fakturor",
    Area.LISTING: "Listning och 19-åringar",
    Area.QUALITY: "Kvalitet och säkerhet",
    Area.REGION: "Uppföljning från regionen",
}
AREAS = tuple(Area)


@dataclass(frozen=True)
class CheckItem:
    """One row behind a check: a patient (patient_id set) or another record."""

    text: str
    detail: str
    patient_id: int | None = None
    record_id: int | None = None


@dataclass(frozen=True)
class CheckResult:
    """One check on one day."""

    key: str
    area: Area
    title: str
    light: Light
    count: int
    summary: str
    items: tuple[CheckItem, ...] = ()
    action: str = "patient"  # what the button does: open a patient, or a named screen


# -- facts the store loads --------------------------------------------------------------------


@dataclass(frozen=True)
class PatientFacts:
    """A patient listed at the clinic today, with the exam facts the checks read."""

    patient_id: int
    personal_id: str
    first_name: str
    last_name: str
    birth_date: date
    protected_identity: bool = False
    last_revision: date | None = None  # latest signed revision exam (dentist or hygienist)
    last_revision_age: int | None = None
    last_revision_bite_done: bool = False
    last_dentist_exam: date | None = None  # latest signed dentist revision exam
    last_exam: date | None = None  # latest signed exam of any kind
    last_exam_age: int | None = None
    last_exam_tobacco: bool = False
    next_booked: date | None = None  # the next summoned or agreed time from today

    @property
    def name(self) -> str:
        return shown_name(self.first_name, self.last_name, self.protected_identity)


@dataclass(frozen=True)
class UnsignedExam:
    """An exam draft not yet signed."""

    exam_id: int
    patient: PatientRef
    exam_date: date
    examiner: str


@dataclass(frozen=True)
class PatientRef:
    """Who a row is about, as lists show it."""

    patient_id: int
    personal_id: str
    name: str  # already masked for protected identity


@dataclass(frozen=True)
class EmergencyFact:
    """An emergency visit of a patient listed at another clinic, return report not sent."""

    visit_id: int
    patient: PatientRef
    treatment_date: date
    listed_clinic: str
    report_made: bool


@dataclass(frozen=True)
class InvoiceFact:
    """An issued invoice with money still owed."""

    invoice_id: int
    number: int
    buyer: str
    patient_reference: str
    due_date: date
    balance_ore: int


@dataclass(frozen=True)
class NoShowFact:
    """A patient's no-shows in the counting window and the last written notice."""

    patient: PatientRef
    birth_date: date
    no_show_dates: tuple[date, ...]
    last_notice: date | None


@dataclass(frozen=True)
class OpenConcern:
    """A child-at-risk case waiting for a dentist's decision."""

    case_id: int
    patient: PatientRef
    raised_on: date


@dataclass(frozen=True)
class ListingFacts:
    """How many the clinic lists, the capacity it offers and its listing-stop notice."""

    listed: int
    capacity: int | None  # None: no limit set (the clinic takes everyone)
    stop_notice_on: date | None


def _ref_item(ref: PatientRef, detail: str, record_id: int | None = None) -> CheckItem:
    return CheckItem(f"{ref.personal_id}  {ref.name}", detail, ref.patient_id, record_id)


def _patient_item(p: PatientFacts, detail: str) -> CheckItem:
    return CheckItem(f"{p.personal_id}  {p.name}", detail, p.patient_id)


def _result(
    key: str,
    area: Area,
    title: str,
    items: Sequence[CheckItem],
    found: Light,
    summary: str,
    action: str = "patient",
) -> CheckResult:
    light = found if items else Light.GREEN
    return CheckResult(key, area, title, light, len(items), summary, tuple(items), action)


# -- the checks -------------------------------------------------------------------------------


def revision_overdue(
    patients: Iterable[PatientFacts], today: date, *, rules: ContractRules = DEFAULT_RULES
) -> CheckResult:
    """Listed patients whose last revision exam lies further back than the cap for their
    age today (24 months to 15, 36 from 16); never examined: once the first-exam deadline
    (31 Dec of the year turning 3) has passed."""
    items = []
    for p in patients:
        if not in_target_group(p.birth_date, today, rules=rules):
            continue
        if p.last_revision is None:
            due = first_exam_due(p.birth_date, rules=rules)
            if due < today:
                items.append(_patient_item(p, f"Aldrig undersökt (senast {due.isoformat()})"))
            continue
        cap = max_revision_interval_months(age_on(p.birth_date, today), rules=rules)
        due = add_months(p.last_revision, cap)
        if due < today:
            items.append(
                _patient_item(
                    p, f"Senaste revision {p.last_revision.isoformat()}, gräns {due.isoformat()}"
                )
            )
    return _result(
        "revision_cap",
        Area.RECALL,
        "Över längsta revisionsintervall",
        items,
        Light.RED,
        f"{rules.child_interval_months} mån t.o.m. {rules.last_child_age} år, "
        f"{rules.young_interval_months} mån därefter",
    )


def dentist_gap_overdue(
    patients: Iterable[PatientFacts], today: date, *, rules: ContractRules = DEFAULT_RULES
) -> CheckResult:
    """Listed patients whose last dentist exam is further back than the gap allows (4 years
    to 15, 6 years from 16, age on the new exam's date); patients past their first-exam
    deadline without any dentist exam count too."""
    items = []
    for p in patients:
        if not in_target_group(p.birth_date, today, rules=rules):
            continue
        if p.last_dentist_exam is None:
            due = first_exam_due(p.birth_date, rules=rules)
            if due < today and p.last_revision is not None:
                # never examined at all is the revision check's; here: hygienist only
                items.append(_patient_item(p, "Ingen tandläkarundersökning"))
            continue
        due = latest_next_dentist_exam(p.last_dentist_exam, p.birth_date, rules=rules)
        if due < today:
            items.append(
                _patient_item(
                    p,
                    f"Senaste tandläkare {p.last_dentist_exam.isoformat()}, "
                    f"senast {due.isoformat()}",
                )
            )
    return _result(
        "dentist_gap",
        Area.RECALL,
        "För lång tid sedan tandläkarundersökning",
        items,
        Light.RED,
        f"{rules.child_gap_years} år t.o.m. {rules.last_child_age} år, "
        f"{rules.young_gap_years} år därefter",
    )


def first_exam_missing(
    patients: Iterable[PatientFacts], today: date, *, rules: ContractRules = DEFAULT_RULES
) -> CheckResult:
    """Children who turn 3 this year and have had no dentist exam yet (due 31 December)."""
    year = today.year - rules.target_first_age
    items = [
        _patient_item(p, f"Fyller {rules.target_first_age} år {p.birth_date:%m-%d}")
        for p in patients
        if p.birth_date.year == year and p.last_dentist_exam is None
    ]
    due = date(today.year, 12, 31)
    return _result(
        "first_exam",
        Area.RECALL,
        f"Fyller {rules.target_first_age} i år utan första undersökning",
        items,
        Light.YELLOW,
        f"Ska vara gjord senast {due.isoformat()}",
    )


def tobacco_missing(
    patients: Iterable[PatientFacts], today: date, *, rules: ContractRules = DEFAULT_RULES
) -> CheckResult:
    """Listed patients whose latest signed exam, at an age when tobacco habits are due
    (13 and up), has no tobacco record."""
    items = [
        _patient_item(p, f"Undersökt {p.last_exam.isoformat()} vid {p.last_exam_age} år")
        for p in patients
        if p.last_exam is not None
        and p.last_exam_age is not None
        and tobacco_record_required(p.last_exam_age, rules=rules)
        and not p.last_exam_tobacco
        and in_target_group(p.birth_date, today, rules=rules)
    ]
    return _result(
        "tobacco",
        Area.RECORDS,
        "Tobaksvanor saknas vid senaste undersökning",
        items,
        Light.YELLOW,
        f"Från {rules.tobacco_from_age} år vid varje undersökning",
    )


def bite_check_missing(
    patients: Iterable[PatientFacts], today: date, *, rules: ContractRules = DEFAULT_RULES
) -> CheckResult:
    """Listed patients whose latest revision exam, at an age 6-13, has no bite-development
    check (a hygienist exam has none: the check is a dentist's)."""
    items = [
        _patient_item(
            p,
            f"Revision {p.last_revision.isoformat()} vid {p.last_revision_age} år",
        )
        for p in patients
        if p.last_revision is not None
        and p.last_revision_age is not None
        and bite_check_required(p.last_revision_age, rules=rules)
        and not p.last_revision_bite_done
        and in_target_group(p.birth_date, today, rules=rules)
    ]
    return _result(
        "bite_check",
        Area.RECORDS,
        "Bettutvecklingskontroll saknas",
        items,
        Light.YELLOW,
        f"Vid varje revision {rules.bite_check_from_age}–{rules.bite_check_to_age} år",
    )


def free_care_ending(
    patients: Iterable[PatientFacts], today: date, *, rules: ContractRules = DEFAULT_RULES
) -> CheckResult:
    """Patients whose free care ends this year (turning 19) with care still open: a booked
    time not yet held. A time after the end date turns the check red: it would not be free."""
    year = today.year - rules.target_last_age
    items = []
    late = False
    for p in patients:
        if p.birth_date.year != year or p.next_booked is None:
            continue
        ends = free_care_ends(p.birth_date, rules=rules)
        after = p.next_booked > ends
        late = late or after
        items.append(
            _patient_item(
                p,
                f"Bokad {p.next_booked.isoformat()}"
                + (" – efter att avgiftsfri vård slutat" if after else "")
                + f"; slutar {ends.isoformat()}",
            )
        )
    return _result(
        "free_care_ends",
        Area.LISTING,
        f"Fyller {rules.target_last_age} i år med pågående vård",
        items,
        Light.RED if late else Light.YELLOW,
        "Avsluta vården eller skicka remiss i tid (senast 31 december)",
    )


def return_reports_missing(visits: Iterable[EmergencyFact], today: date) -> CheckResult:
    """Emergency visits of other clinics' patients whose return report is not sent; red
    when one waits longer than RETURN_REPORT_DAYS."""
    items = []
    late = False
    for v in visits:
        days = (today - v.treatment_date).days
        late = late or days > RETURN_REPORT_DAYS
        state = "skapad, inte skickad" if v.report_made else "inte skapad"
        items.append(
            _ref_item(
                v.patient,
                f"Akut {v.treatment_date.isoformat()} ({days} d), {v.listed_clinic}: {state}",
                v.visit_id,
            )
        )
    return _result(
        "return_reports",
        Area.EMERGENCY,
        "Akutbesök utan återrapport",
        items,
        Light.RED if late else Light.YELLOW,
        "Återrapport till hemkliniken så snart som möjligt",
        "emergency",
    )


def overdue_invoices(invoices: Iterable[InvoiceFact], today: date) -> CheckResult:
    """Invoices past their due date with money still owed."""
    items = [
        CheckItem(
            f"Faktura {i.number}  {i.buyer}",
            f"Förföll {i.due_date.isoformat()}, kvar {_kronor(i.balance_ore)}"
            + (f" ({i.patient_reference})" if i.patient_reference else ""),
            None,
            i.invoice_id,
        )
        for i in sorted(invoices, key=lambda i: (i.due_date, i.number))
        if i.balance_ore > 0 and i.due_date < today
    ]
    return _result(
        "overdue_invoices",
        Area.EMERGENCY,
        "Förfallna fakturor",
        items,
        Light.YELLOW,
        "Skicka påminnelse",
        "invoices",
    )


def notices_due(
    facts: Iterable[NoShowFact],
    today: date,
    *,
    threshold: int | None = None,
    window_months: int | None = None,
    rules: ContractRules = DEFAULT_RULES,
) -> CheckResult:
    """Patients with repeated no-shows (threshold within the window) and no written notice
    since; the clinic's own threshold and window win over the rule set's."""
    limit = threshold if threshold is not None else rules.no_show_threshold
    window = window_months if window_months is not None else rules.no_show_window_months
    items = []
    for f in facts:
        found = assess_no_shows(
            list(f.no_show_dates), today, f.birth_date, f.last_notice, limit, window
        )
        if found.written_notice_due:
            items.append(
                _ref_item(
                    f.patient,
                    f"{found.count_in_window} uteblivna inom {window} mån"
                    + (" · barn" if found.child_concern else ""),
                )
            )
    return _result(
        "no_show_notices",
        Area.NO_SHOWS,
        "Skriftligt besked ska skickas",
        items,
        Light.YELLOW,
        f"{limit} uteblivanden inom {window} månader",
        "no_shows",
    )


def open_concerns(concerns: Iterable[OpenConcern], today: date) -> CheckResult:
    """Child-at-risk cases still waiting for a dentist's decision; red after 14 days."""
    items = []
    late = False
    for c in sorted(concerns, key=lambda c: c.raised_on):
        days = (today - c.raised_on).days
        late = late or days > 14
        items.append(
            _ref_item(c.patient, f"Öppnad {c.raised_on.isoformat()} ({days} d)", c.case_id)
        )
    return _result(
        "open_concerns",
        Area.NO_SHOWS,
        "Barn som far illa: beslut saknas",
        items,
        Light.RED if late else Light.YELLOW,
        "En tandläkare ska fatta och journalföra beslut",
    )


def unsigned_exams(exams: Iterable[UnsignedExam], today: date) -> CheckResult:
    """Exam drafts unsigned for more than UNSIGNED_DAYS days after the exam date."""
    items = [
        _ref_item(
            e.patient,
            f"{e.exam_date.isoformat()} ({(today - e.exam_date).days} d), {e.examiner}",
            e.exam_id,
        )
        for e in sorted(exams, key=lambda e: e.exam_date)
        if (today - e.exam_date).days > UNSIGNED_DAYS
    ]
    return _result(
        "unsigned_exams",
        Area.RECORDS,
        f"Osignerade undersökningar (> {UNSIGNED_DAYS} dagar)",
        items,
        Light.YELLOW,
        "Undersökaren signerar",
    )


def listing_capacity(facts: ListingFacts, *, rules: ContractRules = DEFAULT_RULES) -> CheckResult:
    """A capacity under the contract's minimum (30), or a full list, needs a written
    listing-stop notice to the region."""
    minimum = rules.min_listing_capacity
    problems: list[CheckItem] = []
    light = Light.GREEN
    if facts.capacity is not None and facts.stop_notice_on is None:
        if facts.capacity < minimum:
            problems.append(
                CheckItem(
                    f"Kapacitet {facts.capacity} < {minimum}",
                    "Listningsstopp ska anmälas skriftligt till regionen",
                )
            )
            light = Light.RED
        elif facts.listed >= facts.capacity:
            problems.append(
                CheckItem(
                    f"Fullt: {facts.listed} listade av {facts.capacity}",
                    "Anmäl listningsstopp skriftligt till regionen",
                )
            )
            light = Light.YELLOW
    summary = f"{facts.listed} listade" + (
        f", kapacitet {facts.capacity}" if facts.capacity is not None else ""
    )
    if facts.stop_notice_on is not None:
        summary += f", listningsstopp anmält {facts.stop_notice_on.isoformat()}"
    return CheckResult(
        "listing_capacity",
        Area.LISTING,
        f"Listningskapacitet (minst {minimum})",
        light,
        len(problems),
        summary,
        tuple(problems),
        "settings",
    )


def patient_safety_report(reported: dict[int, date], today: date) -> CheckResult:
    """The patient-safety report for last year is due 1 March (000 §2.15): yellow from
    1 January until it is recorded, red from 2 March."""
    year = today.year - 1
    due = date(today.year, 3, 1)
    done = reported.get(year)
    items: tuple[CheckItem, ...] = ()
    if done is not None:
        light, summary = Light.GREEN, f"{year}: klar {done.isoformat()}"
    else:
        text = f"Patientsäkerhetsberättelse {year} senast {due.isoformat()}"
        # The year it covers has ended: something to do until 1 March, broken after it.
        light = Light.RED if today > due else Light.YELLOW
        summary = text
        items = (CheckItem(text, "Inte registrerad som klar"),)
    return CheckResult(
        "patient_safety_report",
        Area.QUALITY,
        "Patientsäkerhetsberättelse (1 mars)",
        light,
        len(items),
        summary,
        items,
        "settings",
    )


def backup_age(last_backup: datetime | None, now: datetime) -> CheckResult:
    """The newest backup: red when none exists or it is older than BACKUP_DAYS."""
    if last_backup is None:
        light, summary = Light.RED, "Ingen säkerhetskopia finns"
    else:
        days = (now - last_backup).days
        light = Light.RED if now - last_backup > timedelta(days=BACKUP_DAYS) else Light.GREEN
        summary = f"Senaste {last_backup:%Y-%m-%d %H:%M} ({days} d)"
    items = (CheckItem(summary, "Ta en säkerhetskopia"),) if light is not Light.GREEN else ()
    return CheckResult(
        "backup", Area.QUALITY, "Säkerhetskopia", light, len(items), summary, items, "backup"
    )


def access_review_age(last_review: date | None, today: date) -> CheckResult:
    """The latest access-log review (loggkontroll): yellow after ACCESS_REVIEW_DAYS, red
    after ACCESS_REVIEW_RED_DAYS or when none was ever made."""
    if last_review is None:
        light, summary = Light.RED, "Ingen loggkontroll gjord"
    else:
        days = (today - last_review).days
        light = (
            Light.RED
            if days > ACCESS_REVIEW_RED_DAYS
            else Light.YELLOW
            if days > ACCESS_REVIEW_DAYS
            else Light.GREEN
        )
        summary = f"Senaste {last_review.isoformat()} ({days} d)"
    items = (CheckItem(summary, "Gör loggkontroll"),) if light is not Light.GREEN else ()
    return CheckResult(
        "access_review",
        Area.QUALITY,
        "Loggkontroll",
        light,
        len(items),
        summary,
        items,
        "access_review",
    )


def deviations_unanswered(deviations: Iterable[Deviation], today: date) -> CheckResult:
    """Deviations from other providers not yet answered (they must always be answered,
    000 §2.15); red when one waits longer than ANSWER_DAYS."""
    items = []
    late = False
    for d in deviations:
        if d.closed_on is not None or not d.needs_answer:
            continue
        days = (today - d.reported_on).days
        late = late or days > ANSWER_DAYS
        items.append(
            CheckItem(
                f"{d.reported_on.isoformat()}  {d.title}",
                f"Från {d.other_provider} ({days} d)",
                d.patient_id,
                d.id,
            )
        )
    return _result(
        "deviations_unanswered",
        Area.QUALITY,
        "Avvikelser från andra vårdgivare utan svar",
        items,
        Light.RED if late else Light.YELLOW,
        "Ska alltid besvaras och svaret skickas till avsändaren",
        "deviations",
    )


def deviations_unhandled(deviations: Iterable[Deviation], today: date) -> CheckResult:
    """Open deviations nobody has classified or taken on yet."""
    items = [
        CheckItem(
            f"{d.reported_on.isoformat()}  {d.title}",
            "Inte klassificerad" if d.category is None or d.severity is None else "Ingen ansvarig",
            d.patient_id,
            d.id,
        )
        for d in deviations
        if d.closed_on is None
        and (d.category is None or d.severity is None or d.assigned_to is None)
    ]
    return _result(
        "deviations_unhandled",
        Area.QUALITY,
        "Avvikelser utan klassning eller ansvarig",
        items,
        Light.YELLOW,
        "Klassificera och utse ansvarig",
        "deviations",
    )


def follow_up_cases(records: Iterable[FollowUpRecord], today: date) -> CheckResult:
    """The region's open cases: red when a plan is late or a sanction runs this month,
    yellow while a plan awaits the region."""
    items = []
    light = Light.GREEN
    for r in records:
        if r.approved_on is not None or r.colour.value == "green":
            continue
        rate = r.current_rate_kr(today)
        colour = COLOUR_LABELS[colour_today(r, today)].lower()
        if r.plan_late(today):
            detail, found = f"{colour}: handlingsplan försenad ({r.plan_deadline})", Light.RED
        elif rate:
            detail, found = f"{colour}: sanktion {rate} kr per listad och månad", Light.RED
        elif r.plan_sent_on is None:
            detail, found = f"{colour}: handlingsplan senast {r.plan_deadline}", Light.YELLOW
        else:
            detail, found = (
                f"{colour}: plan skickad {r.plan_sent_on}, väntar på regionen",
                (Light.YELLOW),
            )
        light = worst((light, found))
        items.append(CheckItem(f"{r.request_date.isoformat()}  {r.title}", detail, None, r.id))
    return CheckResult(
        "follow_up_cases",
        Area.REGION,
        "Uppföljningsärenden från regionen",
        light,
        len(items),
        "Öppna ärenden med handlingsplan eller sanktion",
        tuple(items),
        "follow_up",
    )


def worst(lights: Iterable[Light]) -> Light:
    """The worst of some lights (green when there are none)."""
    return max(lights, key=lambda light: light.value, default=Light.GREEN)


def area_lights(results: Iterable[CheckResult]) -> dict[Area, Light]:
    """Each area's light: its worst check's."""
    by_area: dict[Area, list[Light]] = {area: [] for area in AREAS}
    for r in results:
        by_area[r.area].append(r.light)
    return {area: worst(lights) for area, lights in by_area.items()}


@dataclass(frozen=True)
class Trend:
    """A count today against the count a week ago (None when no snapshot that old)."""

    now: int
    week_ago: int | None

    @property
    def change(self) -> int | None:
        return None if self.week_ago is None else self.now - self.week_ago

    @property
    def text(self) -> str:
        """'+3', '−2', '±0' or '–' (no figure a week back)."""
        change = self.change
        if change is None:
            return "–"
        if change == 0:
            return "±0"
        return f"+{change}" if change > 0 else f"−{-change}"


def trends(results: Iterable[CheckResult], week_ago: dict[str, int] | None) -> dict[str, Trend]:
    """Each check's trend against last week's snapshot."""
    return {
        r.key: Trend(r.count, None if week_ago is None else week_ago.get(r.key)) for r in results
    }


@dataclass(frozen=True)
class ComplianceInput:
    """Everything the checks read for one day."""

    today: date
    now: datetime
    rules: ContractRules
    patients: tuple[PatientFacts, ...] = ()
    unsigned: tuple[UnsignedExam, ...] = ()
    emergency: tuple[EmergencyFact, ...] = ()
    invoices: tuple[InvoiceFact, ...] = ()
    no_shows: tuple[NoShowFact, ...] = ()
    concerns: tuple[OpenConcern, ...] = ()
    listing: ListingFacts = field(default_factory=lambda: ListingFacts(0, None, None))
    safety_reports: dict[int, date] = field(default_factory=dict)
    last_backup: datetime | None = None
    last_access_review: date | None = None
    deviations: tuple[Deviation, ...] = ()
    follow_ups: tuple[FollowUpRecord, ...] = ()
    no_show_threshold: int | None = None
    no_show_window_months: int | None = None


def run_checks(data: ComplianceInput) -> tuple[CheckResult, ...]:
    """Every patient-data and routine check, in the dashboard's order."""
    today, rules = data.today, data.rules
    return (
        revision_overdue(data.patients, today, rules=rules),
        dentist_gap_overdue(data.patients, today, rules=rules),
        first_exam_missing(data.patients, today, rules=rules),
        tobacco_missing(data.patients, today, rules=rules),
        bite_check_missing(data.patients, today, rules=rules),
        unsigned_exams(data.unsigned, today),
        notices_due(
            data.no_shows,
            today,
            threshold=data.no_show_threshold,
            window_months=data.no_show_window_months,
            rules=rules,
        ),
        open_concerns(data.concerns, today),
        return_reports_missing(data.emergency, today),
        overdue_invoices(data.invoices, today),
        listing_capacity(data.listing, rules=rules),
        free_care_ending(data.patients, today, rules=rules),
        patient_safety_report(data.safety_reports, today),
        backup_age(data.last_backup, data.now),
        access_review_age(data.last_access_review, today),
        deviations_unanswered(data.deviations, today),
        deviations_unhandled(data.deviations, today),
        follow_up_cases(data.follow_ups, today),
    )


def _kronor(ore: int) -> str:
    return format_kronor(ore)


@dataclass(frozen=True)
class SanctionSummary:
    """The sanction ladder over every case: (month, listed, kronor) and the running total."""

    by_month: tuple[tuple[date, int, int], ...] = ()

    @property
    def total_kr(self) -> int:
        return sum(kr for _month, _listed, kr in self.by_month)

    def month_kr(self, month: date) -> int:
        """Kronor charged for the month holding `month` (0 when none)."""
        first = month.replace(day=1)
        return next((kr for m, _listed, kr in self.by_month if m == first), 0)


@dataclass(frozen=True)
class Dashboard:
    """The morning view: every check, a light per area, the trend since last week."""

    today: date
    rules: ContractRules
    results: tuple[CheckResult, ...]
    trends: dict[str, Trend]
    week_ago: date | None
    sanctions: SanctionSummary

    @property
    def lights(self) -> dict[Area, Light]:
        return area_lights(self.results)

    def in_area(self, area: Area) -> tuple[CheckResult, ...]:
        return tuple(r for r in self.results if r.area is area)

    def result(self, key: str) -> CheckResult:
        return next(r for r in self.results if r.key == key)


def build_dashboard(
    data: ComplianceInput,
    week_ago: tuple[date, dict[str, int]] | None,
    sanctions: SanctionSummary,
) -> Dashboard:
    """Run the checks and put them together with last week's counts."""
    results = run_checks(data)
    return Dashboard(
        today=data.today,
        rules=data.rules,
        results=results,
        trends=trends(results, week_ago[1] if week_ago else None),
        week_ago=week_ago[0] if week_ago else None,
        sanctions=sanctions,
    )
