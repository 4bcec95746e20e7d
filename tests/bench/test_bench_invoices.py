"""Invoices: one invoice PDF + archive, and 1,000 invoices against reportlab alone drawing
the same pages in the same run.

"Ours" is what closing an emergency visit does for an invoice: take the number, store the
invoice, render its PDF (with the payment QR code), archive it with its SHA-256, link the
visit and write the audit entry, in one transaction (synchronous=FULL). The patients are
not listed anywhere, so no return report is made and the figure is the invoice's alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pytest

from clinic_desk.documents.invoice_pdf import invoice_pdf
from clinic_desk.domain.invoicing import EmergencyVisitDraft, NewPatientDraft, TreatmentDraft
from clinic_desk.domain.people import Profession
from clinic_desk.domain.personal_id import luhn_check_digit
from clinic_desk.store.store import Store
from clinic_desk.workflows.clinics import save_clinic
from clinic_desk.workflows.emergency import close_emergency_visit, register_emergency_visit
from clinic_desk.workflows.staff import add_staff, ensure_local_user
from tests.bench.conftest import Figures, measure
from tests.conftest import OTHER_CLINIC, OWN_CLINIC, THIRD_CLINIC
from tests.unit.workflows.invoicing_support import set_up_invoicing

TODAY = date(2026, 11, 23)
SINGLE = 200
BATCH = 1000


def _pid(n: int) -> str:
    birth = date(2010, 1, 1).toordinal() + n % 3000
    day = date.fromordinal(birth)
    tail = f"{n % 100:02d}{n // 100 % 10}"
    ten = day.strftime("%y%m%d") + tail
    return f"{day.strftime('%Y%m%d')}-{tail}{luhn_check_digit(ten)}"


@pytest.fixture
def open_visits(tmp_path: Path) -> tuple[Store, list[int]]:
    store = Store.open(tmp_path / "clinic.sqlite", tmp_path / "backups")
    actor = ensure_local_user(store)
    save_clinic(store, actor, OWN_CLINIC)
    save_clinic(store, actor, OTHER_CLINIC)
    save_clinic(store, actor, THIRD_CLINIC)
    dentist = add_staff(store, actor, "karin.holm", "Karin Holm", Profession.DENTIST)
    set_up_invoicing(store, actor, qr=True)
    visits = []
    with store.transaction():
        for n in range(SINGLE + BATCH + 20):
            draft = EmergencyVisitDraft(
                treated_at=datetime(2026, 11, 20, 10, 0),
                practitioner_id=dentist,
                treatments=(TreatmentDraft("103"), TreatmentDraft("301", "46"),
                            TreatmentDraft("401", "85")),
                new_patient=NewPatientDraft(_pid(n), "Maja", "Lindqvist"),
            )  # fmt: skip
            visits.append(register_emergency_visit(store, actor, draft, TODAY))
    return store, visits


@pytest.mark.bench
def test_invoice_pdf_and_archive(
    open_visits: tuple[Store, list[int]], report: Callable[..., None]
) -> None:
    store, visits = open_visits
    actor = ensure_local_user(store)
    pending = iter(visits)
    ours = measure(
        "one invoice: number, PDF, archive, audit",
        [lambda: close_emergency_visit(store, actor, next(pending), TODAY)] * SINGLE,
    )
    seller = store.clinics.own()
    assert seller is not None
    invoices = [store.invoices.get(i) for i in range(1, SINGLE + 1)]
    assert all(invoices)
    baseline = measure(
        "reportlab alone, same page",
        [lambda inv=inv: invoice_pdf(inv, seller, with_qr=True) for inv in invoices],  # type: ignore[misc]
    )
    report(ours, baseline, target_ms=20)

    # 1,000 invoices in a row, and reportlab drawing the same 1,000 pages.
    batch = [next(pending) for _ in range(BATCH)]
    first_number = store.invoices.last_number() + 1
    start = time.perf_counter()
    for visit_id in batch:
        close_emergency_visit(store, actor, visit_id, TODAY)
    total_ours = (time.perf_counter() - start) * 1000
    same = [store.invoices.get(n) for n in range(first_number, first_number + BATCH)]
    assert all(same)
    start = time.perf_counter()
    for invoice in same:
        assert invoice is not None
        invoice_pdf(invoice, seller, with_qr=True)
    total_raw = (time.perf_counter() - start) * 1000
    assert store.invoices.numbers() == list(range(1, first_number + BATCH))
    report(
        Figures(f"{BATCH} invoices, total", [total_ours]),
        Figures("reportlab alone, same pages", [total_raw]),
        target_ms=20_000,
        target_ratio=1.5,
    )
    store.close()
