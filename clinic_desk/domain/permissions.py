"""Who may do what: the permission matrix as data (docs/permissions.md shows it as a table).

Every workflow that acts for a user declares the permission it needs with `@requires`, which
checks it before anything is read or written; the UI only hides what the user may not do.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from enum import Enum
from typing import ParamSpec, TypeVar

from clinic_desk.domain.errors import RuleViolation
from clinic_desk.domain.people import Profession, User


class Permission(Enum):
    """One kind of action that not every role may take."""

    OPEN_RECORD = "open_record"
    REGISTER_PATIENT = "register_patient"
    BOOK_APPOINTMENTS = "book_appointments"
    REVEAL_PROTECTED = "reveal_protected"
    RECORD_EXAM = "record_exam"
    SIGN_EXAM = "sign_exam"
    SEE_CONCERN_RECORDS = "see_concern_records"
    REGISTER_EMERGENCY = "register_emergency"
    ISSUE_INVOICES = "issue_invoices"
    ISSUE_CREDIT_NOTES = "issue_credit_notes"
    EXPORT = "export"
    EDIT_CLINICS = "edit_clinics"
    EDIT_CLINIC_SETTINGS = "edit_clinic_settings"
    MANAGE_USERS = "manage_users"
    READ_ACCESS_LOG = "read_access_log"
    MANAGE_BACKUPS = "manage_backups"
    REPORT_DEVIATION = "report_deviation"
    MANAGE_COMPLIANCE = "manage_compliance"

    @property
    def label(self) -> str:
        """What the permission allows, in Swedish (used in messages and the table)."""
        return _LABELS[self]


_LABELS = {
    Permission.OPEN_RECORD: "öppna patientjournaler",
    Permission.REGISTER_PATIENT: "registrera och ändra patienter, vårdnadshavare och listning",
    Permission.BOOK_APPOINTMENTS: "boka, flytta och avboka tider",
    Permission.REVEAL_PROTECTED: "visa skyddade personuppgifter",
    Permission.RECORD_EXAM: "föra in undersökningar",
    Permission.SIGN_EXAM: "signera undersökningar",
    Permission.SEE_CONCERN_RECORDS: "se orosanmälningar",
    Permission.REGISTER_EMERGENCY: "registrera akutbesök",
    Permission.ISSUE_INVOICES: "skapa och skicka fakturor",
    Permission.ISSUE_CREDIT_NOTES: "utfärda kreditfakturor",
    Permission.EXPORT: "exportera rapporter och filer",
    Permission.EDIT_CLINICS: "ändra klinikregistret",
    Permission.EDIT_CLINIC_SETTINGS: "ändra klinikens inställningar och prislistor",
    Permission.MANAGE_USERS: "hantera användarkonton",
    Permission.READ_ACCESS_LOG: "läsa och granska åtkomstloggen",
    Permission.MANAGE_BACKUPS: "återställa säkerhetskopior",
    Permission.REPORT_DEVIATION: "rapportera avvikelser",
    Permission.MANAGE_COMPLIANCE: (
        "följa upp avtalet: översikt, avvikelser, uppföljningsärenden och avtalsregler"
    ),
}

_CARE = frozenset(
    {
        Permission.OPEN_RECORD,
        Permission.REGISTER_PATIENT,
        Permission.BOOK_APPOINTMENTS,
        Permission.REVEAL_PROTECTED,
        Permission.REGISTER_EMERGENCY,
        Permission.REPORT_DEVIATION,
    }
)
_CLINICIAN = _CARE | {
    Permission.RECORD_EXAM,
    Permission.SIGN_EXAM,
    Permission.SEE_CONCERN_RECORDS,
}

PERMISSIONS: dict[Profession, frozenset[Permission]] = {
    Profession.DENTIST: _CLINICIAN,
    Profession.HYGIENIST: _CLINICIAN,
    Profession.DENTAL_NURSE: _CARE | {Permission.RECORD_EXAM},
    Profession.RECEPTIONIST: frozenset(
        {
            Permission.OPEN_RECORD,
            Permission.REGISTER_PATIENT,
            Permission.BOOK_APPOINTMENTS,
            Permission.REGISTER_EMERGENCY,
            Permission.ISSUE_INVOICES,
            Permission.REPORT_DEVIATION,
        }
    ),
    Profession.MANAGER: frozenset(Permission)
    - {Permission.RECORD_EXAM, Permission.SIGN_EXAM, Permission.MANAGE_BACKUPS},
    # The administrator runs the program (accounts, registers, backups) and is often the
    # owner of a small clinic; clinical records are never theirs to write or sign.
    Profession.ADMINISTRATOR: frozenset(Permission)
    - {Permission.RECORD_EXAM, Permission.SIGN_EXAM, Permission.SEE_CONCERN_RECORDS},
}


class PermissionDenied(RuleViolation):
    """The user's role does not allow the action; nothing was read or changed."""


def allowed(user: User, permission: Permission) -> bool:
    """Whether `user` may take actions that need `permission`."""
    return user.active and permission in PERMISSIONS[user.profession]


def require(user: User, permission: Permission) -> None:
    """Raise PermissionDenied (a RuleViolation) unless `user` has `permission`."""
    if not user.active:
        raise PermissionDenied(f"Kontot {user.username} är stängt och får inte användas.")
    if permission not in PERMISSIONS[user.profession]:
        who = ", ".join(p.label.lower() for p in Profession if permission in PERMISSIONS[p])
        raise PermissionDenied(
            f"Som {user.profession.label.lower()} får du inte {permission.label}. Det får: {who}."
        )


P = ParamSpec("P")
R = TypeVar("R")


def requires(permission: Permission) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorate a workflow taking an `actor: User` argument: check the permission first."""

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        # The parameter names from the code object: inspect.signature takes ~20× longer, and
        # every workflow module runs this for each of its workflows when it is imported.
        code = inspect.unwrap(function).__code__
        names = list(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])
        if "actor" not in names:
            raise TypeError(f"{function.__qualname__} has no 'actor' parameter")
        position = names.index("actor")

        @functools.wraps(function)
        def checked(*args: P.args, **kwargs: P.kwargs) -> R:
            actor = kwargs["actor"] if "actor" in kwargs else args[position]
            if not isinstance(actor, User):
                raise TypeError(f"{function.__qualname__}: actor is not a User")
            require(actor, permission)
            return function(*args, **kwargs)

        checked.__dict__["required_permission"] = permission
        return checked

    return decorate


def required_permission(function: Callable[..., object]) -> Permission | None:
    """The permission a workflow declared with `@requires`, or None."""
    value = getattr(function, "required_permission", None)
    return value if isinstance(value, Permission) else None
