"""Screenshots of the start-up guide on a new, empty clinic and of Inställningar on the demo
clinic (docs/images/setup-*.png, settings-*.png), called from tools/screenshots.py."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from clinic_desk.domain.people import Profession
from clinic_desk.paths import paths_for
from clinic_desk.store.store import Store
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.main_window import MainWindow
from clinic_desk.ui.settings_dialog import SettingsDialog
from clinic_desk.ui.setup_wizard import SetupWizard
from clinic_desk.workflows.clinics import decode_csv_bytes, import_clinics

REGION_CSV = (
    "namn;organisationsnummer;kod;ort;omradesansvarig\n"
    "Folktandvården Björkbacken;232100-0222;BJBK;Umeå;ja\n"
    "Tandläkarhuset Norrsken;556036-0793;NORR;Umeå;nej\n"
    "Kustens Tandklinik;556703-7485;KUST;Holmsund;nej\n"
)


def _fill(page: QWidget, values: dict[str, str]) -> None:
    for name, text in values.items():
        page.findChild(QWidget, name).setText(text)  # type: ignore[attr-defined]


def shoot_setup_wizard(save: Callable[[QWidget, str], None]) -> None:
    """setup-1-welcome … setup-8-done: the guide on an empty clinic, filled in as a clinic
    would fill it, each page saved as it is left."""
    folder = Path(tempfile.mkdtemp(prefix="clinic-setup-shots-"))
    paths = paths_for(folder / "data").ensure()
    store = Store.open(paths.database, paths.backup_dir)
    wizard = SetupWizard(None, store, paths)
    wizard.show()

    def shot(name: str) -> None:
        QApplication.processEvents()
        save(wizard, name)

    shot("setup-1-welcome")
    wizard.next()
    _fill(
        wizard.currentPage(),
        {
            "username": "anna.berg",
            "full_name": "Anna Berg",
            "password": "exempel-lösen",
            "repeat": "exempel-lösen",
        },
    )
    shot("setup-2-admin")
    wizard.next()
    _fill(
        wizard.currentPage(),
        {
            "name": "Tandläkarna på Älvgatan",
            "org_number": "559012-3450",
            "address_line": "Älvgatan 3",
            "postal_code": "903 26",
            "city": "Umeå",
            "phone": "090-12 34 56",
            "email": "info@alvgatan.example",
            "bankgiro": "5050-1055",
        },
    )
    wizard.currentPage().findChild(QWidget, "f_skatt").setChecked(True)  # type: ignore[attr-defined]
    shot("setup-3-clinic")
    wizard.next()
    csv = folder / "region.csv"
    csv.write_text(REGION_CSV, encoding="utf-8")
    region = wizard.currentPage().dialog  # type: ignore[attr-defined]
    assert wizard.ctx is not None
    # the workflow the page's Importera button runs, without its message box
    import_clinics(store, wizard.ctx.user, decode_csv_bytes(csv.read_bytes()))
    region.refresh()
    shot("setup-4-region-clinics")
    wizard.next()
    page = wizard.currentPage()
    page.findChild(QWidget, "open4").setChecked(True)  # type: ignore[attr-defined]
    page.findChild(QWidget, "closes4").setTime(QTime(15, 0))  # type: ignore[attr-defined]
    shot("setup-5-hours")
    wizard.next()
    _fill(
        wizard.currentPage(),
        {"username": "karin.holm", "full_name": "Karin Holm", "password": "tandläkare-1"},
    )
    profession = wizard.currentPage().findChild(QComboBox, "profession")
    assert profession is not None
    profession.setCurrentIndex(profession.findData(Profession.DENTIST))
    wizard.next()  # adds Karin Holm and moves on; back once to show her in the list
    wizard.back()
    shot("setup-6-staff")
    wizard.next()
    _fill(wizard.currentPage(), {"second_folder": "E:\\Säkerhetskopior"})
    shot("setup-7-backups")
    wizard.next()
    shot("setup-8-done")
    wizard.close()
    store.close()


def shoot_settings(
    window: MainWindow, ctx: AppContext, save: Callable[[QWidget, str], None]
) -> None:
    """settings-clinic, settings-book, settings-letters, settings-workstation (demo clinic)."""
    dialog = SettingsDialog(window, ctx)
    dialog.show()
    for key, name in (
        ("clinic", "settings-clinic"),
        ("book", "settings-book"),
        ("letters", "settings-letters"),
        ("invoices", "settings-invoices"),
        ("workstation", "settings-workstation"),
    ):
        dialog.open_group(key)
        QApplication.processEvents()
        save(dialog, name)
    dialog.close()
