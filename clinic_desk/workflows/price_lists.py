"""Importing a price list from CSV: all rows or none."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from importlib.resources import files

from clinic_desk.domain.billing import format_kronor
from clinic_desk.domain.people import User
from clinic_desk.domain.permissions import Permission, requires
from clinic_desk.domain.price_list import PriceItem, parse_price_list
from clinic_desk.store.store import Store
from clinic_desk.workflows.clinics import ImportProblem, ImportRejected, decode_csv_bytes

SAMPLE_PRICE_LIST = "sample-price-list.csv"


@dataclass(frozen=True)
class PriceImportResult:
    """What an import did."""

    added: int
    already_there: int
    closed: int


def sample_price_list_bytes() -> bytes:
    """The sample price list shipped in resources/ (sample prices, not the region's list)."""
    return (files("clinic_desk.resources") / SAMPLE_PRICE_LIST).read_bytes()


@requires(Permission.EDIT_CLINIC_SETTINGS)
def import_price_list(
    store: Store, actor: User, data: bytes, file_name: str = ""
) -> PriceImportResult:
    """Import a price list file. A newer price of a code ends the open-ended older one the day
    before; a row that is already stored is skipped. Any bad row: ImportRejected naming every
    bad row, and nothing is imported."""
    items, problems = parse_price_list(decode_csv_bytes(data))
    found = [ImportProblem(p.line, p.message) for p in problems]
    if found:
        raise ImportRejected(found)
    lines = {id(item): index for index, item in enumerate(items)}
    with store.transaction():
        added = already = closed = 0
        plan: list[PriceItem] = []
        conflicts: list[ImportProblem] = []
        for item in items:
            stored = store.price_lists.for_code(item.code)
            if any(s.item == item for s in stored):
                already += 1
                continue
            for s in stored:
                open_older = s.item.valid_to is None and s.item.valid_from < item.valid_from
                if s.item.overlaps(item) and not open_older:
                    conflicts.append(
                        ImportProblem(
                            _line_of(data, lines[id(item)]),
                            f"Koden {item.code} har redan ett annat pris från "
                            f"{s.item.valid_from.isoformat()} ({format_kronor(s.item.price_ore)}).",
                        )
                    )
            plan.append(item)
        if conflicts:
            raise ImportRejected(conflicts)
        import_id = store.price_lists.add_import(
            file_name, hashlib.sha256(data).hexdigest(), len(plan), actor.id
        )
        for item in plan:
            for s in store.price_lists.for_code(item.code):
                if s.item.valid_to is None and s.item.valid_from < item.valid_from:
                    store.price_lists.close(s.id, item.valid_from - timedelta(days=1), actor.id)
                    closed += 1
            store.price_lists.insert(item, import_id, actor.id)
            added += 1
        store.audit.append(
            actor.id,
            "price_list.import",
            entity="price_list_import",
            entity_id=import_id,
            detail={"file": file_name, "added": added, "already": already, "closed": closed},
        )
    return PriceImportResult(added, already, closed)


def _line_of(data: bytes, index: int) -> int:
    """The file line of the index-th data row (for messages about stored conflicts)."""
    rows = [
        number
        for number, line in enumerate(decode_csv_bytes(data).splitlines(), start=1)
        if line.strip() and not line.lstrip().startswith("#")
    ]
    # rows[0] is the header
    return rows[index + 1] if index + 1 < len(rows) else 0
