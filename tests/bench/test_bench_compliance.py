"""The manager's morning view at 100,000 patients: every compliance check, as the page asks
for it, against the page's main query (the candidate patients) run raw on sqlite3 in the
same run. Target: the whole dashboard within one second."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time

import pytest

from clinic_desk.store.store import Store
from clinic_desk.workflows.compliance import compliance_dashboard
from clinic_desk.workflows.contract_rules import rules_on
from clinic_desk.workflows.staff import ensure_local_user
from tests.bench.conftest import BENCH_TODAY, measure

REPEAT = 10


@pytest.mark.bench
def test_compliance_dashboard(big_clinic: Store, report: Callable[..., None]) -> None:
    store = big_clinic
    admin = ensure_local_user(store)
    now = datetime.combine(BENCH_TODAY, time(7, 45))
    folders = [store.backup_dir]
    own = store.clinics.own()
    assert own is not None

    def ours() -> object:
        return compliance_dashboard(store, admin, BENCH_TODAY, now, folders)

    sql, params = store.compliance.patient_facts_sql(
        own.id, BENCH_TODAY, now, rules_on(store, BENCH_TODAY)
    )

    def raw() -> object:
        return store.conn.execute(sql, params).fetchall()

    dashboard = compliance_dashboard(store, admin, BENCH_TODAY, now, folders)
    print(
        "\n[bench] checks: "
        + ", ".join(f"{r.key} {r.count}" for r in dashboard.results)
        + f" | sanctions so far {dashboard.sanctions.total_kr} kr"
    )
    figures = measure("compliance dashboard (every check)", [ours], repeat=REPEAT)
    baseline = measure("candidate patients SQL raw", [raw], repeat=REPEAT)
    report(figures, baseline, target_ms=1000)
