"""The sheets of summary.xlsx that never average across rubrics: readiness and skill groups per rubric with their
n, and each manager's scores beside the rest of the org's (``core.calibration``)."""

from __future__ import annotations

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..core.calibration import Line
from ..core.styles import FILL
from ..core.summary import Summary
from .summary_cells import PCT, SCORE, SIGNED, WRAP, Looks, Value, header, put, widths


def rubric_sheet(ws: Worksheet, looks: Looks, s: Summary) -> None:
    """Average manager readiness per team on each rubric, each with its n; the org's last."""
    rubrics = [(x.target, x.title) for x in s.org.rubrics]
    # "n" right of its rubric's average: the rubric's name would not fit a column this narrow.
    header(ws, looks, ["Team", "SEs", *(h for _, title in rubrics for h in (f"{title}: average", "n"))])
    for i, group in enumerate((*s.teams, s.org), start=1):
        plain, pct = looks(bold=group is s.org), looks(bold=group is s.org, num_format=PCT)
        put(ws, i, 0, group.name, plain)
        put(ws, i, 1, group.people, plain)
        for j, (target, _) in enumerate(rubrics):
            got = group.on(target)
            put(ws, i, 2 + 2 * j, got.avg if got else None, pct)
            put(ws, i, 3 + 2 * j, got.n if got else None, plain)
    put(ws, len(s.teams) + 3, 0, "Manager readiness averaged only within one rubric: readiness on different rubrics "
                                 "measures different criteria. n: the SEs on that rubric with a manager readiness.")
    widths(ws, [22, 7, *([16, 6] * len(rubrics))])
    ws.set_row(0, 60)  # four lines: "Director of Presales Readiness: average" in a column this wide


def heatmap(ws: Worksheet, looks: Looks, s: Summary) -> None:
    """Average manager score (0..max) per skill group per team and rubric: where to spend enablement."""
    header(ws, looks, ["Team", "Rubric", "SEs scored", *(name for _, name in s.skill_groups)], frozen_cols=2)
    lines = [(group, x) for group in (*s.teams, s.org) for x in group.rubrics]
    for i, (group, x) in enumerate(lines, start=1):
        plain, score = looks(bold=group is s.org), looks(bold=group is s.org, num_format=SCORE)
        put(ws, i, 0, group.name, plain)
        put(ws, i, 1, x.title, plain)
        put(ws, i, 2, max((n for _, n in x.skills.values()), default=0), plain)
        for c, (gid, _) in enumerate(s.skill_groups, start=3):
            put(ws, i, c, x.skills[gid][0] if gid in x.skills else None, score)
    team_lines = sum(1 for group, _ in lines if group is not s.org)
    if team_lines:
        ws.conditional_format(1, 3, team_lines, len(s.skill_groups) + 2, {
            "type": "3_color_scale", "min_type": "num", "min_value": 0, "min_color": "#F8696B",
            "mid_type": "num", "mid_value": s.scale_max / 2, "mid_color": "#FFEB84",
            "max_type": "num", "max_value": s.scale_max, "max_color": "#63BE7B"})
    put(ws, len(lines) + 2, 0, f"Average manager score per criterion testing each skill group (0-{s.scale_max}), "
                               "within one rubric; blank: no criterion of that group on the rubric, or none scored. "
                               "SEs scored: the n. Red is where to spend enablement.")
    widths(ws, [22, 28, 9, *([16] * len(s.skill_groups))])
    ws.set_row(0, 32)


def calibration_sheets(wb: Workbook, looks: Looks, s: Summary) -> None:
    """Calibration: each manager on each rubric (bands, overall mean beside the org's); then per criterion."""
    c = s.calibration
    ws = wb.add_worksheet("Calibration")
    bands = list(s.band_names)
    header(ws, looks, ["Manager", "Rubric", "SEs", *(f"{b} (share)" for b in bands), "Mean score", "Org mean",
                       "Org n", "Difference", "Flag", "Criteria flagged"], frozen_cols=2)
    pct = looks(num_format=PCT)
    for i, v in enumerate(c.views, start=1):
        put(ws, i, 0, v.manager_name)
        put(ws, i, 1, v.title)
        put(ws, i, 2, v.people)
        shares = dict(v.shares)
        for j, b in enumerate(bands, start=3):
            put(ws, i, j, shares.get(b, 0.0), pct)
        _line(ws, looks, i, 3 + len(bands), v.overall, with_n=False)
        put(ws, i, 8 + len(bands), len(v.flagged))
    _caption(ws, len(c.views) + 2, s, "Each SE's mean score over the rubric's criteria, averaged (the mean score); "
                                      "the org's leaves the manager out.")
    widths(ws, [18, 26, 6, *([9] * len(bands)), 8, 8, 7, 9, 18, 9])
    ws.set_row(0, 32)
    _by_criterion(wb.add_worksheet("Calibration by criterion"), looks, s)


def _by_criterion(ws: Worksheet, looks: Looks, s: Summary) -> None:
    header(ws, looks, ["Manager", "Rubric", "Criterion", "Mean score", "n", "Org mean", "Org n", "Difference",
                       "Flag"], frozen_cols=3)
    wrap = looks(**WRAP)
    row = 1
    for v in s.calibration.views:
        for criterion, x in v.criteria:
            put(ws, row, 0, v.manager_name)
            put(ws, row, 1, v.title)
            put(ws, row, 2, criterion, wrap)
            _line(ws, looks, row, 3, x, with_n=True)
            row += 1
    _caption(ws, row + 1, s, "Per criterion: the manager's mean score over their SEs on the rubric; the org's over "
                             "every other manager's SEs on the same rubric.")
    widths(ws, [18, 26, 50, 8, 5, 8, 7, 9, 18])
    ws.set_row(0, 32)


def _line(ws: Worksheet, looks: Looks, row: int, col: int, x: Line, *, with_n: bool) -> None:
    """Mean[, n], org mean, org n, difference and flag from column ``col``."""
    values: list[tuple[Value, str]] = [(x.mean, SCORE), *([(x.n, "0")] if with_n else []), (x.org_mean, SCORE),
                                       (x.org_n, "0"), (x.difference, SIGNED)]
    for j, (value, fmt) in enumerate(values):
        put(ws, row, col + j, value, looks(num_format=fmt))
    put(ws, row, col + len(values), x.flag, looks(bg_color=f"#{FILL['close']}") if x.flagged else None)


def _caption(ws: Worksheet, row: int, s: Summary, what: str) -> None:
    c = s.calibration
    put(ws, row, 0, f"{what} Scores: {c.source or 'none yet'}. A difference of {c.alert:g} points or more is "
                    f"flagged once both sides have at least {c.min_n} SEs; below that: too few to tell. This compares "
                    "managers with each other, not with their SEs' self scores.")
