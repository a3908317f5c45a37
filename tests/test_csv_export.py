"""results.csv: every SE, numbers as numbers, nothing a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from ladder_sheets.report.csv_export import COLUMNS, safe, to_csv
from ladder_sheets.core.model import Ladder, Roster
from ladder_sheets.core.summary import summarize
from tests.support.results import inputs_for, results_for


@pytest.mark.parametrize(("value", "expected"), [
    ("=1+1", "'=1+1"), ("+SUM(A1)", "'+SUM(A1)"), ("-2+3", "'-2+3"), ("@cmd", "'@cmd"), ("\tx", "'\tx"),
    ("Tomáš", "Tomáš"), ("a=b", "a=b"), (None, ""),
])
def test_safe(value: str | None, expected: str) -> None:
    assert safe(value) == expected


def test_rows_round_trip_and_are_defused(ladder: Ladder, roster: Roster) -> None:
    evil = replace(roster.people[0], name='=HYPERLINK("http://evil.example","x")')
    roster = replace(roster, people=(evil, *roster.people[1:]))
    inputs = {p.id: inputs_for(ladder, p.target_level, 2, 1) for p in roster.people}
    summary = summarize(results_for(ladder, roster, inputs), ladder)
    rows = list(csv.DictReader(io.StringIO(to_csv(summary))))
    assert list(rows[0]) == list(COLUMNS) and len(rows) == len(roster.people)
    assert rows[0]["name"] == "'" + evil.name
    for row, expected in zip(rows, summary.rows):
        assert float(row["manager_readiness"]) == pytest.approx(expected.manager_pct)
        assert float(row["calibration_gap"]) == pytest.approx(expected.gap)
        assert row["calibration_gap"].startswith("-")  # a negative number stays a number
