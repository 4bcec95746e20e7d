"""Problems opening a clinic database, each with a Swedish message for the user."""

from __future__ import annotations


class DatabaseProblem(Exception):
    """The database cannot be used; the message says what to do. The file is untouched."""


class DatabaseTooNew(DatabaseProblem):
    """The file was written by a newer Clinic Desk."""


class DatabaseUnreadable(DatabaseProblem):
    """The file is not a Clinic Desk database, or it is damaged."""


class DatabaseLocked(DatabaseProblem):
    """The file is encrypted and the key is missing or does not fit."""
