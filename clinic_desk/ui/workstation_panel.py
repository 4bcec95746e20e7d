"""This PC's settings: idle lock, the second backup folder and the printer.

Used by the settings window, the start-up guide and Säkerhet → Inställningar för datorn.
They are saved in the workstation file (platformdirs config), never in the database.
"""

from __future__ import annotations

from PySide6.QtPrintSupport import QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from clinic_desk.paths import AppPaths
from clinic_desk.settings import WorkstationSettings
from clinic_desk.ui.forms import FormSpec, load_form

WORKSTATION_SPEC = FormSpec(
    "workstation_dialog.ui",
    {
        "intro": QLabel,
        "idle_minutes": QSpinBox,
        "second_folder": QLineEdit,
        "choose_folder": QPushButton,
        "clear_folder": QPushButton,
        "printer": QComboBox,
        "buttons": QDialogButtonBox,
    },
)
DEFAULT_PRINTER = "Datorns standardskrivare"


class WorkstationPanel(QWidget):
    """The workstation form, filled from the file; `save()` writes it back."""

    def __init__(self, parent: QWidget | None, paths: AppPaths) -> None:
        super().__init__(parent)
        self.setObjectName("workstation_panel")
        self._paths = paths
        self.form = load_form(WORKSTATION_SPEC, self)
        current = WorkstationSettings.load(paths.workstation_settings)
        f = self.form
        f.intro.setText(
            f"Programmet tar en säkerhetskopia varje dag i {paths.backup_dir}. Välj gärna en "
            "andra mapp, på ett USB-minne eller en nätverksenhet, så finns en kopia kvar om "
            "datorn går sönder."
        )
        f.idle_minutes.setValue(current.idle_lock_minutes)
        f.second_folder.setText(current.second_backup_dir)
        f.printer.addItem(DEFAULT_PRINTER, "")
        for name in QPrinterInfo.availablePrinterNames():
            f.printer.addItem(name, name)
        if current.printer_name:
            index = f.printer.findData(current.printer_name)
            if index < 0:
                f.printer.addItem(f"{current.printer_name} (hittas inte nu)", current.printer_name)
                index = f.printer.count() - 1
            f.printer.setCurrentIndex(index)
        f.choose_folder.clicked.connect(self._choose_folder)
        f.clear_folder.clicked.connect(f.second_folder.clear)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Andra mapp för säkerhetskopior")
        if folder:
            self.form.second_folder.setText(folder)

    def save(self) -> WorkstationSettings:
        """Write the form to the workstation file (other values in it are kept); OSError
        when the file cannot be written."""
        fresh = WorkstationSettings.load(self._paths.workstation_settings)
        fresh.idle_lock_minutes = self.form.idle_minutes.value()
        fresh.second_backup_dir = self.form.second_folder.text().strip()
        fresh.printer_name = str(self.form.printer.currentData() or "")
        fresh.save(self._paths.workstation_settings)
        return fresh
