"""The region's follow-up cases as the clinic keeps them (seed 001): the finding, the action
plan and the region's decisions, the colour and the sanction ladder month by month.

The ladder itself is `sanctions.py` (RULES.md §10); this module adds what the register
needs around it: plan sent, the timeline, and totals with the listed count of each month.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from clinic_desk.domain.errors import FieldError, RuleViolation, ValidationError
from clinic_desk.domain.sanctions import (
    Colour,
    FollowUpCase,
    classify,
    colour_on,
    escalate,
    monthly_sanction_kr,
    monthly_sanctions,
    sanction_periods,
)

COLOUR_LABELS = {
    Colour.GREEN: "Grönt",
    Colour.YELLOW: "Gult",
    Colour.RED: "Rött",
    Colour.BLACK: "Svart",
}
SEVERITY_LABELS = {1: "Försumbar", 2: "Måttlig", 3: "Betydande", 4: "Allvarlig"}
DEVIATION_LABELS = {1: "Litet", 2: "Medel", 3: "Stort", 4: "Mycket stort"}


@dataclass(frozen=True)
class FollowUpDecision:
    """One decision of the region on a case."""

    id: int
    decided_on: date
    kind: Literal["failed", "approved"]
    note: str


@dataclass(frozen=True)
class FollowUpRecord:
    """A case as stored, with its decisions in the order recorded."""

    id: int
    title: str
    request_date: date
    severity: int
    deviation: int
    self_reported: bool
    plan_deadline: date
    plan_sent_on: date | None
    note: str
    decisions: tuple[FollowUpDecision, ...] = ()

    @property
    def case(self) -> FollowUpCase:
        """The case as the sanction ladder sees it."""
        return FollowUpCase(
            request_date=self.request_date,
            severity=self.severity,
            deviation=self.deviation,
            self_reported=self.self_reported,
            plan_deadline=self.plan_deadline,
            events=tuple((d.decided_on, d.kind) for d in self.decisions),
        )

    @property
    def colour(self) -> Colour:
        return classify(self.severity, self.deviation)

    @property
    def approved_on(self) -> date | None:
        return next((d.decided_on for d in self.decisions if d.kind == "approved"), None)

    def plan_late(self, today: date) -> bool:
        """The plan deadline has passed without a plan sent (cases that need one)."""
        return (
            self.colour is not Colour.GREEN
            and self.approved_on is None
            and self.plan_sent_on is None
            and today > self.plan_deadline
        )

    def current_rate_kr(self, today: date) -> int:
        """Kronor per listed patient the case costs in `today`'s month (0 when none)."""
        month = today.replace(day=1)
        return monthly_sanctions([self.case], 1, month, month)[0][1]


@dataclass(frozen=True)
class FollowUpDraft:
    """A new finding as the form holds it."""

    title: str
    request_date: date
    severity: int
    deviation: int
    self_reported: bool
    plan_deadline: date
    note: str = ""


def check_draft(draft: FollowUpDraft, today: date) -> None:
    """ValidationError (Swedish, per field) unless the case can be recorded."""
    errors: list[FieldError] = []
    if not draft.title.strip():
        errors.append(FieldError("title", "Skriv vad regionen påpekade."))
    if draft.request_date > today:
        errors.append(FieldError("request_date", "Begäran om rättelse kan inte vara framtida."))
    for name, value in (("severity", draft.severity), ("deviation", draft.deviation)):
        if not 1 <= value <= 4:
            errors.append(FieldError(name, "Välj 1–4."))
    if draft.plan_deadline < draft.request_date:
        errors.append(
            FieldError("plan_deadline", "Sista dag för handlingsplanen ligger före begäran.")
        )
    if errors:
        raise ValidationError(errors)


def check_decision(
    record: FollowUpRecord, kind: Literal["failed", "approved"], on: date, today: date
) -> None:
    """RuleViolation (Swedish) unless the region's decision can be added to the case."""
    if on > today:
        raise RuleViolation("Beslutsdatumet kan inte ligga i framtiden.")
    try:
        FollowUpCase(
            request_date=record.request_date,
            severity=record.severity,
            deviation=record.deviation,
            self_reported=record.self_reported,
            plan_deadline=record.plan_deadline,
            events=(*record.case.events, (on, kind)),
        )
    except ValueError as exc:
        raise RuleViolation(str(exc)) from None
    latest = max((d.decided_on for d in record.decisions), default=None)
    if latest is not None and on < latest:
        raise RuleViolation(f"Beslutet kan inte ligga före förra beslutet ({latest.isoformat()}).")


def check_plan_sent(record: FollowUpRecord, on: date, today: date) -> None:
    """The plan is sent once, between the request and today, while the case is open."""
    if record.approved_on is not None:
        raise RuleViolation("Ärendet är redan avslutat med godkänd rättelse.")
    if record.colour is Colour.GREEN:
        raise RuleViolation("Ett grönt ärende kräver ingen handlingsplan.")
    if not record.request_date <= on <= today:
        raise RuleViolation("Datumet ska ligga mellan begäran om rättelse och i dag.")


@dataclass(frozen=True)
class TimelineEntry:
    """One dated line of a case's history."""

    on: date
    text: str
    colour: Colour


def timeline(record: FollowUpRecord, today: date) -> list[TimelineEntry]:
    """The case's history: request, plan deadline and plan, each decision with the colour
    and the rate it brings."""
    colour = record.colour
    entries = [
        TimelineEntry(
            record.request_date,
            f"Begäran om rättelse: {record.severity}×{record.deviation} = "
            f"{record.severity * record.deviation}, {COLOUR_LABELS[colour].lower()}"
            + (" (egen anmälan)" if record.self_reported else ""),
            colour,
        )
    ]
    if colour is Colour.BLACK:
        rate = monthly_sanction_kr(colour, record.self_reported)
        entries.append(
            TimelineEntry(record.request_date, f"Sanktion {rate} kr per listad och månad", colour)
        )
    if colour is not Colour.GREEN:
        entries.append(
            TimelineEntry(
                record.plan_deadline,
                "Sista dag för handlingsplan"
                + (" – passerad utan plan" if record.plan_late(today) else ""),
                colour,
            )
        )
    if record.plan_sent_on is not None:
        entries.append(TimelineEntry(record.plan_sent_on, "Handlingsplan skickad", colour))
    for decision in sorted(record.decisions, key=lambda d: d.decided_on):
        if decision.kind == "approved":
            entries.append(
                TimelineEntry(decision.decided_on, "Rättelse godkänd – sanktionen upphör", colour)
            )
            continue
        rate = monthly_sanction_kr(colour, record.self_reported)
        colour = escalate(colour)
        entries.append(
            TimelineEntry(
                decision.decided_on,
                f"Underkänd: {rate} kr per listad och månad, ärendet blir "
                f"{COLOUR_LABELS[colour].lower()}",
                colour,
            )
        )
    return sorted(entries, key=lambda e: e.on)


def first_sanction_month(records: Iterable[FollowUpRecord]) -> date | None:
    """The first month any case is sanctioned (its request month), or None."""
    starts = [p.start for r in records for p in sanction_periods(r.case)]
    return min(starts).replace(day=1) if starts else None


def sanction_by_month(
    records: Iterable[FollowUpRecord],
    listed_in_month: Callable[[date], int],
    last_month: date,
) -> list[tuple[date, int, int]]:
    """(month, listed patients, kronor) from the first sanctioned month to `last_month`,
    all cases added up; each month charged with that month's listed count."""
    cases = [r.case for r in records]
    first = first_sanction_month(records)
    if first is None or first > last_month:
        return []
    out = []
    for month, kr in monthly_sanctions(cases, 1, first, last_month):
        listed = listed_in_month(month)
        out.append((month, listed, kr * listed))
    return out


def running_total(by_month: Iterable[tuple[date, int, int]]) -> int:
    """The sum of the monthly sanctions, in kronor."""
    return sum(kr for _month, _listed, kr in by_month)


def colour_today(record: FollowUpRecord, today: date) -> Colour:
    """The case's colour today (darker after each failure)."""
    return colour_on(record.case, today)
