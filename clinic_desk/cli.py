"""Entry point: `clinic-desk` (and `python -m clinic_desk`).

Without a command it starts the program's window; commands run without a window.
Qt is imported only when a window is needed, so the commands start fast.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Sequence
from pathlib import Path

from clinic_desk.paths import AppPaths, default_paths, demo_paths, paths_for


class _VersionAction(argparse.Action):
    """Prints the version; reads the package metadata only when asked."""

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kw: object) -> None:
        import clinic_desk

        print(f"Clinic Desk {clinic_desk.__version__}")
        parser.exit()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clinic-desk",
        description="Clinic Desk – patientregister, kallelser och rapporter för barntandvård.",
    )
    parser.add_argument("--version", action=_VersionAction, nargs=0, help="visa versionen")
    parser.add_argument(
        "--data-dir", type=Path, help="mapp för klinikens databas (annars standardmappen)"
    )
    parser.add_argument(
        "--demo", action="store_true", help="öppna demokliniken (skapas första gången)"
    )
    # For start-up benchmarks and install checks: open the main window, then quit at once.
    parser.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    commands = parser.add_subparsers(dest="command", metavar="KOMMANDO")
    demo = commands.add_parser("demo-data", help="bygg demokliniken utan fönster")
    demo.add_argument("--data-dir", dest="command_data_dir", type=Path, required=True)
    demo.add_argument("--patients", type=int, default=None, help="antal patienter (3000)")
    demo.add_argument("--seed", type=int, default=None)
    restore = commands.add_parser(
        "restore", help="återställ en säkerhetskopia (databasen ersätts, den gamla sparas)"
    )
    restore.add_argument("file", type=Path, metavar="FIL")
    commands.add_parser("verify-log", help="kontrollera åtkomstloggens hashkedja")
    export = commands.add_parser(
        "export", help="skriv nästa omgång filer till regionen (listning, vård, tandhälsa, akut)"
    )
    export.add_argument("--period", required=True, help="månad (2026-10) eller år (2026)")
    export.add_argument("--out", type=Path, required=True, metavar="MAPP")
    export.add_argument("--user", help="kontot som exporterar (annars första administratören)")
    report = commands.add_parser("report", help="skriv årsstatistiken som PDF")
    report.add_argument("--year", type=int, required=True)
    report.add_argument("--out", type=Path, required=True, metavar="FIL.pdf")
    report.add_argument("--user", help="kontot som skriver rapporten")
    return parser


def resolve_paths(data_dir: Path | None, demo: bool) -> AppPaths:
    """Which folder to use: --data-dir wins, then --demo, then the user's own data."""
    if data_dir is not None:
        return paths_for(data_dir.expanduser().resolve())
    return demo_paths() if demo else default_paths()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the program; returns the process exit code."""
    args = _parser().parse_args(argv)
    if args.command == "demo-data":
        return _demo_data(args.command_data_dir, args.patients, args.seed)
    if args.command in ("restore", "verify-log"):
        from clinic_desk import maintenance

        paths = resolve_paths(args.data_dir, args.demo).ensure()
        if args.command == "restore":
            return maintenance.restore_command(paths, args.file, args.demo)
        return maintenance.verify_log_command(paths, args.demo)
    if args.command in ("export", "report"):
        from clinic_desk import report_commands

        paths = resolve_paths(args.data_dir, args.demo).ensure()
        if args.command == "export":
            return report_commands.export_command(
                paths, args.period, args.out, args.user, args.demo
            )
        return report_commands.report_command(paths, args.year, args.out, args.user, args.demo)
    # No cycle collection while the program starts (56 passes, ~12 ms, over objects that
    # live as long as the program); run_gui turns it on again once the window is painted.
    gc.disable()
    load_layers_under_the_window()
    from clinic_desk.ui.app import run_gui

    return run_gui(
        resolve_paths(args.data_dir, args.demo),
        demo=args.demo,
        exit_when_ready=args.exit_when_ready,
    )


def load_layers_under_the_window() -> None:
    """Import what the window needs at start from the layers under it, before Qt.

    Once PySide6.QtCore is loaded, PySide reads the source of every module named in an import
    statement after it (looking for `from __feature__ import`); what is loaded before is
    entered in its table unread (clinic_desk/ui/__init__.py). A test checks that the window
    imports none of our own non-Qt modules after this."""
    import clinic_desk.domain.ages
    import clinic_desk.resources
    import clinic_desk.secrets
    import clinic_desk.settings
    import clinic_desk.store.store
    import clinic_desk.workflows.auth
    import clinic_desk.workflows.setup  # noqa: F401


def _demo_data(data_dir: Path, patients: int | None, seed: int | None) -> int:
    from clinic_desk.demo import DEFAULT_PATIENTS, DEFAULT_SEED, build_demo_clinic
    from clinic_desk.maintenance import open_for_command
    from clinic_desk.secrets import KeyUnavailable
    from clinic_desk.store.errors import DatabaseProblem

    paths = paths_for(data_dir.expanduser().resolve()).ensure()
    try:
        store = open_for_command(paths, demo=True)
    except (DatabaseProblem, KeyUnavailable) as exc:
        print(exc, file=sys.stderr)
        return 2
    try:
        if store.patients.count_all():
            print(f"{paths.database} innehåller redan patienter; inget ändrat.", file=sys.stderr)
            return 1
        summary = build_demo_clinic(
            store, patients or DEFAULT_PATIENTS, seed if seed is not None else DEFAULT_SEED
        )
    finally:
        store.close()
    print(
        f"Demokliniken klar i {paths.database}: {summary.patients} patienter, "
        f"{summary.guardians} vårdnadshavare, {summary.clinics} kliniker."
    )
    return 0
