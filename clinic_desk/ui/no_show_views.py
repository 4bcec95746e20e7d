"""No-shows on screen: the patient's times (log a no-show in two keys), notices, the
child-at-risk decision, fees, and the clinic's follow-up lists and statistics."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDateEdit,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.appointments import Appointment, AppointmentKind, AppointmentStatus
from clinic_desk.domain.errors import RuleViolation, ValidationError
from clinic_desk.domain.patient_records import PatientRecord
from clinic_desk.domain.people import PROTECTED_MASK, Profession
from clinic_desk.domain.permissions import Permission, allowed
from clinic_desk.ui.bar_chart import BarChart, place_chart
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.formatting import from_qdate, to_qdate
from clinic_desk.ui.forms import FormSpec, load_form
from clinic_desk.ui.pdf_output import hand_out_documents
from clinic_desk.ui.table_fill import fill_table
from clinic_desk.workflows.no_shows import (
    DEFAULT_FOLLOW_UP_DAYS,
    FOLLOW_UP_DAYS_KEY,
    assess,
    charge_no_show_fee,
    fee_refusal,
    log_no_show,
    record_concern_decision,
    send_notices,
)

DECISION_SPEC = FormSpec(
    "concern_decision_dialog.ui",
    {
        "reported": QRadioButton,
        "not_reported": QRadioButton,
        "decided_on": QDateEdit,
        "reason": QPlainTextEdit,
        "buttons": QDialogButtonBox,
    },
)
SECTION_SPEC = FormSpec(
    "no_show_section.ui",
    {
        "concern": QLabel,
        "decide": QPushButton,
        "send_notice": QPushButton,
        "lost_appliance": QPushButton,
        "summary": QLabel,
        "times": QTableWidget,
        "no_show": QPushButton,
        "fee": QPushButton,
        "fee_reason": QLabel,
    },
)
PAGE_SPEC = FormSpec(
    "no_show_page.ui",
    {
        "tabs": QTabWidget,
        "follow_note": QLabel,
        "follow_ups": QTableWidget,
        "concerns": QTableWidget,
        "stats_note": QLabel,
        "chart_host": QWidget,
        "by_practitioner": QTableWidget,
        "by_kind": QTableWidget,
        "most": QTableWidget,
    },
)
REGION_BENCHMARK = 3.0  # per cent no-shows in the region (seed 004)


class ConcernDecisionDialog(FormDialog):
    """A dentist records whether a concern report was made, and why."""

    SPEC = DECISION_SPEC

    def __init__(self, parent: QWidget | None, ctx: AppContext, case_id: int) -> None:
        super().__init__(parent, "Beslut – barn som far illa")
        self._ctx = ctx
        self._case_id = case_id
        self.form.decided_on.setDate(to_qdate(ctx.today()))

    def field_widgets(self) -> Mapping[str, QWidget]:
        return {"reason": self.form.reason}

    def submit(self) -> None:
        record_concern_decision(
            self._ctx.store,
            self._ctx.user,
            self._case_id,
            self.form.reported.isChecked(),
            self.form.reason.toPlainText(),
            from_qdate(self.form.decided_on.date()),
        )


def handle_no_show(
    parent: QWidget, ctx: AppContext, appointment_id: int, book_new_time: object
) -> bool:
    """Log a no-show and walk the user through what follows; True when it was logged."""
    try:
        outcome = log_no_show(ctx.store, ctx.user, appointment_id, ctx.now())
    except (RuleViolation, ValidationError) as exc:
        QMessageBox.warning(parent, "Uteblivet besök", str(exc))
        return False
    patient_id = outcome.appointment.patient_id
    if outcome.concern_raised:
        QMessageBox.warning(
            parent,
            "Oro för barn",
            f"Barnet har {outcome.assessment.count_in_window} uteblivna besök. Klinikens rutin för "
            "barn som far illa gäller: en tandläkare behöver registrera beslut på patientkortet.",
        )
    if (
        outcome.assessment.written_notice_due
        and QMessageBox.question(
            parent,
            "Brev om uteblivna besök",
            "Upprepade uteblivna besök ska meddelas skriftligt till vårdnadshavare "
            "(eller patienten från 18 år). Skicka brevet nu?",
        )
        == QMessageBox.StandardButton.Yes
    ):
        documents = send_notices(ctx.store, ctx.user, patient_id, ctx.today())
        hand_out_documents(parent, ctx, documents, "brev-uteblivna-besok.pdf")
    if (
        outcome.listed_here
        and QMessageBox.question(
            parent,
            "Ny tid",
            f"Erbjud en ny tid (senast {outcome.new_time_by.isoformat()}). Boka nu? Annars hamnar "
            "patienten på listan Ny tid saknas.",
        )
        == QMessageBox.StandardButton.Yes
    ):
        book_new_time(patient_id)  # type: ignore[operator]
    return True


class NoShowSection:
    """Patient card tab: the patient's times, no-shows, notices, concern and fees."""

    title = "Tider och uteblivanden"

    def __init__(self, ctx: AppContext, parent: QWidget, book_new_time: object) -> None:
        self._ctx = ctx
        self._host = QWidget(parent)
        QVBoxLayout(self._host).setContentsMargins(0, 0, 0, 0)
        self.form = load_form(SECTION_SPEC, self._host)
        self._book_new_time = book_new_time
        self._record: PatientRecord | None = None
        self._times: list[Appointment] = []
        f = self.form
        f.no_show.clicked.connect(self._no_show)
        f.fee.clicked.connect(self._fee)
        f.decide.clicked.connect(self._decide)
        f.send_notice.clicked.connect(self._send_notice)
        f.lost_appliance.hide()  # charged from the invoicing screens (Akut och fakturor)
        f.times.itemSelectionChanged.connect(self._selection_changed)
        shortcut = QShortcut(QKeySequence("Ctrl+U"), self._host)
        shortcut.activated.connect(self._no_show)

    def widget(self) -> QWidget:
        return self._host

    def badge(self, record: PatientRecord) -> str | None:
        """'Oro för barn' on the card's header while a concern is open (for those who may see)."""
        if not allowed(self._ctx.user, Permission.SEE_CONCERN_RECORDS):
            return None
        if self._ctx.store.no_shows.open_concern(record.patient.id) is None:
            return None
        return "Oro för barn – beslut saknas"

    def show_record(self, record: PatientRecord, masked: bool) -> None:
        self._record = record
        self.refresh()

    def refresh(self) -> None:
        """Read the patient's times and standing again."""
        if self._record is None:
            return
        ctx = self._ctx
        patient_id = self._record.patient.id
        self._times = ctx.store.appointments.for_patient(patient_id)
        names = {u.id: u.full_name for u in ctx.store.users.all(include_inactive=True)}
        fill_table(
            self.form.times,
            ["Tid", "Behandlare", "Typ", "Status", "Bekräftad"],
            [
                [
                    f"{a.start:%Y-%m-%d %H:%M}",
                    names.get(a.practitioner_id, ""),
                    a.kind.label,
                    a.status.label,
                    a.confirmed_how.label if a.confirmed_how else "",
                ]
                for a in self._times
            ],
        )
        standing = assess(ctx.store, patient_id, ctx.today())
        notices = ctx.store.no_shows.notices(patient_id)
        summary = f"Uteblivna besök senaste perioden: {standing.count_in_window}"
        if notices:
            summary += f" · senaste brev {notices[0][0].isoformat()} till {notices[0][1]}"
        self.form.summary.setText(summary)
        self.form.send_notice.setVisible(standing.written_notice_due)
        case = ctx.store.no_shows.open_concern(patient_id)
        may_see = allowed(ctx.user, Permission.SEE_CONCERN_RECORDS)
        self.form.concern.setVisible(bool(case and may_see))
        self.form.decide.setVisible(bool(case and may_see))
        self.form.decide.setEnabled(ctx.user.profession is Profession.DENTIST)
        if case and may_see:
            self.form.concern.setText(
                f"<b style='color:#b00020'>Oro för barn</b> sedan {case.raised_on}: "
                f"{case.raised_reason}. En tandläkare registrerar beslut."
            )
        self._selection_changed()

    def _selected(self) -> Appointment | None:
        row = self.form.times.currentRow()
        return self._times[row] if 0 <= row < len(self._times) else None

    def _selection_changed(self) -> None:
        chosen = self._selected()
        f = self.form
        f.no_show.setEnabled(
            chosen is not None
            and chosen.status in (AppointmentStatus.SUMMONED, AppointmentStatus.AGREED)
            and chosen.start <= self._ctx.now()
        )
        reason = fee_refusal(self._ctx.store, chosen) if chosen else None
        f.fee.setEnabled(chosen is not None and reason is None)
        f.fee_reason.setText(
            reason or "" if chosen and chosen.status is AppointmentStatus.NO_SHOW else ""
        )

    def _no_show(self) -> None:
        chosen = self._selected()
        if chosen is None or not self.form.no_show.isEnabled():
            return
        if handle_no_show(self._host, self._ctx, chosen.id, self._book_new_time):
            self.refresh()

    def _fee(self) -> None:
        chosen = self._selected()
        if chosen is None:
            return
        try:
            fee_id = charge_no_show_fee(
                self._ctx.store, self._ctx.user, chosen.id, self._ctx.today()
            )
        except RuleViolation as exc:
            QMessageBox.warning(self._host, "Avgift", str(exc))
            return
        self.refresh()
        archived = self._ctx.store.documents.for_source("patient_fees", fee_id)
        name = f"avgift-{fee_id}.pdf"
        hand_out_documents(self._host, self._ctx, [d.id for d in archived], name)

    def _decide(self) -> None:
        if self._record is None:
            return
        case = self._ctx.store.no_shows.open_concern(self._record.patient.id)
        if case is not None and ConcernDecisionDialog(self._host, self._ctx, case.id).exec():
            self.refresh()

    def _send_notice(self) -> None:
        if self._record is None:
            return
        documents = send_notices(
            self._ctx.store, self._ctx.user, self._record.patient.id, self._ctx.today()
        )
        self.refresh()
        hand_out_documents(self._host, self._ctx, documents, "brev-uteblivna-besok.pdf")


class NoShowPage(QWidget):
    """The clinic's lists: missing new times, open concerns, and the no-show statistics."""

    open_patient = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)
        self.form = load_form(PAGE_SPEC, self)
        self._ctx = ctx
        self.chart = place_chart(
            self.form.chart_host, BarChart("Uteblivna besök per månad (%)", "#b00020")
        )
        self._follow_ids: list[int] = []
        self._concern_ids: list[int] = []
        self.form.follow_ups.doubleClicked.connect(
            lambda index: self.open_patient.emit(self._follow_ids[index.row()])
        )
        self.form.concerns.doubleClicked.connect(
            lambda index: self.open_patient.emit(self._concern_ids[index.row()])
        )

    def refresh(self) -> None:
        """Read the lists and figures again."""
        ctx = self._ctx
        store = ctx.store
        days = int(store.settings.get(FOLLOW_UP_DAYS_KEY, DEFAULT_FOLLOW_UP_DAYS))
        follow = store.no_shows.follow_ups()
        self._follow_ids = [f.patient_id for f in follow]
        today = ctx.today()
        fill_table(
            self.form.follow_ups,
            ["Patient", "Personnummer", "Uteblev", "Ny tid senast"],
            [
                [
                    PROTECTED_MASK if f.protected_identity else f.name,
                    f.personal_id,
                    f"{f.missed_on:%Y-%m-%d %H:%M}",
                    (f.missed_on.date() + timedelta(days=days)).isoformat()
                    + (" – försenad" if f.missed_on.date() + timedelta(days=days) < today else ""),
                ]
                for f in follow
            ],
        )
        self.form.follow_note.setText(
            f"{len(follow)} patienter har uteblivit utan att ha fått ny tid. Avtalet kräver en ny "
            f"tid inom rimlig tid (klinikens gräns: {days} dagar). Dubbelklicka för patientkortet."
        )
        may_see = allowed(ctx.user, Permission.SEE_CONCERN_RECORDS)
        self.form.tabs.setTabEnabled(1, may_see)
        concerns = store.no_shows.concerns() if may_see else []
        self._concern_ids = [c.patient_id for c, _n, _p in concerns]
        fill_table(
            self.form.concerns,
            ["Patient", "Personnummer", "Sedan", "Orsak"],
            [
                [name, pid, case.raised_on.isoformat(), case.raised_reason]
                for case, name, pid in concerns
            ],
        )
        self._statistics(today)

    def _statistics(self, today: date) -> None:
        store = self._ctx.store
        first = date(today.year - 1, today.month, 1)
        cube = store.no_shows.rate_cube(first, today)
        months = cube.by("month")
        self.chart.set_data([(r.key[2:], round(r.no_show_rate)) for r in months])
        total = sum(r.total for r in months)
        missed = sum(r.no_shows for r in months)
        late = sum(r.late_cancellations for r in months)
        rate = 100.0 * missed / total if total else 0.0
        self.form.stats_note.setText(
            f"Senaste 12 månaderna: {missed} uteblivna av {total} tider ({rate:.1f} %), "
            f"{late} sena avbokningar ({100.0 * late / total if total else 0:.1f} %). "
            f"Regionens nivå: drygt {REGION_BENCHMARK:.0f} % – "
            + ("ni ligger över." if rate > REGION_BENCHMARK else "ni ligger under eller i nivå.")
        )
        names = {u.id: u.full_name for u in store.users.all(include_inactive=True)}
        fill_table(
            self.form.by_practitioner,
            ["Behandlare", "Tider", "Uteblev %", "Sen avb. %"],
            [
                [
                    names.get(int(r.key), r.key),
                    str(r.total),
                    f"{r.no_show_rate:.1f}",
                    f"{r.late_cancellation_rate:.1f}",
                ]
                for r in cube.by("practitioner")
            ],
        )
        fill_table(
            self.form.by_kind,
            ["Typ", "Tider", "Uteblev %"],
            [
                [AppointmentKind(r.key).label, str(r.total), f"{r.no_show_rate:.1f}"]
                for r in cube.by("kind")
            ],
        )
        fill_table(
            self.form.most,
            ["Patient", "Uteblivna"],
            [
                [name, str(count)]
                for _pid, name, count in store.no_shows.most_no_shows(first, today)
            ],
        )
