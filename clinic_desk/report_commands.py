"""Region reporting from the command line, for scheduled use:

    clinic-desk export --period 2026-10 --out DIR [--user NAME]
    clinic-desk report --year 2026 --out FILE.pdf [--user NAME]

The database opens with its key as for every command (maintenance.open_for_command). The
work is recorded in the audit log under `--user`, or the first active administrator; that
account must be allowed to export (docs/permissions.md).
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from clinic_desk.domain.errors import RuleViolation
from clinic_desk.domain.people import Profession, User
from clinic_desk.domain.region_report import parse_period
from clinic_desk.maintenance import open_for_command
from clinic_desk.paths import AppPaths
from clinic_desk.secrets import KeyUnavailable
from clinic_desk.store.errors import DatabaseProblem
from clinic_desk.store.store import Store
from clinic_desk.workflows.region_reports import annual_report, export_period


def _actor(store: Store, username: str | None) -> User:
    if username:
        user = store.users.by_username(username)
        if user is None:
            raise RuleViolation(f"Användaren {username} finns inte.")
        return user
    admins = store.users.with_profession(Profession.ADMINISTRATOR)
    active = [u for u in admins if u.active]
    if not active:
        raise RuleViolation("Ange --user: det finns ingen aktiv administratör.")
    return active[0]


def _open(paths: AppPaths, demo: bool) -> Store | None:
    try:
        return open_for_command(paths, demo)
    except (DatabaseProblem, KeyUnavailable) as exc:
        print(exc, file=sys.stderr)
        return None


def export_command(
    paths: AppPaths, period_text: str, out_dir: Path, username: str | None, demo: bool = False
) -> int:
    """Write the next batch; 0 when written or nothing new, 1 on rows to fix, 2 otherwise."""
    try:
        period = parse_period(period_text)
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    store = _open(paths, demo)
    if store is None:
        return 2
    try:
        actor = _actor(store, username)
        result = export_period(store, actor, period, out_dir.expanduser().resolve(), date.today())
    except RuleViolation as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        store.close()
    print(result.message)
    for problem in result.problems:
        print(
            f"{problem.kind.value} rad {problem.line} ({problem.record_id}, "
            f"{problem.personal_id}): {problem.message}",
            file=sys.stderr,
        )
    for path in result.paths:
        print(path)
    return 1 if result.problems else 0


def report_command(
    paths: AppPaths, year: int, out_file: Path, username: str | None, demo: bool = False
) -> int:
    """Write the annual statistics PDF; 0 when written, 2 otherwise."""
    store = _open(paths, demo)
    if store is None:
        return 2
    try:
        actor = _actor(store, username)
        content, _document_id = annual_report(store, actor, year, date.today())
    except RuleViolation as exc:
        print(exc, file=sys.stderr)
        return 2
    finally:
        store.close()
    target = out_file.expanduser().resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content)
    print(target)
    return 0
