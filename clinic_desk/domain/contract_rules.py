"""The contract's parameters as dated data: one rule set per year it comes into force.

A region revises its Hälsoval rules once a year. The figures the program enforces (ages,
interval caps, dentist-gap limits, the bite-check and tobacco ages, the no-show notice
threshold, the minimum listing capacity) live in a `ContractRules` value with the year it is
valid from. The 2025 Västerbotten set ships with the program (resources/, read by the store);
a new year's set is imported from a JSON file and checked here first.

`DEFAULT_RULES` holds exactly the RULES.md §10 values, so the rule functions in
`care_rules` keep their contract defaults; workflows pass the set in force on the date that
matters (`rules_in_force`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, fields

from clinic_desk.domain.errors import FieldError, ValidationError

__all__ = [
    "DEFAULT_RULES",
    "FORMAT",
    "ContractRules",
    "parse_rules",
    "rules_in_force",
    "rules_json",
]

FORMAT = "clinic-desk-contract-rules/1"
"""The `format` field every rule-set file carries."""


@dataclass(frozen=True)
class ContractRules:
    """One year's contract parameters (RULES.md §1-§6). Ages are completed years except
    `target_first_age`/`target_last_age`, which are the ages *turned* in a calendar year."""

    valid_from_year: int = 2025
    region: str = "Region Västerbotten"
    source: str = "Uppdrag och regler för Hälsoval tandvård 2025"
    target_first_age: int = 3
    target_last_age: int = 19
    last_child_age: int = 15
    child_interval_months: int = 24
    young_interval_months: int = 36
    child_gap_years: int = 4
    young_gap_years: int = 6
    bite_check_from_age: int = 6
    bite_check_to_age: int = 13
    tobacco_from_age: int = 13
    no_show_threshold: int = 2
    no_show_window_months: int = 12
    min_listing_capacity: int = 30

    def interval_cap(self, age: int) -> int:
        """Longest planned revision interval in months at this age."""
        return (
            self.child_interval_months
            if age <= self.last_child_age
            else (self.young_interval_months)
        )

    def gap_cap(self, age: int) -> int:
        """Longest gap in years between two dentist exams (age at the later one)."""
        return self.child_gap_years if age <= self.last_child_age else self.young_gap_years

    @property
    def label(self) -> str:
        """'Region Västerbotten, från 2025' for lists."""
        return f"{self.region}, från {self.valid_from_year}"


DEFAULT_RULES = ContractRules()

# (field, smallest, largest) for every number a file may carry; the ranges keep an imported
# file from turning a check off by accident (a 0-month cap, a 200-year gap).
_RANGES: dict[str, tuple[int, int]] = {
    "valid_from_year": (2000, 2100),
    "target_first_age": (0, 10),
    "target_last_age": (10, 25),
    "last_child_age": (3, 25),
    "child_interval_months": (1, 60),
    "young_interval_months": (1, 60),
    "child_gap_years": (1, 10),
    "young_gap_years": (1, 10),
    "bite_check_from_age": (0, 25),
    "bite_check_to_age": (0, 25),
    "tobacco_from_age": (0, 25),
    "no_show_threshold": (1, 10),
    "no_show_window_months": (1, 36),
    "min_listing_capacity": (0, 100000),
}
_TEXTS = ("region", "source")


def parse_rules(text: str) -> ContractRules:
    """Read and check a rule-set file (JSON); ValidationError with Swedish messages per field.

    Every field must be present: a new year's set states all its figures, so nothing is
    silently inherited from an older year."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            [FieldError("file", f"Filen är inte giltig JSON (rad {exc.lineno}): {exc.msg}.")]
        ) from None
    if not isinstance(data, dict):
        raise ValidationError([FieldError("file", "Filen ska innehålla ett JSON-objekt.")])
    errors: list[FieldError] = []
    if data.get("format") != FORMAT:
        errors.append(FieldError("format", f"Fältet format ska vara ”{FORMAT}”."))
    known = {f.name for f in fields(ContractRules)}
    unknown = sorted(set(data) - known - {"format"})
    if unknown:
        errors.append(FieldError("file", "Okända fält: " + ", ".join(unknown) + "."))
    values: dict[str, object] = {}
    for name in _TEXTS:
        value = data.get(name)
        if not isinstance(value, str) or not value.strip():
            errors.append(FieldError(name, f"Fältet {name} saknas eller är tomt."))
        else:
            values[name] = value.strip()
    for name, (low, high) in _RANGES.items():
        value = data.get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            errors.append(FieldError(name, f"Fältet {name} ska vara ett heltal."))
        elif not low <= value <= high:
            errors.append(FieldError(name, f"Fältet {name} ska ligga mellan {low} och {high}."))
        else:
            values[name] = value
    if errors:
        raise ValidationError(errors)
    rules = ContractRules(**values)  # type: ignore[arg-type]
    errors = _consistency_errors(rules)
    if errors:
        raise ValidationError(errors)
    return rules


def _consistency_errors(rules: ContractRules) -> list[FieldError]:
    errors: list[FieldError] = []
    if rules.target_first_age > rules.target_last_age:
        errors.append(FieldError("target_first_age", "Första åldern ligger efter sista åldern."))
    if rules.bite_check_from_age > rules.bite_check_to_age:
        errors.append(
            FieldError("bite_check_from_age", "Bettkontrollens första ålder ligger efter sista.")
        )
    if rules.young_interval_months < rules.child_interval_months:
        errors.append(
            FieldError(
                "young_interval_months",
                "Intervallet för unga vuxna kan inte vara kortare än för barn.",
            )
        )
    if rules.young_gap_years < rules.child_gap_years:
        errors.append(
            FieldError(
                "young_gap_years", "Uppehållet för unga vuxna kan inte vara kortare än för barn."
            )
        )
    return errors


def rules_json(rules: ContractRules) -> str:
    """The rule set as a file `parse_rules` reads back."""
    return json.dumps({"format": FORMAT, **asdict(rules)}, ensure_ascii=False, indent=2) + "\n"


def rules_in_force(sets: Iterable[ContractRules], year: int) -> ContractRules:
    """The set with the latest valid-from year not after `year`; the oldest set before
    any is valid (a date before the first set still needs rules), DEFAULT_RULES if none."""
    ordered = sorted(sets, key=lambda r: r.valid_from_year)
    if not ordered:
        return DEFAULT_RULES
    found = ordered[0]
    for rules in ordered:
        if rules.valid_from_year <= year:
            found = rules
    return found
