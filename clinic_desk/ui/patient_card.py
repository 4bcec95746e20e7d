"""The patient card: details, guardians, listing history and the record's access history."""

from __future__ import annotations

from datetime import date
from html import escape
from typing import Protocol

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.care_rules import age_on, free_care_ends, in_target_group
from clinic_desk.domain.letters import letter_recipients
from clinic_desk.domain.listing import current_listing, responsible_listing_on
from clinic_desk.domain.patient_records import GuardianDraft, GuardianLink, PatientRecord
from clinic_desk.domain.people import PROTECTED_MASK
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.end_dialog import EndDialog
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.guardian_dialog import GuardianDialog
from clinic_desk.ui.listing_dialog import ListingDialog
from clinic_desk.ui.patient_dialog import PatientDialog
from clinic_desk.ui.reveal_dialog import RevealDialog
from clinic_desk.ui.table_fill import fill_table
from clinic_desk.workflows.listing import end_listing
from clinic_desk.workflows.patients import (
    add_guardian,
    end_patient,
    open_patient_record,
    remove_guardian,
    update_guardian,
)

_VALUES = (
    "v_personal_id",
    "v_name",
    "v_age",
    "v_address",
    "v_phone",
    "v_email",
    "v_dentist",
    "v_region",
    "v_free_care",
    "v_letters",
    "v_status",
)
SPEC = FormSpec(
    "patient_card.ui",
    {
        **dict.fromkeys(_VALUES, QLabel),
        "header": QLabel,
        "tabs": QTabWidget,
        "reveal": QPushButton,
        "edit_patient": QPushButton,
        "end_patient": QPushButton,
        "back": QPushButton,
        "guardians_table": QTableWidget,
        "add_guardian": QPushButton,
        "edit_guardian": QPushButton,
        "remove_guardian": QPushButton,
        "responsible_now": QLabel,
        "listings_table": QTableWidget,
        "list_at_clinic": QPushButton,
        "end_listing": QPushButton,
        "history_table": QTableWidget,
    },
)
ACTION_LABELS = {
    "patient.create": "Patient registrerad",
    "patient.update": "Uppgifter ändrade",
    "patient.end": "Patient avslutad",
    "patient.resume": "Patient återaktiverad",
    "patient.open": "Journal öppnad",
    "patient.reveal_protected": "Skyddade uppgifter visade",
    "guardian.link": "Vårdnadshavare tillagd",
    "guardian.update": "Vårdnadshavare ändrad",
    "guardian.unlink": "Vårdnadshavare borttagen",
    "listing.create": "Listad vid klinik",
    "listing.end": "Listning avslutad",
    "exam.create": "Undersökning sparad (utkast)",
    "exam.update": "Utkast till undersökning ändrat",
    "exam.sign": "Undersökning signerad",
    "exam.amend": "Undersökning rättad",
    "consent.give": "Samtycke till journaldelning",
    "consent.withdraw": "Samtycke återkallat",
    "document.exam_journal": "Journalutdrag utskrivet",
    "document.tobacco_sheet": "Tobaksinformation utskriven",
}
END_REASONS = [
    "Flyttat från regionen",
    "Listad vid annan klinik",
    "Avliden",
    "Fyllt 20 år",
    "Annat",
]
LISTING_END_REASONS = ["Flyttat från regionen", "Avliden", "Utvandrat", "Annat"]


class CardSection(Protocol):
    """A tab that another part of the program adds to the card (exams, invoices, ...)."""

    title: str

    def widget(self) -> QWidget:
        """The tab's contents."""
        ...

    def show_record(self, record: PatientRecord, masked: bool) -> None:
        """Show this patient (already opened and logged by the card)."""
        ...


class PatientCard(QWidget):
    """Shows one patient; every opening is logged by the workflow."""

    back_requested = Signal()
    changed = Signal()
    open_patient_requested = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)
        self.form = load_form(SPEC, self)
        self._ctx = ctx
        self.record: PatientRecord | None = None
        self._revealed = False
        self.sections: list[CardSection] = []
        f = self.form
        f.header.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        for button in (f.reveal, f.edit_patient, f.end_patient, f.back):
            button.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        f.back.clicked.connect(self.back_requested.emit)
        f.edit_patient.clicked.connect(self._edit)
        f.end_patient.clicked.connect(self._end)
        f.reveal.clicked.connect(self._reveal)
        f.add_guardian.clicked.connect(self._add_guardian)
        f.edit_guardian.clicked.connect(self._edit_guardian)
        f.remove_guardian.clicked.connect(self._remove_guardian)
        f.list_at_clinic.clicked.connect(self._list_at_clinic)
        f.end_listing.clicked.connect(self._end_listing)

    def add_section(self, section: CardSection, position: int | None = None) -> None:
        """Add a tab (before History unless a position is given)."""
        tabs: QTabWidget = self.form.tabs
        index = tabs.count() - 1 if position is None else position
        tabs.insertTab(index, section.widget(), section.title)
        self.sections.append(section)

    # -- loading ---------------------------------------------------------------------------
    def show_patient(self, patient_id: int) -> None:
        """Open a patient's record (logged) and show it."""
        self._revealed = False
        self.record = open_patient_record(self._ctx.store, self._ctx.user, patient_id)
        self.form.tabs.setCurrentIndex(0)
        self._render()

    def _reload(self) -> None:
        """Show the record again after a change made here (the change itself is logged)."""
        if self.record is None:
            return
        store = self._ctx.store
        patient_id = self.record.patient.id
        patient = store.patients.get(patient_id)
        assert patient is not None
        self.record = PatientRecord(
            patient,
            tuple(store.guardians.for_patient(patient_id)),
            tuple(store.listings.for_patient(patient_id)),
        )
        self._render()
        self.changed.emit()

    @property
    def masked(self) -> bool:
        """True while a protected identity is hidden."""
        return bool(self.record and self.record.patient.protected_identity and not self._revealed)

    def _render(self) -> None:
        assert self.record is not None
        p = self.record.patient
        today: date = self._ctx.today()
        f = self.form
        masked = self.masked
        name = PROTECTED_MASK if masked else p.full_name
        age = age_on(p.birth_date, today)
        status = "Aktiv" if p.active else f"Avslutad {p.end_date} ({p.end_reason})"
        header = (
            f"<b style='font-size:15pt'>{escape(name)}</b>&nbsp;&nbsp;{p.personal_id} · {age} år"
        )
        if p.protected_identity:
            header += " · <span style='color:#b00020'>Skyddade personuppgifter</span>"
        if not p.active:
            header += f" · <span style='color:gray'>{escape(status)}</span>"
        for section in self.sections:  # e.g. "Oro för barn" from the no-show section
            badge = getattr(section, "badge", None)
            text = badge(self.record) if badge is not None else None
            if text:
                header += f" · <b style='color:#b00020'>{escape(text)}</b>"
        f.header.setText(header)
        f.reveal.setVisible(masked)
        f.v_personal_id.setText(p.personal_id + (" (reservnummer)" if p.is_reserve_number else ""))
        f.v_name.setText(name)
        f.v_age.setText(f"{age} år (född {p.birth_date.isoformat()})")
        hidden = "Skyddad"
        f.v_address.setText(
            hidden
            if masked
            else ", ".join(x for x in (p.address_line, f"{p.postal_code} {p.city}".strip()) if x)
        )
        f.v_phone.setText(hidden if masked else p.phone)
        f.v_email.setText(hidden if masked else p.email)
        f.v_dentist.setText(self._ctx.user_name(p.responsible_dentist_id) or "Ingen vald")
        f.v_region.setText(
            "Ja" if p.registered_in_region else "Nej – ingår inte i regionens rapporter"
        )
        ends = free_care_ends(p.birth_date)
        f.v_free_care.setText(
            f"Till och med {ends.isoformat()}"
            if in_target_group(p.birth_date, today)
            else (
                "Inte ännu (från det år patienten fyller 3)"
                if today < ends
                else f"Slutade {ends.isoformat()}"
            )
        )
        recipients = letter_recipients(p, self.record.guardians, today)
        f.v_letters.setText(hidden if masked else "; ".join(r.name for r in recipients) or "Ingen")
        f.v_status.setText(status)
        f.end_patient.setEnabled(p.active)
        self._render_guardians(masked)
        self._render_listings(today)
        self._render_history()
        for section in self.sections:
            section.show_record(self.record, masked)

    def _render_guardians(self, masked: bool) -> None:
        assert self.record is not None
        rows = [
            [
                link.guardian.full_name if not masked else PROTECTED_MASK,
                link.guardian.personal_id,
                "Skyddad"
                if masked
                else ", ".join(x for x in (link.guardian.address_line, link.guardian.city) if x),
                "Skyddad" if masked else link.guardian.phone,
                "Ja" if link.receives_letters else "Nej",
                link.relation,
            ]
            for link in self.record.guardians
        ]
        fill_table(
            self.form.guardians_table,
            ["Namn", "Personnummer", "Adress", "Telefon", "Får brev", "Relation"],
            rows,
        )
        for button in (self.form.add_guardian, self.form.edit_guardian, self.form.remove_guardian):
            button.setEnabled(not masked)

    def _render_listings(self, today: date) -> None:
        assert self.record is not None
        listings = self.record.listings
        rows = [
            [
                item.clinic_name,
                item.listed_on.isoformat(),
                item.responsible_from.isoformat(),
                item.responsible_to.isoformat() if item.responsible_to else "",
                item.kind.label,
                item.consent_given_by,
                item.consent_recorded_by,
                item.consent_recorded_at.replace("T", " "),
                item.end_reason,
            ]
            for item in reversed(listings)
        ]
        fill_table(
            self.form.listings_table,
            [
                "Klinik",
                "Listad",
                "Ansvar från",
                "Ansvar till",
                "Typ",
                "Samtycke från",
                "Registrerat av",
                "Registrerat",
                "Orsak till slut",
            ],
            rows,
        )
        now = responsible_listing_on(listings, today)
        self.form.responsible_now.setText(
            f"Ansvarig klinik i dag: <b>{escape(now.clinic_name)}</b>"
            if now
            else "Ingen klinik ansvarar för patienten i dag."
        )
        self.form.end_listing.setEnabled(current_listing(listings) is not None)

    def _render_history(self) -> None:
        assert self.record is not None
        entries = self._ctx.store.audit.for_patient(self.record.patient.id)
        rows = [
            [e.at.replace("T", " "), e.user_name, ACTION_LABELS.get(e.action, e.action)]
            for e in entries
        ]
        fill_table(self.form.history_table, ["Tid", "Användare", "Händelse"], rows)

    # -- actions ---------------------------------------------------------------------------
    def _reveal(self) -> None:
        assert self.record is not None
        dialog = RevealDialog(self, self._ctx, self.record.patient.id)
        if dialog.exec():
            self._revealed = True
            self._render()

    def _edit(self) -> None:
        assert self.record is not None
        if self.masked:
            QMessageBox.information(
                self,
                "Skyddade uppgifter",
                "Visa de skyddade uppgifterna först för att kunna ändra dem.",
            )
            return
        dialog = PatientDialog(self, self._ctx, self.record.patient)
        if dialog.exec():
            self._reload()
        elif dialog.duplicate_of is not None:
            self.open_patient_requested.emit(dialog.duplicate_of)

    def _end(self) -> None:
        assert self.record is not None
        patient_id = self.record.patient.id
        dialog = EndDialog(
            self,
            "Avsluta patient",
            "Patienten tas inte bort: uppgifterna sparas och patienten markeras som avslutad. "
            "Pågående listning avslutas samma dag.",
            END_REASONS,
            self._ctx.today(),
            lambda day, reason: end_patient(
                self._ctx.store, self._ctx.user, patient_id, day, reason
            ),
        )
        if dialog.exec():
            self._reload()

    def _guardian_row(self) -> GuardianLink | None:
        assert self.record is not None
        row = self.form.guardians_table.currentRow()
        return self.record.guardians[row] if 0 <= row < len(self.record.guardians) else None

    def _add_guardian(self) -> None:
        assert self.record is not None
        p = self.record.patient
        dialog = GuardianDialog(
            self,
            self._ctx,
            lambda d: add_guardian(self._ctx.store, self._ctx.user, p.id, d, self._ctx.today()),
            address_hint=(p.address_line, p.postal_code, p.city),
        )
        if dialog.exec():
            self._reload()

    def _edit_guardian(self) -> None:
        assert self.record is not None
        link = self._guardian_row()
        if link is None:
            return
        g = link.guardian
        patient_id = self.record.patient.id
        existing = GuardianDraft(
            g.personal_id,
            g.first_name,
            g.last_name,
            g.address_line,
            g.postal_code,
            g.city,
            g.phone,
            g.email,
            link.receives_letters,
            link.relation,
            existing_id=g.id,
        )
        dialog = GuardianDialog(
            self,
            self._ctx,
            lambda d: update_guardian(
                self._ctx.store, self._ctx.user, patient_id, g.id, d, self._ctx.today()
            ),
            existing=existing,
        )
        if dialog.exec():
            self._reload()

    def _remove_guardian(self) -> None:
        assert self.record is not None
        link = self._guardian_row()
        if link is None:
            return
        answer = QMessageBox.question(
            self,
            "Ta bort vårdnadshavare",
            f"Ta bort {link.guardian.full_name} som vårdnadshavare för den här patienten? "
            "Uppgiften finns kvar i historiken.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            remove_guardian(
                self._ctx.store, self._ctx.user, self.record.patient.id, link.guardian.id
            )
            self._reload()

    def _list_at_clinic(self) -> None:
        assert self.record is not None
        if ListingDialog(self, self._ctx, self.record).exec():
            self._reload()

    def _end_listing(self) -> None:
        assert self.record is not None
        current = current_listing(self.record.listings)
        if current is None:
            return
        patient_id = self.record.patient.id
        dialog = EndDialog(
            self,
            "Avsluta listning",
            f"Listningen vid {current.clinic_name} avslutas. Vid byte till annan klinik, använd "
            "Lista vid klinik i stället – då sköts övergången automatiskt.",
            LISTING_END_REASONS,
            self._ctx.today(),
            lambda day, reason: end_listing(
                self._ctx.store, self._ctx.user, patient_id, current.id, day, reason
            ),
        )
        if dialog.exec():
            self._reload()
