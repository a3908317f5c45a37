"""The sheets of summary.xlsx that never average across rubrics: readiness and skill groups per rubric with their
n, and each manager's scores beside the rest of the org's (``core.calibration``)."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ..core.calibration import Line
from ..core.styles import FILL, FONT
from ..core.summary import Summary
from .summary_cells import PCT, SCORE, SIGNED, header, text, widths

_FLAGGED = PatternFill("solid", fgColor=FILL["close"])


def rubric_sheet(ws: Worksheet, s: Summary) -> None:
    """Average manager readiness per team on each rubric, each with its n; the org's last."""
    rubrics = [(x.target, x.title) for x in s.org.rubrics]
    header(ws, ["Team", "SEs", *(h for _, title in rubrics for h in (f"{title}: average", f"{title}: n"))])
    for i, group in enumerate((*s.teams, s.org), start=2):
        text(ws, i, 1, group.name)
        ws.cell(i, 2, group.people)
        for j, (target, _) in enumerate(rubrics):
            got = group.on(target)
            ws.cell(i, 3 + 2 * j, got.avg if got else None).number_format = PCT
            ws.cell(i, 4 + 2 * j, got.n if got else None)
        for c in range(1, 3 + 2 * len(rubrics)):
            ws.cell(i, c).font = Font(name=FONT, bold=group is s.org)
    note = len(s.teams) + 4
    text(ws, note, 1, "Manager readiness averaged only within one rubric: readiness on different rubrics measures "
                      "different criteria. n: the SEs on that rubric with a manager readiness.")
    widths(ws, [22, 7, *([16, 6] * len(rubrics))])
    ws.row_dimensions[1].height = 45


def heatmap(ws: Worksheet, s: Summary) -> None:
    """Average manager score (0..max) per skill group per team and rubric: where to spend enablement."""
    header(ws, ["Team", "Rubric", "SEs scored", *(name for _, name in s.skill_groups)], freeze="C2")
    lines = [(group, x) for group in (*s.teams, s.org) for x in group.rubrics]
    for i, (group, x) in enumerate(lines, start=2):
        text(ws, i, 1, group.name)
        text(ws, i, 2, x.title)
        ws.cell(i, 3, max((n for _, n in x.skills.values()), default=0))
        for c, (gid, _) in enumerate(s.skill_groups, start=4):
            ws.cell(i, c, x.skills[gid][0] if gid in x.skills else None).number_format = SCORE
        for c in range(1, len(s.skill_groups) + 4):
            ws.cell(i, c).font = Font(name=FONT, bold=group is s.org)
    last_col = get_column_letter(len(s.skill_groups) + 3)
    team_lines = sum(1 for group, _ in lines if group is not s.org)
    if team_lines:
        ws.conditional_formatting.add(
            f"D2:{last_col}{team_lines + 1}",
            ColorScaleRule(start_type="num", start_value=0, start_color="F8696B", mid_type="num",
                           mid_value=s.scale_max / 2, mid_color="FFEB84", end_type="num", end_value=s.scale_max,
                           end_color="63BE7B"))
    text(ws, len(lines) + 3, 1, f"Average manager score per criterion testing each skill group (0-{s.scale_max}), "
                                "within one rubric; blank: no criterion of that group on the rubric, or none scored. "
                                "SEs scored: the n. Red is where to spend enablement.")
    widths(ws, [22, 28, 9, *([16] * len(s.skill_groups))])
    ws.row_dimensions[1].height = 32


def calibration_sheets(wb: Workbook, s: Summary) -> None:
    """Calibration: each manager on each rubric (bands, overall mean beside the org's); then per criterion."""
    c = s.calibration
    ws = wb.create_sheet("Calibration")
    bands = [name for name in s.band_names]
    header(ws, ["Manager", "Rubric", "SEs", *(f"{b} (share)" for b in bands), "Mean score", "Org mean", "Org n",
                "Difference", "Flag", "Criteria flagged"], freeze="C2")
    for i, v in enumerate(c.views, start=2):
        text(ws, i, 1, v.manager_name)
        text(ws, i, 2, v.title)
        ws.cell(i, 3, v.people)
        shares = dict(v.shares)
        for j, b in enumerate(bands, start=4):
            ws.cell(i, j, shares.get(b, 0.0)).number_format = PCT
        _line(ws, i, 4 + len(bands), v.overall, with_n=False)
        ws.cell(i, 9 + len(bands), len(v.flagged))
    _caption(ws, len(c.views) + 3, s, "Each SE's mean score over the rubric's criteria, averaged (the mean score); "
                                      "the org's leaves the manager out.")
    widths(ws, [18, 26, 6, *([9] * len(bands)), 8, 8, 7, 9, 18, 9])
    ws.row_dimensions[1].height = 32
    _by_criterion(wb.create_sheet("Calibration by criterion"), s)


def _by_criterion(ws: Worksheet, s: Summary) -> None:
    header(ws, ["Manager", "Rubric", "Criterion", "Mean score", "n", "Org mean", "Org n", "Difference", "Flag"],
           freeze="D2")
    row = 2
    for v in s.calibration.views:
        for criterion, x in v.criteria:
            text(ws, row, 1, v.manager_name)
            text(ws, row, 2, v.title)
            text(ws, row, 3, criterion)
            ws.cell(row, 3).alignment = Alignment(wrap_text=True, vertical="top")
            _line(ws, row, 4, x, with_n=True)
            row += 1
    _caption(ws, row + 1, s, "Per criterion: the manager's mean score over their SEs on the rubric; the org's over "
                             "every other manager's SEs on the same rubric.")
    widths(ws, [18, 26, 50, 8, 5, 8, 7, 9, 18])
    ws.row_dimensions[1].height = 32


def _line(ws: Worksheet, row: int, col: int, x: Line, *, with_n: bool) -> None:
    """Mean[, n], org mean, org n, difference and flag from column ``col``."""
    values: list[tuple[object, str]] = [(x.mean, SCORE), *([(x.n, "0")] if with_n else []), (x.org_mean, SCORE),
                                        (x.org_n, "0"), (x.difference, SIGNED)]
    for j, (value, fmt) in enumerate(values):
        ws.cell(row, col + j, value).number_format = fmt
    flag = col + len(values)
    text(ws, row, flag, x.flag)
    if x.flagged:
        ws.cell(row, flag).fill = _FLAGGED


def _caption(ws: Worksheet, row: int, s: Summary, what: str) -> None:
    c = s.calibration
    text(ws, row, 1, f"{what} Scores: {c.source or 'none yet'}. A difference of {c.alert:g} points or more is "
                     f"flagged once both sides have at least {c.min_n} SEs; below that: too few to tell. This compares "
                     "managers with each other, not with their SEs' self scores.")


