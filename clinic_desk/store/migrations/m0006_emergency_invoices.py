"""Emergency care of other clinics' patients: price lists, visits, invoices, credit notes,
payments and reminders.

Invoices and their lines never change (triggers refuse UPDATE and DELETE); their numbers come
from a one-row counter bumped in the same transaction as the invoice row, so a crash can
never leave a gap. Credit notes are invoices of kind 'credit' with a negative total.
"""

from __future__ import annotations

import sqlite3

from clinic_desk.store.migrations.m0001_core import _statements

SCHEMA = """
CREATE TABLE price_list_imports (
    id INTEGER PRIMARY KEY,
    file_name TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL,
    item_count INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id)
);

CREATE TABLE price_list_items (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    price_ore INTEGER NOT NULL CHECK (price_ore >= 0),
    valid_from TEXT NOT NULL,
    valid_to TEXT,
    import_id INTEGER REFERENCES price_list_imports(id),
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users(id),
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX price_list_items_code ON price_list_items(code, valid_from);

CREATE TABLE invoice_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_number INTEGER NOT NULL
);
INSERT INTO invoice_counter (id, last_number) VALUES (1, 0);

CREATE TABLE invoices (
    id INTEGER PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit')),
    credits_invoice_id INTEGER REFERENCES invoices(id),
    payer_kind TEXT NOT NULL,
    buyer_clinic_id INTEGER REFERENCES clinics(id),
    buyer_name TEXT NOT NULL,
    buyer_address TEXT NOT NULL DEFAULT '',
    issue_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    ocr TEXT NOT NULL,
    total_ore INTEGER NOT NULL,
    patient_reference TEXT NOT NULL DEFAULT '',
    service_text TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    CHECK ((kind = 'credit') = (credits_invoice_id IS NOT NULL)),
    CHECK ((kind = 'credit' AND total_ore < 0) OR (kind = 'invoice' AND total_ore > 0))
);
CREATE INDEX invoices_issue_date ON invoices(issue_date, number);
CREATE INDEX invoices_buyer ON invoices(buyer_clinic_id, issue_date);
CREATE INDEX invoices_credits ON invoices(credits_invoice_id);
CREATE INDEX invoices_due_date ON invoices(due_date);
CREATE TRIGGER invoices_no_update BEFORE UPDATE ON invoices
BEGIN SELECT RAISE(ABORT, 'issued invoices never change; issue a credit note'); END;
CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices
BEGIN SELECT RAISE(ABORT, 'issued invoices are never deleted'); END;

CREATE TABLE invoice_lines (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    line_no INTEGER NOT NULL,
    visit_id INTEGER,
    treatment_date TEXT,
    code TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL,
    tooth TEXT NOT NULL DEFAULT '',
    amount_ore INTEGER NOT NULL,
    UNIQUE (invoice_id, line_no)
);
CREATE TRIGGER invoice_lines_no_update BEFORE UPDATE ON invoice_lines
BEGIN SELECT RAISE(ABORT, 'issued invoices never change'); END;
CREATE TRIGGER invoice_lines_no_delete BEFORE DELETE ON invoice_lines
BEGIN SELECT RAISE(ABORT, 'issued invoices are never deleted'); END;

CREATE TABLE emergency_visits (
    id INTEGER PRIMARY KEY,
    patient_id INTEGER NOT NULL REFERENCES patients(id),
    treated_at TEXT NOT NULL,
    treatment_date TEXT NOT NULL,
    practitioner_id INTEGER REFERENCES users(id),
    listed_clinic_id INTEGER REFERENCES clinics(id),
    registered_in_region INTEGER NOT NULL DEFAULT 1,
    placement TEXT NOT NULL DEFAULT 'none',
    protected_identity INTEGER NOT NULL DEFAULT 0,
    guardian_phone TEXT NOT NULL DEFAULT '',
    complaint TEXT NOT NULL DEFAULT '',
    findings TEXT NOT NULL DEFAULT '',
    advice TEXT NOT NULL DEFAULT '',
    payer_kind TEXT NOT NULL,
    payer_clinic_id INTEGER REFERENCES clinics(id),
    payer_reason TEXT NOT NULL DEFAULT '',
    override_reason TEXT NOT NULL DEFAULT '',
    area_duty INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    case_number TEXT NOT NULL DEFAULT '',
    invoice_id INTEGER REFERENCES invoices(id),
    return_report_document_id INTEGER REFERENCES documents(id),
    return_report_sent_on TEXT,
    return_report_sent_by INTEGER REFERENCES users(id),
    closed_at TEXT,
    closed_by INTEGER REFERENCES users(id),
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id),
    updated_at TEXT NOT NULL,
    updated_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX emergency_visits_patient ON emergency_visits(patient_id, treated_at);
CREATE INDEX emergency_visits_date ON emergency_visits(treatment_date);
CREATE INDEX emergency_visits_invoice ON emergency_visits(invoice_id);
CREATE INDEX emergency_visits_return_report ON emergency_visits(return_report_sent_on)
    WHERE return_report_document_id IS NOT NULL;

CREATE TABLE emergency_treatments (
    id INTEGER PRIMARY KEY,
    visit_id INTEGER NOT NULL REFERENCES emergency_visits(id),
    position INTEGER NOT NULL,
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    price_ore INTEGER NOT NULL CHECK (price_ore >= 0),
    tooth TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX emergency_treatments_visit ON emergency_treatments(visit_id, position);

CREATE TABLE invoice_payments (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    paid_on TEXT NOT NULL,
    amount_ore INTEGER NOT NULL CHECK (amount_ore > 0),
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX invoice_payments_invoice ON invoice_payments(invoice_id);

CREATE TABLE invoice_reminders (
    id INTEGER PRIMARY KEY,
    invoice_id INTEGER NOT NULL REFERENCES invoices(id),
    sent_on TEXT NOT NULL,
    days_late INTEGER NOT NULL,
    balance_ore INTEGER NOT NULL,
    interest_ore INTEGER NOT NULL,
    reference_rate TEXT NOT NULL,
    document_id INTEGER NOT NULL REFERENCES documents(id),
    created_at TEXT NOT NULL,
    created_by INTEGER NOT NULL REFERENCES users(id)
);
CREATE INDEX invoice_reminders_invoice ON invoice_reminders(invoice_id);
"""


def upgrade(conn: sqlite3.Connection) -> None:
    """Add price lists, emergency visits and invoicing."""
    for statement in _statements(SCHEMA):
        conn.execute(statement)
