"""results.csv: every SE, numbers as numbers, nothing a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io
from dataclasses import fields, replace

import pytest

from ladder_sheets.report.csv_export import COLUMNS, safe, to_csv
from ladder_sheets.core.model import CriterionInput, Ladder, Roster
from ladder_sheets.core.summary import Row, summarize
from tests.support.results import find_person, inputs_for, results_for


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


def test_every_text_column_is_defused_not_just_the_name(ladder: Ladder, roster: Roster) -> None:
    """Whatever text reaches a row (a team, a band, a metric or pivot name, a hold reason from the ladder, the
    manager's recommendation), a spreadsheet opening results.csv shows it as typed: each text column gets its
    own formula-like value. (status and manager_scores_from are the tool's own words.)"""
    inputs = {p.id: inputs_for(ladder, p.target_level, 2, 1) for p in roster.people}
    summary = summarize(results_for(ladder, roster, inputs), ladder)
    starts = ("=", "+", "-", "@", "\t", "\r", "\n")
    text_fields = [f.name for f in fields(Row) if f.type in ("str", "tuple[str, ...]")
                   and f.name not in ("status", "scored_by")] + ["recommendation"]
    hostile = {name: f"{starts[i % len(starts)]}HYPERLINK(\"http://evil.example\",\"{name}\")"
               for i, name in enumerate(text_fields)}
    first = summary.rows[0]
    row = replace(first, shares_interests=True,  # else the pivot and track are not shown
                  agenda=replace(first.agenda, recommendation=hostile["recommendation"]),
                  **{k: ((v,) if k == "metrics_below" else v) for k, v in hostile.items() if k != "recommendation"})
    out = next(csv.DictReader(io.StringIO(to_csv(replace(summary, rows=(row,))))))
    column = {"id": "id", "name": "name", "email": "email", "team": "team", "manager_name": "manager",
              "level": "level", "target": "target_level", "self_band": "self_band", "manager_band": "manager_band",
              "metrics_below": "metrics_below_benchmark", "top_pivot": "top_pivot_interest", "track": "track_preference",
              "self_hold": "self_band_held_because", "manager_hold": "manager_band_held_because",
              "scored_by_detail": "manager_scores_detail", "recommendation": "recommendation",
              "agreed_band": "agreed_band", "verdict": "committee_decision", "rationale": "committee_rationale"}
    written = {name for name in text_fields if name in column}
    assert {column[name] for name in written} == set(COLUMNS) - {
        "quarter", "status", "self_readiness", "manager_readiness", "calibration_gap", "self_scored",
        "manager_scored", "criteria", "errors", "missing", "self_not_observed", "manager_not_observed",
        "career_interests_shared", "manager_scores_from",
        "quarters_top_band_running"}  # every text column of the file is checked
    for name in written:
        assert out[column[name]] == "'" + hostile[name], name


def test_numbers_are_rounded_blanks_stay_blank_and_sharing_reads_yes_or_no(ladder: Ladder, roster: Roster) -> None:
    inputs = {p.id: inputs_for(ladder, p.target_level, 2, 1) for p in roster.people}
    summary = summarize(results_for(ladder, roster, inputs), ladder)
    first, second = summary.rows[:2]
    rows = (replace(first, self_pct=2 / 3, manager_pct=None, gap=None, shares_interests=True,
                    metrics_below=("Win rate", "Deal velocity"), streak=None),
            replace(second, shares_interests=False, streak=2))
    text = to_csv(replace(summary, rows=rows))
    assert text.startswith(",".join(COLUMNS) + "\r\n") and text.endswith("\r\n")
    one, two = csv.DictReader(io.StringIO(text))
    assert (one["quarter"], two["quarter"]) == (summary.quarter, summary.quarter) != ""
    assert (one["self_readiness"], one["manager_readiness"], one["calibration_gap"]) == ("0.666667", "", "")
    assert one["metrics_below_benchmark"] == "Win rate; Deal velocity"
    assert (one["career_interests_shared"], two["career_interests_shared"]) == ("yes", "no")
    assert (one["quarters_top_band_running"], two["quarters_top_band_running"]) == ("", "2")  # "": no history


def test_not_observed_counts_land_in_their_own_columns(ladder: Ladder, roster: Roster) -> None:
    """Tomas marks one criterion "not observed yet", his manager three others: each count under its own name."""
    tomas = find_person(roster, "tomas-novak")
    allowed = [c.id for c in ladder.rubric_for(tomas.target_level).criteria if c.allow_not_observed]
    inputs = inputs_for(ladder, tomas.target_level, 2, 1)
    unseen = {allowed[0]: CriterionInput(None, 1.0, "Led the Acme POC", self_not_observed=True)}
    unseen |= {i: CriterionInput(2.0, None, "Led the Acme POC", manager_not_observed=True) for i in allowed[1:4]}
    inputs = replace(inputs, criteria={**inputs.criteria, **unseen})
    summary = summarize(results_for(ladder, roster, {tomas.id: inputs}), ladder)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(to_csv(summary)))}
    assert (rows[tomas.id]["self_not_observed"], rows[tomas.id]["manager_not_observed"]) == ("1", "3")
