"""Choosing a backup to restore (Säkerhet → Återställ säkerhetskopia…)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTableWidget, QWidget

from clinic_desk.domain.errors import RuleViolation
from clinic_desk.store.backups import BackupFile, list_backups
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.table_fill import fill_table
from clinic_desk.workflows.backups import check_restorable

RESTORE_SPEC = FormSpec(
    "restore_dialog.ui",
    {"backups": QTableWidget, "status": QLabel, "buttons": QDialogButtonBox},
)


def choose_backup(parent: QWidget, ctx: AppContext, folders: list[Path]) -> BackupFile | None:
    """The backups in `folders`, newest first; the one chosen once it passes its checks
    (None when cancelled)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Återställ säkerhetskopia")
    form = load_form(RESTORE_SPEC, dialog)
    found = sorted(
        (b for folder in folders for b in list_backups(folder)),
        key=lambda b: b.taken_at,
        reverse=True,
    )
    fill_table(
        form.backups,
        ["Tagen", "Slag", "Fil", "Mapp"],
        [[f"{b.taken_at:%Y-%m-%d %H:%M}", b.label, b.path.name, str(b.path.parent)] for b in found],
    )
    form.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Återställ")
    form.buttons.rejected.connect(dialog.reject)
    chosen: list[BackupFile] = []

    def accept() -> None:
        row = form.backups.currentRow()
        if not 0 <= row < len(found):
            form.status.setText("Välj en säkerhetskopia i listan.")
            return
        try:
            check_restorable(ctx.store, ctx.user, found[row])
        except (OSError, RuleViolation) as exc:
            form.status.setText(str(exc))
            return
        chosen.append(found[row])
        dialog.accept()

    form.buttons.accepted.connect(accept)
    dialog.resize(760, 420)
    return chosen[0] if dialog.exec() and chosen else None
