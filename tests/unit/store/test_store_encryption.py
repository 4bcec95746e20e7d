"""Encryption at rest: SQLCipher files, wrong and missing keys, the one-time conversion."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from clinic_desk.domain.people import Profession
from clinic_desk.secrets import (
    KeyringSecrets,
    KeyUnavailable,
    database_key,
    is_demo_key,
    remember_key,
)
from clinic_desk.store.backups import list_backups, verify_backup
from clinic_desk.store.encryption import DatabaseKey, file_state
from clinic_desk.store.errors import DatabaseLocked, DatabaseUnreadable
from clinic_desk.store.store import Store

NOW = datetime(2026, 11, 23, 9, 30)
MARKER = "Hemlig-Lindqvist-Åsa"


def _fill(store: Store) -> None:
    with store.transaction():
        store.settings.set("marker", MARKER, None)
        user_id = store.users.insert("anna", "Anna", Profession.ADMINISTRATOR, None)
        store.documents.add("letter", "Brev", f"%PDF {MARKER}".encode(), user_id)
        store.audit.append(None, "test.write", detail={"namn": MARKER})


def _unchanged(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


@pytest.fixture
def key() -> DatabaseKey:
    return DatabaseKey.generate()


def test_a_new_database_with_a_key_is_encrypted_and_plain_sqlite_cannot_read_it(
    tmp_path: Path, key: DatabaseKey
) -> None:
    path = tmp_path / "clinic.sqlite"
    store = Store.open(path, tmp_path / "backups", now=lambda: NOW, key=key)
    _fill(store)
    store.close()
    assert file_state(path) == "encrypted"
    assert MARKER.encode() not in path.read_bytes()
    conn = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.DatabaseError, match="not a database"):
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        conn.close()
    reopened = Store.open(path, tmp_path / "backups", now=lambda: NOW, key=key)
    try:
        assert reopened.settings.get("marker") == MARKER
        assert reopened.audit.verify() == []
    finally:
        reopened.close()


def test_a_wrong_key_gives_a_clear_message_and_touches_nothing(
    tmp_path: Path, key: DatabaseKey
) -> None:
    path = tmp_path / "clinic.sqlite"
    Store.open(path, tmp_path / "backups", key=key).close()
    before = _unchanged(path)
    files = sorted(p.name for p in tmp_path.rglob("*"))
    with pytest.raises(DatabaseLocked, match=r"nyckeln passar inte.*Filen har inte ändrats"):
        Store.open(path, tmp_path / "backups", key=DatabaseKey.generate())
    with pytest.raises(DatabaseLocked):
        Store.open(path, tmp_path / "backups", key=DatabaseKey("en lösenfras"))
    with pytest.raises(DatabaseUnreadable, match="Filen har inte ändrats"):
        Store.open(path, tmp_path / "backups")  # no key at all
    assert _unchanged(path) == before
    assert sorted(p.name for p in tmp_path.rglob("*")) == files


def test_a_plain_database_is_converted_once_after_an_encrypted_backup(
    tmp_path: Path, key: DatabaseKey
) -> None:
    path, backups = tmp_path / "clinic.sqlite", tmp_path / "backups"
    plain = Store.open(path, backups, now=lambda: NOW)
    _fill(plain)
    plain.close()
    assert file_state(path) == "plain"
    store = Store.open(path, backups, now=lambda: NOW, key=key)
    try:
        assert store.settings.get("marker") == MARKER
        assert store.audit.verify() == []
        assert store.documents.content(1) == f"%PDF {MARKER}".encode()
    finally:
        store.close()
    assert file_state(path) == "encrypted"
    assert MARKER.encode() not in path.read_bytes()
    copies = list_backups(backups)
    assert [c.label for c in copies] == ["before-encryption"]
    assert file_state(copies[0].path) == "encrypted"
    assert verify_backup(copies[0].path, key) is None
    assert MARKER.encode() not in copies[0].path.read_bytes()
    Store.open(path, backups, key=key).close()
    assert len(list_backups(backups)) == 1  # once only
    assert not (tmp_path / "clinic.sqlite.encrypting").exists()


def test_a_damaged_plain_database_is_not_converted(tmp_path: Path, key: DatabaseKey) -> None:
    path = tmp_path / "clinic.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE other (x)")  # somebody else's SQLite file
    conn.commit()
    conn.close()
    before = _unchanged(path)
    with pytest.raises(DatabaseUnreadable, match="inte Clinic Desks"):
        Store.open(path, tmp_path / "backups", key=key)
    assert _unchanged(path) == before
    assert not (tmp_path / "backups").exists() or not any((tmp_path / "backups").iterdir())


def test_backups_of_an_encrypted_database_are_encrypted_with_the_same_key(
    tmp_path: Path, key: DatabaseKey
) -> None:
    store = Store.open(tmp_path / "clinic.sqlite", tmp_path / "backups", key=key)
    _fill(store)
    copy = store.backup("manual")
    store.close()
    assert file_state(copy) == "encrypted"
    assert MARKER.encode() not in copy.read_bytes()
    assert verify_backup(copy, key) is None
    assert verify_backup(copy, DatabaseKey.generate()) is not None
    assert verify_backup(copy, None) is not None


def test_a_passphrase_works_as_a_key(tmp_path: Path) -> None:
    phrase = DatabaseKey("Tandläkarens långa lösenfras 'med' citat")
    assert not phrase.raw
    store = Store.open(tmp_path / "c.sqlite", tmp_path / "b", key=phrase)
    _fill(store)
    store.close()
    assert file_state(tmp_path / "c.sqlite") == "encrypted"
    Store.open(tmp_path / "c.sqlite", tmp_path / "b", key=phrase).close()


def test_the_key_never_shows_in_a_repr() -> None:
    key = DatabaseKey.generate()
    assert key.secret not in repr(key)
    assert key.raw


def test_the_key_is_made_once_and_kept_in_the_keyring(tmp_path: Path) -> None:
    secrets = KeyringSecrets()
    assert secrets.available()
    database = tmp_path / "clinic.sqlite"

    def never(new: bool) -> str | None:
        raise AssertionError("no passphrase is asked when a keyring exists")

    first = database_key(secrets, database, never)
    Store.open(database, tmp_path / "b", key=first).close()
    assert database_key(secrets, database, never) == first
    assert first.secret not in database.read_bytes().hex()


def test_a_missing_key_for_an_encrypted_file_is_asked_for(tmp_path: Path) -> None:
    secrets = KeyringSecrets()
    database = tmp_path / "clinic.sqlite"
    key = DatabaseKey.generate()
    Store.open(database, tmp_path / "b", key=key).close()  # its key is not in the keyring
    with pytest.raises(KeyUnavailable, match="Filen har inte ändrats"):
        database_key(secrets, database, lambda new: None)
    asked: list[bool] = []
    typed = database_key(secrets, database, lambda new: asked.append(new) or key.secret)
    assert typed == key
    assert asked == [False]
    remember_key(secrets, database, typed)
    assert database_key(secrets, database, lambda new: None) == key


def test_without_a_keyring_a_passphrase_is_asked_and_never_stored(
    tmp_path: Path, memory_keyring: object
) -> None:
    from keyring.backends.fail import Keyring as FailKeyring

    secrets = KeyringSecrets(FailKeyring())
    assert not secrets.available()
    database = tmp_path / "clinic.sqlite"
    key = database_key(secrets, database, lambda new: "vår gemensamma lösenfras")
    assert key == DatabaseKey("vår gemensamma lösenfras")
    Store.open(database, tmp_path / "b", key=key).close()
    everything = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert "lösenfras".encode() not in everything


class _UntouchableSecrets(KeyringSecrets):
    """A keyring that fails the test when used at all."""

    def available(self) -> bool:
        raise AssertionError("the demo must not touch the keyring")


def test_the_demo_uses_its_published_key_and_never_the_keyring(tmp_path: Path) -> None:
    database = tmp_path / "demo.sqlite"
    key = database_key(_UntouchableSecrets(), database, lambda new: None, demo=True)
    assert is_demo_key(key)
    Store.open(database, tmp_path / "b", key=key).close()
    assert file_state(database) == "encrypted"
    again = database_key(_UntouchableSecrets(), database, lambda new: None, demo=True)
    assert again == key
    remember_key(_UntouchableSecrets(), database, key)  # the demo key is never stored


def test_a_demo_folder_keyed_from_the_keyring_still_opens(tmp_path: Path) -> None:
    secrets = KeyringSecrets()
    database = tmp_path / "demo.sqlite"
    old = database_key(secrets, database, lambda new: None)  # an older version's demo
    Store.open(database, tmp_path / "b", key=old).close()
    assert database_key(secrets, database, lambda new: None, demo=True) == old
