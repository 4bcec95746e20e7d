"""What the one search box means: a name, a personal number (any format or part), a phone.

Protected-identity patients are found only by their full personal number; a name or a part
of a number never reveals them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from clinic_desk.domain.personal_id import InvalidPersonalId, parse_personal_id
from clinic_desk.domain.reserve_number import is_reserve_number
from clinic_desk.domain.text import digits_only, phone_key, search_words

_NUMBER_CHARS = frozenset("0123456789 -+()")


class SortColumn(Enum):
    """Columns the patient list can be sorted by (sorting happens in SQL)."""

    PERSONAL_ID = "personal_id"
    NAME = "name"
    CITY = "city"
    PHONE = "phone"
    STATUS = "status"


@dataclass(frozen=True)
class PatientSearch:
    """A search the store can run; empty means every patient.

    `exact_personal_id` finds protected patients too; with it, `phone_prefix` (if any) is an
    alternative that, like every other part, never finds a protected patient.
    """

    words: tuple[str, ...] = ()
    exact_personal_id: str | None = None
    pid_prefixes: tuple[str, ...] = ()
    pid_fragment: str | None = None
    phone_prefix: str | None = None
    include_ended: bool = True

    @property
    def is_everything(self) -> bool:
        return not (
            self.words
            or self.exact_personal_id
            or self.pid_prefixes
            or self.pid_fragment
            or self.phone_prefix
        )


def interpret_search(text: str, today: date, include_ended: bool = True) -> PatientSearch:
    """Turn what was typed in the search box into a PatientSearch."""
    stripped = text.strip()
    if not stripped:
        return PatientSearch(include_ended=include_ended)
    if is_reserve_number(stripped):
        return PatientSearch(exact_personal_id=stripped.upper(), include_ended=include_ended)
    # Only ASCII digits count: other digits ('²', '٣') would leave no digits to search by.
    digits = digits_only(stripped)
    number_like = bool(digits) and all(ch in _NUMBER_CHARS for ch in stripped)
    if not number_like:
        return PatientSearch(words=tuple(search_words(stripped)), include_ended=include_ended)
    phone = phone_key(stripped) if len(digits) >= 3 else None
    phone_prefix = phone if phone and phone.startswith("0") and len(phone) >= 3 else None
    if len(digits) in (10, 12):
        try:
            canonical = parse_personal_id(stripped, today=today).canonical
        except InvalidPersonalId:
            canonical = None
        if canonical is not None:
            # '0701234567' may be a phone number that happens to pass the Luhn check too.
            return PatientSearch(
                exact_personal_id=canonical, phone_prefix=phone_prefix, include_ended=include_ended
            )
    prefixes: list[str] = [digits]
    if len(digits) <= 10:  # typed without the century: try both
        prefixes += ["20" + digits, "19" + digits]
    return PatientSearch(
        pid_prefixes=tuple(dict.fromkeys(p for p in prefixes if len(p) <= 12)),
        pid_fragment=digits if len(digits) >= 4 else None,
        phone_prefix=phone_prefix,
        include_ended=include_ended,
    )
