"""The start-up guide: a new clinic from an empty data folder to a working clinic.

Each step is the program's own dialog for that thing, shown as a page (its form, fields and
checks); Nästa saves the step through its workflow. The guide runs at the first start (it
creates the administrator's account first, so every later step has someone to act as) and
again from Inställningar, filled in with what is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from clinic_desk.domain.errors import RuleViolation
from clinic_desk.domain.people import Profession, User
from clinic_desk.paths import AppPaths
from clinic_desk.store.store import Store
from clinic_desk.ui.book_settings import OpeningHoursDialog
from clinic_desk.ui.clinic_dialogs import ClinicDialog, ClinicsDialog
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.embedding import embed
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.session import FirstAdminDialog
from clinic_desk.ui.staff_dialog import StaffDialog
from clinic_desk.ui.workstation_panel import WorkstationPanel
from clinic_desk.workflows.appointments import opening_hours
from clinic_desk.workflows.setup import complete_setup

INTRO_SPEC = FormSpec("setup_intro.ui", {"intro": QLabel, "encryption": QLabel})
DONE_SPEC = FormSpec("setup_done.ui", {"summary": QLabel, "next_steps": QLabel})


class SetupWizard(QWizard):
    """Administrator (first start only), own clinic, the region's clinics, opening hours,
    staff, this PC's backups; finishing records that the clinic is set up."""

    def __init__(
        self, parent: QWidget | None, store: Store, paths: AppPaths, user: User | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setup_wizard")
        self.setWindowTitle("Startguide – Clinic Desk")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.CommitButton, "Skapa kontot")
        self.setButtonText(QWizard.WizardButton.FinishButton, "Slutför")
        self.store = store
        self.paths = paths
        self.ctx: AppContext | None = AppContext(store, user, paths) if user else None
        self.addPage(_FormPage(INTRO_SPEC, "Välkommen", "Så här kommer kliniken igång."))
        if user is None:
            self.addPage(_AdminPage(self))
        self.addPage(
            _DialogPage(
                self,
                "Kliniken",
                "Uppgifterna står på fakturor och brev. Organisationsnummer och bankgiro "
                "kontrolleras.",
                _own_clinic_dialog,
            )
        )
        self.addPage(
            _DialogPage(
                self,
                "Regionens kliniker",
                "Importera regionens förteckning (CSV) eller lägg in klinikerna en och en. "
                "De behövs för listning, akutbesök och fakturor. Kan göras senare.",
                lambda ctx, parent: ClinicsDialog(parent, ctx),
            )
        )
        self.addPage(
            _DialogPage(
                self,
                "Öppettider",
                "När kliniken har öppet och lunch, och reglerna för avbokning, kallelser och "
                "uteblivna besök. Förslagen går bra att börja med.",
                lambda ctx, parent: OpeningHoursDialog(parent, ctx),
            )
        )
        self.addPage(_StaffPage(self))
        self.addPage(_WorkstationPage(self))
        self.addPage(_DonePage(self))
        self.resize(900, 680)

    @property
    def user(self) -> User | None:
        """The administrator the guide acts as (None until the account exists)."""
        return self.ctx.user if self.ctx else None

    def context(self) -> AppContext:
        """The context later pages act in (exists once the administrator does)."""
        assert self.ctx is not None, "the administrator page comes first"
        return self.ctx


class _FormPage(QWizardPage):
    """A page that only shows a Designer form."""

    def __init__(self, spec: FormSpec, title: str, subtitle: str) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self.form = load_form(spec, self)


class _AdminPage(QWizardPage):
    """The first account: an administrator with a password. No way back once saved."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.setObjectName("admin_page")
        self.setTitle("Administratör")
        self.setSubTitle("Ditt eget konto. Med det lägger du upp kliniken och personalens konton.")
        self.setCommitPage(True)
        self._wizard = wizard
        self.dialog = FirstAdminDialog(self, wizard.store)
        self.dialog.form.get("intro").hide()  # the page title and subtitle say it
        embed(self.dialog, QVBoxLayout(self))

    def validatePage(self) -> bool:
        if not self.dialog.save() or self.dialog.user is None:
            return False
        self._wizard.ctx = AppContext(self._wizard.store, self.dialog.user, self._wizard.paths)
        return True


class _DialogPage(QWizardPage):
    """A page holding one of the program's dialogs; Nästa saves it (a form dialog)."""

    def __init__(
        self,
        wizard: SetupWizard,
        title: str,
        subtitle: str,
        build: Callable[[AppContext, QWidget], QDialog],
    ) -> None:
        super().__init__()
        self.setTitle(title)
        self.setSubTitle(subtitle)
        self._wizard = wizard
        self._build = build
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self.dialog: QDialog | None = None

    def initializePage(self) -> None:
        if self.dialog is None:  # built when first shown: the administrator exists by then
            self.dialog = embed(self._build(self._wizard.context(), self), self._layout)

    def validatePage(self) -> bool:
        if isinstance(self.dialog, FormDialog):
            return self.dialog.save()
        return True


def _own_clinic_dialog(ctx: AppContext, parent: QWidget) -> QDialog:
    dialog = ClinicDialog(parent, ctx, ctx.store.clinics.own(), own=True)
    for name in ("is_own", "area_responsible"):
        dialog.form.get(name).hide()  # this page is the own clinic, which is not area-responsible
    return dialog


class _StaffPage(_DialogPage):
    """Practitioners and other staff; a person typed in but not added is added on Nästa."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(
            wizard,
            "Personal",
            "Lägg upp tandläkare och tandhygienister (de blir behandlare i tidboken) och "
            "övrig personal. Var och en loggar in med eget konto.",
            lambda ctx, parent: StaffDialog(parent, ctx),
        )

    def validatePage(self) -> bool:
        dialog = self.dialog
        if not isinstance(dialog, StaffDialog):
            return True
        f = dialog.form
        if not (f.username.text().strip() or f.full_name.text().strip()):
            return True
        f.add_staff.click()
        return not f.username.text().strip()  # cleared when the account was added


class _WorkstationPage(QWizardPage):
    """Backups, idle lock and printer of this PC (saved in the workstation file)."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__()
        self.setTitle("Säkerhetskopior och den här datorn")
        self.setSubTitle("Var kopiorna sparas, när skärmen låses och vilken skrivare som används.")
        self.panel = WorkstationPanel(self, wizard.paths)
        self.panel.form.buttons.hide()
        QVBoxLayout(self).addWidget(self.panel)

    def validatePage(self) -> bool:
        try:
            self.panel.save()
        except OSError as exc:
            QMessageBox.warning(self, "Inställningar", f"Kunde inte spara: {exc}")
            return False
        return True


class _DonePage(_FormPage):
    """What was set up; Slutför records that setup is complete."""

    def __init__(self, wizard: SetupWizard) -> None:
        super().__init__(DONE_SPEC, "Klart", "Kliniken är upplagd.")
        self._wizard = wizard

    def initializePage(self) -> None:
        ctx = self._wizard.context()
        store = ctx.store
        own = store.clinics.own()
        others = len([c for c in store.clinics.all(False) if not c.is_own])
        staff = store.users.all()
        practitioners = [
            u for u in staff if u.profession in (Profession.DENTIST, Profession.HYGIENIST)
        ]
        open_days = sum(1 for day in opening_hours(store).days if day is not None)
        lines = [
            f"Klinik: <b>{escape(own.name) if own else 'saknas'}</b>",
            f"Administratör: {escape(ctx.user.full_name)} ({escape(ctx.user.username)})",
            f"Andra kliniker i registret: {others}",
            f"Konton: {len(staff)}, varav behandlare: {len(practitioners)}",
            f"Öppet {open_days} dagar i veckan",
        ]
        self.form.summary.setText("<br>".join(lines))

    def validatePage(self) -> bool:
        ctx = self._wizard.context()
        try:
            complete_setup(ctx.store, ctx.user)
        except RuleViolation as exc:
            QMessageBox.warning(self, "Startguide", str(exc))
            return False
        return True
