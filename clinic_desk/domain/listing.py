"""Listing: the patient's (or guardian's) choice of clinic, and who is responsible when.

RULES.md §6 (seed 000 §4): a new clinic takes over responsibility the month after the new
listing. The earlier listing stays responsible until the end of the listing month.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum


class ListingKind(Enum):
    """Chosen by the patient/guardian, or assigned (non-choice) until they choose."""

    CHOICE = "choice"
    ASSIGNED = "assigned"

    @property
    def label(self) -> str:
        return "Eget val" if self is ListingKind.CHOICE else "Tilldelad (icke-val)"


@dataclass(frozen=True)
class Listing:
    """One period of a patient's listing at a clinic."""

    id: int
    patient_id: int
    clinic_id: int
    clinic_name: str
    listed_on: date
    responsible_from: date
    responsible_to: date | None
    kind: ListingKind
    consent_given_by: str
    consent_recorded_by: str
    consent_recorded_at: str
    end_reason: str = ""

    def covers(self, day: date) -> bool:
        """True when this clinic is responsible for the patient on `day`."""
        return self.responsible_from <= day and (
            self.responsible_to is None or day <= self.responsible_to
        )


def responsibility_starts(listed_on: date) -> date:
    """The first day of the month after the listing: the new clinic's first day."""
    return date(listed_on.year + (listed_on.month == 12), listed_on.month % 12 + 1, 1)


def previous_listing_ends(new_listed_on: date) -> date:
    """The last day the earlier clinic stays responsible: the end of the listing month."""
    return responsibility_starts(new_listed_on) - timedelta(days=1)


def responsible_listing_on(listings: Iterable[Listing], day: date) -> Listing | None:
    """The listing responsible on `day`, if any (the newest one when periods touch)."""
    covering = [item for item in listings if item.covers(day)]
    return max(covering, key=lambda item: (item.responsible_from, item.id), default=None)


def current_listing(listings: Iterable[Listing]) -> Listing | None:
    """The open listing (no end date), newest first."""
    open_ones = [item for item in listings if item.responsible_to is None]
    return max(open_ones, key=lambda item: (item.responsible_from, item.id), default=None)
