"""Invoice arithmetic and formats: OCR references, kronor text, late interest, bankgiro.

Money is integer öre everywhere (RULES.md §9); kronor appear only in text shown or printed.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, localcontext
from types import ModuleType

__all__ = [
    "DEFAULT_PAYMENT_DAYS",
    "LATE_INTEREST_MARGIN_PERCENT",
    "OCR_MAX_LENGTH",
    "due_date",
    "format_kronor",
    "is_valid_ocr",
    "late_interest_ore",
    "ocr_reference",
    "parse_kronor",
    "validate_bankgiro",
]


def _luhn() -> ModuleType:
    """python-stdnum's Luhn module, imported on first use (it is slow to import)."""
    from stdnum import luhn

    return luhn


DEFAULT_PAYMENT_DAYS = 30
# Räntelagen §6: the Riksbank reference rate plus eight percentage points.
LATE_INTEREST_MARGIN_PERCENT = Decimal(8)
# Bankgirot accepts OCR references of at most 25 digits, check digits included.
OCR_MAX_LENGTH = 25

_NBSP = "\u00a0"
_ASCII_DIGITS = re.compile(r"[0-9]+")
# Spaces people paste between digit groups: plain, no-break, narrow no-break, thin.
_SPACES = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " "})
_KRONOR = re.compile(
    r"""
    (?P<sign>[-−+])?
    (?P<whole>[0-9]{1,3}(?:\ [0-9]{3})+|[0-9]+)   # 1 234 567 or 1234567
    (?:
        [.,](?P<fraction>[0-9]{1,2})              # ,50  .5
      | [:,]-                                     # 150:-  150,-
    )?
    (?:\ ?(?:kr\.?|sek))?                         # optional currency
    """,
    re.IGNORECASE | re.VERBOSE,
)
_BANKGIRO = re.compile(r"([0-9]{3,4})-?([0-9]{4})")


def ocr_reference(base: str, length_digit: bool = True) -> str:
    """An OCR reference for `base` (ASCII digits): base + optional length digit + Luhn check
    digit. 12345 -> "1234574" (with length digit), "123455" (without)."""
    if not base:
        raise ValueError("Underlaget för OCR-numret är tomt.")
    if not _ASCII_DIGITS.fullmatch(base):
        raise ValueError("Underlaget för OCR-numret får bara innehålla siffrorna 0–9.")
    body = (base + str((len(base) + 2) % 10)) if length_digit else base
    total = len(body) + 1
    if total > OCR_MAX_LENGTH:
        raise ValueError(
            f"OCR-numret skulle bli {total} siffror långt; högst {OCR_MAX_LENGTH} är tillåtet."
        )
    return body + str(_luhn().calc_check_digit(body))


def is_valid_ocr(reference: str, length_digit: bool = True) -> bool:
    """True if `reference` is a well-formed OCR reference (length digit if asked, Luhn check
    digit, 2-25 ASCII digits); never raises."""
    if not isinstance(reference, str) or not _ASCII_DIGITS.fullmatch(reference):
        return False
    min_length = 3 if length_digit else 2
    if not min_length <= len(reference) <= OCR_MAX_LENGTH:
        return False
    # The length digit counts every digit of the reference, both check digits included.
    if length_digit and reference[-2] != str(len(reference) % 10):
        return False
    return bool(_luhn().is_valid(reference))


def format_kronor(ore: int) -> str:
    """Öre as Swedish kronor text: 123450 -> "1 234,50 kr" (no-break spaces), -5 -> "-0,05 kr".

    Negatives use the ASCII hyphen-minus, not U+2212: the standard PDF fonts used for
    invoices cannot show U+2212, and a hyphen survives copying into bank and office programs.
    """
    sign = "-" if ore < 0 else ""
    kronor, rest = divmod(abs(ore), 100)
    whole = f"{kronor:,}".replace(",", _NBSP)
    return f"{sign}{whole},{rest:02d}{_NBSP}kr"


def parse_kronor(text: str) -> int:
    """Kronor text as öre: accepts "1 234,50", "1234.50", "1234", "1 234,50 kr", "150:-" and a
    leading minus; more than two decimals or mixed separators are refused (ValueError)."""
    cleaned = text.translate(_SPACES).strip()
    if not cleaned:
        raise ValueError("Ange ett belopp, till exempel 1 234,50.")
    match = _KRONOR.fullmatch(cleaned)
    if match is None:
        raise ValueError(
            f"Kan inte tolka beloppet ”{text.strip()}”. "
            "Skriv kronor med högst två decimaler, till exempel 1 234,50."
        )
    whole = int(match["whole"].replace(" ", ""))
    fraction = match["fraction"] or "0"
    ore = whole * 100 + int(fraction.ljust(2, "0"))
    return -ore if match["sign"] in ("-", "−") else ore


def late_interest_ore(
    amount_ore: int, days_late: int, reference_rate_percent: float | Decimal
) -> int:
    """Late-payment interest in öre: simple interest at the reference rate + 8 percentage
    points, actual/365, rounded half-up to whole öre; 0 when not late."""
    if amount_ore < 0:
        raise ValueError("Dröjsmålsränta kan inte räknas på ett negativt belopp.")
    if days_late <= 0:
        return 0
    reference = _exact_decimal(reference_rate_percent)
    yearly_percent = reference + LATE_INTEREST_MARGIN_PERCENT
    if yearly_percent <= 0:
        return 0
    with localcontext() as ctx:
        # Enough precision that the numerator is exact and the half-up rounding is honest.
        ctx.prec = 60
        interest = Decimal(amount_ore) * yearly_percent * days_late / Decimal(100 * 365)
        return int(interest.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def due_date(issue_date: date, days: int = DEFAULT_PAYMENT_DAYS) -> date:
    """The date an invoice issued on `issue_date` falls due, `days` calendar days later."""
    if days < 0:
        raise ValueError("Betalningsvillkoret kan inte vara ett negativt antal dagar.")
    return issue_date + timedelta(days=days)


def validate_bankgiro(text: str) -> str:
    """Check a bankgiro number (7 or 8 digits, Luhn check digit) and return it formatted as
    "NNN-NNNN" or "NNNN-NNNN"; ValueError with a Swedish message otherwise."""
    compact = text.translate(_SPACES).replace(" ", "")
    if not compact:
        raise ValueError("Ange ett bankgironummer, till exempel 5050-1055.")
    match = _BANKGIRO.fullmatch(compact)
    if match is None:
        raise ValueError(
            "Ett bankgironummer har 7 eller 8 siffror, till exempel 991-2346 eller 5050-1055."
        )
    head, tail = match[1], match[2]
    if not _luhn().is_valid(head + tail):
        raise ValueError("Bankgironumret är fel: kontrollsiffran stämmer inte. Kontrollera numret.")
    return f"{head}-{tail}"


def _exact_decimal(value: float | Decimal) -> Decimal:
    """`value` as a Decimal, floats by their shortest repr (2.25 -> Decimal("2.25"))."""
    result = value if isinstance(value, Decimal) else Decimal(repr(float(value)))
    if not result.is_finite():
        raise ValueError("Referensräntan måste vara ett ändligt tal.")
    return result
