"""Crash safety: a writer process is killed (SIGKILL) at random moments while it registers
patients in the encrypted database, each one transaction with its audit entry. After every
kill the file opens, passes integrity_check, the audit chain and its head hold, and every
transaction the writer reported as committed is there (none lost).

The slow run kills the writer 60 times; the normal suite 4 times:

    .venv/bin/python -m pytest -m slow tests/unit/store/test_store_crash.py -s -p no:cacheprovider
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from clinic_desk.secrets import FileChainHead
from clinic_desk.store.encryption import DatabaseKey
from clinic_desk.store.store import Store
from clinic_desk.workflows.access_log import check_chain

WRITER = """
import sys
from datetime import date
from pathlib import Path
from clinic_desk.domain.patient_records import PatientDraft
from clinic_desk.domain.personal_id import luhn_check_digit
from clinic_desk.secrets import FileChainHead
from clinic_desk.store.encryption import DatabaseKey
from clinic_desk.store.store import Store
from clinic_desk.workflows.patients import register_patient
from clinic_desk.workflows.staff import ensure_local_user

folder, secret = Path(sys.argv[1]), sys.argv[2]
store = Store.open(folder / "clinic.sqlite", folder / "backups", key=DatabaseKey(secret),
                   chain_head=FileChainHead(folder / "head.json"))
actor = ensure_local_user(store)
number = store.patients.count_all()
print("ready", flush=True)
while True:
    number += 1
    serial = f"{number % 1000:03d}"
    birth = f"2010{(number // 1000) % 12 + 1:02d}{(number // 12000) % 28 + 1:02d}"
    pid = f"{birth}-{serial}{luhn_check_digit(birth[2:] + serial)}"
    register_patient(store, actor, PatientDraft(pid, "Test", f"Nummer{number}"), date(2026, 11, 23))
    print(number, flush=True)
"""


def _run_and_kill(folder: Path, key: DatabaseKey, rng: random.Random) -> int:
    """Start the writer, kill it at a random moment; the last number it reported."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])}
    child = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(folder), key.secret],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready", child.stderr.read() if child.stderr else ""
    time.sleep(rng.uniform(0.0, 0.4))
    child.send_signal(signal.SIGKILL)
    out, _err = child.communicate(timeout=30)
    reported = [int(line) for line in out.split() if line.isdigit()]
    return max(reported, default=0)


def _kill_runs(tmp_path: Path, runs: int) -> tuple[int, int, int]:
    """(runs, transactions reported committed, transactions lost)."""
    key = DatabaseKey.generate()
    rng = random.Random(20261123)
    Store.open(tmp_path / "clinic.sqlite", tmp_path / "backups", key=key).close()
    committed = lost = 0
    for _ in range(runs):
        last = _run_and_kill(tmp_path, key, rng)
        store = Store.open(
            tmp_path / "clinic.sqlite",
            tmp_path / "backups",
            key=key,
            chain_head=FileChainHead(tmp_path / "head.json"),
        )
        try:
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert store.head_break is None
            assert check_chain(store).intact
            count = store.patients.count_all()
            committed = max(committed, last)
            lost += max(0, committed - count)
            creates = store.conn.execute(
                "SELECT count(*) FROM audit_log WHERE action = 'patient.create'"
            ).fetchone()[0]
            assert creates == count  # one entry per committed patient, never half a one
        finally:
            store.close()
    return runs, committed, lost


def test_a_killed_writer_loses_no_committed_transaction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _runs, committed, lost = _kill_runs(tmp_path, 4)
    assert lost == 0
    assert committed > 0


@pytest.mark.slow
def test_sixty_kills_lose_no_committed_transaction(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    runs, committed, lost = _kill_runs(tmp_path, 60)
    with capsys.disabled():
        print(f"\ncrash: {runs} kills, {committed} transactions committed, {lost} lost")
    assert lost == 0
