"""Follow-up findings and the sanction ladder (RULES.md §8, Region Kalmar's appendix, seed 001).

A finding is scored severity (1-4) x deviation (1-4) and given a colour. For yellow, red and
black the region sends a correction request (begäran om rättelse) with a deadline for an
action plan. How the ladder is applied here, read from seed 001:

* A yellow or red case costs nothing until the region decides it has failed (plan not in on
  time, or plan/follow-up not approved). The first failure starts a sanction at the failed
  colour's rate (yellow 3 kr, red 6 kr per listed patient and month), counted from the date
  the correction request was sent ("räknas från och med det datum ... skickade begäran om
  rättelse"), so the months before the failure are charged too. The case then turns one
  colour darker (yellow -> red -> black).
* Each later failure raises the rate to the rate of the colour that failed, from the date of
  that failure on; months already charged keep their rate. (The seed does not say whether an
  escalated rate reaches back to the original request date; this reading never re-prices a
  month already charged. Confirm with the region if it matters.)
* A black case costs 6 kr at once, from the request date, without any failure.
* Cases the clinic reported itself use 1 kr instead of 3 and 2 kr instead of 6.
* A sanction ends on the day the correction is approved ("godkänd rättelse"); sanctions of
  several cases add up.

Months: the appendix prices sanctions "per listad och månad" and the region pays listing
money by calendar month, so a calendar month is charged in full, at the highest rate the
case had in it, if the sanction ran on at least one day of that month. A sanction runs from
its start date up to, not including, the approval date: approval on the 1st of a month means
that month is not charged.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import Literal

__all__ = [
    "Colour",
    "EventKind",
    "FollowUpCase",
    "SanctionEvent",
    "SanctionPeriod",
    "classify",
    "colour_on",
    "escalate",
    "monthly_sanction_kr",
    "monthly_sanctions",
    "sanction_periods",
]

EventKind = Literal["failed", "approved"]
SanctionEvent = tuple[date, EventKind]
_EVENT_KINDS: frozenset[str] = frozenset({"failed", "approved"})


class Colour(Enum):
    """The colour of a follow-up finding (färgklassificering)."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    BLACK = "black"


# Kronor per listed patient and month once a case of this colour has failed (black: at once);
# the second figure is for cases the clinic reported itself.
_RATES_KR: dict[Colour, tuple[int, int]] = {
    Colour.GREEN: (0, 0),
    Colour.YELLOW: (3, 1),
    Colour.RED: (6, 2),
    Colour.BLACK: (6, 2),
}

_DARKER: dict[Colour, Colour] = {
    Colour.GREEN: Colour.GREEN,
    Colour.YELLOW: Colour.RED,
    Colour.RED: Colour.BLACK,
    Colour.BLACK: Colour.BLACK,
}


def classify(severity: int, deviation: int) -> Colour:
    """The colour for severity x deviation: 1-2 green, 3-6 yellow, 8-12 red, 16 black."""
    _check_scale(severity, "Allvarlighetsgraden")
    _check_scale(deviation, "Avsteget")
    score = severity * deviation
    if score <= 2:
        return Colour.GREEN
    if score <= 6:
        return Colour.YELLOW
    if score <= 12:
        return Colour.RED
    return Colour.BLACK


def monthly_sanction_kr(colour: Colour, self_reported: bool = False) -> int:
    """Kronor per listed patient and month once a case of this colour has failed:
    GREEN 0, YELLOW 3 (1 if self-reported), RED 6 (2), BLACK 6 (2)."""
    full, reduced = _RATES_KR[colour]
    return reduced if self_reported else full


def escalate(colour: Colour) -> Colour:
    """The colour a case turns after a failure: yellow -> red -> black (green and black stay)."""
    return _DARKER[colour]


@dataclass(frozen=True)
class FollowUpCase:
    """One finding the region asked the clinic to correct, with the region's later decisions.

    `events` are (date, "failed" | "approved"): "failed" = the region decided the plan was
    late or not approved; "approved" = the correction was approved, which ends the case.
    `plan_deadline` is kept for the record and reminders; it does not fail a case by itself,
    since the region decides each failure (seed 001 step 2b: "kan beslut om sanktion ...").
    """

    request_date: date
    severity: int
    deviation: int
    self_reported: bool
    plan_deadline: date
    events: tuple[SanctionEvent, ...] = ()

    def __post_init__(self) -> None:
        colour = classify(self.severity, self.deviation)
        if self.plan_deadline < self.request_date:
            raise ValueError(
                "Sista dag för handlingsplanen kan inte ligga före begäran om rättelse."
            )
        approved_on: date | None = None
        for when, kind in self.sorted_events():
            if kind not in _EVENT_KINDS:
                raise ValueError(f"Okänd händelse ”{kind}”; använd ”failed” eller ”approved”.")
            if when < self.request_date:
                raise ValueError("En händelse kan inte ligga före begäran om rättelse.")
            if approved_on is not None:
                raise ValueError(
                    "Ärendet är redan avslutat med godkänd rättelse; registrera ett nytt ärende."
                )
            if kind == "failed" and colour is Colour.GREEN:
                raise ValueError(
                    "Ett grönt ärende kräver ingen handlingsplan och kan inte underkännas."
                )
            if kind == "approved":
                approved_on = when

    @property
    def colour(self) -> Colour:
        """The colour the finding was classified as when the request was sent."""
        return classify(self.severity, self.deviation)

    def sorted_events(self) -> list[SanctionEvent]:
        """The events in date order; events on the same day keep the order given."""
        return sorted(self.events, key=lambda event: event[0])


@dataclass(frozen=True)
class SanctionPeriod:
    """A stretch of days during which a case costs `kr_per_listed` per listed patient and month."""

    start: date
    end: date | None  # exclusive: the day the correction was approved; None while running
    kr_per_listed: int


def sanction_periods(case: FollowUpCase) -> tuple[SanctionPeriod, ...]:
    """The periods a case is sanctioned, following the ladder in the module docstring."""
    colour = case.colour
    starts: list[tuple[date, int]] = []
    if colour is Colour.BLACK:
        starts.append((case.request_date, monthly_sanction_kr(colour, case.self_reported)))
    end: date | None = None
    for when, kind in case.sorted_events():
        if kind == "approved":
            end = when
            break
        rate = monthly_sanction_kr(colour, case.self_reported)
        if not starts:
            # The first sanction reaches back to the date the correction request was sent.
            starts.append((case.request_date, rate))
        elif rate > starts[-1][1]:
            starts.append((when, rate))
        colour = escalate(colour)
    periods: list[SanctionPeriod] = []
    for index, (start, rate) in enumerate(starts):
        stop = starts[index + 1][0] if index + 1 < len(starts) else end
        if stop is None or stop > start:
            periods.append(SanctionPeriod(start=start, end=stop, kr_per_listed=rate))
    return tuple(periods)


def colour_on(case: FollowUpCase, on: date) -> Colour:
    """The case's colour on `on`: the classified colour, one step darker per failure so far."""
    colour = case.colour
    for when, kind in case.sorted_events():
        if when > on:
            break
        if kind == "failed":
            colour = escalate(colour)
    return colour


def monthly_sanctions(
    cases: list[FollowUpCase] | tuple[FollowUpCase, ...],
    listed_patients: int,
    first_month: date,
    last_month: date,
) -> list[tuple[date, int]]:
    """Total sanction in kronor for each calendar month from `first_month` to `last_month`
    (as the 1st of each month), all cases added up; see the module docstring for the rules."""
    if listed_patients < 0:
        raise ValueError("Antalet listade patienter kan inte vara negativt.")
    month = first_month.replace(day=1)
    stop = last_month.replace(day=1)
    if month > stop:
        raise ValueError("Första månaden ligger efter sista månaden.")
    all_periods = [sanction_periods(case) for case in cases]
    result: list[tuple[date, int]] = []
    while month <= stop:
        following = _next_month(month)
        per_listed = sum(_rate_in_month(periods, month, following) for periods in all_periods)
        result.append((month, per_listed * listed_patients))
        month = following
    return result


def _rate_in_month(periods: tuple[SanctionPeriod, ...], month: date, following: date) -> int:
    """The highest rate among `periods` that run on some day in [month, following)."""
    return max(
        (
            p.kr_per_listed
            for p in periods
            if p.start < following and (p.end is None or p.end > month)
        ),
        default=0,
    )


def _next_month(first_of_month: date) -> date:
    """The 1st of the month after `first_of_month`."""
    if first_of_month.month == 12:
        return date(first_of_month.year + 1, 1, 1)
    return date(first_of_month.year, first_of_month.month + 1, 1)


def _check_scale(value: int, what: str) -> None:
    """Raise ValueError unless `value` is an integer 1-4."""
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 4:
        raise ValueError(f"{what} måste vara ett heltal från 1 till 4, inte {value!r}.")
