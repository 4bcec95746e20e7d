"""Region reports (Symfoni, RULES.md §7): what may be sent, the rows of each file, and the
checks every row passes before a batch is written.

Pure: the store hands over facts (one per listing event, exam or emergency visit) and this
module decides which may leave the clinic (never a protected identity, never a health check
or an unsigned exam, only the target group on the day) and what each row says. The file
format itself is documented in docs/export-format.md.

Facts and rows are NamedTuples rather than frozen dataclasses: a year's export is some
100,000 of them, and a NamedTuple is built several times faster.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import NamedTuple

from clinic_desk.domain.care_rules import (
    TARGET_FIRST_AGE,
    TARGET_LAST_AGE,
    age_on,
    in_target_group,
    max_revision_interval_months,
)
from clinic_desk.domain.exams import CariesIndices, index_errors
from clinic_desk.domain.personal_id import InvalidPersonalId, parse_personal_id

FORMAT_VERSION = "1.0"


class ReportKind(Enum):
    """One file of a batch."""

    LISTINGS = "listings"
    CARE = "care_report"
    DENTAL_HEALTH = "dental_health"
    EMERGENCY = "emergency_visits"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    ReportKind.LISTINGS: "Listningar",
    ReportKind.CARE: "Vårdrapport (revisionsundersökningar)",
    ReportKind.DENTAL_HEALTH: "Tandhälsodata",
    ReportKind.EMERGENCY: "Akutbesök, andra klinikers patienter",
}


class Action(Enum):
    """What a row asks the region to do with the record."""

    ADD = "add"  # a record sent for the first time (regular batches)
    REPLACE = "replace"  # a correction: the record now reads like this
    WITHDRAW = "withdraw"  # a correction: forget the record (only its id is sent)


HEADERS: dict[ReportKind, tuple[str, ...]] = {
    ReportKind.LISTINGS: (
        "record_id",
        "action",
        "personal_id",
        "event",
        "event_date",
        "listing_kind",
        "other_clinic_org_number",
    ),
    ReportKind.CARE: (
        "record_id",
        "action",
        "personal_id",
        "exam_date",
        "examiner_profession",
        "examiner_hsa_id",
        "age_at_exam",
        "risk_group",
        "interval_months",
        "next_revision_due",
    ),
    ReportKind.DENTAL_HEALTH: (
        "record_id",
        "action",
        "personal_id",
        "exam_date",
        "age_at_exam",
        "primary_dft",
        "primary_dfs",
        "perm_DFT",
        "perm_DFS",
        "perm_DFS_approximal",
        "perm_DS",
        "caries_free",
    ),
    ReportKind.EMERGENCY: (
        "record_id",
        "action",
        "personal_id",
        "treatment_date",
        "listed_clinic_org_number",
        "payer",
        "payer_org_number",
        "treatment_codes",
        "amount_ore",
    ),
}

Row = tuple[str, ...]
"""One CSV row as text, in HEADERS order."""


# -- periods ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    """A calendar month or year a batch covers."""

    first: date
    last: date

    @property
    def label(self) -> str:
        if self.first.month == 1 and self.last.month == 12:
            return f"{self.first.year}"
        return f"{self.first.year}-{self.first.month:02d}"


_PERIOD_RE = re.compile(r"\s*(\d{4})(?:-(\d{2}))?\s*")


def parse_period(text: str) -> Period:
    """'2026-10' (a month) or '2026' (a year); ValueError with a Swedish message otherwise."""
    match = _PERIOD_RE.fullmatch(text)
    if not match or not 2000 <= int(match.group(1)) <= 2100:
        raise ValueError("Ange perioden som år och månad (2026-10) eller bara år (2026).")
    year = int(match.group(1))
    if match.group(2) is None:
        return Period(date(year, 1, 1), date(year, 12, 31))
    month = int(match.group(2))
    if not 1 <= month <= 12:
        raise ValueError(f"Månaden {match.group(2)} finns inte.")
    return Period(date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


# -- facts from the store ---------------------------------------------------------------------


class Person(NamedTuple):
    """The patient as the export sees them."""

    patient_id: int
    personal_id: str
    birth_date: date
    protected_identity: bool
    registered_in_region: bool
    is_reserve_number: bool


class ListingFact(NamedTuple):
    """A listing at the own clinic starting ('new') or ending ('ended', 'moved') on a day."""

    listing_id: int
    person: Person
    event: str  # new | ended | moved
    event_date: date
    listing_kind: str  # choice | assigned
    other_clinic_org: str  # where the patient came from (new) or went to (moved)


class IndexCounts(NamedTuple):
    """An exam's caries indices as counted (the fields of CariesIndices, in its order)."""

    primary_dft: int
    primary_dfs: int
    perm_dft: int
    perm_dfs: int
    perm_dfs_approximal: int
    perm_ds: int


class ExamFact(NamedTuple):
    """An exam as stored, amendments applied (risk group, interval, due date)."""

    exam_id: int
    person: Person
    exam_date: date
    kind: str  # dentist_revision | hygienist_revision | health_check | emergency
    signed: bool
    examiner_hsa_id: str
    age_at_exam: int
    risk_group: str | None
    interval_months: int | None
    next_revision_due: date | None
    indices: IndexCounts | None


class EmergencyFact(NamedTuple):
    """An emergency visit at the own clinic of a patient listed elsewhere or nowhere."""

    visit_id: int
    person: Person
    visit_protected: bool
    treatment_date: date
    listed_clinic_org: str
    payer: str
    payer_org: str
    treatment_codes: str
    amount_ore: int


Fact = ListingFact | ExamFact | EmergencyFact

_PROFESSION = {"dentist_revision": "dentist", "hygienist_revision": "hygienist"}
REVISION_KINDS = frozenset(_PROFESSION)


def record_id(kind: ReportKind, fact: Fact) -> str:
    """The record's id in the files: stable, unique per file kind, never a personal detail."""
    if isinstance(fact, ExamFact):
        return f"E{fact.exam_id}"
    if isinstance(fact, EmergencyFact):
        return f"V{fact.visit_id}"
    return f"L{fact.listing_id}{'S' if fact.event == 'new' else 'E'}"


def fact_date(fact: Fact) -> date:
    """The day a fact happened (what the period selects on)."""
    if isinstance(fact, ExamFact):
        return fact.exam_date
    if isinstance(fact, EmergencyFact):
        return fact.treatment_date
    return fact.event_date


def may_send(kind: ReportKind, fact: Fact) -> bool:
    """Whether the record may leave the clinic in this file at all (RULES.md §1, §2, §7)."""
    person = fact.person
    if person.protected_identity or not person.registered_in_region:
        return False
    if not in_target_group(person.birth_date, fact_date(fact)):
        return False
    if isinstance(fact, ExamFact):
        if not fact.signed or fact.kind not in REVISION_KINDS:
            return False
        return kind is ReportKind.CARE or (
            kind is ReportKind.DENTAL_HEALTH and fact.indices is not None
        )
    if isinstance(fact, EmergencyFact):
        return kind is ReportKind.EMERGENCY and not fact.visit_protected
    return kind is ReportKind.LISTINGS


# -- rows ------------------------------------------------------------------------------------


def _text(value: int | None) -> str:
    return "" if value is None else str(value)


def build_row(
    kind: ReportKind, fact: Fact, action: Action = Action.ADD, rid: str | None = None
) -> Row:
    """The CSV row of a record (call only for facts `may_send` accepts); `rid` is its
    record id when the caller has it already."""
    rid = rid or record_id(kind, fact)
    pid = fact.person.personal_id
    if isinstance(fact, ListingFact):
        return (
            rid,
            action.value,
            pid,
            fact.event,
            fact.event_date.isoformat(),
            fact.listing_kind,
            fact.other_clinic_org,
        )
    if isinstance(fact, EmergencyFact):
        return (
            rid,
            action.value,
            pid,
            fact.treatment_date.isoformat(),
            fact.listed_clinic_org,
            fact.payer,
            fact.payer_org,
            fact.treatment_codes,
            str(fact.amount_ore),
        )
    if kind is ReportKind.CARE:
        return care_row(fact, rid, action.value)
    return dental_row(fact, rid, action.value)


def care_row(fact: ExamFact, rid: str, action: str = "add") -> Row:
    """An exam's care-report row."""
    due = fact.next_revision_due
    return (
        rid,
        action,
        fact.person.personal_id,
        fact.exam_date.isoformat(),
        _PROFESSION.get(fact.kind, fact.kind),
        fact.examiner_hsa_id,
        str(fact.age_at_exam),
        fact.risk_group or "",
        _text(fact.interval_months),
        due.isoformat() if due else "",
    )


def dental_row(fact: ExamFact, rid: str, action: str = "add") -> Row:
    """An exam's dental-health row (its caries indices)."""
    i = fact.indices or IndexCounts(0, 0, 0, 0, 0, 0)
    return (
        rid,
        action,
        fact.person.personal_id,
        fact.exam_date.isoformat(),
        str(fact.age_at_exam),
        str(i.primary_dft),
        str(i.primary_dfs),
        str(i.perm_dft),
        str(i.perm_dfs),
        str(i.perm_dfs_approximal),
        str(i.perm_ds),
        "1" if i.primary_dft == 0 and i.perm_dft == 0 else "0",
    )


def withdraw_row(kind: ReportKind, rid: str) -> Row:
    """A correction row that withdraws a record: its id and nothing else."""
    return (rid, Action.WITHDRAW.value) + ("",) * (len(HEADERS[kind]) - 2)


# -- checks ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    """Why one row cannot be sent: the file, the row (line in the file, header = 1), the
    patient to fix and a Swedish message saying what to do."""

    kind: ReportKind
    line: int
    record_id: str
    patient_id: int | None
    personal_id: str
    message: str


_CANONICAL_RE = re.compile(r"\d{8}-\d{4}")
_RISK_GROUPS = frozenset({"low", "medium", "high"})
_PAYERS = frozenset({"listing_clinic", "area_clinic", "no_invoice"})


def _doubled(digit: int) -> int:
    return 2 * digit - 9 * (digit >= 5)


# Luhn partial sums of two and four ASCII digits (the first and third doubled), by text: the
# check runs once per patient in an export of up to 100,000 rows, and a slice that is not
# all ASCII digits is simply missing from the table.
_LUHN2 = {f"{a}{b}": _doubled(a) + b for a in range(10) for b in range(10)}
_LUHN4 = {
    f"{pair}{other}": first + second
    for pair, first in _LUHN2.items()
    for other, second in _LUHN2.items()
}


def _quick_person_ok(person: Person, today: date) -> bool:
    """The common case, cheaply: canonical form (YYYYMMDD-NNNN, ASCII digits), the birth
    date it names (day + 60 for a samordningsnummer), not a future birth, the check digit
    (Luhn over YYMMDDNNNC: the leftmost and every second digit doubled)."""
    pid = person.personal_id
    if len(pid) != 13 or pid[8] != "-" or person.is_reserve_number:
        return False
    birth = person.birth_date
    compact = birth.isoformat().replace("-", "")
    if pid[:8] != compact and (pid[:6] != compact[:6] or pid[6:8] != str(birth.day + 60)):
        return False
    head, day, tail = _LUHN4.get(pid[2:6]), _LUHN2.get(pid[6:8]), _LUHN4.get(pid[9:])
    if head is None or day is None or tail is None:
        return False
    return (head + day + tail) % 10 == 0 and birth <= today


def person_problems(person: Person, today: date) -> list[str]:
    """What is wrong with a patient's identity for the region (empty when fine)."""
    if _quick_person_ok(person, today):
        return []
    if person.is_reserve_number:
        return [
            "Reservnummer kan inte rapporteras: ange personnummer eller samordningsnummer, "
            "eller markera att patienten inte är folkbokförd i regionen."
        ]
    if not _CANONICAL_RE.fullmatch(person.personal_id):
        return [f"Personnumret {person.personal_id!r} har fel form (ÅÅÅÅMMDD-NNNN)."]
    try:
        parsed = parse_personal_id(person.personal_id, today)
    except InvalidPersonalId as exc:
        return [str(exc)]
    if parsed.birth_date != person.birth_date:
        return ["Födelsedatumet stämmer inte med personnumret."]
    return []


def _indices_ok(i: IndexCounts) -> bool:
    """The common case of `index_errors` being empty, checked cheaply."""
    return (
        0 <= i.primary_dft <= i.primary_dfs <= 88
        and i.primary_dft <= 20
        and 0 <= i.perm_dft <= i.perm_dfs <= 148
        and i.perm_dft <= 32
        and 0 <= i.perm_dfs_approximal <= min(i.perm_dfs, 2 * i.perm_dft)
        and 0 <= i.perm_ds <= i.perm_dfs
    )


def _exam_problems(kind: ReportKind, fact: ExamFact) -> list[str]:
    age = age_on(fact.person.birth_date, fact.exam_date)
    out = (
        [f"Åldern vid undersökningen ({fact.age_at_exam}) ska vara {age}."]
        if fact.age_at_exam != age
        else []
    )
    out += care_problems(fact, age) if kind is ReportKind.CARE else dental_problems(fact)
    return out


def care_problems(fact: ExamFact, age: int) -> list[str]:
    """The care report's own checks of an exam: risk group, interval cap, due date."""
    out: list[str] = []
    if fact.risk_group not in _RISK_GROUPS:
        out.append("Riskgrupp saknas.")
    cap = max_revision_interval_months(min(max(age, 0), 19))
    if fact.interval_months is None or not 1 <= fact.interval_months <= cap:
        out.append(f"Revisionsintervallet ska vara 1–{cap} månader vid {age} år.")
    due = fact.next_revision_due
    if due is None or due <= fact.exam_date:
        out.append("Nästa revisionsdatum saknas eller ligger före undersökningen.")
    return out


def dental_problems(fact: ExamFact) -> list[str]:
    """The dental-health data's own checks of an exam: the caries indices' bounds."""
    if fact.indices is None or _indices_ok(fact.indices):
        return []
    return [f"Kariesindex: {e.message}" for e in index_errors(CariesIndices(*fact.indices))]


def exam_common_problems(fact: ExamFact, first: date, last: date, today: date) -> list[str]:
    """Checks an exam's rows in both files share: the date and the age on it."""
    out = _date_problems(fact.exam_date, first, last, today)
    age = age_on(fact.person.birth_date, fact.exam_date)
    if fact.age_at_exam != age:
        out.append(f"Åldern vid undersökningen ({fact.age_at_exam}) ska vara {age}.")
    return out


def _date_problems(day: date, first: date, last: date, today: date) -> list[str]:
    if not first <= day <= last:
        return [f"Datumet {day.isoformat()} ligger utanför perioden."]
    if day > today:
        return [f"Datumet {day.isoformat()} ligger i framtiden."]
    return []


def record_problems(
    kind: ReportKind, fact: Fact, first: date, last: date, today: date
) -> list[str]:
    """What is wrong with one record's own values (dates, ranges, codes); the patient's
    identity is `person_problems`."""
    messages = _date_problems(fact_date(fact), first, last, today)
    if isinstance(fact, ExamFact):
        messages.extend(_exam_problems(kind, fact))
    elif isinstance(fact, EmergencyFact):
        if fact.payer not in _PAYERS:
            messages.append(f"Okänd betalare {fact.payer!r}.")
        elif fact.payer != "no_invoice" and not fact.payer_org:
            messages.append("Betalande klinik saknar organisationsnummer.")
        if not fact.treatment_codes:
            messages.append("Akutbesöket har inga åtgärder.")
        if fact.amount_ore < 0:
            messages.append("Beloppet är negativt.")
    elif fact.event not in _LISTING_EVENTS:
        messages.append(f"Okänd listningshändelse {fact.event!r}.")
    return messages


def row_problems(
    kind: ReportKind, fact: Fact, line: int, first: date, last: date, today: date
) -> list[RowProblem]:
    """Every problem with one row of a batch covering `first`..`last` (empty when fine)."""
    messages = person_problems(fact.person, today) + record_problems(kind, fact, first, last, today)
    return problems_of(kind, fact, line, record_id(kind, fact), messages)


def problems_of(
    kind: ReportKind, fact: Fact, line: int, rid: str, messages: list[str]
) -> list[RowProblem]:
    """The messages about one row as RowProblems naming the file, row and patient."""
    person = fact.person
    return [
        RowProblem(kind, line, rid, person.patient_id, person.personal_id, message)
        for message in messages
    ]


def missing_indices_problem(fact: ExamFact, line: int) -> RowProblem:
    """A signed revision exam without caries indices: its dental-health row cannot be made."""
    return RowProblem(
        ReportKind.CARE,
        line,
        f"E{fact.exam_id}",
        fact.person.patient_id,
        fact.person.personal_id,
        "Kariesindex saknas på revisionsundersökningen (tandhälsodata kan inte skickas).",
    )


class _IsoTexts(dict[date, str]):
    """date -> ISO text, each distinct date written once (a year's rows share few dates)."""

    def __missing__(self, day: date) -> str:
        text = self[day] = day.isoformat()
        return text


_LISTING_EVENTS = frozenset({"new", "ended", "moved"})


def listing_rows(
    listings: Iterable[ListingFact],
    sent: Container[str],
    first: date,
    last: date,
    today: date,
    identity: Callable[[Person], Sequence[str]],
    problems: list[RowProblem],
) -> list[Row]:
    """The listings rows ('add') of these facts, leaving out records in `sent` and every
    fact `may_send` refuses; every row is checked and each problem appended to `problems`.

    As `exam_rows`: `identity` is the patient's `person_problems`, the common case of
    `record_problems` is tested inline, and a fact that fails it goes through
    `record_problems` for the messages. Rows are those of `build_row`."""
    kind = ReportKind.LISTINGS
    texts = _IsoTexts()
    rows: list[Row] = []
    for fact in listings:
        listing_id, person, event, day, listing_kind, other_org = fact
        rid = f"L{listing_id}{'S' if event == 'new' else 'E'}"
        birth = person.birth_date
        if (
            rid in sent
            or person.protected_identity
            or not person.registered_in_region
            or not TARGET_FIRST_AGE <= day.year - birth.year <= TARGET_LAST_AGE
        ):
            continue
        known = identity(person)
        if known or not first <= day <= last or day > today or event not in _LISTING_EVENTS:
            found = [*known, *record_problems(kind, fact, first, last, today)]
            if found:
                problems.extend(problems_of(kind, fact, len(rows) + 2, rid, found))
        rows.append((rid, "add", person.personal_id, event, texts[day], listing_kind, other_org))
    return rows


_INTERVAL_CAPS = tuple(max_revision_interval_months(age) for age in range(20))
"""`max_revision_interval_months` by age 0-19 (the ages `care_problems` asks about)."""


def exam_rows(
    exams: Iterable[ExamFact],
    sent_care: Container[str],
    sent_dental: Container[str],
    first: date,
    last: date,
    today: date,
    identity: Callable[[Person], Sequence[str]],
    problems: list[RowProblem],
) -> tuple[list[Row], list[Row]]:
    """The care-report and dental-health rows ('add') of these exams in one pass, leaving out
    records in `sent_care` / `sent_dental` and every exam `may_send` refuses; every row is
    checked and each problem appended to `problems` (line numbers count the header).

    `identity` is the patient's `person_problems` (the caller keeps one answer per patient).
    A year's export is some 60,000 exams, so the common case of each check (the rules of
    `exam_common_problems`, `care_problems` and `dental_problems`) is tested inline; an exam
    that fails it goes through those functions, which give the messages. Rows are those of
    `care_row` and `dental_row`."""
    care_kind, dental_kind = ReportKind.CARE, ReportKind.DENTAL_HEALTH
    risk_groups, caps, professions = _RISK_GROUPS, _INTERVAL_CAPS, _PROFESSION
    texts = _IsoTexts()
    care_values: dict[tuple[int, str | None, int | None], tuple[bool, str, str, str]] = {}
    dental_values: dict[IndexCounts, tuple[bool, Row]] = {}
    care: list[Row] = []
    dental: list[Row] = []
    for fact in exams:
        exam_id, person, day, kind, signed, hsa_id, age_at, risk, interval, due, indices = fact
        rid = f"E{exam_id}"
        new_care, new_dental = rid not in sent_care, rid not in sent_dental
        if not (new_care or new_dental):
            continue
        # may_send(CARE, fact); DENTAL_HEALTH also needs the indices (checked below).
        birth = person.birth_date
        if (
            person.protected_identity
            or not person.registered_in_region
            or not signed
            or kind not in professions
            or not TARGET_FIRST_AGE <= day.year - birth.year <= TARGET_LAST_AGE
        ):
            continue
        known = identity(person)
        shared_ok = (
            not known
            and first <= day <= last
            and birth <= day <= today
            and age_at == day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
        )
        # The messages both rows share (none in the common case).
        common = () if shared_ok else (*known, *exam_common_problems(fact, first, last, today))
        pid, day_text = person.personal_id, texts[day]
        # What depends only on (age, risk group, interval) is checked and written once.
        care_key = (age_at, risk, interval)
        values = care_values.get(care_key)
        if values is None:
            values = care_values[care_key] = (
                risk in risk_groups
                and interval is not None
                and 1 <= interval <= caps[min(max(age_at, 0), 19)],
                str(age_at),
                risk or "",
                "" if interval is None else str(interval),
            )
        if new_care:
            if not (shared_ok and values[0] and due is not None and due > day):
                found = [*common, *care_problems(fact, age_at)]
                if found:
                    problems.extend(problems_of(care_kind, fact, len(care) + 2, rid, found))
            care.append(
                (
                    rid,
                    "add",
                    pid,
                    day_text,
                    professions[kind],
                    hsa_id,
                    values[1],
                    values[2],
                    values[3],
                    texts[due] if due else "",
                )
            )
        if new_dental:
            if indices is None:
                problems.append(missing_indices_problem(fact, len(dental) + 2))
                continue
            # A year's exams have a few hundred distinct sets of indices.
            counted = dental_values.get(indices)
            if counted is None:
                counted = dental_values[indices] = (
                    _indices_ok(indices),
                    (
                        *map(str, indices),
                        "1" if indices.primary_dft == 0 and indices.perm_dft == 0 else "0",
                    ),
                )
            if not (shared_ok and counted[0]):
                found = [*common, *dental_problems(fact)]
                if found:
                    problems.extend(problems_of(dental_kind, fact, len(dental) + 2, rid, found))
            dental.append((rid, "add", pid, day_text, values[1], *counted[1]))
    return care, dental
