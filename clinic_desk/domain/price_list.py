"""Price lists: TLV-coded treatments with prices in öre and validity dates (RULES.md §5).

A price list is data, never code: it is imported from a CSV file, and the price that applies
is the one valid on the treatment date. A file with any bad row is refused whole.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from clinic_desk.domain.billing import parse_kronor

__all__ = [
    "CSV_HEADER",
    "PriceItem",
    "PriceRowProblem",
    "parse_price_list",
    "price_on",
]

CSV_HEADER = ("code", "name", "price_kr", "valid_from", "valid_to")
# TLV åtgärdskoder are three digits (101, 301, 521, ...); a few regional codes have four.
_CODE = re.compile(r"[0-9]{3,4}")


@dataclass(frozen=True)
class PriceItem:
    """The price of one treatment code for a period (valid_to inclusive; None = open)."""

    code: str
    name: str
    price_ore: int
    valid_from: date
    valid_to: date | None = None

    def covers(self, day: date) -> bool:
        """True when this price applies on `day`."""
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    def overlaps(self, other: PriceItem) -> bool:
        """True when the two periods share a day."""
        self_end = self.valid_to or date.max
        other_end = other.valid_to or date.max
        return self.valid_from <= other_end and other.valid_from <= self_end


@dataclass(frozen=True)
class PriceRowProblem:
    """One bad row of a price list file: its line number in the file and what is wrong."""

    line: int
    message: str


def _parse_date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{what} ”{text.strip()}” är inget datum (ÅÅÅÅ-MM-DD).") from None


def _parse_row(cells: list[str]) -> PriceItem:
    """One data row; ValueError with every problem of the row joined."""
    if len(cells) != len(CSV_HEADER):
        raise ValueError(
            f"Raden har {len(cells)} kolumner, ska ha {len(CSV_HEADER)} ({';'.join(CSV_HEADER)})."
        )
    code, name, price_text, from_text, to_text = (cell.strip() for cell in cells)
    problems: list[str] = []
    if not _CODE.fullmatch(code):
        problems.append(f"Åtgärdskoden ”{code}” ska vara tre eller fyra siffror.")
    if not name:
        problems.append("Benämning saknas.")
    price = 0
    try:
        price = parse_kronor(price_text)
        if price < 0:
            problems.append("Priset kan inte vara negativt.")
    except ValueError as exc:
        problems.append(str(exc))
    valid_from = date.min
    valid_to: date | None = None
    try:
        valid_from = _parse_date(from_text, "Giltig från")
    except ValueError as exc:
        problems.append(str(exc))
    if to_text:
        try:
            valid_to = _parse_date(to_text, "Giltig till")
        except ValueError as exc:
            problems.append(str(exc))
    if valid_to is not None and valid_from != date.min and valid_to < valid_from:
        problems.append("Giltig till ligger före giltig från.")
    if problems:
        raise ValueError(" ".join(problems))
    return PriceItem(code, name, price, valid_from, valid_to)


def _csv_rows(reader: Any, problems: list[PriceRowProblem]) -> Iterator[list[str]]:
    """The reader's rows; a row the csv module cannot read ends the file with a problem."""
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            problems.append(PriceRowProblem(reader.line_num + 1, f"Fel i CSV-filen ({exc})."))
            return
        yield cells


def parse_price_list(text: str) -> tuple[list[PriceItem], list[PriceRowProblem]]:
    """Read a price list CSV (semicolon-separated, header `code;name;price_kr;valid_from;
    valid_to`, lines starting with # are comments). Returns the items and every bad row."""
    items: list[PriceItem] = []
    lines_of: list[int] = []
    problems: list[PriceRowProblem] = []
    header_seen = False
    # newline="": a lone CR is a line break to the csv module, not a csv.Error.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    for cells in _csv_rows(reader, problems):
        line = reader.line_num
        if not cells or all(not c.strip() for c in cells) or cells[0].lstrip().startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            if tuple(c.strip().lower() for c in cells) != CSV_HEADER:
                problems.append(
                    PriceRowProblem(
                        line, f"Första raden ska vara rubrikraden {';'.join(CSV_HEADER)}."
                    )
                )
            continue
        try:
            item = _parse_row(cells)
        except ValueError as exc:
            problems.append(PriceRowProblem(line, str(exc)))
            continue
        for earlier, earlier_line in zip(items, lines_of, strict=True):
            if earlier.code == item.code and earlier.overlaps(item):
                problems.append(
                    PriceRowProblem(
                        line,
                        f"Koden {item.code} har redan ett pris för samma period "
                        f"(rad {earlier_line}).",
                    )
                )
                break
        else:
            items.append(item)
            lines_of.append(line)
    if not header_seen:
        problems.append(PriceRowProblem(1, "Filen är tom: ingen rubrikrad och inga priser."))
    elif not items and not problems:
        problems.append(PriceRowProblem(1, "Filen har inga prisrader."))
    return items, problems


def price_on(items: Iterable[PriceItem], code: str, day: date) -> PriceItem | None:
    """The price of `code` valid on `day` (the latest-starting one if periods touch)."""
    valid = [item for item in items if item.code == code and item.covers(day)]
    return max(valid, key=lambda item: item.valid_from, default=None)
