"""Tests for clinic_desk.domain.price_list: reading a price list file, the price on a date."""

from __future__ import annotations

from datetime import date

from clinic_desk.domain.price_list import PriceItem, parse_price_list, price_on

HEADER = "code;name;price_kr;valid_from;valid_to\n"


def test_the_shipped_sample_reads_without_problems() -> None:
    from importlib.resources import files

    text = (files("clinic_desk.resources") / "sample-price-list.csv").read_text("utf-8")
    items, problems = parse_price_list(text)
    assert problems == []
    assert len(items) == 26
    first = items[0]
    assert (first.code, first.price_ore, first.valid_from) == ("101", 97_000, date(2024, 1, 15))


def test_every_bad_row_is_named_with_its_problem() -> None:
    text = (
        "# comment line\n"
        + HEADER
        + "101;Basundersökning;970;2024-01-15;\n"
        + "10x;Fel kod;100;2024-01-15;\n"
        + "103;;420;2024-01-15;\n"
        + "301;Smärtbehandling;4,605;2024-01-15;\n"
        + "302;Smärtbehandling;860;15/1 2024;\n"
        + "303;Smärtbehandling;1275;2024-02-01;2024-01-01\n"
        + "401;Tanduttagning;1205\n"
        + "101;Dubblett;980;2024-06-01;\n"
    )
    items, problems = parse_price_list(text)
    by_line = {p.line: p.message for p in problems}
    assert sorted(by_line) == [4, 5, 6, 7, 8, 9, 10]
    assert "10x" in by_line[4]
    assert "Benämning saknas" in by_line[5]
    assert "belopp" in by_line[6]
    assert "15/1 2024" in by_line[7]
    assert "före" in by_line[8]
    assert "kolumner" in by_line[9]
    assert "rad 3" in by_line[10]
    assert [item.code for item in items] == ["101"]


def test_a_file_without_the_header_or_rows_is_refused() -> None:
    _items, problems = parse_price_list("101;Basundersökning;970;2024-01-15;\n")
    assert "rubrikraden" in problems[0].message
    _items, problems = parse_price_list("")
    assert "tom" in problems[0].message
    _items, problems = parse_price_list(HEADER)
    assert "inga prisrader" in problems[0].message


def test_the_price_valid_on_the_treatment_date_applies() -> None:
    old = PriceItem("103", "Akut undersökning", 40_000, date(2023, 1, 1), date(2024, 1, 14))
    new = PriceItem("103", "Akut undersökning", 42_000, date(2024, 1, 15))
    other = PriceItem("301", "Smärtbehandling", 46_000, date(2024, 1, 15))
    items = [old, new, other]
    assert price_on(items, "103", date(2024, 1, 14)) == old
    assert price_on(items, "103", date(2024, 1, 15)) == new
    assert price_on(items, "103", date(2022, 12, 31)) is None
    assert price_on(items, "999", date(2024, 6, 1)) is None
    assert new.covers(date(2099, 1, 1))
    assert not old.overlaps(new)
