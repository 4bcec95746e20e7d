"""Contract parameters as dated data: the file format, its checks, the set in force, and
the rule functions taking a set (their defaults stay the RULES.md §10 values)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from clinic_desk.domain.care_rules import (
    bite_check_required,
    first_exam_due,
    free_care_ends,
    in_target_group,
    latest_next_dentist_exam,
    max_dentist_exam_gap_years,
    max_revision_interval_months,
    next_revision_due,
    tobacco_record_required,
)
from clinic_desk.domain.contract_rules import (
    DEFAULT_RULES,
    FORMAT,
    ContractRules,
    parse_rules,
    rules_in_force,
    rules_json,
)
from clinic_desk.domain.errors import ValidationError
from clinic_desk.domain.exams import ExamKind, requirements

NEW_YEAR = replace(
    DEFAULT_RULES,
    valid_from_year=2027,
    source="Uppdrag och regler för Hälsoval tandvård 2027",
    child_interval_months=18,
    bite_check_to_age=12,
    tobacco_from_age=12,
    no_show_threshold=3,
)


def test_the_defaults_are_the_rules_md_values() -> None:
    r = DEFAULT_RULES
    assert (r.target_first_age, r.target_last_age, r.last_child_age) == (3, 19, 15)
    assert (r.child_interval_months, r.young_interval_months) == (24, 36)
    assert (r.child_gap_years, r.young_gap_years) == (4, 6)
    assert (r.bite_check_from_age, r.bite_check_to_age, r.tobacco_from_age) == (6, 13, 13)
    assert (r.no_show_threshold, r.no_show_window_months, r.min_listing_capacity) == (2, 12, 30)


def test_a_file_reads_back_what_was_written() -> None:
    assert parse_rules(rules_json(NEW_YEAR)) == NEW_YEAR


def test_a_file_missing_fields_or_out_of_range_is_refused_field_by_field() -> None:
    data = json.loads(rules_json(NEW_YEAR))
    del data["young_gap_years"]
    data["child_interval_months"] = 0
    data["tobacco_from_age"] = "13"
    data["extra"] = 1
    with pytest.raises(ValidationError) as caught:
        parse_rules(json.dumps(data))
    fields = {e.field for e in caught.value.errors}
    assert fields == {"young_gap_years", "child_interval_months", "tobacco_from_age", "file"}


def test_a_file_of_another_format_or_not_json_is_refused() -> None:
    data = json.loads(rules_json(NEW_YEAR))
    data["format"] = "something-else"
    with pytest.raises(ValidationError, match=FORMAT):
        parse_rules(json.dumps(data))
    with pytest.raises(ValidationError, match="JSON"):
        parse_rules("{not json")
    with pytest.raises(ValidationError, match="objekt"):
        parse_rules("[1, 2]")


def test_inconsistent_figures_are_refused() -> None:
    data = json.loads(rules_json(NEW_YEAR))
    data["young_interval_months"] = 12
    data["bite_check_from_age"] = 14
    with pytest.raises(ValidationError) as caught:
        parse_rules(json.dumps(data))
    assert {e.field for e in caught.value.errors} == {
        "young_interval_months",
        "bite_check_from_age",
    }


def test_the_set_in_force_is_the_latest_valid_from_not_after_the_year() -> None:
    sets = [NEW_YEAR, DEFAULT_RULES]
    assert rules_in_force(sets, 2026) is DEFAULT_RULES
    assert rules_in_force(sets, 2027) is NEW_YEAR
    assert rules_in_force(sets, 2030) is NEW_YEAR
    assert rules_in_force(sets, 2020) is DEFAULT_RULES  # before any: the oldest
    assert rules_in_force([], 2026) == DEFAULT_RULES


def test_rule_functions_follow_the_set_passed() -> None:
    birth = date(2015, 6, 1)
    assert max_revision_interval_months(10) == 24
    assert max_revision_interval_months(10, rules=NEW_YEAR) == 18
    assert max_dentist_exam_gap_years(16, rules=replace(NEW_YEAR, young_gap_years=5)) == 5
    assert bite_check_required(13)
    assert not bite_check_required(13, rules=NEW_YEAR)
    assert tobacco_record_required(12, rules=NEW_YEAR)
    assert not tobacco_record_required(12)
    assert next_revision_due(date(2026, 1, 1), 20, birth) == date(2027, 9, 1)
    with pytest.raises(ValueError, match="18 månader"):
        next_revision_due(date(2026, 1, 1), 20, birth, rules=NEW_YEAR)
    later_start = replace(NEW_YEAR, target_first_age=4, target_last_age=20)
    assert first_exam_due(birth, rules=later_start) == date(2019, 12, 31)
    assert free_care_ends(birth, rules=later_start) == date(2035, 12, 31)
    assert not in_target_group(date(2023, 1, 1), date(2026, 1, 1), rules=later_start)
    assert latest_next_dentist_exam(
        date(2020, 1, 1), birth, rules=replace(NEW_YEAR, child_gap_years=3)
    ) == date(2023, 1, 1)


def test_exam_requirements_name_the_set_s_ages() -> None:
    lines = " ".join(requirements(ExamKind.DENTIST_REVISION, 12, rules=NEW_YEAR))
    assert "högst 18 månader" in lines
    assert "6–12 år" in lines
    assert "från 12 år" in lines


def test_contract_rules_label() -> None:
    assert ContractRules().label == "Region Västerbotten, från 2025"
