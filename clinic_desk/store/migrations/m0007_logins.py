"""Personal logins: a password hash (argon2) and an optional HSA-id on each account."""

from __future__ import annotations

import sqlite3


def upgrade(conn: sqlite3.Connection) -> None:
    """Add the login columns; accounts from before have no password until one is set."""
    conn.execute("ALTER TABLE users ADD COLUMN password_hash TEXT NOT NULL DEFAULT ''")
    conn.execute("ALTER TABLE users ADD COLUMN hsa_id TEXT NOT NULL DEFAULT ''")
    # Failed logins are counted and the access log is reviewed by action.
    conn.execute("CREATE INDEX audit_log_action ON audit_log(action, id)")
    conn.execute("CREATE INDEX audit_log_at ON audit_log(at)")
    conn.execute("CREATE INDEX audit_log_user_at ON audit_log(user_id, at)")
