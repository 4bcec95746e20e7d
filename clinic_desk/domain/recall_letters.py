"""Recall letters: who gets one, and what it says. Siblings at one address share a letter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clinic_desk.domain.letters import Recipient

TEMPLATE_BOOKED = "recall_booked"
TEMPLATE_UNBOOKED = "recall_unbooked"
PLACEHOLDERS = ("{mottagare}", "{barn}", "{tider}", "{telefon}", "{klinik}")


@dataclass(frozen=True)
class LetterChild:
    """One patient in a letter, with the time offered (None: the family is asked to call)."""

    patient_id: int
    name: str
    time: datetime | None
    practitioner: str


@dataclass(frozen=True)
class RecallLetter:
    """One letter to one recipient about one or more children of the household."""

    recipient: Recipient
    children: tuple[LetterChild, ...]

    @property
    def booked(self) -> bool:
        return any(child.time is not None for child in self.children)


def group_letters(items: list[tuple[Recipient, LetterChild]]) -> list[RecallLetter]:
    """One letter per recipient and address; children in the order they came."""
    grouped: dict[tuple[str, tuple[str, str]], list[LetterChild]] = {}
    first: dict[tuple[str, tuple[str, str]], Recipient] = {}
    for recipient, child in items:
        key = (recipient.name.casefold().strip(), recipient.address_key)
        grouped.setdefault(key, [])
        if all(c.patient_id != child.patient_id for c in grouped[key]):
            grouped[key].append(child)
        first.setdefault(key, recipient)
    return [RecallLetter(first[key], tuple(children)) for key, children in grouped.items()]


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


def letter_text(template: str, letter: RecallLetter, clinic_name: str, clinic_phone: str) -> str:
    """Fill a template's placeholders (see PLACEHOLDERS) for one letter."""
    lines = []
    for child in letter.children:
        if child.time is not None:
            lines.append(
                f"{child.name}: {child.time:%Y-%m-%d} kl. {child.time:%H:%M}"
                + (f" hos {child.practitioner}" if child.practitioner else "")
            )
        else:
            lines.append(f"{child.name}: ring för att boka tid")
    return (
        template.replace("{mottagare}", letter.recipient.name)
        .replace("{barn}", _names([c.name.split()[0] for c in letter.children]))
        .replace("{tider}", "\n".join(lines))
        .replace("{telefon}", clinic_phone or "kliniken")
        .replace("{klinik}", clinic_name)
    )


def check_template(text: str) -> list[str]:
    """Problems with an edited template (Swedish), empty when it can be used."""
    problems = []
    if "{tider}" not in text:
        problems.append("Mallen måste innehålla {tider} – annars står inga tider i brevet.")
    unknown = [part for part in _braced(text) if part not in PLACEHOLDERS]
    if unknown:
        problems.append(
            "Okända fält: " + ", ".join(unknown) + ". Tillåtna: " + ", ".join(PLACEHOLDERS)
        )
    return problems


def _braced(text: str) -> list[str]:
    out = []
    start = text.find("{")
    while start >= 0:
        end = text.find("}", start)
        if end < 0:
            break
        out.append(text[start : end + 1])
        start = text.find("{", end)
    return out
