"""Swedish public holidays and the clinic's opening hours."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


@lru_cache(maxsize=64)
def _holidays(year: int) -> dict[date, str]:
    import holidays  # imported on first use: it takes tens of milliseconds at start-up

    names = holidays.country_holidays("SE", years=year, language="sv")
    eves = {
        date(year, 12, 24): "Julafton",
        date(year, 12, 31): "Nyårsafton",
    }
    # Midsommarafton: the Friday between 19 and 25 June.
    for day in range(19, 26):
        candidate = date(year, 6, day)
        if candidate.weekday() == 4:
            eves[candidate] = "Midsommarafton"
    found = {d: str(n) for d, n in names.items() if d.weekday() != 6 or n != "Söndag"}
    found.update(eves)
    return found


def holiday_name(day: date) -> str | None:
    """The name of a Swedish public holiday or major eve on `day`, else None (Sundays: None)."""
    name = _holidays(day.year).get(day)
    return None if name in (None, "Söndag") else name


@dataclass(frozen=True)
class DayHours:
    """Open from `opens` to `closes` with breaks (start, end) in between; None = closed."""

    opens: time
    closes: time
    breaks: tuple[tuple[time, time], ...] = ()


@dataclass(frozen=True)
class OpeningHours:
    """The clinic's ordinary week: index 0 is Monday."""

    days: tuple[DayHours | None, ...]

    def for_day(self, day: date) -> DayHours | None:
        """Hours on a date (ordinary week; holidays are not removed here)."""
        return self.days[day.weekday()]

    def is_open(self, start: datetime, minutes: int) -> bool:
        """True when [start, start + minutes) lies inside opening hours and outside breaks."""
        hours = self.for_day(start.date())
        if hours is None:
            return False
        end = start + timedelta(minutes=minutes)
        if end.date() != start.date() and end.time() != time(0):
            return False
        begin_t, end_t = start.time(), end.time()
        if begin_t < hours.opens or end_t > hours.closes:
            return False
        return all(end_t <= b_start or begin_t >= b_end for b_start, b_end in hours.breaks)

    def to_json(self) -> list[object]:
        """A form the clinic settings can store."""
        return [
            None
            if d is None
            else {
                "opens": d.opens.isoformat("minutes"),
                "closes": d.closes.isoformat("minutes"),
                "breaks": [[a.isoformat("minutes"), b.isoformat("minutes")] for a, b in d.breaks],
            }
            for d in self.days
        ]

    @classmethod
    def from_json(cls, data: object) -> OpeningHours:
        """Read stored hours; anything malformed gives the default week."""
        try:
            return cls(tuple(_day_from_json(item) for item in _seven(data)))
        except (KeyError, TypeError, ValueError):
            return DEFAULT_HOURS


def _seven(data: object) -> list[object]:
    if not isinstance(data, list) or len(data) != 7:
        raise ValueError("opening hours need seven days")
    return data


def _day_from_json(item: object) -> DayHours | None:
    if item is None:
        return None
    if not isinstance(item, dict):
        raise TypeError("a day is an object")
    breaks = tuple(
        (time.fromisoformat(a), time.fromisoformat(b)) for a, b in item.get("breaks", [])
    )
    return DayHours(time.fromisoformat(item["opens"]), time.fromisoformat(item["closes"]), breaks)


_WEEKDAY = DayHours(time(8, 0), time(17, 0), ((time(12, 0), time(13, 0)),))
DEFAULT_HOURS = OpeningHours(
    (_WEEKDAY,) * 4 + (DayHours(time(8, 0), time(15, 0), ((time(12, 0), time(13, 0)),)), None, None)
)
