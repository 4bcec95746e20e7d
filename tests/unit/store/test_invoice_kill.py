"""Invoice numbers survive a crash: a child process issues invoices in a loop and is killed
(SIGKILL) at random moments, 50 times; the series must have no gap, and every invoice its
archived PDF and its audit entry. The number is taken in the invoice's own transaction."""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from clinic_desk.store.store import Store
from clinic_desk.workflows.emergency import register_emergency_visit
from clinic_desk.workflows.staff import ensure_local_user
from tests.conftest import NOW, OTHER_CLINIC, OWN_CLINIC, THIRD_CLINIC, TODAY
from tests.unit.workflows.invoicing_support import set_up_invoicing, visit_draft

RUNS = 50

CHILD = """
import sys
from datetime import date, datetime
from clinic_desk.domain.invoicing import EmergencyVisitDraft, TreatmentDraft
from clinic_desk.store.store import Store
from clinic_desk.workflows.emergency import register_emergency_visit
from clinic_desk.workflows.staff import ensure_local_user

folder, patient_id, dentist_id = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
store = Store.open(
    __import__("pathlib").Path(folder) / "clinic.sqlite",
    __import__("pathlib").Path(folder) / "backups",
    now=lambda: datetime(2026, 11, 23, 9, 30),
)
actor = ensure_local_user(store)
draft = EmergencyVisitDraft(
    treated_at=datetime(2026, 11, 20, 14, 5),
    practitioner_id=dentist_id,
    treatments=(TreatmentDraft("103"), TreatmentDraft("301", "46")),
    patient_id=patient_id,
)
print("ready", flush=True)
while True:
    register_emergency_visit(store, actor, draft, date(2026, 11, 23), close=True)
    print("issued", flush=True)
"""


def test_killed_invoicing_leaves_no_gap(tmp_path: Path) -> None:
    from clinic_desk.domain.people import Profession
    from clinic_desk.workflows.clinics import save_clinic
    from clinic_desk.workflows.staff import add_staff

    store = Store.open(tmp_path / "clinic.sqlite", tmp_path / "backups", now=lambda: NOW)
    actor = ensure_local_user(store)
    save_clinic(store, actor, OWN_CLINIC)
    save_clinic(store, actor, OTHER_CLINIC)
    third = save_clinic(store, actor, THIRD_CLINIC)
    dentist = add_staff(store, actor, "karin.holm", "Karin Holm", Profession.DENTIST)
    set_up_invoicing(store, actor)
    first = register_emergency_visit(
        store, actor, visit_draft(dentist, listed_clinic_id=third), TODAY, close=True
    )
    visit = store.emergency.get(first)
    assert visit is not None
    patient_id = visit.patient_id
    store.close()

    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    rng = random.Random(20261123)
    env = {**os.environ, "PYTHONPATH": str(Path.cwd())}
    for _run in range(RUNS):
        child = subprocess.Popen(
            [sys.executable, str(script), str(tmp_path), str(patient_id), str(dentist)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        # wait for the first invoice, so every run kills a child that is busy invoicing
        # (on a loaded machine a fixed sleep may end before the first one is done)
        assert child.stdout.readline().strip() == b"issued"
        time.sleep(rng.uniform(0.0, 0.3))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        assert child.returncode == -signal.SIGKILL, child.stderr.read() if child.stderr else ""
        child.stdout.close()
        if child.stderr:
            child.stderr.close()

    conn = sqlite3.connect(tmp_path / "clinic.sqlite")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
    store = Store.open(tmp_path / "clinic.sqlite", tmp_path / "backups", now=lambda: NOW)
    try:
        numbers = store.invoices.numbers()
        assert len(numbers) > RUNS  # the children issued invoices before they were killed
        assert numbers == list(range(1, len(numbers) + 1))
        assert store.invoices.last_number() == len(numbers)
        for number in numbers:
            invoice_id = store.conn.execute(
                "SELECT id FROM invoices WHERE number=?", (number,)
            ).fetchone()[0]
            documents = store.documents.for_source("invoices", invoice_id)
            assert [d.kind for d in documents] == ["invoice"], number
            store.documents.content(documents[0].id)  # the bytes match their SHA-256
        logged = sorted(
            json.loads(r[0])["invoice"]
            for r in store.conn.execute(
                "SELECT detail FROM audit_log WHERE action = 'emergency.register'"
            )
        )
        assert logged == numbers
        unbilled = store.conn.execute(
            "SELECT count(*) FROM emergency_visits WHERE invoice_id IS NULL"
        ).fetchone()[0]
        assert unbilled == 0
        assert store.audit.verify() == []
    finally:
        store.close()
