"""Secrets kept outside the database file: its key and the audit chain's head.

Both live in the OS keyring (Windows Credential Manager, macOS Keychain, Secret Service)
through `keyring`, behind the small `SecretStore` interface. Where the PC has no keyring
backend the key comes from a passphrase typed at every start (never written anywhere), and
the chain head goes to a file in the workstation's config folder.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from clinic_desk.paths import AppPaths
from clinic_desk.store.chain_head import ChainHead
from clinic_desk.store.encryption import DatabaseKey, file_state, key_opens

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

SERVICE = "ClinicDesk"
# The demo clinic (invented data only) is encrypted with a key made from this published
# phrase and keeps its audit head in a file: it never asks for a key, never fills the
# user's keyring, and starts without loading the keyring at all. (The SHA-256 of the phrase,
# used as a raw key, spares the passphrase's slow derivation.) A demo folder made by an
# older version, keyed from the keyring, still opens through the keyring.
DEMO_KEY_PHRASE = hashlib.sha256(b"clinic-desk-demo").hexdigest()


def is_demo_key(key: DatabaseKey) -> bool:
    """True for the demo clinic's published key."""
    return key.secret == DEMO_KEY_PHRASE


class SecretStore(Protocol):
    """Named secrets of this PC's user."""

    def get(self, name: str) -> str | None:
        """The secret called `name`, or None."""

    def set(self, name: str, value: str) -> None:
        """Save (or replace) a secret."""


class KeyringSecrets:
    """The OS keyring, through `keyring` (loaded on first use: finding the backend takes
    a tenth of a second, which a demo start does without)."""

    def __init__(self, backend: KeyringBackend | None = None) -> None:
        self._given = backend

    @property
    def _backend(self) -> KeyringBackend:
        if self._given is None:
            import keyring

            self._given = keyring.get_keyring()
        return self._given

    def available(self) -> bool:
        """False where no real backend exists (keyring's 'fail' or 'null' backends)."""
        priority = getattr(type(self._backend), "priority", 0)
        try:
            usable = float(priority) > 0
        except (TypeError, ValueError):
            usable = False
        return usable and type(self._backend).__module__ not in (
            "keyring.backends.fail",
            "keyring.backends.null",
        )

    def get(self, name: str) -> str | None:
        return self._backend.get_password(SERVICE, name)

    def set(self, name: str, value: str) -> None:
        self._backend.set_password(SERVICE, name, value)


class KeyUnavailable(Exception):
    """No key: none in the keyring for an encrypted file, and no passphrase given."""


def database_name(database: Path) -> str:
    """The keyring name of a database's key (one per database file)."""
    return f"database-key:{database.resolve()}"


def head_name(database: Path) -> str:
    """The keyring name of a database's audit chain head."""
    return f"audit-head:{database.resolve()}"


def database_key(
    secrets: KeyringSecrets,
    database: Path,
    ask_passphrase: Callable[[bool], str | None],
    demo: bool = False,
) -> DatabaseKey:
    """The key to open `database` with.

    The demo clinic: the published demo key (for a new file, or a file it opens); a demo
    folder keyed from the keyring by an older version opens with that key; the demo never
    asks for a passphrase.

    With a keyring: the stored random key; a new one for a new or still plain database;
    for an encrypted file whose key is missing, the key (or passphrase) is asked for.
    Without a keyring: a passphrase asked at every start (`ask_passphrase(new)`, where
    `new` says a new passphrase is being chosen). Raises KeyUnavailable when none is given.
    """
    state = file_state(database)
    if demo:
        key = DatabaseKey(DEMO_KEY_PHRASE)
        if state != "encrypted" or key_opens(database, key):
            return key
    if secrets.available():
        import keyring.errors

        try:
            stored = secrets.get(database_name(database))
        except keyring.errors.KeyringError as exc:
            raise KeyUnavailable(f"Nyckelringen svarar inte ({exc}).") from exc
        if stored:
            return DatabaseKey(stored)
        if state != "encrypted":
            key = DatabaseKey.generate()
            secrets.set(database_name(database), key.secret)
            return key
    typed = DEMO_KEY_PHRASE if demo else ask_passphrase(state != "encrypted")
    if not typed:
        raise KeyUnavailable(
            f"Databasen {database} är krypterad och nyckeln finns inte i datorns nyckelring. "
            "Ange nyckeln eller lösenfrasen för att öppna den. Filen har inte ändrats."
        )
    return DatabaseKey(typed)


def remember_key(secrets: KeyringSecrets, database: Path, key: DatabaseKey) -> None:
    """Keep a typed key that opened the database in the keyring (when there is one)."""
    if is_demo_key(key):
        return
    if secrets.available() and key.raw and secrets.get(database_name(database)) != key.secret:
        secrets.set(database_name(database), key.secret)


class KeyringChainHead:
    """The audit chain head in the keyring, beside the key."""

    def __init__(self, secrets: SecretStore, database: Path) -> None:
        self._secrets = secrets
        self._name = head_name(database)

    def load(self) -> ChainHead | None:
        return ChainHead.parse(self._secrets.get(self._name))

    def save(self, head: ChainHead) -> None:
        self._secrets.set(self._name, head.text())


class FileChainHead:
    """The chain head in the workstation's config folder (PCs without a keyring)."""

    def __init__(self, path: Path) -> None:
        self._path = path

    def load(self) -> ChainHead | None:
        try:
            raw = json.loads(self._path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return ChainHead.parse(raw.get("head") if isinstance(raw, dict) else None)

    def save(self, head: ChainHead) -> None:
        self._path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self._path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"head": head.text()}), encoding="utf-8")
        os.replace(temporary, self._path)


def chain_head_store(
    secrets: KeyringSecrets, paths: AppPaths, key: DatabaseKey | None = None
) -> KeyringChainHead | FileChainHead:
    """Where this PC keeps the audit chain head of `paths.database` (a file for the demo)."""
    if (key is None or not is_demo_key(key)) and secrets.available():
        return KeyringChainHead(secrets, paths.database)
    return FileChainHead(paths.config_dir / "audit-head.json")
