"""Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer).

Accepted input forms (surrounding whitespace is ignored, only ASCII digits 0-9 count):

* ``YYMMDD-NNNN``  - the century is chosen so that the birth date is not in the future and the
  person is younger than 100 on ``today``;
* ``YYMMDD+NNNN``  - the person is 100 or older: the century is chosen so that the person has
  turned 100 on ``today`` (latest such birth date);
* ``YYMMDDNNNN``   - same century rule as ``YYMMDD-NNNN``;
* ``YYYYMMDDNNNN`` and ``YYYYMMDD-NNNN`` - explicit century.

A coordination number has the day of month plus 60 (61-91). The last digit is a Luhn check
digit computed over the ten-digit form ``YYMMDDNNNN``. The canonical form kept everywhere in the
program is ``YYYYMMDD-NNNN``; for a coordination number it keeps the day plus 60.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

__all__ = [
    "COORDINATION_DAY_OFFSET",
    "InvalidPersonalId",
    "PersonalId",
    "is_valid_personal_id",
    "luhn_check_digit",
    "parse_personal_id",
]

COORDINATION_DAY_OFFSET = 60
"""Coordination numbers add this to the day of month."""

_ASCII_DIGITS = "0123456789"

# Only ASCII digits: ``\d`` would also match e.g. Arabic-Indic digits.
_LONG_RE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})(-?)([0-9]{4})")
_SHORT_RE = re.compile(r"([0-9]{2})([0-9]{2})([0-9]{2})([-+]?)([0-9]{4})")

MSG_EMPTY = "Personnummer saknas."
MSG_FORMAT = "Personnumret ska ha 10 eller 12 siffror, t.ex. 20150307-1234."
MSG_NON_ASCII_DIGIT = "Personnumret får bara innehålla siffrorna 0–9, t.ex. 20150307-1234."
MSG_PLUS_LONG = (
    "Plustecken används bara i 10-siffriga personnummer (för personer som fyllt 100 år). "
    "Skriv 12 siffror med bindestreck, t.ex. 19150307-1234."
)
MSG_DATE = "Datumet i personnumret finns inte."
MSG_FUTURE = "Födelsedatumet i personnumret ligger i framtiden."
MSG_CHECK_DIGIT = "Personnumret har fel kontrollsiffra."


class InvalidPersonalId(ValueError):
    """A personal or reserve number that cannot be accepted; str() is a Swedish message."""


@dataclass(frozen=True)
class PersonalId:
    """A validated personal identity number or coordination number."""

    canonical: str
    """``YYYYMMDD-NNNN`` (12 digits and a hyphen; coordination numbers keep day + 60)."""
    birth_date: date
    """Birth date; for a coordination number the day minus 60."""
    is_coordination_number: bool
    """True for a samordningsnummer (day of month + 60)."""

    def __str__(self) -> str:
        """Return the canonical form."""
        return self.canonical


def luhn_check_digit(digits: str) -> str:
    """Return the Luhn check digit for a string of ASCII digits (e.g. the first 9 of YYMMDDNNN).

    Raises ValueError (Swedish message) if ``digits`` is empty or holds anything but 0-9.
    """
    if not digits or any(ch not in _ASCII_DIGITS for ch in digits):
        raise ValueError("Kontrollsiffra kan bara räknas fram för siffrorna 0–9.")
    from stdnum import luhn  # imported on first use (slow to import)

    return str(luhn.calc_check_digit(digits))


# Luhn (mod 10) over ASCII digits, the rightmost being the check digit. The same sum as
# stdnum.luhn.checksum (the tests compare them), written with a table because the search box
# runs it on every keystroke and the generic one costs several times more.
_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def _luhn_valid(digits: str) -> bool:
    total = 0
    for index, ch in enumerate(reversed(digits)):
        value = ord(ch) - 48
        total += _DOUBLED[value] if index % 2 else value
    return total % 10 == 0


def _is_ascii_digits(text: str) -> bool:
    return bool(text) and all(ch in _ASCII_DIGITS for ch in text)


def _normalise_today(today: date | None) -> date:
    if today is None:
        return date.today()
    if isinstance(today, datetime):
        return today.date()
    return today


def _format_error(text: str) -> InvalidPersonalId:
    """Pick the most helpful message for a string that matches no accepted form."""
    if not text:
        return InvalidPersonalId(MSG_EMPTY)
    if any(ch.isdigit() and ch not in _ASCII_DIGITS for ch in text):
        return InvalidPersonalId(MSG_NON_ASCII_DIGIT)
    if re.fullmatch(r"[0-9]{8}\+[0-9]{4}", text):
        return InvalidPersonalId(MSG_PLUS_LONG)
    return InvalidPersonalId(MSG_FORMAT)


def _century_year(yy: int, month: int, day: int, today: date, centenarian: bool) -> int:
    """Full year for a two-digit year: latest year with that ending not after ``today``.

    For ``centenarian`` (the ``+`` separator) the person must have turned 100 on ``today``,
    which is the same choice moved back one century. The comparison uses (month, day) tuples
    so that it works before we know whether the date exists in the chosen year.
    """
    year = today.year - (today.year - yy) % 100
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    if centenarian:
        year -= 100
    return year


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except (ValueError, OverflowError):
        raise InvalidPersonalId(MSG_DATE) from None


def parse_personal_id(text: str, today: date | None = None) -> PersonalId:
    """Parse and validate a personal/coordination number in any accepted form.

    Raises InvalidPersonalId (Swedish message) for anything else; never another exception.
    """
    ref = _normalise_today(today)
    stripped = text.strip()

    long_match = _LONG_RE.fullmatch(stripped)
    short_match = None if long_match else _SHORT_RE.fullmatch(stripped)
    if long_match is not None:
        year_s, month_s, day_s, _sep, serial = long_match.groups()
        explicit_year: int | None = int(year_s)
        centenarian = False
    elif short_match is not None:
        year_s, month_s, day_s, sep, serial = short_match.groups()
        explicit_year = None
        centenarian = sep == "+"
    else:
        raise _format_error(stripped)

    month = int(month_s)
    raw_day = int(day_s)
    is_coordination = raw_day > COORDINATION_DAY_OFFSET
    day = raw_day - COORDINATION_DAY_OFFSET if is_coordination else raw_day
    if not 1 <= month <= 12 or not 1 <= day <= 31:
        raise InvalidPersonalId(MSG_DATE)

    if explicit_year is None:
        year = _century_year(int(year_s), month, day, ref, centenarian)
    else:
        year = explicit_year
    birth_date = _make_date(year, month, day)
    if birth_date > ref:
        raise InvalidPersonalId(MSG_FUTURE)

    ten_digits = f"{year % 100:02d}{month_s}{day_s}{serial}"
    if not _luhn_valid(ten_digits):
        raise InvalidPersonalId(MSG_CHECK_DIGIT)

    return PersonalId(
        canonical=f"{year:04d}{month_s}{day_s}-{serial}",
        birth_date=birth_date,
        is_coordination_number=is_coordination,
    )


def is_valid_personal_id(text: str, today: date | None = None) -> bool:
    """Return True if ``text`` parses as a valid personal or coordination number."""
    try:
        parse_personal_id(text, today)
    except InvalidPersonalId:
        return False
    return True
