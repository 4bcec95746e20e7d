"""Fuzzing every parser and importer with hypothesis: any input gives a result or the
parser's own Swedish error, never another exception.

The normal suite runs a small number of inputs; the slow run (`-m slow`) runs 25,000 inputs
per parser, 100,000 or more in all:

    .venv/bin/python -m pytest -m slow tests/unit/test_fuzz_parsers.py -p no:cacheprovider
"""

from __future__ import annotations

import string
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clinic_desk.domain.personal_id import InvalidPersonalId, parse_personal_id
from clinic_desk.domain.price_list import parse_price_list
from clinic_desk.settings import WorkstationSettings
from clinic_desk.workflows.clinics import ImportRejected, decode_csv_bytes, parse_clinic_csv

FAST = 300
SLOW = 25_000
TODAY = date(2026, 11, 23)
PID_ALPHABET = string.digits + "-+ R\t\n" + "０１٣"  # wide and Arabic-Indic digits too
CSV_ALPHABET = string.printable + "åäöÅÄÖé\u00a0\ufeff\"';\r\n"


def personal_numbers() -> st.SearchStrategy[str]:
    return st.one_of(
        st.text(alphabet=PID_ALPHABET, max_size=20),
        st.text(max_size=20),
        st.builds(
            lambda y, m, d, s, sep: f"{y:04d}{m:02d}{d:02d}{sep}{s:04d}",
            st.integers(0, 9999),
            st.integers(0, 99),
            st.integers(0, 99),
            st.integers(0, 9999),
            st.sampled_from(["", "-", "+", " "]),
        ),
    )


def _cells(alphabet: str) -> st.SearchStrategy[str]:
    return st.text(alphabet=alphabet, max_size=30)


def csv_texts(header: str) -> st.SearchStrategy[str]:
    row = st.lists(_cells(CSV_ALPHABET), max_size=12).map(";".join)
    body = st.lists(row, max_size=8).map("\n".join)
    return st.one_of(
        st.text(alphabet=CSV_ALPHABET, max_size=400),
        body.map(lambda b: f"{header}\n{b}"),
        st.binary(max_size=400).map(decode_csv_bytes),
        st.integers(131_000, 132_000).map(lambda n: f'{header}\n"' + "x" * n),  # csv's limit
    )


CLINIC_HEADER = (
    "namn;organisationsnummer;kod;adress;postnummer;ort;telefon;epost;fakturaadress;omradesansvarig"
)
PRICE_HEADER = "code;name;price_kr;valid_from;valid_to"

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=20), inner, max_size=4)
    ),
    max_leaves=10,
)


def settings_files() -> st.SearchStrategy[bytes]:
    fields = st.fixed_dictionaries(
        {},
        optional={
            "window_geometry": JSON_VALUES,
            "show_ended_patients": JSON_VALUES,
            "idle_lock_minutes": JSON_VALUES,
            "second_backup_dir": JSON_VALUES,
        },
    )
    import json

    return st.one_of(
        st.binary(max_size=300),
        fields.map(lambda d: json.dumps(d).encode()),
        JSON_VALUES.map(lambda v: json.dumps(v).encode()),
        st.integers(1, 3000).map(lambda n: b"[" * n),
    )


def check_personal_id(text: str) -> None:
    try:
        parsed = parse_personal_id(text, today=TODAY)
    except InvalidPersonalId as exc:
        message = str(exc)
    else:
        assert parse_personal_id(parsed.canonical, today=TODAY).canonical == parsed.canonical
        return
    assert message


def check_clinic_csv(text: str) -> None:
    try:
        drafts = parse_clinic_csv(text)
    except ImportRejected as exc:
        problems = exc.problems
    else:
        assert all(d.name and d.org_number for d in drafts)
        return
    assert problems
    assert all(p.message for p in problems)


def check_price_list(text: str) -> None:
    items, problems = parse_price_list(text)
    assert all(p.message for p in problems)
    assert all(item.price_ore >= 0 for item in items)


def check_settings(data: bytes, folder: Path) -> None:
    path = folder / "workstation.json"
    path.write_bytes(data)
    loaded = WorkstationSettings.load(path)
    assert isinstance(loaded.idle_lock_minutes, int)
    assert not isinstance(loaded.idle_lock_minutes, bool)
    assert 1 <= loaded.idle_lock_minutes <= 120
    assert isinstance(loaded.show_ended_patients, bool)
    assert isinstance(loaded.window_geometry, str)
    assert isinstance(loaded.second_backup_dir, str)


CASES: list[tuple[str, Callable[[], st.SearchStrategy[Any]]]] = [
    ("personal_id", personal_numbers),
    ("clinic_csv", lambda: csv_texts(CLINIC_HEADER)),
    ("price_list", lambda: csv_texts(PRICE_HEADER)),
    ("settings", settings_files),
]


def _run(name: str, examples: int, folder: Path) -> int:
    """Run `examples` inputs through one parser; returns how many it was given."""
    strategy = dict(CASES)[name]()
    check: Callable[[Any], None] = {
        "personal_id": check_personal_id,
        "clinic_csv": check_clinic_csv,
        "price_list": check_price_list,
        "settings": lambda data: check_settings(data, folder),
    }[name]

    given_inputs = [0]

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(strategy)
    def run(value: Any) -> None:
        given_inputs[0] += 1
        check(value)

    run()
    return given_inputs[0]


@pytest.mark.parametrize("name", [n for n, _ in CASES])
def test_parsers_give_only_clear_errors(name: str, tmp_path: Path) -> None:
    assert _run(name, FAST, tmp_path) >= FAST


@pytest.mark.slow
@pytest.mark.parametrize("name", [n for n, _ in CASES])
def test_parsers_give_only_clear_errors_25000_inputs_each(
    name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    count = _run(name, SLOW, tmp_path)
    with capsys.disabled():
        print(f"\nfuzz {name}: {count} inputs, only clear errors")
    assert count >= SLOW
