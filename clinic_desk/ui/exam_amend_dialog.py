"""A signed exam, read-only with its amendments, and the form to add a correction."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QLineEdit,
    QPlainTextEdit,
    QTextBrowser,
    QWidget,
)

from clinic_desk.documents.exam_journal import amendment_text, exam_lines
from clinic_desk.domain.errors import FieldError, RuleViolation, ValidationError
from clinic_desk.domain.exams import AmendField, Exam, RiskGroup, kinds_for
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.forms import FormSpec
from clinic_desk.workflows.exams import amend_exam

SPEC = FormSpec(
    "exam_amend_dialog.ui",
    {
        "exam_text": QTextBrowser,
        "field": QComboBox,
        "new_value": QPlainTextEdit,
        "reason": QLineEdit,
        "buttons": QDialogButtonBox,
    },
)


def exam_html(exam: Exam) -> str:
    """The exam as signed, then its amendments (who, when, why)."""
    rows = "".join(
        f"<tr><td valign='top'><b>{escape(label)}</b>&nbsp;&nbsp;</td>"
        f"<td>{escape(text).replace(chr(10), '<br>')}</td></tr>"
        for label, text in exam_lines(exam)
    )
    html = f"<h3>{exam.exam_date.isoformat()} {escape(exam.kind.label)}</h3><table>{rows}</table>"
    amendments = amendment_text(exam)
    if amendments:
        items = "".join(f"<li>{escape(line)}</li>" for line in amendments)
        html += f"<h4>Rättelser</h4><ul>{items}</ul>"
    return html


class ExamAmendDialog(FormDialog):
    """Shows a signed exam; Save adds an amendment (the original stays as it was)."""

    SPEC = SPEC

    def __init__(self, parent: QWidget | None, ctx: AppContext, exam: Exam) -> None:
        super().__init__(parent, "Signerad undersökning")
        self._ctx = ctx
        self._exam = exam
        self.saved_amendment_id: int | None = None
        f = self.form
        f.exam_text.setHtml(exam_html(exam))
        for amend_field in AmendField:
            if exam.kind.is_revision or amend_field not in (
                AmendField.RISK_GROUP,
                AmendField.INTERVAL_MONTHS,
            ):
                f.field.addItem(amend_field.label, amend_field)
        f.field.currentIndexChanged.connect(self._field_changed)
        may_amend = exam.kind in kinds_for(ctx.user.profession)
        for widget in (f.field, f.new_value, f.reason):
            widget.setEnabled(may_amend)
        f.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(may_amend)
        f.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Spara rättelse")
        if not may_amend:
            f.reason.setPlaceholderText("Bara samma yrkesgrupp som undersökaren kan rätta.")
        self._field_changed()
        self.resize(720, 620)

    def _field_changed(self) -> None:
        amend_field = self.form.field.currentData()
        hints = {
            AmendField.RISK_GROUP: " eller ".join(g.label for g in RiskGroup),
            AmendField.INTERVAL_MONTHS: "Antal månader",
            AmendField.NOTE: "Tillägg till journalanteckningen",
        }
        self.form.new_value.setPlaceholderText(hints.get(amend_field, "Rättad text"))

    def field_widgets(self) -> Mapping[str, QWidget]:
        return {"new_value": self.form.new_value, "reason": self.form.reason}

    def submit(self) -> None:
        try:
            self.saved_amendment_id = amend_exam(
                self._ctx.store,
                self._ctx.user,
                self._exam.id,
                self.form.field.currentData(),
                self.form.new_value.toPlainText(),
                self.form.reason.text(),
            )
        except RuleViolation as exc:
            raise ValidationError([FieldError("general", str(exc))]) from exc
