"""quarter.py: quarters as people type them, the quarter before, the default due date."""

from __future__ import annotations

from datetime import date

import pytest

from ladder_sheets.core import quarter
from ladder_sheets.core.errors import ConfigError


@pytest.mark.parametrize(("text", "expected"), [
    ("2026-Q4", (2026, 4)), ("2027-Q1", (2027, 1)), (" 2026-Q2\n", (2026, 2)),
])
def test_a_quarter_reads_as_year_and_number(text: str, expected: tuple[int, int]) -> None:
    assert quarter.parse(text) == expected


@pytest.mark.parametrize("text", ["2026-Q5", "2026-Q0", "2026Q4", "26-Q4", "2026-q4", "x2026-Q4", "2026-Q4x", ""])
def test_anything_else_is_refused_with_the_form_expected(text: str) -> None:
    with pytest.raises(ValueError) as err:
        quarter.parse(text)
    assert str(err.value) == f"expected a quarter like 2026-Q4, got {text!r}"


def test_a_bad_quarter_option_names_the_option() -> None:
    assert quarter.checked("2026-Q4") == "2026-Q4"
    with pytest.raises(ConfigError) as err:
        quarter.checked("Q4 2026")
    assert str(err.value) == "--quarter: expected a quarter like 2026-Q4, got 'Q4 2026'"


@pytest.mark.parametrize(("text", "before"), [
    ("2026-Q4", "2026-Q3"), ("2026-Q2", "2026-Q1"), ("2027-Q1", "2026-Q4"),
])
def test_the_quarter_before_crosses_the_year(text: str, before: str) -> None:
    assert quarter.previous(text) == before


def test_the_default_due_date_is_two_weeks_out() -> None:
    assert quarter.default_due(date(2026, 12, 25)) == date(2027, 1, 8)


@pytest.mark.parametrize(("since", "q", "months"), [
    ("2024-07-01", "2026-Q4", 30), ("2024-07", "2026-Q4", 30), ("2026-10-15", "2026-Q4", 2),
    ("2026-09-01", "2026-Q3", 1), ("2026-01-01", "2026-Q1", 3), ("2026-04-01", "2026-Q2", 3),
    ("2026-10-01", "2026-Q3", -1),  # after the quarter
    ("2024-13", "2026-Q4", None), ("2024", "2026-Q4", None), ("soon", "2026-Q4", None), ("2024-07", "Q4", None),
])
def test_months_in_level_run_to_the_end_of_the_quarter(since: str, q: str, months: int | None) -> None:
    assert quarter.months_in(since, q) == months


@pytest.mark.parametrize(("since", "said"), [
    ("2024-07", "2 years 6 months in level by the end of 2026-Q4 (since 2024-07)"),
    ("2026-01", "1 year in level by the end of 2026-Q4 (since 2026-01)"),
    ("2024-12-01", "2 years 1 month in level by the end of 2026-Q4 (since 2024-12-01)"),
    ("2026-11", "2 months in level by the end of 2026-Q4 (since 2026-11)"),
    ("2025-12", "1 year 1 month in level by the end of 2026-Q4 (since 2025-12)"),
    ("2026-12-15", "0 months in level by the end of 2026-Q4 (since 2026-12-15)"),
    ("2027-02", "since 2027-02, after 2026-Q4: check the roster"),
    ("", ""), ("last spring", ""),
])
def test_time_in_level_in_words(since: str, said: str) -> None:
    assert quarter.in_level(since, "2026-Q4") == said
