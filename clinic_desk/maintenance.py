"""Commands without a window: restore a backup, verify the access log, open the database
for the demo-data builder. Each opens the database encrypted, with the key from the OS
keyring (or a passphrase typed at the prompt where there is no keyring)."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from clinic_desk.paths import AppPaths
from clinic_desk.secrets import (
    KeyringSecrets,
    KeyUnavailable,
    chain_head_store,
    database_key,
    remember_key,
)
from clinic_desk.store.backups import BackupFailed
from clinic_desk.store.encryption import DatabaseKey
from clinic_desk.store.errors import DatabaseProblem
from clinic_desk.store.store import Store
from clinic_desk.workflows.access_log import check_chain, describe_break
from clinic_desk.workflows.backups import record_restore, restore_file


def prompt_passphrase(new: bool) -> str | None:
    """Ask for the passphrase on the terminal (twice for a new one); None if none given."""
    if not sys.stdin.isatty():
        return None
    typed = getpass.getpass("Databasens lösenfras eller nyckel: ")
    if new and typed != getpass.getpass("Upprepa: "):
        print("Lösenfraserna är inte lika.", file=sys.stderr)
        return None
    return typed or None


def command_key(paths: AppPaths, demo: bool) -> DatabaseKey:
    """The key for a command: the keyring's, the demo's published phrase, or a prompt."""
    return database_key(
        KeyringSecrets(),
        paths.database,
        prompt_passphrase,
        demo=demo,
    )


def open_for_command(paths: AppPaths, demo: bool = False) -> Store:
    """The database opened encrypted, its audit head kept; raises DatabaseProblem or
    KeyUnavailable with a Swedish message."""
    secrets = KeyringSecrets()
    key = command_key(paths, demo)
    store = Store.open(
        paths.database, paths.backup_dir, key=key, chain_head=chain_head_store(secrets, paths, key)
    )
    remember_key(secrets, paths.database, key)
    return store


def restore_command(paths: AppPaths, backup: Path, demo: bool = False) -> int:
    """`clinic-desk restore FILE`: put a verified backup in place; the old file is kept."""
    secrets = KeyringSecrets()
    try:
        key = command_key(paths, demo)
        replaced = restore_file(
            backup.expanduser().resolve(), paths.database, paths.backup_dir, key
        )
        store = Store.open(paths.database, paths.backup_dir, key=key)
    except (KeyUnavailable, DatabaseProblem, BackupFailed) as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        record_restore(store, None, backup, replaced)
        store.adopt_chain_head(chain_head_store(secrets, paths, key))
    finally:
        store.close()
    print(f"{backup.name} är återställd. Den tidigare databasen finns kvar som {replaced}.")
    return 0


def verify_log_command(paths: AppPaths, demo: bool = False) -> int:
    """`clinic-desk verify-log`: walk the audit chain and compare its head; 0 when intact."""
    try:
        store = open_for_command(paths, demo)
    except (KeyUnavailable, DatabaseProblem) as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        report = check_chain(store)
        if store.head_break is not None:
            breaks = [store.head_break, *report.breaks]
        else:
            breaks = list(report.breaks)
    finally:
        store.close()
    print(
        report.summary()
        if not breaks
        else f"BRUTEN: {len(breaks)} fel bland {report.entries} poster."
    )
    for item in breaks:
        print(describe_break(item))
    return 0 if not breaks else 3
