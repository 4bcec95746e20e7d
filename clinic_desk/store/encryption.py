"""Encryption at rest: SQLCipher connections, keys, and the one-time conversion of a plain file.

Without a key the store opens plain SQLite files (the tests do); the program always passes
a key, so its database and every backup of it are SQLCipher files.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlcipher3

from clinic_desk.store.errors import DatabaseUnreadable

PLAIN_HEADER = b"SQLite format 3\x00"
DB_ERRORS: tuple[type[Exception], ...] = (sqlite3.DatabaseError, sqlcipher3.DatabaseError)
_RAW_KEY = re.compile(r"^[0-9a-fA-F]{64}$")


@dataclass(frozen=True)
class DatabaseKey:
    """A random 256-bit key (64 hex digits) or a passphrase SQLCipher derives a key from."""

    secret: str

    def __repr__(self) -> str:  # never print the secret in a traceback or a log
        return "DatabaseKey(***)"

    @property
    def raw(self) -> bool:
        """True for a random key, False for a typed passphrase."""
        return bool(_RAW_KEY.match(self.secret))

    def pragma_literal(self) -> str:
        """The key as the value of SQLCipher's `PRAGMA key`."""
        if self.raw:
            return f"\"x'{self.secret.lower()}'\""
        return "'" + self.secret.replace("'", "''") + "'"

    @classmethod
    def generate(cls) -> DatabaseKey:
        """A new random key."""
        return cls(secrets.token_hex(32))


def file_state(path: Path) -> str:
    """'missing' (no file or empty), 'plain' (ordinary SQLite) or 'encrypted' (anything else)."""
    if not path.exists() or path.stat().st_size == 0:
        return "missing"
    with path.open("rb") as handle:
        head = handle.read(len(PLAIN_HEADER))
    return "plain" if head == PLAIN_HEADER else "encrypted"


def open_connection(path: Path, key: DatabaseKey | None) -> Any:
    """A connection in autocommit mode: plain sqlite3 without a key, SQLCipher with one."""
    if key is None:
        return sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        # A wrong key is our message to give, not a line on stderr.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f"PRAGMA key = {key.pragma_literal()}")
    except BaseException:
        conn.close()
        raise
    return conn


def key_opens(path: Path, key: DatabaseKey) -> bool:
    """True when `key` opens the encrypted file at `path` (a wrong key cannot read it)."""
    conn = open_connection(path, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError:
        return False
    finally:
        conn.close()
    return True


def encrypt_plain_database(path: Path, backup_dir: Path, key: DatabaseKey) -> Path:
    """Convert a plain database file to SQLCipher, once; return the encrypted backup made.

    The plain file is checked first and never written: its content is exported into an
    encrypted copy in `backup_dir`, which is verified, then copied into place.
    """
    source = sqlcipher3.connect(str(path), isolation_level=None)
    try:
        check = str(source.execute("PRAGMA quick_check").fetchone()[0])
        if check != "ok":
            raise DatabaseUnreadable(
                f"Databasen {path} är skadad ({check}) och kan inte krypteras. "
                "Filen har inte ändrats. Återställ den senaste säkerhetskopian."
            )
        version = int(source.execute("PRAGMA user_version").fetchone()[0])
        backup_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        backup = backup_dir / f"clinic-before-encryption-{stamp}.sqlite"
        source.execute(f"ATTACH DATABASE ? AS encrypted KEY {key.pragma_literal()}", (str(backup),))
        try:
            source.execute("SELECT sqlcipher_export('encrypted')")
            source.execute(f"PRAGMA encrypted.user_version = {version}")
        finally:
            source.execute("DETACH DATABASE encrypted")
    finally:
        source.close()
    copy = open_connection(backup, key)
    try:
        ok = str(copy.execute("PRAGMA integrity_check").fetchone()[0]) == "ok"
        ok = ok and int(copy.execute("PRAGMA user_version").fetchone()[0]) == version
    finally:
        copy.close()
    if not ok:
        backup.unlink(missing_ok=True)
        raise OSError(f"the encrypted copy {backup} failed its check; {path} is unchanged")
    temporary = path.with_name(path.name + ".encrypting")
    shutil.copyfile(backup, temporary)
    with temporary.open("rb+") as handle:
        os.fsync(handle.fileno())
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    os.replace(temporary, path)
    return backup
