"""Settings of the appointment book and the recall letters."""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from datetime import date, datetime, time
from pathlib import Path

from PySide6.QtCore import QTime, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTimeEdit,
    QWidget,
)

from clinic_desk.documents.recall_letter import recall_letter_pdf
from clinic_desk.domain.calendar_days import WEEKDAYS_SV, DayHours, OpeningHours
from clinic_desk.domain.letters import Recipient
from clinic_desk.domain.recall_letters import LetterChild, RecallLetter, letter_text
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.forms import FormSpec
from clinic_desk.workflows.appointments import (
    DEFAULT_LATE_CANCEL_HOURS,
    LATE_CANCEL_HOURS_KEY,
    opening_hours,
)
from clinic_desk.workflows.no_shows import NoShowSettings, no_show_settings, save_routines
from clinic_desk.workflows.recall import lead_months
from clinic_desk.workflows.recall_letters import (
    TEMPLATES,
    default_template,
    save_template,
    template,
)

_TIMES = ("opens", "closes", "break_from", "break_to")
HOURS_SPEC = FormSpec(
    "opening_hours_dialog.ui",
    {
        **{f"open{i}": QCheckBox for i in range(7)},
        **{f"{name}{i}": QTimeEdit for i in range(7) for name in _TIMES},
        **{f"day{i}": QLabel for i in range(7)},
        "late_hours": QSpinBox,
        "lead_months": QSpinBox,
        "threshold": QSpinBox,
        "window_months": QSpinBox,
        "new_time_days": QSpinBox,
        "fee_kr": QSpinBox,
        "buttons": QDialogButtonBox,
    },
)
TEMPLATES_SPEC = FormSpec(
    "letter_templates_dialog.ui",
    {
        "template": QComboBox,
        "text": QPlainTextEdit,
        "preview": QPlainTextEdit,
        "restore": QPushButton,
        "show_preview": QPushButton,
        "show_pdf": QPushButton,
        "buttons": QDialogButtonBox,
    },
)
TEMPLATE_LABELS = {
    "recall_booked": "Kallelse med bokad tid",
    "recall_unbooked": "Kallelse utan tid",
}


def _qtime(value: time) -> QTime:
    return QTime(value.hour, value.minute)


class OpeningHoursDialog(FormDialog):
    """Opening hours and lunch per weekday, late cancellation and recall lead time."""

    SPEC = HOURS_SPEC

    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent, "Tidbok, kallelser och uteblivanden")
        self._ctx = ctx
        hours = opening_hours(ctx.store)
        for index, day in enumerate(hours.days):
            self.form.get(f"day{index}").setText(WEEKDAYS_SV[index].capitalize())
            box: QCheckBox = self.form.get(f"open{index}")
            box.toggled.connect(lambda on, i=index: self._enable(i, on))
            shown = day or DayHours(time(8), time(17), ((time(12), time(13)),))
            self.form.get(f"opens{index}").setTime(_qtime(shown.opens))
            self.form.get(f"closes{index}").setTime(_qtime(shown.closes))
            lunch = shown.breaks[0] if shown.breaks else (time(12), time(12))
            self.form.get(f"break_from{index}").setTime(_qtime(lunch[0]))
            self.form.get(f"break_to{index}").setTime(_qtime(lunch[1]))
            box.setChecked(day is not None)
            self._enable(index, day is not None)
        self.form.late_hours.setRange(0, 168)
        self.form.late_hours.setValue(
            int(ctx.store.settings.get(LATE_CANCEL_HOURS_KEY, DEFAULT_LATE_CANCEL_HOURS))
        )
        self.form.lead_months.setRange(0, 6)
        self.form.lead_months.setValue(lead_months(ctx.store))
        current = no_show_settings(ctx.store)
        for name, low, high, value in (
            ("threshold", 1, 10, current.threshold),
            ("window_months", 1, 36, current.window_months),
            ("new_time_days", 1, 180, current.new_time_days),
            ("fee_kr", 0, 2000, current.fee_ore // 100),
        ):
            spin: QSpinBox = self.form.get(name)
            spin.setRange(low, high)
            spin.setValue(value)

    def _enable(self, index: int, on: bool) -> None:
        for name in _TIMES:
            self.form.get(f"{name}{index}").setEnabled(on)

    def field_widgets(self) -> Mapping[str, QWidget]:
        fields: dict[str, QWidget] = {f"day{i}": self.form.get(f"closes{i}") for i in range(7)}
        fields.update(late_hours=self.form.late_hours, lead_months=self.form.lead_months)
        fields.update(
            {
                name: self.form.get(name)
                for name in ("threshold", "window_months", "new_time_days", "fee_kr")
            }
        )
        return fields

    def hours(self) -> OpeningHours:
        """The week as the form holds it (a rast of zero length means no break)."""
        days: list[DayHours | None] = []
        for i in range(7):
            if not self.form.get(f"open{i}").isChecked():
                days.append(None)
                continue
            value = {name: self.form.get(f"{name}{i}").time().toPython() for name in _TIMES}
            breaks = (
                ((value["break_from"], value["break_to"]),)
                if (value["break_to"] > value["break_from"])
                else ()
            )
            days.append(DayHours(value["opens"], value["closes"], breaks))
        return OpeningHours(tuple(days))

    def submit(self) -> None:
        save_routines(
            self._ctx.store,
            self._ctx.user,
            self.hours(),
            self.form.late_hours.value(),
            self.form.lead_months.value(),
            NoShowSettings(
                self.form.threshold.value(),
                self.form.window_months.value(),
                self.form.new_time_days.value(),
                self.form.fee_kr.value() * 100,
            ),
        )


class LetterTemplatesDialog(FormDialog):
    """Edit the recall letter texts, with an example filled in beside them."""

    SPEC = TEMPLATES_SPEC

    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent, "Brevmallar")
        self._ctx = ctx
        self._texts = {name: template(ctx.store, name) for name in TEMPLATES}
        for name in TEMPLATES:
            self.form.template.addItem(TEMPLATE_LABELS[name], name)
        self._current = TEMPLATES[0]
        self.form.text.setPlainText(self._texts[self._current])
        self.form.template.currentIndexChanged.connect(self._switch)
        self.form.restore.clicked.connect(
            lambda: self.form.text.setPlainText(default_template(self._current))
        )
        self.form.show_preview.clicked.connect(self.update_preview)
        self.form.show_pdf.clicked.connect(self.show_pdf)
        self.form.text.textChanged.connect(self.update_preview)
        self.update_preview()
        self.resize(900, 520)

    def _switch(self) -> None:
        self._texts[self._current] = self.form.text.toPlainText()
        self._current = self.form.template.currentData()
        self.form.text.setPlainText(self._texts[self._current])

    def _sample(self) -> RecallLetter:
        """A made-up family for the examples."""
        booked = self._current == "recall_booked"
        when = datetime.combine(date(2027, 3, 2), time(9, 0)) if booked else None
        return RecallLetter(
            Recipient("Anna Exempelsson", "Storgatan 1", "903 25", "Umeå"),
            (LetterChild(1, "Märta Exempelsson", when, "Karin Holm" if booked else ""),),
        )

    def update_preview(self) -> None:
        """The letter as a family would read it, with made-up names."""
        clinic = self._ctx.store.clinics.own()
        self.form.preview.setPlainText(
            letter_text(
                self.form.text.toPlainText(),
                self._sample(),
                clinic.name if clinic else "Kliniken",
                clinic.phone if clinic else "",
            )
        )

    def show_pdf(self) -> Path | None:
        """The example letter rendered as the real PDF (letterhead, window address), opened
        in the PC's PDF reader; only made-up names are in it. None when it cannot be made."""
        clinic = self._ctx.store.clinics.own()
        if clinic is None:
            QMessageBox.information(
                self, "Brevmallar", "Lägg in den egna kliniken först: den står i brevhuvudet."
            )
            return None
        content = recall_letter_pdf(
            clinic, self._sample(), self.form.text.toPlainText(), self._ctx.today()
        )
        path = Path(tempfile.mkdtemp(prefix="clinic-desk-exempel-")) / "exempelbrev.pdf"
        path.write_bytes(content)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
        return path

    def field_widgets(self) -> Mapping[str, QWidget]:
        return {"template": self.form.text}

    def submit(self) -> None:
        self._texts[self._current] = self.form.text.toPlainText()
        for name, text in self._texts.items():
            if text.strip() == default_template(name).strip():
                text = ""  # the shipped text: store nothing, so updates to it reach the clinic
            save_template(self._ctx.store, self._ctx.user, name, text)
