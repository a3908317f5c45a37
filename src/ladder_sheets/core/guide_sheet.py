"""The Guide sheet of layout.build: whose workbook this is, how to fill it in, who sees what, the ladder.

Apart from sheet_layouts.py (the other sheets besides the scorecard) so each module stays
readable; the same rules hold: pure, one description every writer and reader walks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .cells import GUIDE, METRICS, PIVOTS, READOUT, SCORECARD, TITLE_HEIGHT, Cell, Role, SheetLayout, height
from .model import CellValue, Ladder, Person, Roster


def guide_sheet(ladder: Ladder, roster: Roster, person: Person, quarter: str, due: date, version: str,
                review: bool = False) -> SheetLayout:
    """The Guide: whose workbook this is, how to fill it in and return it, and the ladder it measures against.

    Its facts are META cells, read back to tell whose workbook a returned file is. With
    ``review`` it says the manager scores in a review workbook of their own.
    """
    manager = roster.manager_of(person)
    metrics = bool(ladder.metrics_for(person.level, person.target_level))
    page = _Page(widths={"A": 22, "B": 50, "C": 50}, heights={1: TITLE_HEIGHT},
                 cells=[Cell("A1", Role.LABEL, f"{ladder.name}: {quarter} workbook", "title")])
    for label, value, key in _facts(ladder, roster, person, quarter, due, version):
        page.cells += [Cell(f"A{page.row}", Role.LABEL, label, "label"),
                       Cell(f"B{page.row}", Role.META, value, "text", key=key)]
        page.row += 1
    page.row += 1
    for text, style in _how_to_fill(ladder, person, manager.name, roster.return_address(person), due, review):
        page.paragraph(text, style)
    page.row += 1
    page.paragraph("Who fills which column", "heading")
    # The manager is named above (Manager, How to fill in); this header stays the same in every workbook,
    # so collect can recognise the table in anyone's returned file by it.
    page.table([("Sheet", "You fill (yellow)", "Your manager fills (yellow, manager only)"),
                (SCORECARD, f"Self (0-{ladder.scale.max} per criterion) and Evidence (yours)",
                 "Nothing here: they score you in their own review workbook" if review else
                 f"Manager (0-{ladder.scale.max}) and Manager's comment"),
                (METRICS, "Actual and Notes" if metrics else "Nothing this quarter", "—"),
                (PIVOTS, "Interest, Signal present?, Gap progress and your track preference", "—"),
                (READOUT, "Your answer to every input", "—")])
    page.row += 1
    page.paragraph("Who sees what", "heading")
    page.paragraph(WHO_SEES_WHAT)
    if ladder.quick_wins:
        page.row += 1
        page.paragraph("Quick wins this week", "heading")
        for win in ladder.quick_wins:
            page.paragraph(f"• {win}")
    _the_ladder(page, ladder, person)
    return SheetLayout(GUIDE, tuple(page.cells), page.widths, page.heights, merges=tuple(page.merges))


WHO_SEES_WHAT = ("Your manager sees everything in this workbook. Leadership sees your scores, band and metrics, "
                 f"and your pivot interest and track preference only as counts across the organisation, unless you "
                 f"choose Yes to sharing them on the {PIVOTS}. SE Ops, who run the process, handle the returned "
                 "file.")


@dataclass
class _Page:
    """The Guide as it is written: text flowing down columns A-C, one row after another."""

    widths: dict[str, float]
    heights: dict[int, float]
    cells: list[Cell]
    merges: list[str] = field(default_factory=list)
    row: int = 3  # the next row to write

    def paragraph(self, text: str, style: str = "paragraph") -> None:
        """``text`` across columns A-C, its row as tall as the wrapped text needs."""
        self.cells.append(Cell(f"A{self.row}", Role.LABEL, text, style))
        self.heights[self.row] = height([(text, self.widths["A"] + self.widths["B"] + self.widths["C"])],
                                        bold=style == "heading")
        self.merges.append(f"A{self.row}:C{self.row}")
        self.row += 1

    def table(self, rows: list[tuple[str, str, str]]) -> None:
        """A three-column table, its first row the header."""
        for i, texts in enumerate(rows):
            style = "header" if i == 0 else "wrap"
            self.cells.extend(Cell(f"{col}{self.row}", Role.LABEL, text, style) for col, text in zip("ABC", texts))
            self.heights[self.row] = height([(t, self.widths[c]) for c, t in zip("ABC", texts)],
                                            bold=style == "header")
            self.row += 1


def _facts(ladder: Ladder, roster: Roster, person: Person, quarter: str, due: date, version: str
           ) -> list[tuple[str, CellValue, str]]:
    """(label, value, meta key) of each fact about the workbook."""
    manager = roster.manager_of(person)
    return [
        ("Sales Engineer", person.name, "meta.person_name"),
        ("Person id", person.id, "meta.person_id"),
        ("Email", person.email, "meta.email"),
        ("Manager", f"{manager.name} <{manager.email}>", "meta.manager"),
        ("Team", manager.team, "meta.team"),
        ("Current level", ladder.level(person.level).name, "meta.level"),
        ("Target level", ladder.level(person.target_level).name, "meta.target_level"),
        ("Quarter", quarter, "meta.quarter"),
        ("Due date", due.isoformat(), "meta.due"),
        ("Template version", version, "meta.template_version"),
    ]


def _the_ladder(page: _Page, ladder: Ladder, person: Person) -> None:
    """The stages of SE mastery (this person's level and target marked), deal focus and skill groups."""
    page.row += 1
    page.paragraph("The four stages of SE mastery", "heading")
    for level in ladder.levels:
        mark = (" (your level)" if level.id == person.level else
                " (your target)" if level.id == person.target_level else "")
        page.paragraph(f"{level.name}{mark}: {level.summary} Radius of impact: {level.radius_of_impact}")
    focus = [lv for lv in ladder.levels if lv.deal_focus]
    if focus:
        page.row += 1
        page.paragraph("Deal focus and organisational impact: what each level sounds like", "heading")
        page.table([("Level", "Deal focus", "Organisational impact")]
                   + [(lv.name, lv.deal_focus, lv.organisational_impact) for lv in focus])
    page.row += 1
    page.paragraph("Non-technical skill groups", "heading")
    for g in ladder.skill_groups:
        page.paragraph(f"{g.name}: {g.description}")


def _how_to_fill(ladder: Ladder, person: Person, manager: str, address: str, due: date,
                 review: bool = False) -> list[tuple[str, str]]:
    rubric = ladder.rubric_for(person.target_level)
    scale = scale_text(ladder) + (
        f". {not_observed_text(ladder)}" if any(c.allow_not_observed for c in rubric.criteria) else "")
    bands = " · ".join(f"{b.name} from {round(b.min_pct * 100)}%" for b in ladder.bands)
    whose = (f"Yellow cells are yours to type in. On the Scorecard, the Manager columns stay locked: {manager} "
             "scores you in their own review workbook, and the scores come together when both are returned. "
             if review else
             f"Yellow cells are typed in: most are yours; on the Scorecard, the Manager and Manager's comment columns "
             f"are for {manager}. ")
    out = [
        ("How to fill in", "heading"),
        (whose + "Grey cells are calculated, everything else is fixed, and all of it is protected.", "paragraph"),
        (f"1. {SCORECARD}: score yourself on every criterion in the Self column and note your evidence "
         "(up to 5,000 characters; the row grows as you type).", "paragraph"),
        (f"2. {METRICS}: enter this quarter's actual for each metric." if ladder.metrics_for(person.level, person.target_level)
         else f"2. {METRICS}: nothing to fill in this quarter (no metric applies to your move).", "paragraph"),
        *_optional_steps(person),
        (f"When you are done, save the workbook and return it to {address} by {due.isoformat()}.", "label"),
        (f"Scale: {scale}", "paragraph"),
        (f"Readiness bands: {bands}", "paragraph"),
    ]
    if ladder.must_haves(rubric):
        out.append(("Must-have criteria (marked on the Scorecard) must reach their minimum score: under it, each "
                    "caps the band at the one shown beside its minimum, and points alone cannot make up for it.",
                    "paragraph"))
    return out


def _optional_steps(person: Person) -> list[tuple[str, str]]:
    """Steps 3 and 4 of "How to fill in": needed of an SE asking for a move this quarter, else invited."""
    pivots = (f"3. {PIVOTS}: rate your interest in each pivot, whether you show its readiness signal and your "
              "progress on its gap; choose your track preference.")
    if person.level == person.target_level:
        return [(f"{pivots} Optional, and worth a look every quarter.", "paragraph"),
                (f"4. {READOUT}: optional; fill in the inputs before your career 1-on-1 and your talk track "
                 "assembles itself.", "paragraph")]
    ask = ("your manager has it set for this quarter" if person.asking_for_move is not None
           else "choose Yes at its foot when you ask")
    return [(f"{pivots} Needed only when you ask for a move this quarter; invited otherwise.", "paragraph"),
            (f"4. {READOUT}: are you asking for a new role or title this quarter ({ask})? Then fill in the inputs "
             "and your talk track assembles itself; otherwise it is optional.", "paragraph")]


def scale_text(ladder: Ladder) -> str:
    """"0 = Never · 1 = Occasionally · ...", as the Scorecard and the Guide say it."""
    return " · ".join(f"{i} = {label}" for i, label in enumerate(ladder.scale.labels))


def not_observed_text(ladder: Ladder) -> str:
    """What "not observed yet" means and costs, as the Scorecard and the Guide say it."""
    na = ladder.not_observed
    return (f"{na.label} = not observed yet: there was no chance to show it this quarter (offered on some criteria "
            f"only). It is left out of readiness; a band needs {round(na.min_share * 100)}% of the scorecard's "
            "weight observed.")


Page = _Page  # the Guide's way of writing text down a sheet, for the Guides of other kinds of workbook

__all__ = ["Page", "guide_sheet", "not_observed_text", "scale_text"]
