"""The exam form: record a new exam or change a draft; save as draft or save and sign.

Keyboard first: Alt+letter reaches every field, Ctrl+S saves a draft, Ctrl+Return saves and
signs. The contract's demands for the patient's age are shown above the fields and checked
again by the workflow when saved; nothing is saved while a message is shown.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from datetime import date

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from clinic_desk.domain.care_rules import (
    IntervalTooLong,
    age_on,
    max_revision_interval_months,
    next_revision_due,
)
from clinic_desk.domain.errors import FieldError, RuleViolation, ValidationError
from clinic_desk.domain.exams import (
    CARIES_FACTORS,
    PERIO_FACTORS,
    BiteCheck,
    CariesIndices,
    Exam,
    ExamDraft,
    ExamKind,
    ReferralAnswer,
    RiskFactor,
    RiskGroup,
    TobaccoProduct,
    TobaccoRecord,
    TobaccoStatus,
    kinds_for,
    requirements,
)
from clinic_desk.domain.people import Patient
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.formatting import from_qdate, to_qdate
from clinic_desk.ui.forms import FormSpec
from clinic_desk.workflows.contract_rules import rules_on
from clinic_desk.workflows.exams import save_exam

INDEX_FIELDS = (
    "primary_dft",
    "primary_dfs",
    "perm_dft",
    "perm_dfs",
    "perm_dfs_approximal",
    "perm_ds",
)
SPEC = FormSpec(
    "exam_dialog.ui",
    {
        "patient_line": QLabel,
        "requirements": QLabel,
        "exam_date": QDateEdit,
        "examiner": QLabel,
        "kind": QComboBox,
        "risk_group": QComboBox,
        "interval_months": QSpinBox,
        "next_due": QLabel,
        "caries_factors_box": QGroupBox,
        "perio_factors_box": QGroupBox,
        "indices_box": QGroupBox,
        **dict.fromkeys(INDEX_FIELDS, QSpinBox),
        "caries_free": QLabel,
        "bite_box": QGroupBox,
        "bite_check": QComboBox,
        "bite_findings": QLineEdit,
        "tobacco_box": QGroupBox,
        "tobacco_all_never": QPushButton,
        "referral_offered": QComboBox,
        "referral_answer": QComboBox,
        "findings": QPlainTextEdit,
        "treatment_plan": QPlainTextEdit,
        "buttons": QDialogButtonBox,
    },
)
NOT_STATED = "–"


class ExamDialog(FormDialog):
    """Records an exam for one patient as the acting user (the examiner)."""

    SPEC = SPEC

    def __init__(
        self,
        parent: QWidget | None,
        ctx: AppContext,
        patient: Patient,
        existing: Exam | None = None,
        masked_name: str | None = None,
    ) -> None:
        super().__init__(parent, "Undersökning" if existing is None else "Ändra utkast")
        self._ctx = ctx
        self._patient = patient
        self._existing = existing
        self.saved_exam_id: int | None = None
        self.signed = False
        self._sign_requested = False
        f = self.form
        name = masked_name if masked_name is not None else patient.full_name
        f.patient_line.setText(f"<b>{name}</b> &nbsp; {patient.personal_id}")
        f.examiner.setText(f"{ctx.user.full_name} ({ctx.user.profession.label})")
        for kind in kinds_for(ctx.user.profession):
            f.kind.addItem(kind.label, kind)
        f.risk_group.addItem(NOT_STATED, None)
        for group in RiskGroup:
            f.risk_group.addItem(group.label, group)
        for check in BiteCheck:
            f.bite_check.addItem(check.label, check)
        f.referral_offered.addItem(NOT_STATED, None)
        f.referral_offered.addItem("Ja", True)
        f.referral_offered.addItem("Nej", False)
        f.referral_answer.addItem(NOT_STATED, None)
        for answer in ReferralAnswer:
            f.referral_answer.addItem(answer.label, answer)
        self.factor_boxes: dict[RiskFactor, QCheckBox] = {}
        self._add_factors(f.caries_factors_box, CARIES_FACTORS)
        self._add_factors(f.perio_factors_box, PERIO_FACTORS)
        self.tobacco_combos: dict[TobaccoProduct, QComboBox] = {}
        self._add_tobacco_rows()
        today = ctx.today()
        f.exam_date.setMaximumDate(to_qdate(today))
        f.exam_date.setMinimumDate(to_qdate(patient.birth_date))
        f.exam_date.setDate(to_qdate(today))
        self._sign_button = f.buttons.addButton(
            "Spara och si&gnera", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self._sign_button.setObjectName("save_and_sign")
        save = f.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setText("Spara &utkast")
        f.buttons.clicked.connect(self._remember_button)
        QShortcut(QKeySequence("Ctrl+S"), self, save.click)
        QShortcut(QKeySequence("Ctrl+Return"), self, self._sign_button.click)
        f.tobacco_all_never.clicked.connect(self._all_never)
        for signal in (
            f.kind.currentIndexChanged,
            f.exam_date.dateChanged,
            f.interval_months.valueChanged,
            f.bite_check.currentIndexChanged,
            f.referral_offered.currentIndexChanged,
        ):
            signal.connect(self._update)
        for name in INDEX_FIELDS:
            f.get(name).valueChanged.connect(self._update)
        for combo in self.tobacco_combos.values():
            combo.currentIndexChanged.connect(self._update)
        if existing is not None:
            self._fill(existing)
        self._set_tab_order()
        self._update()
        self.resize(1000, 720)
        f.exam_date.setFocus()

    # -- building ----------------------------------------------------------------------------
    def _add_factors(self, box: QGroupBox, factors: tuple[RiskFactor, ...]) -> None:
        layout = box.layout()
        assert isinstance(layout, QVBoxLayout)
        for factor in factors:
            check = QCheckBox(factor.label, box)
            check.setObjectName(f"factor_{factor.value}")
            layout.addWidget(check)
            self.factor_boxes[factor] = check

    def _add_tobacco_rows(self) -> None:
        box: QGroupBox = self.form.tobacco_box
        layout = box.layout()
        assert isinstance(layout, QFormLayout)
        for row, product in enumerate(TobaccoProduct, start=1):
            combo = QComboBox(box)
            combo.setObjectName(f"tobacco_{product.value}")
            combo.addItem(NOT_STATED, None)
            for status in TobaccoStatus:
                combo.addItem(status.label, status)
            layout.insertRow(row, product.label, combo)
            self.tobacco_combos[product] = combo

    def _set_tab_order(self) -> None:
        f = self.form
        chain: list[QWidget] = [f.exam_date, f.kind, f.risk_group, f.interval_months]
        chain += list(self.factor_boxes.values())
        chain += [f.get(name) for name in INDEX_FIELDS]
        chain += [f.bite_check, f.bite_findings, f.tobacco_all_never]
        chain += list(self.tobacco_combos.values())
        chain += [f.referral_offered, f.referral_answer, f.findings, f.treatment_plan, f.buttons]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _fill(self, exam: Exam) -> None:
        f = self.form
        f.exam_date.setDate(to_qdate(exam.exam_date))
        _select(f.kind, exam.kind)
        _select(f.risk_group, exam.risk_group)
        for factor, check in self.factor_boxes.items():
            check.setChecked(factor in exam.risk_factors)
        f.interval_months.setValue(exam.interval_months or 0)
        if exam.indices is not None:
            for name in INDEX_FIELDS:
                f.get(name).setValue(getattr(exam.indices, name))
        _select(f.bite_check, exam.bite_check)
        f.bite_findings.setText(exam.bite_findings)
        if exam.tobacco is not None:
            for product, status in exam.tobacco.statuses:
                _select(self.tobacco_combos[product], status)
            _select(f.referral_offered, exam.tobacco.referral_offered)
            _select(f.referral_answer, exam.tobacco.referral_answer)
        f.findings.setPlainText(exam.findings)
        f.treatment_plan.setPlainText(exam.treatment_plan)

    # -- live feedback -------------------------------------------------------------------------
    def _kind(self) -> ExamKind | None:
        kind = self.form.kind.currentData()
        return kind if isinstance(kind, ExamKind) else None

    def _update(self) -> None:
        f = self.form
        kind = self._kind()
        exam_date = from_qdate(f.exam_date.date())
        age = age_on(self._patient.birth_date, max(exam_date, self._patient.birth_date))
        revision = kind is not None and kind.is_revision
        rules = rules_on(self._ctx.store, exam_date)
        lines = requirements(kind, age, rules=rules) if kind else []
        f.requirements.setText(f"{age} år på undersökningsdagen. " + " ".join(lines))
        for widget in (f.risk_group, f.interval_months, f.caries_factors_box, f.perio_factors_box):
            widget.setEnabled(revision)
        f.indices_box.setEnabled(revision)
        f.treatment_plan.setEnabled(kind is not ExamKind.HEALTH_CHECK)
        dentist = kind in (ExamKind.DENTIST_REVISION, ExamKind.EMERGENCY)
        f.bite_box.setEnabled(dentist)
        f.bite_findings.setEnabled(dentist and f.bite_check.currentData() is BiteCheck.DEVIATION)
        f.next_due.setText(self._due_text(revision, exam_date, age))
        caries_free = self._indices().caries_free
        f.caries_free.setText("Ja" if caries_free else "Nej")
        in_use = any(
            isinstance(c.currentData(), TobaccoStatus) and c.currentData().is_use
            for c in self.tobacco_combos.values()
        )
        f.referral_offered.setEnabled(in_use)
        f.referral_answer.setEnabled(in_use and f.referral_offered.currentData() is True)

    def _due_text(self, revision: bool, exam_date: date, age: int) -> str:
        months = self.form.interval_months.value()
        if not revision:
            return "Räknas bara vid revisionsundersökning."
        if months == 0:
            return f"Ange intervall (högst {max_revision_interval_months(age)} månader)."
        try:
            due = next_revision_due(exam_date, months, self._patient.birth_date)
        except IntervalTooLong as exc:
            return f"<span style='color:#b00020'>{exc}</span>"
        return f"Senast {due.isoformat()}"

    def _all_never(self) -> None:
        for combo in self.tobacco_combos.values():
            _select(combo, TobaccoStatus.NEVER)

    # -- saving -------------------------------------------------------------------------------
    def _indices(self) -> CariesIndices:
        return CariesIndices(*(self.form.get(name).value() for name in INDEX_FIELDS))

    def _tobacco(self) -> TobaccoRecord | None:
        stated = [
            (product, combo.currentData())
            for product, combo in self.tobacco_combos.items()
            if isinstance(combo.currentData(), TobaccoStatus)
        ]
        if not stated:
            return None
        record = TobaccoRecord(tuple(stated))
        if not record.any_use:
            return record
        offered = self.form.referral_offered.currentData()
        answer = self.form.referral_answer.currentData() if offered else None
        return TobaccoRecord(record.statuses, offered, answer)

    def draft(self) -> ExamDraft:
        """What the form holds now, as the workflow takes it."""
        f = self.form
        kind = self._kind()
        if kind is None:
            raise ValidationError(
                [FieldError("kind", "Din yrkesroll journalför inga undersökningar.")]
            )
        revision = kind.is_revision
        months = f.interval_months.value()
        dentist = kind in (ExamKind.DENTIST_REVISION, ExamKind.EMERGENCY)
        bite = f.bite_check.currentData() if dentist else BiteCheck.NOT_DONE
        return ExamDraft(
            patient_id=self._patient.id,
            exam_date=from_qdate(f.exam_date.date()),
            kind=kind,
            risk_group=f.risk_group.currentData() if revision else None,
            risk_factors=frozenset(
                factor for factor, check in self.factor_boxes.items() if check.isChecked()
            )
            if revision
            else frozenset(),
            interval_months=(months or None) if revision else None,
            treatment_plan=f.treatment_plan.toPlainText()
            if kind is not ExamKind.HEALTH_CHECK
            else "",
            findings=f.findings.toPlainText(),
            indices=self._indices() if f.indices_box.isEnabled() else None,
            bite_check=bite,
            bite_findings=f.bite_findings.text() if bite is BiteCheck.DEVIATION else "",
            tobacco=self._tobacco(),
        )

    def _remember_button(self, button: QAbstractButton) -> None:
        self._sign_requested = button is self._sign_button

    def field_widgets(self) -> Mapping[str, QWidget]:
        f = self.form
        fields: dict[str, QWidget] = {
            name: f.get(name)
            for name in (
                "exam_date",
                "kind",
                "risk_group",
                "interval_months",
                "bite_check",
                "bite_findings",
                "referral_offered",
                "referral_answer",
                "findings",
                "treatment_plan",
                *INDEX_FIELDS,
            )
        }
        fields["indices"] = f.primary_dft
        fields["tobacco"] = f.tobacco_all_never
        return fields

    def submit(self) -> None:
        draft = self.draft()
        try:
            self.saved_exam_id = save_exam(
                self._ctx.store,
                self._ctx.user,
                draft,
                self._ctx.today(),
                sign=self._sign_requested,
                exam_id=self._existing.id if self._existing else None,
            )
        except RuleViolation as exc:
            raise ValidationError([FieldError("general", str(exc))]) from exc
        self.signed = self._sign_requested


def _select(combo: QComboBox, value: object) -> None:
    """Choose the item whose data is `value` (the '–' item for None)."""
    for index in range(combo.count()):
        if combo.itemData(index) == value:
            combo.setCurrentIndex(index)
            return
