"""Region report rules without a database: periods, who may be sent, identity checks, and
the one-pass row builders of an export agreeing with the rules applied fact by fact."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_desk.domain.personal_id import (
    InvalidPersonalId,
    is_valid_personal_id,
    luhn_check_digit,
    parse_personal_id,
)
from clinic_desk.domain.region_report import (
    Action,
    ExamFact,
    IndexCounts,
    ListingFact,
    Person,
    ReportKind,
    Row,
    RowProblem,
    build_row,
    care_problems,
    dental_problems,
    exam_common_problems,
    exam_rows,
    listing_rows,
    may_send,
    missing_indices_problem,
    parse_period,
    person_problems,
    problems_of,
    record_id,
    record_problems,
)
from clinic_desk.domain.region_stats import StatisticsCounts, annual_statistics, percent

TODAY = date(2026, 11, 23)
REVISIONS = {"dentist_revision", "hygienist_revision"}
T = TypeVar("T")


def _person(pid: str, birth: date, **flags: bool) -> Person:
    return Person(
        1,
        pid,
        birth,
        flags.get("protected", False),
        flags.get("registered", True),
        flags.get("reserve", False),
    )


def _pid(birth: date, serial: str = "238", day_offset: int = 0) -> str:
    body = f"{birth:%y%m}{birth.day + day_offset:02d}{serial}"
    return f"{birth:%Y%m}{birth.day + day_offset:02d}-{serial}{luhn_check_digit(body)}"


@given(
    st.dates(date(1990, 1, 1), date(2026, 11, 1)),
    st.integers(0, 999).map(lambda n: f"{n:03d}"),
    st.integers(0, 9),
)
def test_the_quick_identity_check_agrees_with_the_personal_id_parser(
    birth: date, serial: str, last: int
) -> None:
    pid = f"{birth:%Y%m%d}-{serial}{last}"
    assert (person_problems(_person(pid, birth), TODAY) == []) == is_valid_personal_id(pid, TODAY)


def test_identity_problems_say_what_to_fix() -> None:
    birth = date(2014, 5, 6)
    good = _pid(birth)
    assert person_problems(_person(good, birth), TODAY) == []
    coordination = _pid(birth, day_offset=60)
    assert person_problems(_person(coordination, birth), TODAY) == []
    assert person_problems(_person(_pid(birth, day_offset=40), birth), TODAY)
    assert "Födelsedatumet" in person_problems(_person("19" + good[2:], birth), TODAY)[0]
    wrong_digit = good[:-1] + str((int(good[-1]) + 1) % 10)
    assert "kontrollsiffra" in person_problems(_person(wrong_digit, birth), TODAY)[0]
    assert "Födelsedatumet" in person_problems(_person(good, date(2014, 5, 7)), TODAY)[0]
    assert "Reservnummer" in person_problems(_person(good, birth, reserve=True), TODAY)[0]
    assert "fel form" in person_problems(_person("20140506-23", birth), TODAY)[0]


def test_periods() -> None:
    assert parse_period("2026-10") == parse_period(" 2026-10 ")
    october = parse_period("2026-10")
    assert (october.first, october.last, october.label) == (
        date(2026, 10, 1),
        date(2026, 10, 31),
        "2026-10",
    )
    year = parse_period("2026")
    assert (year.first, year.last, year.label) == (date(2026, 1, 1), date(2026, 12, 31), "2026")
    for bad in ("2026-13", "26-10", "oktober", ""):
        with pytest.raises(ValueError, match=r"Ange perioden|finns inte"):
            parse_period(bad)


def _exam(person: Person, kind: str = "dentist_revision", signed: bool = True) -> ExamFact:
    return ExamFact(
        1,
        person,
        date(2026, 10, 5),
        kind,
        signed,
        "",
        12,
        "low",
        12,
        date(2027, 10, 5),
        IndexCounts(0, 0, 0, 0, 0, 0),
    )


def test_only_signed_revision_exams_of_the_target_group_may_be_sent() -> None:
    birth = date(2014, 5, 6)
    person = _person(_pid(birth), birth)
    assert may_send(ReportKind.CARE, _exam(person))
    assert may_send(ReportKind.DENTAL_HEALTH, _exam(person, "hygienist_revision"))
    assert not may_send(ReportKind.CARE, _exam(person, "health_check"))
    assert not may_send(ReportKind.CARE, _exam(person, "emergency"))
    assert not may_send(ReportKind.CARE, _exam(person, signed=False))
    assert not may_send(ReportKind.CARE, _exam(person._replace(protected_identity=True)))
    assert not may_send(ReportKind.CARE, _exam(person._replace(registered_in_region=False)))
    too_old = _person(_pid(date(2006, 1, 1)), date(2006, 1, 1))
    assert not may_send(ReportKind.CARE, _exam(too_old))


def test_shares_and_means_from_counts() -> None:
    counts = StatisticsCounts(
        year=2026,
        listed_by_age=((3, 10), (12, 20)),
        recall=((True, True, True, 6), (True, False, False, 2), (False, True, False, 3)),
        caries_by_age=((3, 8, 6, 4, 0), (12, 16, 4, 0, 24)),
        emergency=(("listing_clinic", 5), ("own", 2)),
    )
    figures = annual_statistics(counts, appointments=200, no_shows=7)
    assert figures.listed_total == 30
    assert (figures.exams_due, figures.exams_done, figures.in_time) == (8, 9, 6)
    assert figures.in_time_percent == 75.0
    assert figures.caries_free_shares() == [(3, 75.0), (6, None), (12, 25.0), (19, None)]
    assert (figures.age(3).mean_dft, figures.age(12).mean_perm_dft) == (0.5, 1.5)
    assert (figures.emergency_given, figures.emergency_own_patients) == (5, 2)
    assert figures.no_show_percent == 3.5
    assert percent(1, 3) == 33.3


def _slow_identity_ok(person: Person, today: date) -> bool:
    """The identity rules spelled out: no reserve number, canonical form, a valid personal
    or coordination number, naming the patient's birth date."""
    if person.is_reserve_number or not re.fullmatch(r"\d{8}-\d{4}", person.personal_id):
        return False
    try:
        parsed = parse_personal_id(person.personal_id, today)
    except InvalidPersonalId:
        return False
    return parsed.birth_date == person.birth_date


@given(
    st.dates(date(1990, 1, 1), date(2027, 12, 31)),
    st.sampled_from([0, 60, 40, 20]),
    st.integers(0, 999).map(lambda n: f"{n:03d}"),
    st.lists(st.tuples(st.integers(0, 12), st.sampled_from("0123456789-+ a\u0663")), max_size=2),
    st.sampled_from([False, False, False, True]),
)
def test_the_quick_identity_path_never_disagrees_with_the_rules(
    birth: date, offset: int, serial: str, edits: list[tuple[int, str]], reserve: bool
) -> None:
    chars = list(_pid(birth, serial, offset))
    for index, char in edits:
        chars[index] = char
    person = _person("".join(chars), birth, reserve=reserve)
    assert (person_problems(person, TODAY) == []) == _slow_identity_ok(person, TODAY)


# -- the one-pass row builders against the rules fact by fact --------------------------------

FIRST, LAST = date(2025, 1, 1), date(2026, 12, 31)  # TODAY falls inside


def _mostly(valid: st.SearchStrategy[T], other: st.SearchStrategy[T]) -> st.SearchStrategy[T]:
    """Usually `valid`, now and then `other`: a fact breaks one or two rules at a time."""
    return st.sampled_from([True] * 6 + [False]).flatmap(lambda ok: valid if ok else other)


@st.composite
def people(draw: st.DrawFn) -> Person:
    birth = draw(st.dates(date(2004, 1, 1), date(2023, 12, 31)))
    pid = _pid(birth, draw(st.sampled_from(["238", "501"])), draw(st.sampled_from([0, 60])))
    wrong = draw(_mostly(st.none(), st.sampled_from(["", "7", "-", "x"])))
    if wrong is not None:
        pid = pid[:-1] + wrong
    return Person(
        draw(st.integers(1, 3)),
        pid,
        birth,
        draw(_mostly(st.just(False), st.just(True))),
        draw(_mostly(st.just(True), st.just(False))),
        draw(_mostly(st.just(False), st.just(True))),
    )


@st.composite
def exam_facts(draw: st.DrawFn) -> ExamFact:
    person = draw(people())
    birth = person.birth_date
    span = draw(
        _mostly(st.just((max(FIRST, birth), LAST)), st.just((birth, birth + timedelta(6000))))
    )
    day = draw(st.dates(*span))
    age = day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
    cap = 24 if age <= 15 else 36
    valid_indices = st.sampled_from([IndexCounts(0, 0, 0, 0, 0, 0), IndexCounts(2, 3, 1, 2, 1, 0)])
    return ExamFact(
        0,
        person,
        day,
        draw(_mostly(st.sampled_from(sorted(REVISIONS)), st.just("health_check"))),
        draw(_mostly(st.just(True), st.just(False))),
        draw(st.sampled_from(["", "SE2321000016-1234"])),
        age + draw(_mostly(st.just(0), st.sampled_from([-1, 1]))),
        draw(_mostly(st.sampled_from(["low", "medium", "high"]), st.sampled_from([None, "x"]))),
        draw(_mostly(st.integers(1, cap), st.sampled_from([None, 0, cap + 1]))),
        draw(
            _mostly(
                st.integers(1, 900).map(lambda n: day + timedelta(n)),
                st.sampled_from([None, day, day - timedelta(1)]),
            )
        ),
        draw(
            _mostly(
                valid_indices,
                st.none() | st.builds(IndexCounts, *[st.integers(-1, 40)] * 6),
            )
        ),
    )


@st.composite
def listing_facts(draw: st.DrawFn) -> ListingFact:
    return ListingFact(
        0,
        draw(people()),
        draw(_mostly(st.sampled_from(["new", "ended", "moved"]), st.just("odd"))),
        draw(_mostly(st.dates(FIRST, TODAY), st.dates(date(2024, 6, 1), date(2027, 3, 31)))),
        draw(st.sampled_from(["choice", "assigned"])),
        draw(st.sampled_from(["", "556677-8899"])),
    )


def _identity(person: Person) -> list[str]:
    return person_problems(person, TODAY)


def _rule_by_rule_exams(
    exams: Sequence[ExamFact], sent_care: set[str], sent_dental: set[str], last: date = LAST
) -> tuple[list[Row], list[Row], list[RowProblem]]:
    """Care and dental-health rows and problems, each exam through the rules one by one."""
    care_kind, dental_kind = ReportKind.CARE, ReportKind.DENTAL_HEALTH
    care: list[Row] = []
    dental: list[Row] = []
    problems: list[RowProblem] = []
    for fact in exams:
        rid = record_id(care_kind, fact)
        new_care, new_dental = rid not in sent_care, rid not in sent_dental
        if not (new_care or new_dental) or not may_send(care_kind, fact):
            continue
        common = person_problems(fact.person, TODAY) + exam_common_problems(
            fact, FIRST, last, TODAY
        )
        if new_care:
            found = common + care_problems(fact, fact.age_at_exam)
            problems.extend(problems_of(care_kind, fact, len(care) + 2, rid, found))
            care.append(build_row(care_kind, fact, Action.ADD))
        if new_dental:
            if fact.indices is None:
                problems.append(missing_indices_problem(fact, len(dental) + 2))
                continue
            found = common + dental_problems(fact)
            problems.extend(problems_of(dental_kind, fact, len(dental) + 2, rid, found))
            dental.append(build_row(dental_kind, fact, Action.ADD))
    return care, dental, problems


def _one_pass_exams(
    exams: Sequence[ExamFact], sent_care: set[str], sent_dental: set[str], last: date = LAST
) -> tuple[list[Row], list[Row], list[RowProblem]]:
    problems: list[RowProblem] = []
    care, dental = exam_rows(exams, sent_care, sent_dental, FIRST, last, TODAY, _identity, problems)
    return care, dental, problems


def _rule_by_rule_listings(
    listings: Sequence[ListingFact], sent: set[str], last: date = LAST
) -> tuple[list[Row], list[RowProblem]]:
    kind = ReportKind.LISTINGS
    rows: list[Row] = []
    problems: list[RowProblem] = []
    for fact in listings:
        rid = record_id(kind, fact)
        if rid in sent or not may_send(kind, fact):
            continue
        found = person_problems(fact.person, TODAY) + record_problems(
            kind, fact, FIRST, last, TODAY
        )
        problems.extend(problems_of(kind, fact, len(rows) + 2, rid, found))
        rows.append(build_row(kind, fact, Action.ADD, rid))
    return rows, problems


def _one_pass_listings(
    listings: Sequence[ListingFact], sent: set[str], last: date = LAST
) -> tuple[list[Row], list[RowProblem]]:
    problems: list[RowProblem] = []
    rows = listing_rows(listings, sent, FIRST, last, TODAY, _identity, problems)
    return rows, problems


@given(
    st.lists(exam_facts(), max_size=20),
    st.sets(st.integers(0, 19)),
    st.sets(st.integers(0, 19)),
)
def test_exam_rows_apply_every_rule_of_each_exam(
    drawn: list[ExamFact], sent_care: set[int], sent_dental: set[int]
) -> None:
    exams = [fact._replace(exam_id=n) for n, fact in enumerate(drawn)]
    care, dental = {f"E{n}" for n in sent_care}, {f"E{n}" for n in sent_dental}
    assert _one_pass_exams(exams, care, dental) == _rule_by_rule_exams(exams, care, dental)


@given(st.lists(listing_facts(), max_size=20), st.sets(st.integers(0, 19)))
def test_listing_rows_apply_every_rule_of_each_listing(
    drawn: list[ListingFact], sent: set[int]
) -> None:
    listings = [fact._replace(listing_id=n) for n, fact in enumerate(drawn)]
    ids = {record_id(ReportKind.LISTINGS, f) for f in listings if f.listing_id in sent}
    assert _one_pass_listings(listings, ids) == _rule_by_rule_listings(listings, ids)


_BIRTH = date(2014, 5, 6)
_GOOD = _person(_pid(_BIRTH), _BIRTH)
_DAY = date(2026, 10, 5)
_GOOD_EXAM = _exam(_GOOD)
_GOOD_LISTING = ListingFact(7, _GOOD, "new", date(2026, 3, 1), "choice", "556677-8899")
PAST_LAST = date(2026, 9, 30)  # a batch of an earlier period: `last` before TODAY


@pytest.mark.parametrize(
    "exam",
    [
        _GOOD_EXAM,
        _exam(_person(_pid(_BIRTH, day_offset=60), _BIRTH)),  # a samordningsnummer
        _GOOD_EXAM._replace(interval_months=0),
        _GOOD_EXAM._replace(interval_months=24),
        _GOOD_EXAM._replace(interval_months=25),
        _GOOD_EXAM._replace(interval_months=None),
        _GOOD_EXAM._replace(next_revision_due=_DAY),
        _GOOD_EXAM._replace(next_revision_due=_DAY - timedelta(1)),
        _GOOD_EXAM._replace(next_revision_due=None),
        _GOOD_EXAM._replace(risk_group=None),
        _GOOD_EXAM._replace(risk_group="x"),
        _GOOD_EXAM._replace(age_at_exam=13),
        _GOOD_EXAM._replace(age_at_exam=11),
        _GOOD_EXAM._replace(exam_date=date(2026, 11, 24), next_revision_due=date(2027, 11, 24)),
        _GOOD_EXAM._replace(exam_date=date(2024, 12, 31)),
        _GOOD_EXAM._replace(indices=None),
        _GOOD_EXAM._replace(indices=IndexCounts(3, 2, 0, 0, 0, 0)),
        _GOOD_EXAM._replace(indices=IndexCounts(0, 0, 1, 2, 3, 0)),
        _exam(_GOOD._replace(personal_id=_GOOD.personal_id[:-1] + "0")),
        _exam(_GOOD._replace(personal_id=_pid(_BIRTH, day_offset=40))),
        _exam(_GOOD._replace(is_reserve_number=True)),
        _exam(_GOOD, "health_check"),
        _exam(_GOOD, signed=False),
        _exam(_GOOD._replace(protected_identity=True)),
        _exam(_GOOD._replace(registered_in_region=False)),
        _exam(_person(_pid(date(2006, 1, 1)), date(2006, 1, 1))),  # too old that year
    ],
)
def test_exam_rows_on_each_rule_alone(exam: ExamFact) -> None:
    for sent_care, sent_dental in (set(), set()), ({"E1"}, set()), (set(), {"E1"}):
        for last in LAST, PAST_LAST:
            expected = _rule_by_rule_exams([exam], sent_care, sent_dental, last)
            assert _one_pass_exams([exam], sent_care, sent_dental, last) == expected


@pytest.mark.parametrize(
    "listing",
    [
        _GOOD_LISTING,
        _GOOD_LISTING._replace(event="moved", event_date=date(2026, 10, 31)),
        _GOOD_LISTING._replace(event="ended", event_date=date(2026, 11, 23)),
        _GOOD_LISTING._replace(event_date=date(2026, 11, 24)),
        _GOOD_LISTING._replace(event_date=date(2024, 12, 31)),
        _GOOD_LISTING._replace(event="odd"),
        _GOOD_LISTING._replace(person=_GOOD._replace(personal_id=_pid(_BIRTH, "501"))),
        _GOOD_LISTING._replace(person=_GOOD._replace(personal_id="20140506-238")),
        _GOOD_LISTING._replace(person=_GOOD._replace(protected_identity=True)),
        _GOOD_LISTING._replace(person=_GOOD._replace(registered_in_region=False)),
        _GOOD_LISTING._replace(event_date=date(2034, 1, 1)),  # turns 20 that year
    ],
)
def test_listing_rows_on_each_rule_alone(listing: ListingFact) -> None:
    for sent in set(), {"L7S", "L7E"}:
        for last in LAST, PAST_LAST:
            expected = _rule_by_rule_listings([listing], sent, last)
            assert _one_pass_listings([listing], sent, last) == expected


def test_a_future_birth_date_fails_the_identity_check() -> None:
    birth = TODAY + timedelta(1)
    assert "framtiden" in " ".join(person_problems(_person(_pid(birth), birth), TODAY))
