"""Price lists: the imported prices per treatment code and period."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from clinic_desk.domain.price_list import PriceItem
from clinic_desk.store.rows import req_date, to_date

_COLUMNS = "id, code, name, price_ore, valid_from, valid_to"


@dataclass(frozen=True)
class StoredPriceItem:
    """A price list row with its id."""

    id: int
    item: PriceItem


def _stored(row: tuple[object, ...]) -> StoredPriceItem:
    return StoredPriceItem(
        int(str(row[0])),
        PriceItem(
            code=str(row[1]),
            name=str(row[2]),
            price_ore=int(str(row[3])),
            valid_from=req_date(row[4]),
            valid_to=to_date(row[5]),
        ),
    )


class PriceListRepository:
    """SQL for price_list_items and price_list_imports."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def _stamp(self) -> str:
        return self._now().isoformat(timespec="seconds")

    def add_import(self, file_name: str, sha256: str, item_count: int, user_id: int) -> int:
        """Record that a file was imported; returns the import id."""
        cursor = self._conn.execute(
            "INSERT INTO price_list_imports (file_name, sha256, item_count, created_at,"
            " created_by) VALUES (?,?,?,?,?)",
            (file_name, sha256, item_count, self._stamp(), user_id),
        )
        return int(cursor.lastrowid or 0)

    def insert(self, item: PriceItem, import_id: int | None, user_id: int) -> int:
        """Store one price; returns its id."""
        stamp = self._stamp()
        cursor = self._conn.execute(
            "INSERT INTO price_list_items (code, name, price_ore, valid_from, valid_to,"
            " import_id, created_at, created_by, updated_at, updated_by)"
            " VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                item.code,
                item.name,
                item.price_ore,
                item.valid_from.isoformat(),
                item.valid_to.isoformat() if item.valid_to else None,
                import_id,
                stamp,
                user_id,
                stamp,
                user_id,
            ),
        )
        return int(cursor.lastrowid or 0)

    def close(self, item_id: int, valid_to: date, user_id: int) -> None:
        """End an open-ended price the day before a newer one starts."""
        self._conn.execute(
            "UPDATE price_list_items SET valid_to=?, updated_at=?, updated_by=? WHERE id=?",
            (valid_to.isoformat(), self._stamp(), user_id, item_id),
        )

    def for_code(self, code: str) -> list[StoredPriceItem]:
        """Every price of one code, oldest first."""
        return [
            _stored(r)
            for r in self._conn.execute(
                f"SELECT {_COLUMNS} FROM price_list_items WHERE code=? ORDER BY valid_from",
                (code,),
            )
        ]

    def price_on(self, code: str, day: date) -> PriceItem | None:
        """The price of `code` valid on `day`."""
        iso = day.isoformat()
        row = self._conn.execute(
            f"SELECT {_COLUMNS} FROM price_list_items WHERE code=? AND valid_from<=?"
            " AND (valid_to IS NULL OR valid_to>=?) ORDER BY valid_from DESC LIMIT 1",
            (code, iso, iso),
        ).fetchone()
        return _stored(row).item if row else None

    def valid_on(self, day: date) -> list[PriceItem]:
        """The whole price list as it stands on `day`, by code."""
        iso = day.isoformat()
        return [
            _stored(r).item
            for r in self._conn.execute(
                f"SELECT {_COLUMNS} FROM price_list_items WHERE valid_from<=?"
                " AND (valid_to IS NULL OR valid_to>=?) ORDER BY code",
                (iso, iso),
            )
        ]

    def count(self) -> int:
        """How many price rows there are in all periods."""
        return int(self._conn.execute("SELECT count(*) FROM price_list_items").fetchone()[0])
