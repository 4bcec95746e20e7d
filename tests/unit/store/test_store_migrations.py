"""Every migration step keeps every row: build the database one version back, fill it with
plain SQL the way that version's program wrote it, reopen it with the latest program."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from clinic_desk.domain.patient_search import interpret_search
from clinic_desk.domain.people import PROTECTED_MASK
from clinic_desk.domain.text import phone_key, search_key, search_words, sort_key
from clinic_desk.store.audit import GENESIS, entry_hash
from clinic_desk.store.migrations import LATEST_VERSION
from clinic_desk.store.migrations.m0003_protected_sort_name import PROTECTED_SORT_NAME
from clinic_desk.store.store import Store

NOW = datetime(2026, 11, 23, 9, 30, 0)
STAMP = "2026-05-04T08:15:00"

# (personal_id, birth_date, reserve, first, last, city, phone, protected, end_date)
PATIENTS = [
    ("20150307-2389", "2015-03-07", 0, "Maja", "Lindqvist", "Umeå", "070-123 45 67", 0, None),
    ("20120101-2380", "2012-01-01", 0, "Östen", "Åberg", "Holmsund", "", 0, None),
    ("20091231-9878", "2009-12-31", 0, "Åsa", "Öström", "Vännäs", "073-555 12 12", 1, None),
    ("20190504-R001", "2019-05-04", 1, "Amir", "Hassan", "Umeå", "", 0, None),
    ("20050620-1235", "2005-06-20", 0, "Lucas", "Nguyen", "Sävar", "", 0, "2026-01-31"),
]


def _table_count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def _insert(conn: sqlite3.Connection, table: str, *rows: dict[str, object]) -> None:
    """Plain INSERTs, one per row; the columns are the row's keys."""
    for row in rows:
        columns = ", ".join(row)
        marks = ", ".join("?" * len(row))
        conn.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuple(row.values()))


def _stamped(**row: object) -> dict[str, object]:
    return {**row, "created_at": STAMP, "created_by": 1, "updated_at": STAMP, "updated_by": 1}


def _append_audit(conn: sqlite3.Connection, action: str, patient_id: int | None) -> None:
    row = conn.execute("SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1").fetchone()
    prev_id, prev_hash = row if row else (0, GENESIS)
    entry_id = prev_id + 1
    detail = json.dumps({"seed": action}, ensure_ascii=False, sort_keys=True)
    entity_id = str(patient_id or "")
    digest = entry_hash(
        prev_hash, entry_id, STAMP, 1, action, patient_id, "patient", entity_id, detail
    )
    _insert(
        conn,
        "audit_log",
        {
            "id": entry_id,
            "at": STAMP,
            "user_id": 1,
            "action": action,
            "patient_id": patient_id,
            "entity": "patient",
            "entity_id": entity_id,
            "detail": detail,
            "prev_hash": prev_hash,
            "hash": digest,
        },
    )


def seed_v1(conn: sqlite3.Connection) -> dict[str, int]:
    """Users, clinics, patients with their search terms, audit entries, settings."""
    _insert(
        conn,
        "users",
        {"id": 1, "username": "admin", "full_name": "admin", "profession": "administrator",
         "created_at": STAMP, "created_by": None},
        {"id": 2, "username": "karin.holm", "full_name": "Karin Holm", "profession": "dentist",
         "created_at": STAMP, "created_by": 1},
    )  # fmt: skip
    _insert(
        conn,
        "clinics",
        _stamped(id=1, code="TEST", name="Tandkliniken Testgården", org_number="559012-3450",
                 city="Umeå", bankgiro="5050-1055", f_skatt=1, is_own=1),
        _stamped(id=2, code="BJBK", name="Folktandvården Björkbacken", org_number="232100-0222",
                 city="Umeå", area_responsible=1),
    )  # fmt: skip
    for number, (pid, birth, reserve, first, last, city, phone, protected, end) in enumerate(
        PATIENTS, start=1
    ):
        _insert(
            conn,
            "patients",
            _stamped(
                id=number,
                personal_id=pid,
                pid_digits="".join(ch for ch in pid if ch.isdigit()),
                birth_date=birth,
                is_reserve_number=reserve,
                first_name=first,
                last_name=last,
                sort_name=sort_key(f"{last} {first}"),  # as version 1 wrote it
                city=city,
                phone=phone,
                phone_digits=phone_key(phone),
                responsible_dentist_id=2,
                protected_identity=protected,
                end_date=end,
                end_reason="Flyttat" if end else "",
            ),
        )
        for term in set(search_words(f"{first} {last}")):
            _insert(conn, "patient_name_terms", {"term": term, "patient_id": number})
        _insert(
            conn,
            "patient_name_trigrams",
            {"rowid": number, "name": search_key(f"{first} {last}")},
        )
        _append_audit(conn, "patient.create", number)
    _append_audit(conn, "patient.open", 1)
    _insert(
        conn,
        "settings",
        {"key": "clinic_phone", "value": json.dumps("090-12 34 50"), "updated_at": STAMP,
         "updated_by": 1},
    )  # fmt: skip
    _insert(conn, "reserve_number_serials", {"birth_date": "2019-05-04", "last_serial": 1})
    return {
        "users": 2,
        "clinics": 2,
        "patients": len(PATIENTS),
        "patient_name_terms": sum(len(set(search_words(f"{p[3]} {p[4]}"))) for p in PATIENTS),
        "patient_name_trigrams": len(PATIENTS),
        "audit_log": len(PATIENTS) + 1,
        "settings": 1,
        "reserve_number_serials": 1,
    }


def seed_v2(conn: sqlite3.Connection) -> dict[str, int]:
    """Version 1's data, plus guardians (one shared by two siblings) and listing history."""
    expected = seed_v1(conn)
    _insert(
        conn,
        "guardians",
        _stamped(id=1, personal_id="19840612-4027", first_name="Anna", last_name="Lindqvist",
                 address_line="Storgatan 1", postal_code="903 26", city="Umeå",
                 phone="070-123 45 67"),
        _stamped(id=2, personal_id="", first_name="Johan", last_name="Åberg",
                 address_line="Kungsgatan 9", postal_code="913 31", city="Holmsund",
                 phone="070-999 88 77"),
    )  # fmt: skip
    link = {"receives_letters": 1, "relation": "Förälder", "created_at": STAMP, "created_by": 1}
    _insert(
        conn,
        "patient_guardians",
        {"patient_id": 1, "guardian_id": 1, **link},
        {"patient_id": 2, "guardian_id": 1, **link},
        {"patient_id": 2, "guardian_id": 2, **link, "receives_letters": 0,
         "ended_at": "2026-06-01T10:00:00", "ended_by": 1},
    )  # fmt: skip
    consent = {"consent_recorded_by": 1, "consent_recorded_at": STAMP}
    _insert(
        conn,
        "listings",
        {"id": 1, "patient_id": 1, "clinic_id": 2, "listed_on": "2018-03-07",
         "responsible_from": "2018-03-07", "responsible_to": "2025-09-30", "kind": "choice",
         "consent_given_by": "Anna Lindqvist", **consent,
         "end_reason": "Omval till annan klinik", "ended_by": 1, "ended_at": STAMP},
        {"id": 2, "patient_id": 1, "clinic_id": 1, "listed_on": "2025-09-12",
         "responsible_from": "2025-10-01", "kind": "choice",
         "consent_given_by": "Anna Lindqvist", **consent},
        {"id": 3, "patient_id": 2, "clinic_id": 1, "listed_on": "2015-01-01",
         "responsible_from": "2015-01-01", "kind": "assigned", **consent},
    )  # fmt: skip
    _append_audit(conn, "listing.create", 1)
    expected.update(guardians=2, patient_guardians=3, listings=3)
    expected["audit_log"] += 1
    return expected


def seed_v3(conn: sqlite3.Connection) -> dict[str, int]:
    """Version 3 changed no table, only the sort names of protected patients."""
    expected = seed_v2(conn)
    conn.execute(
        "UPDATE patients SET sort_name = ? WHERE protected_identity = 1", (PROTECTED_SORT_NAME,)
    )
    return expected


def seed_v4(conn: sqlite3.Connection) -> dict[str, int]:
    """Version 4 added the document archive: one archived letter."""
    expected = seed_v3(conn)
    patient_id = conn.execute("SELECT min(id) FROM patients").fetchone()[0]
    user_id = conn.execute("SELECT min(id) FROM users").fetchone()[0]
    content = b"%PDF-1.4 archived letter"
    conn.execute(
        "INSERT INTO documents (kind, title, patient_id, sha256, size, content, created_at,"
        " created_by) VALUES ('letter', 'Brev', ?, ?, ?, ?, '2026-01-01T10:00:00', ?)",
        (patient_id, hashlib.sha256(content).hexdigest(), len(content), content, user_id),
    )
    expected["documents"] = 1
    return expected


def seed_v5(conn: sqlite3.Connection) -> dict[str, int]:
    """Version 5 added examinations: a signed dentist exam with indices, tobacco rows and an
    amendment, a draft, and a journal consent with its withdrawal."""
    expected = seed_v4(conn)
    stamp = {"created_at": STAMP, "created_by": 2, "updated_at": STAMP, "updated_by": 2}
    _insert(
        conn,
        "exams",
        {"id": 1, "patient_id": 3, "exam_date": "2026-05-04", "kind": "dentist_revision",
         "examiner_id": 2, "age_at_exam": 16, "risk_group": "medium", "risk_factors": "diet",
         "interval_months": 24, "treatment_plan": "Fluorlack", "findings": "Initial karies",
         "tobacco_recorded": 1, "tobacco_referral_offered": 1,
         "tobacco_referral_answer": "accepted", **stamp},
        {"id": 2, "patient_id": 1, "exam_date": "2026-05-04", "kind": "hygienist_revision",
         "examiner_id": 2, "age_at_exam": 11, "risk_group": "low", "interval_months": 18,
         "treatment_plan": "Kontroll", **stamp},
    )  # fmt: skip
    _insert(
        conn,
        "exam_caries_indices",
        {"exam_id": 1, "primary_dft": 0, "primary_dfs": 0, "perm_dft": 2, "perm_dfs": 3,
         "perm_dfs_approximal": 1, "perm_ds": 1, "caries_free": 0},
    )  # fmt: skip
    for product in ("cigarettes", "snus", "white_snus", "e_cigarettes", "waterpipe", "other"):
        _insert(
            conn,
            "exam_tobacco",
            {"exam_id": 1, "patient_id": 3, "recorded_on": "2026-05-04", "product": product,
             "status": "daily" if product == "snus" else "never", "created_at": STAMP,
             "created_by": 2},
        )  # fmt: skip
    conn.execute(
        "UPDATE exams SET signed_at = ?, signed_by = 2, next_revision_due = '2028-05-04'"
        " WHERE id = 1",
        (STAMP,),
    )
    _insert(
        conn,
        "exam_amendments",
        {"exam_id": 1, "field": "interval_months", "old_value": "24", "new_value": "12",
         "next_revision_due": "2027-05-04", "reason": "Hög aktivitet", "created_at": STAMP,
         "created_by": 2},
    )  # fmt: skip
    consent = {"patient_id": 1, "scope": "Ortodonti", "given_by": "Anna Lindqvist",
               "collected_by": 2, "collected_on": "2026-05-04", "created_at": STAMP,
               "created_by": 2}  # fmt: skip
    _insert(
        conn,
        "journal_consents",
        {"id": 1, "action": "given", **consent},
        {"id": 2, "action": "withdrawn", "withdraws_id": 1, **consent},
    )
    _append_audit(conn, "exam.sign", 3)
    expected.update(
        exams=2, exam_caries_indices=1, exam_tobacco=6, exam_amendments=1, journal_consents=2
    )
    expected["audit_log"] += 1
    return expected


def seed_v6(conn: sqlite3.Connection) -> dict[str, int]:
    """Version 6 added emergency care and invoicing: a price list, a closed visit with its
    invoice, a partial credit note, a payment, a reminder and the number counter."""
    expected = seed_v5(conn)
    _insert(
        conn,
        "price_list_imports",
        {"id": 1, "file_name": "prislista.csv", "sha256": "0" * 64, "item_count": 2,
         "created_at": STAMP, "created_by": 1},
    )  # fmt: skip
    _insert(
        conn,
        "price_list_items",
        _stamped(id=1, code="103", name="Akut eller annan undersökning", price_ore=42_000,
                 valid_from="2024-01-15", import_id=1),
        _stamped(id=2, code="301", name="Sjukdoms- eller smärtbehandling", price_ore=46_000,
                 valid_from="2024-01-15", valid_to="2026-01-14", import_id=1),
    )  # fmt: skip
    conn.execute("UPDATE invoice_counter SET last_number = 2 WHERE id = 1")
    invoice = {
        "payer_kind": "listing_clinic",
        "buyer_clinic_id": 2,
        "buyer_name": "Folktandvården Björkbacken",
        "buyer_address": "Box 1\n901 85 Umeå",
        "issue_date": "2026-05-04",
        "due_date": "2026-06-03",
        "patient_reference": "20150307-2389 Maja Lindqvist",
        "service_text": "Akut tandvård 2026-05-03",
        "created_at": STAMP,
        "created_by": 1,
    }
    _insert(
        conn,
        "invoices",
        {"id": 1, "number": 1, "kind": "invoice", "ocr": "133", "total_ore": 88_000, **invoice},
        {"id": 2, "number": 2, "kind": "credit", "credits_invoice_id": 1, "ocr": "232",
         "total_ore": -46_000, "reason": "Fel åtgärd", **invoice},
    )  # fmt: skip
    _insert(
        conn,
        "invoice_lines",
        {"invoice_id": 1, "line_no": 1, "visit_id": 1, "treatment_date": "2026-05-03",
         "code": "103", "description": "Akut eller annan undersökning", "amount_ore": 42_000},
        {"invoice_id": 1, "line_no": 2, "visit_id": 1, "treatment_date": "2026-05-03",
         "code": "301", "description": "Sjukdoms- eller smärtbehandling", "tooth": "46",
         "amount_ore": 46_000},
        {"invoice_id": 2, "line_no": 1, "description": "Delkreditering av faktura 1",
         "amount_ore": -46_000},
    )  # fmt: skip
    _insert(
        conn,
        "emergency_visits",
        _stamped(id=1, patient_id=1, treated_at="2026-05-03T14:05", treatment_date="2026-05-03",
                 practitioner_id=2, listed_clinic_id=2, payer_kind="listing_clinic",
                 payer_clinic_id=2, payer_reason="Listad vid annan klinik", status="closed",
                 case_number="AKUT-2026-00001", invoice_id=1, complaint="Värk",
                 findings="Karies 46", advice="Följ upp"),
    )  # fmt: skip
    _insert(
        conn,
        "emergency_treatments",
        {"visit_id": 1, "position": 1, "code": "103", "name": "Akut eller annan undersökning",
         "price_ore": 42_000, "created_at": STAMP, "created_by": 1},
        {"visit_id": 1, "position": 2, "code": "301", "name": "Sjukdoms- eller smärtbehandling",
         "price_ore": 46_000, "tooth": "46", "created_at": STAMP, "created_by": 1},
    )  # fmt: skip
    _insert(
        conn,
        "invoice_payments",
        {"invoice_id": 1, "paid_on": "2026-06-01", "amount_ore": 20_000, "created_at": STAMP,
         "created_by": 1},
    )  # fmt: skip
    document_id = conn.execute("SELECT min(id) FROM documents").fetchone()[0]
    _insert(
        conn,
        "invoice_reminders",
        {"invoice_id": 1, "sent_on": "2026-07-01", "days_late": 28, "balance_ore": 22_000,
         "interest_ore": 173, "reference_rate": "2.25", "document_id": document_id,
         "created_at": STAMP, "created_by": 1},
    )  # fmt: skip
    _append_audit(conn, "emergency.register", 1)
    expected.update(
        price_list_imports=1, price_list_items=2, invoice_counter=1, invoices=2,
        invoice_lines=3, emergency_visits=1, emergency_treatments=2, invoice_payments=1,
        invoice_reminders=1,
    )  # fmt: skip
    expected["audit_log"] += 1
    return expected


SEED_V7_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2VlZHNhbHQ$c2VlZGhhc2g"


def seed_v7(conn: sqlite3.Connection) -> dict[str, int]:
    """Version 7 added personal logins: password hashes, an HSA-id, login entries."""
    expected = seed_v6(conn)
    conn.execute("UPDATE users SET password_hash = ? WHERE id = 1", (SEED_V7_HASH,))
    conn.execute("UPDATE users SET hsa_id = 'SE2321000222-K001' WHERE id = 2")
    _append_audit(conn, "login.ok", None)
    expected["audit_log"] += 1
    return expected


def seed_v8(conn: sqlite3.Connection) -> dict[str, int]:
    """Version 8 added appointments and their history: one booked, one cancelled."""
    expected = SEEDERS[7](conn)
    patient_id = conn.execute("SELECT min(id) FROM patients").fetchone()[0]
    user_id = conn.execute("SELECT min(id) FROM users").fetchone()[0]
    for start, end, status in (
        ("2026-12-01T09:00", "2026-12-01T09:45", "agreed"),
        ("2026-12-02T10:00", "2026-12-02T10:30", "cancelled_by_patient"),
    ):
        _insert(
            conn,
            "appointments",
            {"patient_id": patient_id, "practitioner_id": user_id, "start_at": start,
             "end_at": end, "kind": "revision", "status": status, "created_at": STAMP,
             "created_by": user_id, "updated_at": STAMP, "updated_by": user_id},
        )  # fmt: skip
    _insert(
        conn,
        "appointment_events",
        {"appointment_id": 1, "at": STAMP, "user_id": user_id, "event": "book"},
    )
    _append_audit(conn, "appointment.book", patient_id)
    expected.update(appointments=2, appointment_events=1)
    expected["audit_log"] += 1
    return expected


def seed_v9(conn: sqlite3.Connection) -> dict[str, int]:
    """Version 9 added no-show notices, concern cases and patient fees."""
    expected = seed_v8(conn)
    patient_id = conn.execute("SELECT min(id) FROM patients").fetchone()[0]
    user_id = conn.execute("SELECT min(id) FROM users").fetchone()[0]
    document_id = conn.execute("SELECT min(id) FROM documents").fetchone()[0]
    _insert(
        conn,
        "concern_cases",
        {"patient_id": patient_id, "raised_on": "2026-05-01",
         "raised_reason": "2 uteblivna besök", "created_at": STAMP},
    )  # fmt: skip
    _insert(
        conn,
        "no_show_notices",
        {"patient_id": patient_id, "recipient": "Anna", "sent_on": "2026-05-02",
         "appointment_ids": "[1]", "document_id": document_id, "sent_by": user_id,
         "created_at": STAMP},
    )  # fmt: skip
    expected.update(concern_cases=1, no_show_notices=1)
    return expected


def seed_v10(conn: sqlite3.Connection) -> dict[str, int]:
    """Version 10 added region export batches: one sent batch with a file and its record."""
    expected = seed_v9(conn)
    user_id = conn.execute("SELECT min(id) FROM users").fetchone()[0]
    content = b"record_id;action\r\nE1;add\r\n"
    _insert(
        conn,
        "region_export_batches",
        {"id": 1, "kind": "regular", "period": "2026-05", "period_first": "2026-05-01",
         "period_last": "2026-05-31", "covers_from": "2026-05-01", "format_version": "1.0",
         "row_count": 1, "created_at": STAMP, "created_by": user_id},
    )  # fmt: skip
    _insert(
        conn,
        "region_export_files",
        {"batch_id": 1, "name": "5590123450_00001_care_report.csv",
         "report_kind": "care_report", "row_count": 1,
         "sha256": hashlib.sha256(content).hexdigest(), "content": content},
    )  # fmt: skip
    _insert(
        conn,
        "region_export_items",
        {"batch_id": 1, "report_kind": "care_report", "action": "add", "record_ids": "E1"},
    )
    _append_audit(conn, "region_export.batch", None)
    expected.update(region_export_batches=1, region_export_files=1, region_export_items=1)
    expected["audit_log"] += 1
    return expected


def seed_v11(conn: sqlite3.Connection) -> dict[str, int]:
    """Version 11 added contract rule sets, deviations, follow-up cases and snapshots."""
    expected = seed_v10(conn)
    patient_id = conn.execute("SELECT min(id) FROM patients").fetchone()[0]
    user_id = conn.execute("SELECT min(id) FROM users").fetchone()[0]
    _insert(
        conn,
        "contract_rule_sets",
        {"valid_from_year": 2026, "region": "Region Västerbotten", "body": "{}",
         "file_name": "regler-2026.json", "sha256": "0" * 64, "created_at": STAMP,
         "created_by": user_id},
    )  # fmt: skip
    _insert(
        conn,
        "deviations",
        _stamped(occurred_on="2026-05-01", reported_on="2026-05-02", title="Fel tand",
                 description="Behandlad på fel tand", origin="other_provider",
                 other_provider="Folktandvården Umeå", patient_id=patient_id),
    )  # fmt: skip
    _insert(
        conn,
        "follow_up_cases",
        _stamped(title="Försenade kallelser", request_date="2026-03-01", severity=2,
                 deviation=2, self_reported=0, plan_deadline="2026-04-01"),
    )  # fmt: skip
    _insert(
        conn,
        "follow_up_events",
        {"case_id": 1, "decided_on": "2026-05-01", "kind": "failed", "created_at": STAMP,
         "created_by": user_id},
    )  # fmt: skip
    _insert(conn, "compliance_snapshots", {"day": "2026-11-16", "check_key": "tobacco", "count": 3})
    expected.update(
        contract_rule_sets=1,
        deviations=1,
        follow_up_cases=1,
        follow_up_events=1,
        compliance_snapshots=1,
    )
    return expected


SEEDERS: dict[int, Callable[[sqlite3.Connection], dict[str, int]]] = {
    1: seed_v1,
    2: seed_v2,
    3: seed_v3,
    4: seed_v4,
    5: seed_v5,
    6: seed_v6,
    7: seed_v7,
    8: seed_v8,
    9: seed_v9,
    10: seed_v10,
    11: seed_v11,
}


def test_there_is_a_seeder_for_every_version() -> None:
    # A new migration needs a seeder for the version before it, so its step gets tested.
    assert set(range(1, LATEST_VERSION)) <= set(SEEDERS)


def test_the_migration_keeps_the_protected_sort_name_in_step_with_the_mask() -> None:
    assert sort_key(PROTECTED_MASK) == PROTECTED_SORT_NAME


def _build(path: Path, backup_dir: Path, version: int) -> dict[str, int]:
    store = Store.open(path, backup_dir, now=lambda: NOW, target_version=version)
    assert store.schema_version == version
    expected: dict[str, int] = {}
    if version >= 1:
        store.conn.execute("BEGIN")
        expected = SEEDERS[version](store.conn)
        store.conn.execute("COMMIT")
    store.close()
    return expected


@pytest.mark.parametrize("step", range(1, LATEST_VERSION + 1))
def test_migrating_from_the_version_before_keeps_every_row(tmp_path: Path, step: int) -> None:
    path, backups = tmp_path / "clinic.sqlite", tmp_path / "backups"
    expected = _build(path, backups, step - 1)
    assert not backups.exists() or not any(backups.iterdir())

    store = Store.open(path, backups, now=lambda: NOW)
    try:
        assert store.schema_version == LATEST_VERSION
        for table, count in expected.items():
            assert _table_count(store.conn, table) == count, table
        if step - 1 >= 1:
            _check_values(store, step - 1)
        for table in ("guardians", "patient_guardians", "listings"):
            _table_count(store.conn, table)  # every table of the latest schema exists
    finally:
        store.close()

    copies = list(backups.glob(f"*v{step - 1}-before-migration*"))
    if step - 1 >= 1:
        assert len(copies) == 1
    for copy in copies:
        conn = sqlite3.connect(copy)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA user_version").fetchone()[0] == step - 1
            for table, count in expected.items():
                assert _table_count(conn, table) == count, table
        finally:
            conn.close()


def _check_values(store: Store, seeded: int) -> None:
    maja = store.patients.by_personal_id("20150307-2389")
    assert maja is not None
    assert (maja.first_name, maja.last_name, maja.city) == ("Maja", "Lindqvist", "Umeå")
    assert maja.responsible_dentist_id == 2
    ended = store.patients.by_personal_id("20050620-1235")
    assert ended is not None
    assert ended.end_date is not None
    assert ended.end_date.isoformat() == "2026-01-31"
    reserve = store.patients.by_personal_id("20190504-R001")
    assert reserve is not None
    assert reserve.is_reserve_number
    own = store.clinics.own()
    assert own is not None
    assert own.org_number == "559012-3450"
    assert store.settings.get("clinic_phone") == "090-12 34 50"
    assert store.audit.verify() == []
    user = store.users.by_username("karin.holm")
    assert user is not None
    assert user.full_name == "Karin Holm"
    # The search indexes came through: a fragment from inside a name, a prefix, a phone.
    today = NOW.date()
    for typed in ("ndqv", "lind", "070-123 45 67", "20150307-2389"):
        found = store.patients.search(interpret_search(typed, today))
        assert [row.id for row in found] == [maja.id], typed
    # Protected identity: found by the full number only, and sorted by its mask.
    protected = store.patients.by_personal_id("20091231-9878")
    assert protected is not None
    assert protected.protected_identity
    assert store.patients.search(interpret_search("öström", today)) == []
    sort_names = store.conn.execute(
        "SELECT DISTINCT sort_name FROM patients WHERE protected_identity = 1"
    ).fetchall()
    assert sort_names == [(PROTECTED_SORT_NAME,)]
    # The reserve number series continues where it was.
    store.conn.execute("BEGIN")
    assert store.patients.next_reserve_number(reserve.birth_date) == "20190504-R002"
    store.conn.execute("ROLLBACK")
    if seeded >= 7:
        assert store.users.password_hash(1) == SEED_V7_HASH
        karin = store.users.get(2)
        assert karin is not None
        assert karin.hsa_id == "SE2321000222-K001"
    if seeded >= 2:
        links = store.guardians.for_patient(2)
        assert [link.guardian.first_name for link in links] == ["Anna"]  # Johan's link ended
        assert sorted(store.guardians.children_of(1)) == [1, 2]
        listings = store.listings.for_patient(1)
        assert [item.clinic_id for item in listings] == [2, 1]
        assert listings[0].responsible_to is not None
        assert listings[0].responsible_to.isoformat() == "2025-09-30"
        assert listings[1].consent_recorded_by == "admin"


def test_a_failed_migration_changes_nothing_and_keeps_the_version(tmp_path: Path) -> None:
    if LATEST_VERSION < 2:
        pytest.skip("needs two migrations")
    path, backups = tmp_path / "clinic.sqlite", tmp_path / "backups"
    expected = _build(path, backups, 1)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE listings (x)")  # migration 2 will trip over this
    conn.commit()
    conn.close()
    with pytest.raises(sqlite3.OperationalError, match="listings"):
        Store.open(path, backups, now=lambda: NOW)
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "guardians" not in tables  # created by migration 2, rolled back with it
        for table, count in expected.items():
            assert _table_count(conn, table) == count
    finally:
        conn.close()
    assert len(list(backups.glob("*v1-before-migration*"))) == 1
