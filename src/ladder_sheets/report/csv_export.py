"""``results.csv``: one row per SE for spreadsheets and BI tools, safe against CSV formula injection.

Leadership's file: an SE's top pivot of interest and track preference only when they share them. The
committee's agreed band (once applied) stands beside the manager's, with its decision and rationale.
"""

from __future__ import annotations

import csv
import io

from ..core.summary import Row, Summary

# OWASP: a cell starting with one of these is run as a formula by spreadsheet apps.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")

COLUMNS = ("quarter", "id", "name", "email", "team", "manager", "level", "target_level", "status", "self_readiness",
           "manager_readiness", "calibration_gap", "self_band", "manager_band", "metrics_below_benchmark",
           "top_pivot_interest", "track_preference", "self_scored", "manager_scored", "criteria", "errors", "missing",
           "self_band_held_because", "manager_band_held_because", "self_not_observed", "manager_not_observed",
           "career_interests_shared", "manager_scores_from", "manager_scores_detail", "recommendation",
           "agreed_band", "committee_decision", "committee_rationale", "quarters_top_band_running")


def safe(value: object) -> str:
    """Text that a spreadsheet shows as typed: a leading quote defuses formula-like strings."""
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _fields(quarter: str, r: Row) -> list[object]:
    # Numbers stay numbers (negative gaps included): only text can carry a formula.
    return [quarter, safe(r.id), safe(r.name), safe(r.email), safe(r.team), safe(r.manager_name), safe(r.level),
            safe(r.target), r.status, _num(r.self_pct), _num(r.manager_pct), _num(r.gap), safe(r.self_band),
            safe(r.manager_band), safe("; ".join(r.metrics_below)), safe(r.shared_pivot), safe(r.shared_track),
            r.self_scored, r.manager_scored, r.criteria, r.errors, r.missing, safe(r.self_hold), safe(r.manager_hold),
            r.self_not_observed, r.manager_not_observed, "yes" if r.shares_interests else "no", r.scored_by,
            safe(r.scored_by_detail), safe(r.agenda.recommendation), safe(r.agreed_band), safe(r.verdict),
            safe(r.rationale), "" if r.streak is None else r.streak]


def _num(value: float | None) -> str:
    return "" if value is None else repr(round(value, 6))


def to_csv(summary: Summary) -> str:
    """UTF-8 text with a header; write it with a BOM (utf-8-sig) so Excel reads the accents right."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in summary.rows:
        writer.writerow(_fields(summary.quarter, row))
    return out.getvalue()
