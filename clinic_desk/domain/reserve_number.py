"""Reserve numbers (reservnummer) for patients without a Swedish personal identity number.

Format: ``YYYYMMDD-Rnnn``

* ``YYYYMMDD`` - the patient's birth date (four-digit year, must be a real date);
* ``-``        - a hyphen;
* ``R``        - a capital letter R (the stored form always has a capital R; the parser also
  accepts a typed lower-case ``r``, and ``normalize_reserve_number`` gives the stored form);
* ``nnn``      - a three-digit serial 001-999 that tells apart patients born on the same day.

Example: ``20150307-R001``. A reserve number can never collide with a real personal or
coordination number, because those always have four digits after the separator. Reserve
numbers carry no check digit. Surrounding whitespace is ignored when parsing; the parser does
not check that the birth date lies in the past (that needs a reference date, which the caller
has).
"""

from __future__ import annotations

import re
from datetime import date

from clinic_desk.domain.personal_id import InvalidPersonalId

__all__ = [
    "MAX_SERIAL",
    "MIN_SERIAL",
    "format_reserve_number",
    "is_reserve_number",
    "normalize_reserve_number",
    "parse_reserve_number",
]

MIN_SERIAL = 1
MAX_SERIAL = 999

_RESERVE_RE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})-[Rr]([0-9]{3})")

MSG_FORMAT = "Reservnumret ska ha formen ÅÅÅÅMMDD-Rnnn, t.ex. 20150307-R001."
MSG_DATE = "Datumet i reservnumret finns inte."
MSG_SERIAL = "Löpnumret i reservnumret ska vara mellan 001 och 999."


def format_reserve_number(birth_date: date, serial: int) -> str:
    """Return the reserve number ``YYYYMMDD-Rnnn`` for a birth date and serial.

    Raises ValueError (Swedish message) if ``serial`` is outside 1..999.
    """
    if not MIN_SERIAL <= serial <= MAX_SERIAL:
        raise ValueError(MSG_SERIAL)
    return f"{birth_date.year:04d}{birth_date.month:02d}{birth_date.day:02d}-R{serial:03d}"


def parse_reserve_number(text: str) -> tuple[date, int]:
    """Return (birth date, serial) from a reserve number ``YYYYMMDD-Rnnn``.

    Raises InvalidPersonalId (Swedish message) for anything else.
    """
    match = _RESERVE_RE.fullmatch(text.strip())
    if match is None:
        raise InvalidPersonalId(MSG_FORMAT)
    year_s, month_s, day_s, serial_s = match.groups()
    try:
        birth_date = date(int(year_s), int(month_s), int(day_s))
    except ValueError:
        raise InvalidPersonalId(MSG_DATE) from None
    serial = int(serial_s)
    if not MIN_SERIAL <= serial <= MAX_SERIAL:
        raise InvalidPersonalId(MSG_SERIAL)
    return birth_date, serial


def normalize_reserve_number(text: str) -> str:
    """Return the stored form of a reserve number (whitespace removed, capital R).

    Raises InvalidPersonalId (Swedish message) if ``text`` is not a reserve number.
    """
    birth_date, serial = parse_reserve_number(text)
    return format_reserve_number(birth_date, serial)


def is_reserve_number(text: str) -> bool:
    """Return True if ``text`` is a valid reserve number."""
    try:
        parse_reserve_number(text)
    except InvalidPersonalId:
        return False
    return True
