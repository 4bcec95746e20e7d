"""Invoices and credit notes (never changed), their payments and reminders.

The invoice list is filtered and sorted in SQL; an invoice's status is computed by the same
rules as clinic_desk.domain.invoicing.invoice_status (a test keeps the two in step).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from clinic_desk.domain.emergency import PayerKind
from clinic_desk.domain.invoicing import (
    Invoice,
    InvoiceFilter,
    InvoiceKind,
    InvoiceLine,
    InvoiceRow,
    InvoiceStatus,
    Payment,
    Reminder,
)
from clinic_desk.store.rows import req_date, to_date

_INVOICE_COLUMNS = (
    "i.id, i.number, i.kind, i.payer_kind, i.buyer_clinic_id, i.buyer_name, i.buyer_address,"
    " i.issue_date, i.due_date, i.ocr, i.total_ore, i.patient_reference, i.service_text,"
    " i.credits_invoice_id, c.number, i.reason, i.created_at, i.created_by"
)

# The list's rows: totals of credits, payments and reminders per invoice, and the status.
_LIST = """
WITH sums AS (
    SELECT i.id, i.number, i.kind, i.issue_date, i.due_date, i.buyer_name, i.payer_kind,
           i.buyer_clinic_id, i.patient_reference, i.total_ore,
           coalesce((SELECT sum(c.total_ore) FROM invoices c
                     WHERE c.credits_invoice_id = i.id), 0) AS credited_ore,
           coalesce((SELECT sum(p.amount_ore) FROM invoice_payments p
                     WHERE p.invoice_id = i.id), 0) AS paid_ore,
           (SELECT count(*) FROM invoice_reminders r WHERE r.invoice_id = i.id) AS reminders
    FROM invoices i
), listed AS (
    SELECT sums.*,
           CASE WHEN kind = 'credit' THEN 'credit_note'
                WHEN total_ore + credited_ore <= 0 THEN 'credited'
                WHEN paid_ore >= total_ore + credited_ore THEN 'paid'
                WHEN due_date < :today THEN 'overdue'
                WHEN paid_ore > 0 THEN 'partly_paid'
                ELSE 'unpaid' END AS status,
           CASE WHEN kind = 'credit' THEN 0
                ELSE max(0, total_ore + credited_ore - paid_ore) END AS balance_ore
    FROM sums
)
"""

SORT_COLUMNS = {
    "number": "number {d}",
    "issue_date": "issue_date {d}, number {d}",
    "due_date": "due_date {d}, number {d}",
    "buyer": "buyer_name {d}, number {d}",
    "patient": "patient_reference {d}, number {d}",
    "total": "total_ore {d}, number {d}",
    "balance": "balance_ore {d}, number {d}",
    "status": "status {d}, number {d}",
}


@dataclass(frozen=True)
class NewInvoice:
    """An invoice or credit note about to be issued (the number is taken on insert)."""

    kind: InvoiceKind
    payer_kind: PayerKind
    buyer_clinic_id: int | None
    buyer_name: str
    buyer_address: tuple[str, ...]
    issue_date: date
    due_date: date
    total_ore: int
    patient_reference: str
    service_text: str
    lines: tuple[InvoiceLine, ...]
    credits_invoice_id: int | None = None
    reason: str = ""


def _invoice(row: tuple[object, ...], lines: tuple[InvoiceLine, ...]) -> Invoice:
    return Invoice(
        id=int(str(row[0])),
        number=int(str(row[1])),
        kind=InvoiceKind(str(row[2])),
        payer_kind=PayerKind(str(row[3])),
        buyer_clinic_id=int(str(row[4])) if row[4] is not None else None,
        buyer_name=str(row[5]),
        buyer_address=tuple(x for x in str(row[6]).split("\n") if x),
        issue_date=req_date(row[7]),
        due_date=req_date(row[8]),
        ocr=str(row[9]),
        total_ore=int(str(row[10])),
        patient_reference=str(row[11]),
        service_text=str(row[12]),
        lines=lines,
        credits_invoice_id=int(str(row[13])) if row[13] is not None else None,
        credits_number=int(str(row[14])) if row[14] is not None else None,
        reason=str(row[15]),
        created_at=str(row[16]),
        created_by=int(str(row[17])),
    )


def _row(r: tuple[object, ...]) -> InvoiceRow:
    return InvoiceRow(
        id=int(str(r[0])),
        number=int(str(r[1])),
        kind=InvoiceKind(str(r[2])),
        issue_date=req_date(r[3]),
        due_date=req_date(r[4]),
        buyer_name=str(r[5]),
        payer_kind=PayerKind(str(r[6])),
        patient_reference=str(r[7]),
        total_ore=int(str(r[8])),
        credited_ore=int(str(r[9])),
        paid_ore=int(str(r[10])),
        reminders=int(str(r[11])),
        status=InvoiceStatus(str(r[12])),
    )


_ROW_COLUMNS = (
    "id, number, kind, issue_date, due_date, buyer_name, payer_kind, patient_reference,"
    " total_ore, credited_ore, paid_ore, reminders, status"
)


class InvoiceRepository:
    """SQL for invoices, invoice_lines, invoice_payments, invoice_reminders."""

    def __init__(self, conn: sqlite3.Connection, now: Callable[[], datetime]) -> None:
        self._conn = conn
        self._now = now

    def _stamp(self) -> str:
        return self._now().isoformat(timespec="seconds")

    # -- issuing ---------------------------------------------------------------------------
    def take_number(self) -> int:
        """The next invoice number. Call it inside the transaction that inserts the invoice:
        a rollback (or a crash) gives the number back, so the series has no gaps."""
        if not self._conn.in_transaction:
            raise RuntimeError("invoice numbers are taken inside the invoice's transaction")
        row = self._conn.execute(
            "UPDATE invoice_counter SET last_number = last_number + 1 WHERE id = 1"
            " RETURNING last_number"
        ).fetchone()
        return int(row[0])

    def insert(self, invoice: NewInvoice, number: int, ocr: str, user_id: int) -> int:
        """Store an issued invoice and its lines; returns its id."""
        cursor = self._conn.execute(
            "INSERT INTO invoices (number, kind, credits_invoice_id, payer_kind, buyer_clinic_id,"
            " buyer_name, buyer_address, issue_date, due_date, ocr, total_ore, patient_reference,"
            " service_text, reason, created_at, created_by)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                number,
                invoice.kind.value,
                invoice.credits_invoice_id,
                invoice.payer_kind.value,
                invoice.buyer_clinic_id,
                invoice.buyer_name,
                "\n".join(invoice.buyer_address),
                invoice.issue_date.isoformat(),
                invoice.due_date.isoformat(),
                ocr,
                invoice.total_ore,
                invoice.patient_reference,
                invoice.service_text,
                invoice.reason,
                self._stamp(),
                user_id,
            ),
        )
        invoice_id = int(cursor.lastrowid or 0)
        self._conn.executemany(
            "INSERT INTO invoice_lines (invoice_id, line_no, visit_id, treatment_date, code,"
            " description, tooth, amount_ore) VALUES (?,?,?,?,?,?,?,?)",
            [
                (
                    invoice_id,
                    line.line_no,
                    line.visit_id,
                    line.treatment_date.isoformat() if line.treatment_date else None,
                    line.code,
                    line.description,
                    line.tooth,
                    line.amount_ore,
                )
                for line in invoice.lines
            ],
        )
        return invoice_id

    # -- reading one -----------------------------------------------------------------------
    def _lines(self, invoice_id: int) -> tuple[InvoiceLine, ...]:
        return tuple(
            InvoiceLine(
                line_no=int(r[0]),
                visit_id=int(r[1]) if r[1] is not None else None,
                treatment_date=to_date(r[2]),
                code=str(r[3]),
                description=str(r[4]),
                tooth=str(r[5]),
                amount_ore=int(r[6]),
            )
            for r in self._conn.execute(
                "SELECT line_no, visit_id, treatment_date, code, description, tooth, amount_ore"
                " FROM invoice_lines WHERE invoice_id=? ORDER BY line_no",
                (invoice_id,),
            )
        )

    def get(self, invoice_id: int) -> Invoice | None:
        """One invoice or credit note with its lines."""
        row = self._conn.execute(
            f"SELECT {_INVOICE_COLUMNS} FROM invoices i"
            " LEFT JOIN invoices c ON c.id = i.credits_invoice_id WHERE i.id=?",
            (invoice_id,),
        ).fetchone()
        return _invoice(row, self._lines(invoice_id)) if row else None

    def row(self, invoice_id: int, today: date) -> InvoiceRow | None:
        """The list row of one invoice: its sums and status on `today`."""
        found = self._conn.execute(
            f"{_LIST} SELECT {_ROW_COLUMNS} FROM listed WHERE id = :id",
            {"today": today.isoformat(), "id": invoice_id},
        ).fetchone()
        return _row(found) if found else None

    def credit_notes_of(self, invoice_id: int) -> list[Invoice]:
        """The credit notes that refer to an invoice, oldest first."""
        ids = [
            int(r[0])
            for r in self._conn.execute(
                "SELECT id FROM invoices WHERE credits_invoice_id=? ORDER BY number", (invoice_id,)
            )
        ]
        return [found for found in (self.get(i) for i in ids) if found is not None]

    # -- the list --------------------------------------------------------------------------
    @staticmethod
    def _where(query: InvoiceFilter) -> tuple[str, dict[str, object]]:
        clauses: list[str] = []
        params: dict[str, object] = {}
        if query.status is not None:
            clauses.append("status = :status")
            params["status"] = query.status.value
        if query.payer_kind is not None:
            clauses.append("payer_kind = :payer_kind")
            params["payer_kind"] = query.payer_kind.value
        if query.buyer_clinic_id is not None:
            clauses.append("buyer_clinic_id = :buyer")
            params["buyer"] = query.buyer_clinic_id
        if query.issued_from is not None:
            clauses.append("issue_date >= :issued_from")
            params["issued_from"] = query.issued_from.isoformat()
        if query.issued_to is not None:
            clauses.append("issue_date <= :issued_to")
            params["issued_to"] = query.issued_to.isoformat()
        if len(query.kinds) == 1:
            clauses.append("kind = :kind")
            params["kind"] = query.kinds[0].value
        text = query.text.strip()
        if text:
            if text.isdigit():
                clauses.append("(number = :number OR patient_reference LIKE :like)")
                params["number"] = int(text)
            else:
                clauses.append("(buyer_name LIKE :like OR patient_reference LIKE :like)")
            params["like"] = f"%{text}%"
        return (" AND ".join(clauses) or "1"), params

    def search(
        self,
        query: InvoiceFilter,
        today: date,
        sort: str = "number",
        descending: bool = True,
        limit: int = 200,
        offset: int = 0,
    ) -> list[InvoiceRow]:
        """One page of the invoice list, filtered and sorted in SQL."""
        where, params = self._where(query)
        order = SORT_COLUMNS[sort].format(d="DESC" if descending else "ASC")
        rows = self._conn.execute(
            f"{_LIST} SELECT {_ROW_COLUMNS} FROM listed WHERE {where} ORDER BY {order}"
            " LIMIT :limit OFFSET :offset",
            {**params, "today": today.isoformat(), "limit": limit, "offset": offset},
        ).fetchall()
        return [_row(r) for r in rows]

    def search_count(self, query: InvoiceFilter, today: date) -> int:
        """How many invoices the filter finds."""
        where, params = self._where(query)
        return int(
            self._conn.execute(
                f"{_LIST} SELECT count(*) FROM listed WHERE {where}",
                {**params, "today": today.isoformat()},
            ).fetchone()[0]
        )

    def for_patient(self, patient_id: int, today: date) -> list[InvoiceRow]:
        """Invoices and credit notes that bill a patient's emergency visits, newest first."""
        rows = self._conn.execute(
            f"{_LIST} SELECT {_ROW_COLUMNS} FROM listed WHERE id IN ("
            " SELECT invoice_id FROM emergency_visits WHERE patient_id = :patient"
            " AND invoice_id IS NOT NULL"
            " UNION SELECT c.id FROM invoices c JOIN emergency_visits v"
            " ON v.invoice_id = c.credits_invoice_id WHERE v.patient_id = :patient)"
            " ORDER BY number DESC",
            {"today": today.isoformat(), "patient": patient_id},
        ).fetchall()
        return [_row(r) for r in rows]

    def issued_between(self, first: date, last: date) -> list[Invoice]:
        """Every invoice and credit note issued in [first, last], by number (the journal)."""
        ids = [
            int(r[0])
            for r in self._conn.execute(
                "SELECT id FROM invoices WHERE issue_date BETWEEN ? AND ? ORDER BY number",
                (first.isoformat(), last.isoformat()),
            )
        ]
        return [found for found in (self.get(i) for i in ids) if found is not None]

    def numbers(self) -> list[int]:
        """Every invoice number issued, in order (for checking the series)."""
        return [
            int(r[0]) for r in self._conn.execute("SELECT number FROM invoices ORDER BY number")
        ]

    def last_number(self) -> int:
        """The last number the counter handed out."""
        return int(
            self._conn.execute("SELECT last_number FROM invoice_counter WHERE id=1").fetchone()[0]
        )

    # -- payments and reminders --------------------------------------------------------------
    def add_payment(
        self, invoice_id: int, paid_on: date, amount_ore: int, note: str, user_id: int
    ) -> int:
        """Record a payment received; returns its id."""
        cursor = self._conn.execute(
            "INSERT INTO invoice_payments (invoice_id, paid_on, amount_ore, note, created_at,"
            " created_by) VALUES (?,?,?,?,?,?)",
            (invoice_id, paid_on.isoformat(), amount_ore, note, self._stamp(), user_id),
        )
        return int(cursor.lastrowid or 0)

    def payments(self, invoice_id: int) -> list[Payment]:
        """An invoice's payments, oldest first."""
        return [
            Payment(int(r[0]), int(r[1]), req_date(r[2]), int(r[3]), str(r[4]), int(r[5]))
            for r in self._conn.execute(
                "SELECT id, invoice_id, paid_on, amount_ore, note, created_by"
                " FROM invoice_payments WHERE invoice_id=? ORDER BY paid_on, id",
                (invoice_id,),
            )
        ]

    def add_reminder(
        self,
        invoice_id: int,
        sent_on: date,
        days_late: int,
        balance_ore: int,
        interest_ore: int,
        reference_rate: str,
        document_id: int,
        user_id: int,
    ) -> int:
        """Record a reminder letter sent; returns its id."""
        cursor = self._conn.execute(
            "INSERT INTO invoice_reminders (invoice_id, sent_on, days_late, balance_ore,"
            " interest_ore, reference_rate, document_id, created_at, created_by)"
            " VALUES (?,?,?,?,?,?,?,?,?)",
            (
                invoice_id,
                sent_on.isoformat(),
                days_late,
                balance_ore,
                interest_ore,
                reference_rate,
                document_id,
                self._stamp(),
                user_id,
            ),
        )
        return int(cursor.lastrowid or 0)

    def reminders(self, invoice_id: int) -> list[Reminder]:
        """An invoice's reminders, oldest first."""
        return [
            Reminder(
                int(r[0]),
                int(r[1]),
                req_date(r[2]),
                int(r[3]),
                int(r[4]),
                int(r[5]),
                str(r[6]),
                int(r[7]),
            )
            for r in self._conn.execute(
                "SELECT id, invoice_id, sent_on, days_late, balance_ore, interest_ore,"
                " reference_rate, document_id FROM invoice_reminders WHERE invoice_id=?"
                " ORDER BY id",
                (invoice_id,),
            )
        ]

    def count(
        self, kinds: Sequence[InvoiceKind] = (InvoiceKind.INVOICE, InvoiceKind.CREDIT)
    ) -> int:
        """How many invoices (and credit notes) have been issued."""
        marks = ",".join("?" * len(kinds))
        return int(
            self._conn.execute(
                f"SELECT count(*) FROM invoices WHERE kind IN ({marks})",
                [k.value for k in kinds],
            ).fetchone()[0]
        )
