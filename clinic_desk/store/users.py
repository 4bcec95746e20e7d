"""Staff accounts."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime

from clinic_desk.domain.people import Profession, User

_COLUMNS = "id, username, full_name, profession, active, hsa_id"


def _user(row: tuple[object, ...]) -> User:
    return User(
        int(str(row[0])), str(row[1]), str(row[2]), Profession(row[3]), bool(row[4]), str(row[5])
    )


class UserRepository:
    """SQL for the users table."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def insert(
        self,
        username: str,
        full_name: str,
        profession: Profession,
        created_by: int | None,
        *,
        password_hash: str = "",
        hsa_id: str = "",
    ) -> int:
        """Create an account; returns its id."""
        cursor = self._conn.execute(
            "INSERT INTO users (username, full_name, profession, created_at, created_by,"
            " password_hash, hsa_id) VALUES (?,?,?,?,?,?,?)",
            (
                username,
                full_name,
                profession.value,
                self._now().isoformat(timespec="seconds"),
                created_by,
                password_hash,
                hsa_id,
            ),
        )
        return int(cursor.lastrowid or 0)

    def password_hash(self, user_id: int) -> str:
        """The account's argon2 hash; '' when no password is set."""
        row = self._conn.execute(
            "SELECT password_hash FROM users WHERE id=?", (user_id,)
        ).fetchone()
        return str(row[0]) if row else ""

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        """Store a new password hash (never the password)."""
        self._conn.execute("UPDATE users SET password_hash=? WHERE id=?", (password_hash, user_id))

    def set_hsa_id(self, user_id: int, hsa_id: str) -> None:
        """Record the account's HSA-id."""
        self._conn.execute("UPDATE users SET hsa_id=? WHERE id=?", (hsa_id, user_id))

    def set_active(self, user_id: int, active: bool) -> None:
        """Close or reopen an account (accounts are never deleted)."""
        self._conn.execute("UPDATE users SET active=? WHERE id=?", (int(active), user_id))

    def get(self, user_id: int) -> User | None:
        """One account by id."""
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM users WHERE id=?", (user_id,)).fetchone()
        return _user(row) if row else None

    def by_username(self, username: str) -> User | None:
        """One account by user name."""
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM users WHERE username=?", (username,)
        ).fetchone()
        return _user(row) if row else None

    def all(self, include_inactive: bool = False) -> list[User]:
        """Every account, by name."""
        where = "" if include_inactive else "WHERE active=1"
        return [
            _user(r)
            for r in self._conn.execute(f"SELECT {_COLUMNS} FROM users {where} ORDER BY full_name")
        ]

    def with_profession(self, *professions: Profession) -> list[User]:
        """Active accounts of the given professions, by name."""
        marks = ",".join("?" * len(professions))
        return [
            _user(r)
            for r in self._conn.execute(
                f"SELECT {_COLUMNS} FROM users WHERE active=1 AND profession IN ({marks})"
                " ORDER BY full_name",
                [p.value for p in professions],
            )
        ]

    def count(self) -> int:
        """How many accounts exist."""
        return int(self._conn.execute("SELECT count(*) FROM users").fetchone()[0])
