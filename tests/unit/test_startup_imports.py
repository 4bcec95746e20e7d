"""The program's start imports no slow library it does not need before the window shows
(the cold-start target, issue 11): PDFs, holidays, personal-id checks and sqlite-utils load
on first use, and so do the pages other than the search page."""

from __future__ import annotations

import subprocess
import sys

LATER = (
    "reportlab",
    "pypdf",
    "pypdfium2",
    "holidays",
    "stdnum",
    "sqlite_utils",
    "keyring",  # loaded when a real clinic looks up its key; the demo never loads it
    "argon2",  # the first password checked
    "importlib.resources",  # the forms QUiLoader reads; the icon is found beside its module
    "PySide6.QtUiTools",  # the first form not compiled (the search page is)
    "PySide6.QtPrintSupport",
    "clinic_desk.ui.session",  # login, lock screen, passphrase: when first shown
    "clinic_desk.ui.workstation_panel",
    "clinic_desk.ui.restore_dialog",
    "clinic_desk.workflows.access_log",
    "clinic_desk.workflows.backups",  # the daily backup starts after the first paint
    "clinic_desk.store.migrations.m0001_core",  # a schema step, only when one is due
    "clinic_desk.store.backups",  # the backup before a schema step, and the daily one
    "clinic_desk.domain.billing",
    "clinic_desk.domain.patient_records",  # guardians, drafts, the card's record
    "clinic_desk.domain.listing",
    "clinic_desk.domain.care_rules",  # the patient list needs only domain.ages
    "clinic_desk.ui.book_page",
    "clinic_desk.ui.recall_page",
    "clinic_desk.ui.patient_card",
    "clinic_desk.ui.no_show_views",
    "clinic_desk.ui.print_preview",
    "clinic_desk.demo",
    "clinic_desk.domain.exams",
    "clinic_desk.domain.invoicing",
    "clinic_desk.domain.compliance",
)


def _printed(script: str) -> list[str]:
    """The words a fresh interpreter prints running `script`."""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout.split()


def test_starting_the_window_imports_nothing_slow() -> None:
    script = (
        "import sys\n"
        "import clinic_desk.ui.app\n"
        f"print(' '.join(m for m in {LATER!r} if m in sys.modules))\n"
    )
    assert _printed(script) == []


def test_the_window_imports_none_of_our_lower_layers_after_qt() -> None:
    """`cli.load_layers_under_the_window` imports them before PySide (which reads the source
    of every module imported after QtCore): a module the window needs that is missing from
    it would quietly cost that time again."""
    script = (
        "import sys\n"
        "import clinic_desk.cli\n"
        "clinic_desk.cli.load_layers_under_the_window()\n"
        "assert 'PySide6.QtCore' not in sys.modules\n"
        "before = set(sys.modules)\n"
        "import clinic_desk.ui.app\n"
        "late = sorted(m for m in set(sys.modules) - before\n"
        "              if m.startswith('clinic_desk.') and not m.startswith('clinic_desk.ui'))\n"
        "print(' '.join(late))\n"
    )
    assert _printed(script) == []


def test_pyside_is_told_which_loaded_modules_need_no_source_scan() -> None:
    """clinic_desk.ui enters the modules loaded before it in PySide's feature table (an
    internal of PySide): if a PySide upgrade drops the table, this fails and the ~12 ms
    come back at start, though nothing breaks."""
    script = (
        "import sys\n"
        "import clinic_desk.cli\n"
        "clinic_desk.cli.load_layers_under_the_window()\n"
        "import clinic_desk.ui\n"
        "table = sys.modules['PySide6.support.feature'].pyside_feature_dict\n"
        "print(table.get('clinic_desk.store.store'), table.get('datetime'))\n"
    )
    assert _printed(script) == ["-1", "-1"]
