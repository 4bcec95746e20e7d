"""Importing price lists: all or nothing, newer prices take over, the date decides the price."""

from __future__ import annotations

from datetime import date

import pytest

from clinic_desk.domain.errors import RuleViolation
from clinic_desk.domain.people import Profession, User
from clinic_desk.store.store import Store
from clinic_desk.workflows.clinics import ImportRejected
from clinic_desk.workflows.price_lists import import_price_list, sample_price_list_bytes
from clinic_desk.workflows.staff import add_staff

HEADER = "code;name;price_kr;valid_from;valid_to\n"


def test_a_bad_row_imports_nothing_and_names_the_row(store: Store, actor: User) -> None:
    data = (
        HEADER
        + "101;Basundersökning;970;2024-01-15;\n"
        + "103;Akut undersökning;fyrahundra;2024-01-15;\n"
        + "301;Smärtbehandling;460;2024-13-01;\n"
    ).encode()
    audit_before = store.audit.count()
    with pytest.raises(ImportRejected) as exc:
        import_price_list(store, actor, data, "prislista.csv")
    assert [p.line for p in exc.value.problems] == [3, 4]
    assert "fyrahundra" in exc.value.problems[0].message
    assert "2024-13-01" in exc.value.problems[1].message
    assert "Rad 3:" in str(exc.value)
    assert store.price_lists.count() == 0
    assert store.audit.count() == audit_before


def test_the_sample_imports_once_and_again_changes_nothing(store: Store, actor: User) -> None:
    first = import_price_list(store, actor, sample_price_list_bytes(), "sample.csv")
    assert (first.added, first.already_there) == (26, 0)
    again = import_price_list(store, actor, sample_price_list_bytes(), "sample.csv")
    assert (again.added, again.already_there) == (0, 26)
    assert store.price_lists.count() == 26


def test_a_newer_list_ends_the_older_price_the_day_before(store: Store, actor: User) -> None:
    import_price_list(store, actor, sample_price_list_bytes(), "2024.csv")
    newer = (HEADER + "103;Akut eller annan undersökning;455;2026-01-15;\n").encode()
    result = import_price_list(store, actor, newer, "2026.csv")
    assert (result.added, result.closed) == (1, 1)
    before = store.price_lists.price_on("103", date(2026, 1, 14))
    after = store.price_lists.price_on("103", date(2026, 1, 15))
    assert before is not None
    assert after is not None
    assert (before.price_ore, before.valid_to) == (42_000, date(2026, 1, 14))
    assert after.price_ore == 45_500
    assert store.price_lists.price_on("103", date(2023, 12, 31)) is None


def test_a_different_price_for_a_stored_period_is_refused(store: Store, actor: User) -> None:
    import_price_list(store, actor, sample_price_list_bytes(), "2024.csv")
    clash = (HEADER + "101;Basundersökning;999;2024-01-15;\n").encode()
    with pytest.raises(ImportRejected, match="Koden 101 har redan ett annat pris"):
        import_price_list(store, actor, clash, "fel.csv")
    price = store.price_lists.price_on("101", date(2025, 1, 1))
    assert price is not None
    assert price.price_ore == 97_000


def test_only_a_manager_imports_price_lists(store: Store, actor: User) -> None:
    reception = store.users.get(
        add_staff(store, actor, "petra", "Petra Ek", Profession.RECEPTIONIST)
    )
    assert reception is not None
    with pytest.raises(RuleViolation):
        import_price_list(store, reception, sample_price_list_bytes())
