"""Region report rules without a database: periods, who may be sent, identity checks."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_desk.domain.personal_id import is_valid_personal_id, luhn_check_digit
from clinic_desk.domain.region_report import (
    ExamFact,
    IndexCounts,
    Person,
    ReportKind,
    may_send,
    parse_period,
    person_problems,
)
from clinic_desk.domain.region_stats import StatisticsCounts, annual_statistics, percent

TODAY = date(2026, 11, 23)


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
