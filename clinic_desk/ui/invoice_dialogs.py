"""Small invoice dialogs: register a payment, credit an invoice, invoicing settings."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from clinic_desk.domain.billing import format_kronor, parse_kronor
from clinic_desk.domain.errors import FieldError, RuleViolation, ValidationError
from clinic_desk.domain.invoice_settings import validate_invoice_settings
from clinic_desk.domain.invoicing import InvoiceRow
from clinic_desk.ui.context import AppContext
from clinic_desk.ui.form_dialog import FormDialog
from clinic_desk.ui.formatting import from_qdate, to_qdate
from clinic_desk.ui.forms import FormSpec
from clinic_desk.workflows.clinics import ImportRejected
from clinic_desk.workflows.invoice_settings import load_invoice_settings, save_invoice_settings
from clinic_desk.workflows.invoices import issue_credit_note, register_payment
from clinic_desk.workflows.price_lists import import_price_list

PAYMENT_SPEC = FormSpec(
    "payment_dialog.ui",
    {
        "intro": QLabel,
        "amount": QLineEdit,
        "paid_on": QDateEdit,
        "note": QLineEdit,
        "buttons": QDialogButtonBox,
    },
)
CREDIT_SPEC = FormSpec(
    "credit_dialog.ui",
    {
        "intro": QLabel,
        "full_credit": QCheckBox,
        "amount": QLineEdit,
        "reason": QLineEdit,
        "buttons": QDialogButtonBox,
    },
)
SETTINGS_SPEC = FormSpec(
    "invoice_settings_dialog.ui",
    {
        "unit_name": QLineEdit,
        "unit_address": QPlainTextEdit,
        "payment_days": QSpinBox,
        "reference_rate": QLineEdit,
        "rate_valid_from": QDateEdit,
        "collective_monthly": QCheckBox,
        "payment_qr": QCheckBox,
        "price_status": QLabel,
        "import_prices": QPushButton,
        "buttons": QDialogButtonBox,
    },
)


def _amount(text: str, field: str = "amount") -> int:
    try:
        return parse_kronor(text)
    except ValueError as exc:
        raise ValidationError([FieldError(field, str(exc))]) from exc


def _as_field_error(exc: RuleViolation) -> ValidationError:
    """A rule the action broke, shown in the dialog like a field message."""
    return ValidationError([FieldError("", str(exc))])


class PaymentDialog(FormDialog):
    """Register a full or partial payment received for an invoice."""

    SPEC = PAYMENT_SPEC

    def __init__(self, parent: QWidget | None, ctx: AppContext, row: InvoiceRow) -> None:
        super().__init__(parent, f"Betalning faktura {row.number}")
        self._ctx = ctx
        self._row = row
        self.form.intro.setText(
            f"Faktura {row.number} till {row.buyer_name}: {format_kronor(row.total_ore)}, "
            f"kvar att betala {format_kronor(row.balance_ore)}."
        )
        self.form.amount.setText(format_kronor(row.balance_ore).removesuffix("\u00a0kr"))
        self.form.paid_on.setDate(to_qdate(ctx.today()))

    def field_widgets(self) -> Mapping[str, QWidget]:
        return {"amount": self.form.amount, "paid_on": self.form.paid_on, "note": self.form.note}

    def submit(self) -> None:
        try:
            register_payment(
                self._ctx.store,
                self._ctx.user,
                self._row.id,
                _amount(self.form.amount.text()),
                from_qdate(self.form.paid_on.date()),
                self._ctx.today(),
                self.form.note.text(),
            )
        except RuleViolation as exc:
            raise _as_field_error(exc) from exc


class CreditDialog(FormDialog):
    """Issue a credit note for all that remains of an invoice, or a part of it."""

    SPEC = CREDIT_SPEC

    def __init__(self, parent: QWidget | None, ctx: AppContext, row: InvoiceRow) -> None:
        super().__init__(parent, f"Kreditera faktura {row.number}")
        self._ctx = ctx
        self._row = row
        self.credit_id: int | None = None
        remaining = row.total_ore + row.credited_ore
        self.form.intro.setText(
            f"Faktura {row.number} ändras aldrig: en kreditnota som hänvisar till den skapas, "
            f"arkiveras och ska skickas till {row.buyer_name}. Kan krediteras: "
            f"{format_kronor(remaining)}."
        )
        self.form.amount.setText(format_kronor(remaining).removesuffix("\u00a0kr"))
        self.form.full_credit.toggled.connect(lambda on: self.form.amount.setEnabled(not on))
        self.form.amount.setEnabled(False)

    def field_widgets(self) -> Mapping[str, QWidget]:
        return {"amount": self.form.amount, "reason": self.form.reason}

    def submit(self) -> None:
        amount = None if self.form.full_credit.isChecked() else _amount(self.form.amount.text())
        try:
            self.credit_id = issue_credit_note(
                self._ctx.store,
                self._ctx.user,
                self._row.id,
                self._ctx.today(),
                self.form.reason.text(),
                amount,
            )
        except RuleViolation as exc:
            raise _as_field_error(exc) from exc


class InvoiceSettingsDialog(FormDialog):
    """The commissioning unit's address, payment terms, reference rate, price list import."""

    SPEC = SETTINGS_SPEC

    def __init__(self, parent: QWidget | None, ctx: AppContext) -> None:
        super().__init__(parent, "Fakturainställningar")
        self._ctx = ctx
        f = self.form
        settings = load_invoice_settings(ctx.store)
        f.unit_name.setText(settings.commissioning_unit_name)
        f.unit_address.setPlainText("\n".join(settings.commissioning_unit_address))
        f.payment_days.setValue(settings.payment_days)
        rate = settings.reference_rate
        f.reference_rate.setText(str(rate.percent).replace(".", ",") if rate else "")
        f.rate_valid_from.setDate(to_qdate(rate.valid_from if rate else _half_year(ctx.today())))
        f.collective_monthly.setChecked(settings.collective_monthly)
        f.payment_qr.setChecked(settings.payment_qr)
        f.import_prices.clicked.connect(self._import)
        self._show_price_status()
        self.resize(560, self.sizeHint().height())

    def field_widgets(self) -> Mapping[str, QWidget]:
        f = self.form
        return {
            "unit_name": f.unit_name,
            "unit_address": f.unit_address,
            "payment_days": f.payment_days,
            "reference_rate": f.reference_rate,
            "rate_valid_from": f.rate_valid_from,
        }

    def _show_price_status(self) -> None:
        today = self._ctx.today()
        valid = self._ctx.store.price_lists.valid_on(today)
        self.form.price_status.setText(
            f"{len(valid)} åtgärder har pris i dag ({today.isoformat()})."
            if valid
            else "Ingen prislista är inläst: importera regionens prislista."
        )

    def _import(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, "Importera prislista", str(Path.home()), "CSV-filer (*.csv);;Alla filer (*)"
        )
        if name:
            self.import_file(Path(name))

    def import_file(self, path: Path) -> bool:
        """Import a price list file and say what happened; True when it was imported."""
        title = "Importera prislista"
        try:
            result = import_price_list(
                self._ctx.store, self._ctx.user, path.read_bytes(), path.name
            )
        except OSError as exc:
            QMessageBox.warning(self, title, f"Filen kunde inte läsas: {exc}")
            return False
        except RuleViolation as exc:
            QMessageBox.warning(self, title, str(exc))
            return False
        except ImportRejected as exc:
            QMessageBox.warning(
                self,
                "Inget importerades",
                "Filen har fel och ingenting importerades. Rätta raderna och försök igen.\n\n"
                + str(exc),
            )
            return False
        QMessageBox.information(
            self,
            title,
            f"{result.added} nya priser, {result.already_there} fanns redan, "
            f"{result.closed} äldre priser avslutade.",
        )
        self._show_price_status()
        return True

    def submit(self) -> None:
        f = self.form
        settings = validate_invoice_settings(
            unit_name=f.unit_name.text(),
            unit_address=f.unit_address.toPlainText(),
            payment_days=f.payment_days.value(),
            rate_text=f.reference_rate.text(),
            rate_valid_from=from_qdate(f.rate_valid_from.date()),
            collective_monthly=f.collective_monthly.isChecked(),
            payment_qr=f.payment_qr.isChecked(),
        )
        try:
            save_invoice_settings(self._ctx.store, self._ctx.user, settings)
        except RuleViolation as exc:
            raise _as_field_error(exc) from exc


def _half_year(today: date) -> date:
    """1 January or 1 July: when the Riksbank's reference rate changes."""
    return date(today.year, 1 if today.month < 7 else 7, 1)
