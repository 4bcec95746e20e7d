"""Errors that users can cause: each carries a Swedish message that says what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    """A problem with one input field; `field` names the form field, `message` is Swedish."""

    field: str
    message: str


class ValidationError(ValueError):
    """One or more fields are wrong; nothing was saved."""

    def __init__(self, errors: list[FieldError] | tuple[FieldError, ...]) -> None:
        self.errors = tuple(errors)
        super().__init__("; ".join(e.message for e in self.errors))

    def message_for(self, field: str) -> str | None:
        """The first message about `field`, if any."""
        return next((e.message for e in self.errors if e.field == field), None)


class DuplicatePersonalId(ValidationError):
    """Another patient already has this personal number."""

    def __init__(self, existing_patient_id: int, existing_name: str) -> None:
        self.existing_patient_id = existing_patient_id
        self.existing_name = existing_name
        super().__init__(
            [
                FieldError(
                    "personal_id",
                    f"Det finns redan en patient med det här personnumret ({existing_name}).",
                )
            ]
        )


class NotFound(LookupError):
    """A record the user asked for does not exist (any more)."""


class RuleViolation(ValueError):
    """An action the contract or the clinic's routine does not allow; message in Swedish."""
