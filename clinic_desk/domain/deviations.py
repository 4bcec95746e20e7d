"""The deviation register (avvikelser, contract 000 §2.15): record, classify, assign, answer
deviations that come from other providers, close with the lessons learnt.

"Inkomna avvikelser från annan tandklinik eller vårdgivare ska alltid besvaras och svaret ska
delges avsändande tandklinik": a deviation from another provider cannot be closed before it
has an answer. "Rutiner för analys, uppföljning och erfarenhetsåterföring": closing needs the
lessons. Serious deviations may need a Lex Maria report; the register marks them, the report
itself goes to IVO outside the program.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum

from clinic_desk.domain.errors import FieldError, RuleViolation, ValidationError

TEXT_MAX = 4000
ANSWER_DAYS = 30
"""A deviation from another provider unanswered longer than this turns the check red."""


class Origin(Enum):
    """Where a deviation was noticed."""

    OWN = "own"
    OTHER_PROVIDER = "other_provider"

    @property
    def label(self) -> str:
        return {"own": "Egen verksamhet", "other_provider": "Från annan vårdgivare"}[self.value]


class Category(Enum):
    """What kind of deviation it is."""

    CARE = "care"
    RECORDS = "records"
    MEDICATION = "medication"
    HYGIENE = "hygiene"
    ACCESS = "access"
    APPOINTMENTS = "appointments"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _CATEGORY_LABELS[self]


_CATEGORY_LABELS = {
    Category.CARE: "Vård och behandling",
    Category.RECORDS: "Journal och dokumentation",
    Category.MEDICATION: "Läkemedel",
    Category.HYGIENE: "Vårdhygien",
    Category.ACCESS: "Tillgänglighet och kallelse",
    Category.APPOINTMENTS: "Tidbok och uteblivanden",
    Category.OTHER: "Övrigt",
}


class Severity(Enum):
    """How serious the deviation is; LEX_MARIA means a report to IVO is needed."""

    MINOR = "minor"
    MODERATE = "moderate"
    SERIOUS = "serious"
    LEX_MARIA = "lex_maria"

    @property
    def label(self) -> str:
        return {
            "minor": "Liten",
            "moderate": "Måttlig",
            "serious": "Allvarlig",
            "lex_maria": "Allvarlig – Lex Maria",
        }[self.value]


class DeviationState(Enum):
    """Where a deviation stands."""

    NEW = "new"
    ASSIGNED = "assigned"
    ANSWERED = "answered"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return {"new": "Ny", "assigned": "Utredes", "answered": "Besvarad", "closed": "Avslutad"}[
            self.value
        ]


@dataclass(frozen=True)
class DeviationDraft:
    """A new deviation as the form holds it."""

    occurred_on: date
    title: str
    description: str
    origin: Origin
    other_provider: str = ""
    category: Category | None = None
    severity: Severity | None = None
    patient_id: int | None = None
    exam_id: int | None = None


@dataclass(frozen=True)
class Deviation:
    """A deviation as stored."""

    id: int
    occurred_on: date
    reported_on: date
    title: str
    description: str
    origin: Origin
    other_provider: str
    category: Category | None
    severity: Severity | None
    patient_id: int | None
    patient_text: str
    exam_id: int | None
    assigned_to: int | None
    assigned_name: str
    answer: str
    answered_on: date | None
    lessons: str
    closed_on: date | None
    reported_by_name: str

    @property
    def state(self) -> DeviationState:
        if self.closed_on is not None:
            return DeviationState.CLOSED
        if self.answered_on is not None:
            return DeviationState.ANSWERED
        if self.assigned_to is not None:
            return DeviationState.ASSIGNED
        return DeviationState.NEW

    @property
    def needs_answer(self) -> bool:
        """From another provider and not yet answered."""
        return self.origin is Origin.OTHER_PROVIDER and self.answered_on is None


def check_draft(draft: DeviationDraft, today: date) -> None:
    """ValidationError (Swedish, per field) unless the deviation can be recorded."""
    errors: list[FieldError] = []
    if not draft.title.strip():
        errors.append(FieldError("title", "Skriv en kort rubrik."))
    if not draft.description.strip():
        errors.append(FieldError("description", "Beskriv vad som hände."))
    if draft.occurred_on > today:
        errors.append(FieldError("occurred_on", "Datumet kan inte ligga i framtiden."))
    if draft.origin is Origin.OTHER_PROVIDER and not draft.other_provider.strip():
        errors.append(FieldError("other_provider", "Ange vilken vårdgivare som skickade den."))
    if draft.origin is Origin.OWN and draft.other_provider.strip():
        errors.append(
            FieldError("other_provider", "Ange vårdgivare bara för avvikelser från andra.")
        )
    for name, text in (("title", draft.title), ("description", draft.description)):
        if len(text) > TEXT_MAX:
            errors.append(FieldError(name, f"Texten är för lång (högst {TEXT_MAX} tecken)."))
    if errors:
        raise ValidationError(errors)


def check_answer(deviation: Deviation, answer: str, answered_on: date, today: date) -> None:
    """Only open deviations from other providers are answered, with a text and a date."""
    _check_open(deviation)
    if deviation.origin is not Origin.OTHER_PROVIDER:
        raise RuleViolation("Bara avvikelser från andra vårdgivare besvaras.")
    errors: list[FieldError] = []
    if not answer.strip():
        errors.append(FieldError("answer", "Skriv svaret som skickas till avsändaren."))
    if answered_on > today or answered_on < deviation.reported_on:
        errors.append(
            FieldError("answered_on", "Svarsdatum ska ligga mellan registreringen och i dag.")
        )
    if errors:
        raise ValidationError(errors)


def check_close(deviation: Deviation, lessons: str, closed_on: date, today: date) -> None:
    """Closing needs the lessons learnt; a deviation from another provider needs its answer
    first (000 §2.15)."""
    _check_open(deviation)
    if deviation.needs_answer:
        raise RuleViolation(
            "Avvikelsen kommer från en annan vårdgivare och ska besvaras innan den avslutas."
        )
    if deviation.category is None or deviation.severity is None:
        raise RuleViolation("Klassificera avvikelsen (typ och allvarlighet) innan den avslutas.")
    errors: list[FieldError] = []
    if not lessons.strip():
        errors.append(FieldError("lessons", "Skriv vad ni lärt er och vad som ändras."))
    if closed_on > today or closed_on < deviation.reported_on:
        errors.append(FieldError("closed_on", "Datumet ska ligga mellan registreringen och i dag."))
    if errors:
        raise ValidationError(errors)


def check_changeable(deviation: Deviation) -> None:
    """A closed deviation is final."""
    _check_open(deviation)


def _check_open(deviation: Deviation) -> None:
    if deviation.closed_on is not None:
        raise RuleViolation(
            f"Avvikelsen avslutades {deviation.closed_on.isoformat()} och kan inte ändras."
        )
