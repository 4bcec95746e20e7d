"""The card's "Undersökningar" tab: exams, summary and deadlines, tobacco history, consents.

``exam_rows`` / ``tobacco_rows`` / ``consent_rows`` / ``summary_html`` build the section's
text without touching widgets (the benchmark times them together with the queries).
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtWidgets import (
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.errors import RuleViolation, ValidationError
from clinic_desk.domain.exams import (
    Exam,
    ExamRefused,
    JournalConsent,
    TobaccoHistoryRow,
    active_consents,
    kinds_for,
)
from clinic_desk.domain.patient_records import PatientRecord
from clinic_desk.domain.people import PROTECTED_MASK
from clinic_desk.ui.consent_dialog import ConsentDialog
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.exam_amend_dialog import ExamAmendDialog
from clinic_desk.ui.exam_dialog import ExamDialog
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.pdf_output import hand_out_pdf, outcome_text
from clinic_desk.ui.table_fill import fill_table
from clinic_desk.workflows.exam_documents import print_exam_journal, print_tobacco_sheet
from clinic_desk.workflows.exams import ExamOverview, exam_overview, sign_exam

SPEC = FormSpec(
    "exams_section.ui",
    {
        "summary": QLabel,
        "new_exam": QPushButton,
        "open_exam": QPushButton,
        "sign_exam": QPushButton,
        "print_journal": QPushButton,
        "print_tobacco": QPushButton,
        "exams_table": QTableWidget,
        "tobacco_table": QTableWidget,
        "consents_table": QTableWidget,
        "add_consent": QPushButton,
        "withdraw_consent": QPushButton,
        "message": QLabel,
    },
)
EXAM_HEADERS = [
    "Datum",
    "Typ",
    "Undersökare",
    "Status",
    "Riskgrupp",
    "Intervall",
    "Nästa revision",
    "Kariesfri",
    "Rättelser",
]
RED = "#b00020"


def exam_rows(exams: tuple[Exam, ...]) -> list[list[str]]:
    """One row per exam, newest first, with amended values where there are amendments."""
    rows = []
    for e in exams:
        risk = e.current_risk_group
        months = e.current_interval_months
        due = e.current_next_revision_due
        rows.append(
            [
                e.exam_date.isoformat(),
                e.kind.label,
                e.examiner_name,
                "Signerad" if e.signed else "Utkast",
                risk.label if risk else "",
                f"{months} mån" if months else "",
                due.isoformat() if due else "",
                ("Ja" if e.indices.caries_free else "Nej") if e.indices else "",
                str(len(e.amendments)) if e.amendments else "",
            ]
        )
    return rows


def tobacco_rows(history: tuple[TobaccoHistoryRow, ...]) -> list[list[str]]:
    """The tobacco history, newest exam first: date, product, status."""
    return [[r.recorded_on.isoformat(), r.product.label, r.status.label] for r in history]


def consent_rows(consents: tuple[JournalConsent, ...]) -> list[list[str]]:
    """Consent rows, newest first; given consents still in force are marked."""
    active = {c.id for c in active_consents(list(consents))}
    return [
        [
            c.collected_on.isoformat(),
            c.action.label + (" (gäller)" if c.id in active else ""),
            c.scope,
            c.given_by,
            c.collected_by_name,
        ]
        for c in reversed(consents)
    ]


def summary_html(overview: ExamOverview, today: date) -> str:
    """Last exam, next revision due and the deadlines that have passed or are close."""
    last = overview.last_exam
    parts = [
        "Senaste undersökning: "
        + (
            f"<b>{last.exam_date.isoformat()}</b> {escape(last.kind.label.lower())}"
            f" ({escape(last.examiner_name)})"
            if last
            else "<b>ingen signerad</b>"
        )
    ]
    due = overview.next_revision
    if due is not None:
        late = due.next_revision_due < today
        colour = f" style='color:{RED}'" if late else ""
        parts.append(
            f"Nästa revision: <b{colour}>{due.next_revision_due.isoformat()}</b>"
            + (" (försenad)" if late else "")
        )
    html = " &nbsp;·&nbsp; ".join(parts)
    flagged = [d for d in overview.deadlines if d.overdue or d.at_risk]
    if flagged:
        items = "".join(
            f"<li style='color:{RED if d.overdue else '#9a6700'}'>"
            f"{'Passerad: ' if d.overdue else 'Snart: '}{escape(d.text)}</li>"
            for d in flagged
        )
        html += f"<ul style='margin:2px'>{items}</ul>"
    return html


class ExamsSection:
    """The card section for exams; records, signs, amends and prints as the acting user."""

    title = "Undersökningar"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        self._ctx = ctx
        self._widget = QWidget(parent)
        QVBoxLayout(self._widget).setContentsMargins(0, 0, 0, 0)
        self.form = load_form(SPEC, self._widget)
        self.record: PatientRecord | None = None
        self.overview: ExamOverview | None = None
        self._masked = False
        f = self.form
        f.new_exam.clicked.connect(self.new_exam)
        f.open_exam.clicked.connect(self.open_exam)
        f.sign_exam.clicked.connect(self.sign_selected)
        f.print_journal.clicked.connect(self.print_journal)
        f.print_tobacco.clicked.connect(self.print_tobacco)
        f.add_consent.clicked.connect(self.add_consent)
        f.withdraw_consent.clicked.connect(self.withdraw_consent)
        f.exams_table.itemSelectionChanged.connect(self._selection_changed)
        f.exams_table.doubleClicked.connect(self.open_exam)
        f.consents_table.itemSelectionChanged.connect(self._selection_changed)
        may_record = bool(kinds_for(ctx.user.profession))
        f.new_exam.setEnabled(may_record)
        if not may_record:
            f.new_exam.setToolTip(
                f"{ctx.user.profession.label} journalför inga undersökningar: det gör "
                "tandläkare, tandhygienister och tandsköterskor."
            )

    def widget(self) -> QWidget:
        """The tab's contents."""
        return self._widget

    def show_record(self, record: PatientRecord, masked: bool) -> None:
        """Show this patient's exams (the card has already opened and logged the record)."""
        self.record = record
        self._masked = masked
        self.form.message.clear()
        self.refresh()

    def refresh(self) -> None:
        """Read the exams again and fill the tables."""
        assert self.record is not None
        today = self._ctx.today()
        self.overview = exam_overview(self._ctx.store, self.record.patient, today)
        f = self.form
        f.summary.setText(summary_html(self.overview, today))
        fill_table(f.exams_table, EXAM_HEADERS, exam_rows(self.overview.exams))
        fill_table(
            f.tobacco_table, ["Datum", "Produkt", "Status"], tobacco_rows(self.overview.tobacco)
        )
        fill_table(
            f.consents_table,
            ["Datum", "Händelse", "Gäller", "Lämnat av", "Inhämtat av"],
            consent_rows(self.overview.consents),
        )
        self._selection_changed()

    # -- selection -----------------------------------------------------------------------------
    def selected_exam(self) -> Exam | None:
        """The exam on the selected row."""
        if self.overview is None:
            return None
        row = self.form.exams_table.currentRow()
        exams = self.overview.exams
        return exams[row] if 0 <= row < len(exams) and self._row_selected() else None

    def _row_selected(self) -> bool:
        return bool(self.form.exams_table.selectionModel().selectedRows())

    def selected_consent(self) -> JournalConsent | None:
        """The consent on the selected row (the table lists the newest first)."""
        if self.overview is None or not self.form.consents_table.selectionModel().selectedRows():
            return None
        row = self.form.consents_table.currentRow()
        consents = list(reversed(self.overview.consents))
        return consents[row] if 0 <= row < len(consents) else None

    def _selection_changed(self) -> None:
        f = self.form
        exam = self.selected_exam()
        f.open_exam.setEnabled(exam is not None)
        f.sign_exam.setEnabled(
            exam is not None and not exam.signed and exam.examiner_id == self._ctx.user.id
        )
        consent = self.selected_consent()
        active = (
            {c.id for c in active_consents(list(self.overview.consents))}
            if self.overview
            else set()
        )
        f.withdraw_consent.setEnabled(consent is not None and consent.id in active)

    # -- actions --------------------------------------------------------------------------------
    def _masked_name(self) -> str | None:
        return PROTECTED_MASK if self._masked else None

    def new_exam(self) -> None:
        """Open the exam form for a new exam (Ny undersökning)."""
        assert self.record is not None
        dialog = ExamDialog(
            self._widget, self._ctx, self.record.patient, masked_name=self._masked_name()
        )
        if dialog.exec():
            self.refresh()
            self._say("Undersökningen signerades." if dialog.signed else "Utkastet sparades.")

    def open_exam(self) -> None:
        """A draft of one's own opens in the form; a signed exam opens with its amendments."""
        assert self.record is not None
        exam = self.selected_exam()
        if exam is None:
            return
        if exam.signed:
            if ExamAmendDialog(self._widget, self._ctx, exam).exec():
                self.refresh()
                self._say("Rättelsen sparades. Ursprunget finns kvar.")
            return
        if exam.examiner_id != self._ctx.user.id:
            QMessageBox.information(
                self._widget,
                "Utkast",
                f"Utkastet är {exam.examiner_name}s: bara undersökaren kan ändra det.",
            )
            return
        dialog = ExamDialog(
            self._widget,
            self._ctx,
            self.record.patient,
            existing=exam,
            masked_name=self._masked_name(),
        )
        if dialog.exec():
            self.refresh()
            self._say("Undersökningen signerades." if dialog.signed else "Utkastet sparades.")

    def sign_selected(self) -> None:
        """Sign the selected draft (the contract checks run again first)."""
        exam = self.selected_exam()
        if exam is None:
            return
        try:
            due = sign_exam(self._ctx.store, self._ctx.user, exam.id, self._ctx.today())
        except (RuleViolation, ExamRefused, ValidationError) as exc:
            QMessageBox.warning(self._widget, "Kan inte signeras", str(exc))
            return
        self.refresh()
        self._say(
            "Undersökningen signerades"
            + (f"; nästa revision senast {due.isoformat()}." if due else ".")
        )

    def print_journal(self) -> None:
        """Archive a journal extract of the exams, then preview, print or save it."""
        assert self.record is not None
        patient = self.record.patient
        try:
            document = print_exam_journal(
                self._ctx.store, self._ctx.user, patient.id, self._ctx.today()
            )
        except RuleViolation as exc:
            QMessageBox.warning(self._widget, "Journalutdrag", str(exc))
            return
        content = self._ctx.store.documents.content(document.id)
        name = f"journalutdrag-{patient.personal_id}.pdf"
        outcome = hand_out_pdf(self._widget, self._ctx, content, name)
        self._say(f"Journalutdraget arkiverades{outcome_text(outcome)}.")

    def print_tobacco(self) -> None:
        """Archive the tobacco information sheet, then preview, print or save it."""
        assert self.record is not None
        patient = self.record.patient
        try:
            document = print_tobacco_sheet(
                self._ctx.store, self._ctx.user, patient.id, self._ctx.today()
            )
        except RuleViolation as exc:
            QMessageBox.warning(self._widget, "Tobaksinformation", str(exc))
            return
        content = self._ctx.store.documents.content(document.id)
        name = f"tobaksinformation-{patient.personal_id}.pdf"
        outcome = hand_out_pdf(self._widget, self._ctx, content, name)
        self._say(f"Tobaksinformationen arkiverades{outcome_text(outcome)}.")

    def _suggested_giver(self) -> str:
        assert self.record is not None
        if self._masked:
            return ""
        guardians = self.record.guardians
        return guardians[0].guardian.full_name if guardians else self.record.patient.full_name

    def add_consent(self) -> None:
        """Record a new journal consent."""
        assert self.record is not None
        dialog = ConsentDialog(
            self._widget, self._ctx, self.record.patient.id, self._suggested_giver()
        )
        if dialog.exec():
            self.refresh()
            self._say("Samtycket dokumenterades.")

    def withdraw_consent(self) -> None:
        """Record the withdrawal of the selected consent (a new dated row)."""
        assert self.record is not None
        consent = self.selected_consent()
        if consent is None:
            return
        dialog = ConsentDialog(
            self._widget,
            self._ctx,
            self.record.patient.id,
            self._suggested_giver(),
            withdrawing=consent,
        )
        if dialog.exec():
            self.refresh()
            self._say("Återkallelsen dokumenterades.")

    def _say(self, text: str) -> None:
        self.form.message.setText(text)
