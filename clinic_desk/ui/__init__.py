"""The program's windows, dialogs and table models (the only layer that imports Qt).

Importing this package loads QtCore and tells PySide that the modules already loaded (the
standard library, the libraries and our lower layers, none of which use Qt) need no
`from __feature__ import` handling. From QtCore on, PySide replaces `__import__` and reads
the source of every module named in an import statement the first time it sees it, looking
for that import; our windows name ~50 such modules, which cost ~12 ms at every start.
"""

from __future__ import annotations

import sys
from pathlib import Path

import PySide6.QtCore  # noqa: F401  (installs PySide's import hook, and its table)

FEATURE_TABLE_MODULE = "PySide6.support.feature"
IGNORED = -1  # PySide's "ignore this module" (what its own scan gives a module without Qt)
NO_FEATURES = 0  # what its scan gives a module that uses Qt: no `__feature__` switched on


def _mark_loaded_modules() -> None:
    """Enter every module loaded so far, and this package's modules, in PySide's feature
    table, where its scan would have put them. With a PySide that has no such table,
    nothing is done (the scan then simply runs as before)."""
    table = getattr(sys.modules.get(FEATURE_TABLE_MODULE), "pyside_feature_dict", None)
    if not isinstance(table, dict):
        return
    for name in list(sys.modules):
        if not name.startswith(("PySide6", "shiboken6", "clinic_desk.ui")):
            table.setdefault(name, IGNORED)
    # This package's own modules use Qt and no features (none imports __feature__).
    root = Path(__file__).parent
    for source in root.rglob("*.py"):
        parts = source.relative_to(root).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        table.setdefault(".".join((__name__, *parts)), NO_FEATURES)


_mark_loaded_modules()
