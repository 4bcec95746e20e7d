"""Listing a patient at a clinic and ending a listing (RULES.md §6)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from clinic_desk.domain.errors import FieldError, NotFound, ValidationError
from clinic_desk.domain.listing import (
    ListingKind,
    current_listing,
    previous_listing_ends,
    responsibility_starts,
)
from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.store.store import Store


@dataclass(frozen=True)
class ListingDraft:
    """A new listing as the form holds it."""

    clinic_id: int
    listed_on: date
    kind: ListingKind
    consent_given_by: str


def _check(draft: ListingDraft) -> None:
    if draft.kind is ListingKind.CHOICE and not draft.consent_given_by.strip():
        raise ValidationError(
            [FieldError("consent_given_by", "Skriv vem som gav samtycke till listningen.")]
        )


@requires(Permission.REGISTER_PATIENT)
def add_listing(store: Store, actor: User, patient_id: int, draft: ListingDraft) -> int:
    """Record a listing inside the caller's transaction; ends the earlier one.

    A move to a new clinic takes effect the month after the listing (000 §4.5): the earlier
    clinic stays responsible to the end of the listing month. A first listing, with no
    earlier clinic in the register, takes effect on the listing day.
    """
    _check(draft)
    if store.clinics.get(draft.clinic_id) is None:
        raise ValidationError([FieldError("clinic_id", "Välj en klinik ur registret.")])
    listings = store.listings.for_patient(patient_id)
    previous = current_listing(listings)
    starts = draft.listed_on
    if previous is not None:
        if previous.clinic_id == draft.clinic_id:
            raise ValidationError(
                [FieldError("clinic_id", f"Patienten är redan listad vid {previous.clinic_name}.")]
            )
        if draft.listed_on < previous.listed_on:
            raise ValidationError(
                [
                    FieldError(
                        "listed_on", "Den nya listningen kan inte vara äldre än den nuvarande."
                    )
                ]
            )
        starts = responsibility_starts(draft.listed_on)
        ends = max(
            previous_listing_ends(draft.listed_on), previous.responsible_from - timedelta(days=1)
        )
        store.listings.end(previous.id, ends, "Omval till annan klinik", actor.id)
    return store.listings.insert(
        patient_id,
        draft.clinic_id,
        draft.listed_on,
        starts,
        draft.kind,
        draft.consent_given_by.strip(),
        actor.id,
    )


@requires(Permission.REGISTER_PATIENT)
def list_patient(store: Store, actor: User, patient_id: int, draft: ListingDraft) -> int:
    """List a patient at a clinic (a new choice or an assignment); returns the listing id."""
    _check(draft)
    with store.transaction():
        if store.patients.get(patient_id) is None:
            raise NotFound(f"Patienten finns inte (id {patient_id}).")
        listing_id = add_listing(store, actor, patient_id, draft)
        store.audit.append(
            actor.id,
            "listing.create",
            patient_id=patient_id,
            entity="listing",
            entity_id=listing_id,
            detail={
                "clinic_id": draft.clinic_id,
                "listed_on": draft.listed_on.isoformat(),
                "kind": draft.kind.value,
            },
        )
    return listing_id


@requires(Permission.REGISTER_PATIENT)
def end_listing(
    store: Store, actor: User, patient_id: int, listing_id: int, end_date: date, reason: str
) -> None:
    """End a patient's current listing (moved out of the region, deceased, …)."""
    if not reason.strip():
        raise ValidationError([FieldError("end_reason", "Skriv varför listningen avslutas.")])
    with store.transaction():
        listing = next(
            (item for item in store.listings.for_patient(patient_id) if item.id == listing_id), None
        )
        if listing is None:
            raise NotFound(f"Listningen finns inte (id {listing_id}).")
        if listing.responsible_to is not None:
            raise ValidationError([FieldError("end_date", "Listningen är redan avslutad.")])
        if end_date < listing.responsible_from - timedelta(days=1):
            raise ValidationError(
                [FieldError("end_date", "Slutdatum kan inte ligga före listningens start.")]
            )
        store.listings.end(listing_id, end_date, reason.strip(), actor.id)
        store.audit.append(
            actor.id,
            "listing.end",
            patient_id=patient_id,
            entity="listing",
            entity_id=listing_id,
            detail={"end_date": end_date.isoformat(), "reason": reason.strip()},
        )
