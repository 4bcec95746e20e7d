"""The compliance page's tab for the dated contract rules (import a new year's set), the
listing capacity with its listing-stop notice, and the yearly patient-safety report."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from clinic_desk.domain.errors import RuleViolation, ValidationError
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.formatting import from_qdate, to_qdate
from clinic_desk.ui.forms import Form
from clinic_desk.ui.table_fill import fill_table
from clinic_desk.workflows.compliance import (
    listing_capacity,
    patient_safety_reports,
    record_patient_safety_report,
    set_listing_capacity,
)
from clinic_desk.workflows.contract_rules import import_contract_rules, rule_sets, rules_on


class RulesTab(QObject):
    """Rule sets by year, capacity and the patient-safety report."""

    changed = Signal()

    def __init__(self, ctx: AppContext, form: Form, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._form = form
        self._parent = parent
        today = ctx.today()
        form.stop_notice_on.setDate(to_qdate(today))
        form.safety_done_on.setDate(to_qdate(today))
        form.safety_year.setValue(today.year - 1)
        form.capacity_limited.toggled.connect(form.capacity.setEnabled)
        form.stop_notice_sent.toggled.connect(form.stop_notice_on.setEnabled)
        form.import_rules.clicked.connect(self.import_file)
        form.save_capacity.clicked.connect(self.save_capacity)
        form.save_safety.clicked.connect(self.save_safety)

    def refresh(self) -> None:
        """Show the rule sets and the saved values."""
        f = self._form
        ctx = self._ctx
        in_force = rules_on(ctx.store, ctx.today())
        sets = rule_sets(ctx.store)
        fill_table(
            f.rule_sets,
            [
                "Från år",
                "Region",
                "Ålder",
                "Revision (mån)",
                "Tandläkare (år)",
                "Bett",
                "Tobak från",
                "Uteblivanden",
                "Minsta listning",
                "Källa",
            ],
            [
                [
                    str(r.valid_from_year) + (" (gäller nu)" if r == in_force else ""),
                    r.region,
                    f"{r.target_first_age}–{r.target_last_age}",
                    f"{r.child_interval_months} / {r.young_interval_months}",
                    f"{r.child_gap_years} / {r.young_gap_years}",
                    f"{r.bite_check_from_age}–{r.bite_check_to_age}",
                    str(r.tobacco_from_age),
                    f"{r.no_show_threshold} på {r.no_show_window_months} mån",
                    str(r.min_listing_capacity),
                    r.source,
                ]
                for r in sets
            ],
        )
        f.rules_note.setText(
            "Avtalets siffror gäller från sitt år. Ett nytt års regler läses in från en fil "
            "(JSON) som kontrolleras innan den sparas. Revision och tandläkare: barn / unga "
            f"vuxna (gränsen går efter {in_force.last_child_age} år)."
        )
        capacity, notice = listing_capacity(ctx.store)
        f.capacity_limited.setChecked(capacity is not None)
        f.capacity.setValue(capacity or 0)
        f.capacity.setEnabled(capacity is not None)
        f.stop_notice_sent.setChecked(notice is not None)
        f.stop_notice_on.setEnabled(notice is not None)
        if notice is not None:
            f.stop_notice_on.setDate(to_qdate(notice))
        reports = patient_safety_reports(ctx.store)
        f.safety_note.setText(
            ", ".join(f"{year}: {day.isoformat()}" for year, day in sorted(reports.items()))
            or "Ingen registrerad."
        )

    def import_file(self) -> None:
        """Read a new year's rule set from a file."""
        chosen, _filter = QFileDialog.getOpenFileName(
            self._parent, "Importera avtalsregler", str(Path.home()), "Avtalsregler (*.json)"
        )
        if not chosen:
            return
        try:
            rules = import_contract_rules(self._ctx.store, self._ctx.user, Path(chosen))
        except (ValidationError, RuleViolation, OSError) as exc:
            QMessageBox.warning(self._parent, "Avtalsregler", f"Filen lästes inte in: {exc}")
            return
        QMessageBox.information(
            self._parent, "Avtalsregler", f"Reglerna för {rules.label} är inlästa."
        )
        self.changed.emit()

    def save_capacity(self) -> None:
        """Save the capacity and the listing-stop notice day."""
        f = self._form
        try:
            set_listing_capacity(
                self._ctx.store,
                self._ctx.user,
                f.capacity.value() if f.capacity_limited.isChecked() else None,
                from_qdate(f.stop_notice_on.date()) if f.stop_notice_sent.isChecked() else None,
                self._ctx.today(),
            )
        except (ValidationError, RuleViolation) as exc:
            QMessageBox.warning(self._parent, "Listningskapacitet", str(exc))
            return
        self.changed.emit()

    def save_safety(self) -> None:
        """Record the patient-safety report of a year as written."""
        f = self._form
        try:
            record_patient_safety_report(
                self._ctx.store,
                self._ctx.user,
                f.safety_year.value(),
                from_qdate(f.safety_done_on.date()),
                self._ctx.today(),
            )
        except (ValidationError, RuleViolation) as exc:
            QMessageBox.warning(self._parent, "Patientsäkerhetsberättelse", str(exc))
            return
        self.changed.emit()
