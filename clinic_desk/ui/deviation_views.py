"""The deviation register on screen: record a deviation (any user), and classify, assign,
answer and close it (the manager), linked to a patient and a journal entry."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from clinic_desk.domain.deviations import Category, Deviation, DeviationDraft, Origin, Severity
from clinic_desk.domain.errors import FieldError, RuleViolation, ValidationError
from clinic_desk.domain.people import PROTECTED_MASK
from clinic_desk.domain.personal_id import InvalidPersonalId, parse_personal_id
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.formatting import from_qdate, show_date, to_qdate
from clinic_desk.ui.forms import Form, FormSpec, load_form
from clinic_desk.ui.table_fill import fill_table
from clinic_desk.workflows.deviations import (
    answer_deviation,
    assign_deviation,
    classify_deviation,
    close_deviation,
    record_deviation,
)

NEW_SPEC = FormSpec(
    "deviation_dialog.ui",
    {
        "occurred_on": QDateEdit,
        "origin": QComboBox,
        "other_provider": QLineEdit,
        "title": QLineEdit,
        "description": QPlainTextEdit,
        "category": QComboBox,
        "severity": QComboBox,
        "personal_id": QLineEdit,
        "patient_name": QLabel,
        "exam": QComboBox,
        "buttons": QDialogButtonBox,
    },
)
HANDLE_SPEC = FormSpec(
    "deviation_handle_dialog.ui",
    {
        "summary": QLabel,
        "category": QComboBox,
        "severity": QComboBox,
        "classify": QPushButton,
        "assignee": QComboBox,
        "assign": QPushButton,
        "answer": QPlainTextEdit,
        "answered_on": QDateEdit,
        "save_answer": QPushButton,
        "lessons": QPlainTextEdit,
        "closed_on": QDateEdit,
        "close_deviation": QPushButton,
        "message": QLabel,
        "buttons": QDialogButtonBox,
    },
)


def _fill_choices(combo: QComboBox, empty: str | None, choices: list[tuple[str, object]]) -> None:
    combo.clear()
    if empty is not None:
        combo.addItem(empty, None)
    for text, value in choices:
        combo.addItem(text, value)


class NewDeviationDialog(FormDialog):
    """Record a deviation; opened from the card it is linked to that patient."""

    SPEC = NEW_SPEC

    def __init__(
        self, parent: QWidget | None, ctx: AppContext, patient_id: int | None = None
    ) -> None:
        super().__init__(parent, "Ny avvikelse")
        self._ctx = ctx
        self.saved_id: int | None = None
        self._patient_id: int | None = None
        f = self.form
        f.occurred_on.setDate(to_qdate(ctx.today()))
        _fill_choices(f.origin, None, [(o.label, o) for o in Origin])
        _fill_choices(f.category, "– klassas senare –", [(c.label, c) for c in Category])
        _fill_choices(f.severity, "– klassas senare –", [(s.label, s) for s in Severity])
        f.origin.currentIndexChanged.connect(self._origin_changed)
        f.personal_id.editingFinished.connect(self._find_patient)
        self._origin_changed()
        self._set_patient(patient_id)
        if patient_id is not None:
            patient = ctx.store.patients.get(patient_id)
            if patient is not None:
                f.personal_id.setText(patient.personal_id)

    def field_widgets(self) -> Mapping[str, QWidget]:
        f = self.form
        return {
            "occurred_on": f.occurred_on,
            "other_provider": f.other_provider,
            "title": f.title,
            "description": f.description,
            "personal_id": f.personal_id,
        }

    def _origin_changed(self) -> None:
        other = self.form.origin.currentData() is Origin.OTHER_PROVIDER
        self.form.other_provider.setEnabled(other)

    def _find_patient(self) -> None:
        typed = self.form.personal_id.text().strip()
        if not typed:
            self._set_patient(None)
            return
        try:
            canonical = parse_personal_id(typed, today=self._ctx.today()).canonical
        except InvalidPersonalId as exc:
            self.form.patient_name.setText(str(exc))
            self._set_patient(None, keep_text=True)
            return
        patient = self._ctx.store.patients.by_personal_id(canonical)
        if patient is None:
            self.form.patient_name.setText("Ingen patient med det personnumret.")
            self._set_patient(None, keep_text=True)
            return
        self._set_patient(patient.id)

    def _set_patient(self, patient_id: int | None, keep_text: bool = False) -> None:
        f = self.form
        self._patient_id = patient_id
        f.exam.clear()
        f.exam.addItem("– ingen –", None)
        if patient_id is None:
            if not keep_text:
                f.patient_name.setText("")
            f.exam.setEnabled(False)
            return
        patient = self._ctx.store.patients.get(patient_id)
        if patient is not None:
            name = (
                PROTECTED_MASK
                if patient.protected_identity
                else f"{patient.first_name} {patient.last_name}"
            )
            f.patient_name.setText(name)
        for exam in self._ctx.store.exams.for_patient(patient_id):
            f.exam.addItem(f"{exam.exam_date.isoformat()} {exam.kind.label}", exam.id)
        f.exam.setEnabled(f.exam.count() > 1)

    def submit(self) -> None:
        f = self.form
        if f.personal_id.text().strip() and self._patient_id is None:
            raise ValidationError(
                [FieldError("personal_id", "Skriv ett personnummer som finns, eller lämna tomt.")]
            )
        origin = f.origin.currentData()
        draft = DeviationDraft(
            occurred_on=from_qdate(f.occurred_on.date()),
            title=f.title.text(),
            description=f.description.toPlainText(),
            origin=origin,
            other_provider=f.other_provider.text() if origin is Origin.OTHER_PROVIDER else "",
            category=f.category.currentData(),
            severity=f.severity.currentData(),
            patient_id=self._patient_id,
            exam_id=f.exam.currentData(),
        )
        try:
            self.saved_id = record_deviation(
                self._ctx.store, self._ctx.user, draft, self._ctx.today()
            )
        except RuleViolation as exc:
            raise ValidationError([FieldError("general", str(exc))]) from None


class HandleDeviationDialog(QDialog):
    """Classify, assign, answer and close one deviation; each button is one saved step."""

    changed = Signal()

    def __init__(self, parent: QWidget | None, ctx: AppContext, deviation_id: int) -> None:
        super().__init__(parent)
        self.setWindowTitle("Hantera avvikelse")
        self._ctx = ctx
        self._id = deviation_id
        self.form = load_form(HANDLE_SPEC, self)
        f = self.form
        _fill_choices(f.category, None, [(c.label, c) for c in Category])
        _fill_choices(f.severity, None, [(s.label, s) for s in Severity])
        _fill_choices(
            f.assignee,
            None,
            [
                (f"{u.full_name} ({u.profession.label.lower()})", u.id)
                for u in ctx.store.users.all()
            ],
        )
        for widget in (f.answered_on, f.closed_on):
            widget.setDate(to_qdate(ctx.today()))
        f.classify.clicked.connect(self._classify)
        f.assign.clicked.connect(self._assign)
        f.save_answer.clicked.connect(self._answer)
        f.close_deviation.clicked.connect(self._close)
        f.buttons.rejected.connect(self.reject)
        f.buttons.accepted.connect(self.accept)
        self._load()

    def _load(self) -> None:
        f = self.form
        d = self._ctx.store.deviations.get(self._id)
        if d is None:
            return
        f.summary.setText(_summary(d))
        if d.category is not None:
            f.category.setCurrentIndex(f.category.findData(d.category))
        if d.severity is not None:
            f.severity.setCurrentIndex(f.severity.findData(d.severity))
        if d.assigned_to is not None:
            f.assignee.setCurrentIndex(max(0, f.assignee.findData(d.assigned_to)))
        f.answer.setPlainText(d.answer)
        f.lessons.setPlainText(d.lessons)
        is_open = d.closed_on is None
        for widget in (f.classify, f.assign, f.close_deviation):
            widget.setEnabled(is_open)
        f.save_answer.setEnabled(is_open and d.origin is Origin.OTHER_PROVIDER)
        f.answer.setEnabled(d.origin is Origin.OTHER_PROVIDER)

    def _run(self, step: str, action: object) -> None:
        try:
            action()  # type: ignore[operator]
        except (RuleViolation, ValidationError) as exc:
            self.form.message.setText(f"<span style='color:#b00020'>{exc}</span>")
            return
        self.form.message.setText(f"{step} sparad.")
        self.changed.emit()
        self._load()

    def _classify(self) -> None:
        f = self.form
        self._run(
            "Klassningen",
            lambda: classify_deviation(
                self._ctx.store,
                self._ctx.user,
                self._id,
                f.category.currentData(),
                f.severity.currentData(),
            ),
        )

    def _assign(self) -> None:
        self._run(
            "Ansvarig",
            lambda: assign_deviation(
                self._ctx.store, self._ctx.user, self._id, self.form.assignee.currentData()
            ),
        )

    def _answer(self) -> None:
        f = self.form
        self._run(
            "Svaret",
            lambda: answer_deviation(
                self._ctx.store,
                self._ctx.user,
                self._id,
                f.answer.toPlainText(),
                from_qdate(f.answered_on.date()),
                self._ctx.today(),
            ),
        )

    def _close(self) -> None:
        f = self.form
        self._run(
            "Avslutet",
            lambda: close_deviation(
                self._ctx.store,
                self._ctx.user,
                self._id,
                f.lessons.toPlainText(),
                from_qdate(f.closed_on.date()),
                self._ctx.today(),
            ),
        )


def _summary(d: Deviation) -> str:
    origin = d.origin.label + (f": {d.other_provider}" if d.other_provider else "")
    lines = [
        f"<b>{d.title}</b> ({d.state.label.lower()})",
        f"Inträffade {d.occurred_on.isoformat()}, registrerad {d.reported_on.isoformat()} "
        f"av {d.reported_by_name or 'okänd'} · {origin}",
    ]
    if d.patient_text:
        lines.append(
            f"Patient: {d.patient_text}" + (" · journalanteckning länkad" if d.exam_id else "")
        )
    if d.description:
        lines.append(d.description)
    return "<br>".join(lines)


class DeviationsTab(QObject):
    """The register tab of the compliance page."""

    open_patient = Signal(int)
    changed = Signal()

    def __init__(self, ctx: AppContext, form: Form, parent: QWidget) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._form = form
        self._parent = parent
        self.rows: list[Deviation] = []
        form.new_deviation.clicked.connect(self.new)
        form.handle_deviation.clicked.connect(self.handle)
        form.deviation_patient.clicked.connect(self._open_patient)
        form.show_closed.toggled.connect(self.refresh)
        form.deviations.itemSelectionChanged.connect(self._selected)
        form.deviations.doubleClicked.connect(lambda _index: self.handle())

    def refresh(self) -> None:
        """Read the register again (open ones, or all)."""
        f = self._form
        self.rows = self._ctx.store.deviations.all(open_only=not f.show_closed.isChecked())
        fill_table(
            f.deviations,
            ["Registrerad", "Rubrik", "Varifrån", "Typ", "Allvarlighet", "Ansvarig", "Läge"],
            [
                [
                    d.reported_on.isoformat(),
                    d.title,
                    d.other_provider or d.origin.label,
                    d.category.label if d.category else "–",
                    d.severity.label if d.severity else "–",
                    d.assigned_name or "–",
                    d.state.label
                    + (" · svar saknas" if d.needs_answer and not d.closed_on else ""),
                ]
                for d in self.rows
            ],
        )
        self._selected()

    def select(self, deviation_id: int) -> None:
        """Choose a deviation in the list."""
        ids = [d.id for d in self.rows]
        if deviation_id in ids:
            self._form.deviations.selectRow(ids.index(deviation_id))

    def _current(self) -> Deviation | None:
        rows = self._form.deviations.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows and rows[0].row() < len(self.rows) else None

    def _selected(self) -> None:
        d = self._current()
        f = self._form
        f.handle_deviation.setEnabled(d is not None)
        f.deviation_patient.setEnabled(d is not None and d.patient_id is not None)
        if d is None:
            f.deviation_detail.setText("")
            return
        text = _summary(d)
        if d.answered_on:
            text += f"<br><i>Svar {show_date(d.answered_on)}:</i> {d.answer}"
        if d.closed_on:
            text += f"<br><i>Lärdomar ({show_date(d.closed_on)}):</i> {d.lessons}"
        f.deviation_detail.setText(text)
        f.deviation_detail.setTextFormat(Qt.TextFormat.RichText)

    def new(self, patient_id: int | None = None) -> None:
        """Record a new deviation."""
        dialog = NewDeviationDialog(self._parent, self._ctx, patient_id)
        if dialog.exec() and dialog.saved_id is not None:
            self._form.show_closed.setChecked(False)
            self.changed.emit()
            self.refresh()
            self.select(dialog.saved_id)

    def handle(self) -> None:
        """Classify, assign, answer or close the chosen deviation."""
        d = self._current()
        if d is None:
            return
        try:
            dialog = HandleDeviationDialog(self._parent, self._ctx, d.id)
        except RuleViolation as exc:
            QMessageBox.warning(self._parent, "Avvikelse", str(exc))
            return
        dialog.changed.connect(self.changed)
        dialog.exec()
        self.refresh()
        self.select(d.id)

    def _open_patient(self) -> None:
        d = self._current()
        if d is not None and d.patient_id is not None:
            self.open_patient.emit(d.patient_id)
