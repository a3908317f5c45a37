"""A manager's review workbook: a Guide, a Team page, and one sheet per SE where the manager scores them.

The manager's own place to score (``ladder-sheets review``), so the manager's column of
the SE's workbook can stay locked. Built from the same cells, styles, validations and
formula builders as the SE's scorecard (``scorecard_formulas``), written by the same
writer, and read back by collect with the same landmarks (``review_read``).

Each SE sheet holds the SE's evidence and self score read-only (``blind`` leaves the self
score out), the manager's score and comment per criterion, the readiness and band those
scores give, and the manager's recommendation with why. Its keys are unique in the
workbook: ``review.<person id>.<key>``, where ``<key>`` is the scorecard's own
(``criteria.SR-01.manager``), so what is read back is the SE workbook's inputs. Pure.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from . import layout, scorecard_formulas as formulas
from .cells import (EVIDENCE_FORMAT, PRINT_SCALE, ROWID_PREFIX, TEXT_FORMAT, TITLE_HEIGHT, Cell, Check,
                    ConditionalRule, Editor, Requirement, Role, SheetLayout, Validation, WorkbookLayout, height)
from .kinds import MANAGER_REVIEW, kind_guide
from .model import CellValue, Criterion, Ladder, Manager, Person, Recommendation, Roster
from .results import PersonResult, Status
from .calibration import OrgFigures
from .review_team import team_sheet
from .styles import FILL

REVIEW_LAYOUT_VERSION = 1
TEAM = "Team"
FIRST = 6  # first criterion row of an SE sheet
# Columns of an SE sheet, as (name, header, width); {top} is the scale's top score.
_COLUMNS = (("id", "ID", 6), ("competency", "Competency (skill group)", 14), ("criterion", "Criterion", 25),
            ("anchor", "What {top} looks like", 30), ("weight", "Weight", 7), ("floor", "Must-have: at least", 13),
            ("self", "SE's self (0-{top})", 10), ("manager", "Your score (0-{top})", 10),
            ("manager_points", "Your points", 7), ("evidence", "SE's evidence", 80), ("comment", "Your comment", 34))
COL = {name: chr(65 + i) for i, (name, _, _) in enumerate(_COLUMNS)}
_RESULT_AT = COL["anchor"]  # results, the recommendation and why sit in the anchor column
_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")  # what Excel refuses in a sheet name
# Free text is a text cell: "3/4" or "=great quarter" stays as typed instead of becoming a date or a formula.
_TEXT = TEXT_FORMAT


def review_version(ladder: Ladder) -> str:
    return f"{ladder.id}@{ladder.version}/review-{REVIEW_LAYOUT_VERSION}"


@dataclass(frozen=True)
class Seed:
    """What a review shows and carries for one SE: from the collected results, when there are any."""

    person: Person
    returned: bool = False  # the SE's workbook came back
    self_scores: Mapping[str, float | None] = field(default_factory=dict)
    evidence: Mapping[str, str] = field(default_factory=dict)
    manager: Mapping[str, tuple[float | None, str]] = field(default_factory=dict)  # already returned: kept
    recommendation: str = ""
    why: str = ""
    self_pct: float | None = None


def seed(person: Person, result: PersonResult | None) -> Seed:
    """What ``person``'s sheet shows and carries, from their collected result (None: nothing collected)."""
    if result is None or result.inputs is None:
        return Seed(person)
    criteria = result.inputs.criteria
    manager = {cid: (c.manager_score, c.comment) for cid, c in criteria.items()
               if c.manager_score is not None or c.comment}
    return Seed(person, result.status is not Status.MISSING, {cid: c.self_score for cid, c in criteria.items()},
                {cid: c.evidence for cid, c in criteria.items() if c.evidence}, manager, result.recommendation,
                result.why, result.scores.self_pct if result.scores is not None else None)


def key(person_id: str, k: str, kind: str = "review") -> str:
    """The workbook-wide key of an SE sheet's ``k``: ``review.<id>.criteria.SR-01.manager`` (``kind``: the
    workbook's key prefix, "peer" in a peer workbook); row ids stay row ids (``rowid.criteria.SR-01#<id>``),
    which landmarks recognise by their prefix."""
    return f"{k}#{person_id}" if k.startswith(ROWID_PREFIX) else f"{kind}.{person_id}.{k}"


def unkeyed(person_id: str, full: str, kind: str = "review") -> str:
    """``key``'s inverse: the scorecard's key of a cell of ``person_id``'s sheet ("" for another's)."""
    if full.startswith(ROWID_PREFIX):
        return full.removesuffix(f"#{person_id}") if full.endswith(f"#{person_id}") else ""
    prefix = f"{kind}.{person_id}."
    return full[len(prefix):] if full.startswith(prefix) else ""


def reviewed(wl: WorkbookLayout) -> dict[str, str]:
    """The SEs a review has a sheet for: person id -> sheet title."""
    suffix = ".meta.person_id"
    return {str(cell.value): sheet.title for sheet, cell in wl.cells(Role.META) if cell.key.endswith(suffix)}


def sheet_titles(people: Sequence[Person]) -> dict[str, str]:
    """Each SE's sheet name: their name as Excel allows it (31 characters, none of []:*?/\\), unique."""
    taken = {"guide", TEAM.casefold()}
    out: dict[str, str] = {}
    for p in people:
        base = _FORBIDDEN.sub("-", p.name).strip().strip("'")[:31].strip() or p.id[:31]
        title, n = base, 1
        while title.casefold() in taken:
            n += 1
            title = f"{base[:31 - len(str(n)) - 1]} {n}"
        taken.add(title.casefold())
        out[p.id] = title
    return out


def build_review(ladder: Ladder, roster: Roster, manager: Manager, quarter: str, due: date, seeds: Sequence[Seed],
                 blind: bool, org: OrgFigures) -> WorkbookLayout:
    """The review workbook of ``manager``: Guide, Team, then one sheet per SE in ``seeds``."""
    titles = sheet_titles([s.person for s in seeds])
    sheets = [se_sheet(ladder, s, titles[s.person.id], quarter, blind, n) for n, s in enumerate(seeds, start=1)]
    version = review_version(ladder)
    people = [(s.person, titles[s.person.id]) for s in seeds]
    return WorkbookLayout(None, quarter, version, (
        _guide(ladder, roster, manager, quarter, due, seeds, blind, version),
        team_sheet(ladder, manager, quarter, people, org, FIRST, COL), *sheets), f"Manager review: {manager.name}")


def se_sheet(ladder: Ladder, seed: Seed, title: str, quarter: str, blind: bool, n: int = 1) -> SheetLayout:
    """One SE's sheet: the criteria with the SE's side read-only and the manager's to fill, then the results.

    ``n`` numbers its defined names (``ReviewReadiness_<n>``): names are unique in a workbook.
    """
    person = seed.person
    rubric = ladder.rubric_for(person.target_level)
    cells, widths, heights = _top(ladder, seed, title, quarter, blind)
    groups = {g.id: g.name for g in ladder.skill_groups}
    rows = {c.id: r for r, c in enumerate(rubric.criteria, start=FIRST)}
    for c in rubric.criteria:
        row, heights[rows[c.id]] = _criterion_row(ladder, seed, rows[c.id], c, groups.get(c.skill_group, ""), blind,
                                                  widths)
        cells += row
    end, more, merges = _results(ladder, seed, rows, n, widths, heights, blind)
    cells += more
    rules = _rules(ladder, rows, end)
    return SheetLayout(title, tuple(cells), widths, heights, (), rules, f"{COL['anchor']}{FIRST}",
                       (f"D3:{COL['manager_points']}3", *merges), print_breaks=(COL["manager_points"],),
                       print_scale=PRINT_SCALE, print_columns="A:A", print_rows=f"{FIRST - 1}:{FIRST - 1}")


def _top(ladder: Ladder, seed: Seed, title: str, quarter: str, blind: bool
         ) -> tuple[list[Cell], dict[str, float], dict[int, float]]:
    """Title, subtitle, the person id (read back: a renamed sheet is still known), caption and headers."""
    p, top = seed.person, ladder.scale.max
    rubric = ladder.rubric_for(p.target_level)
    scale = " · ".join(f"{i} = {label}" for i, label in enumerate(ladder.scale.labels))
    caption = (f"Scale: {scale}. Score every criterion in the yellow 'Your score' column and add a comment where "
               "it helps; then choose a recommendation and say why, below the criteria. "
               + ("Blind review: the SE's self scores are left out, so you score first. " if blind else "")
               + ("" if seed.returned else f"{p.name}'s workbook has not been returned yet: no evidence to show."))
    cells = [Cell("B1", Role.LABEL, f"Manager review: {p.name}", "title"),
             Cell("B2", Role.LABEL, f"{rubric.title} · {quarter}", "subtitle"),
             Cell("B3", Role.LABEL, "Person id", "label"),
             Cell("C3", Role.META, p.id, "text", key(p.id, "meta.person_id")),
             Cell("D3", Role.LABEL, caption, "note")]
    headers = [(COL[name], h.format(top=top), w) for name, h, w in _COLUMNS]
    cells += [Cell(f"{col}{FIRST - 1}", Role.LABEL, h, "header") for col, h, _ in headers]
    span = sum(w for name, _, w in _COLUMNS[3:9])
    heights = {1: TITLE_HEIGHT, 3: height([(caption, span)]), FIRST - 1: height([(h, w) for _, h, w in headers], bold=True)}
    del title  # the sheet's name is set by the caller; the title cell names the person in full
    return cells, {col: w for col, _, w in headers}, heights


def _criterion_row(ladder: Ladder, seed: Seed, r: int, c: Criterion, group: str, blind: bool,
                   widths: Mapping[str, float]) -> tuple[list[Cell], float]:
    """Row ``r`` for criterion ``c``: its cells, and the height its wrapped texts need."""
    pid = seed.person.id
    k = f"criteria.{c.id}"
    score, comment = layout.manager_checks(ladder, c)
    carried, note = seed.manager.get(c.id, (None, ""))
    self_score = None if blind else seed.self_scores.get(c.id)
    evidence = seed.evidence.get(c.id, "")
    competency = f"{c.competency}\n({group})" if group else c.competency
    cells = [
        Cell(f"{COL['id']}{r}", Role.LABEL, c.id, "id", key=key(pid, f"rowid.{k}")),
        Cell(f"{COL['competency']}{r}", Role.LABEL, competency, "wrap"),
        Cell(f"{COL['criterion']}{r}", Role.LABEL, c.text, "wrap"),
        Cell(f"{COL['anchor']}{r}", Role.LABEL, c.anchor, "wrap"),
        Cell(f"{COL['weight']}{r}", Role.LABEL, c.weight, "number", number_format="0.##"),
        Cell(f"{COL['floor']}{r}", Role.LABEL, layout.must_have(ladder, c), "must"),
        Cell(f"{COL['self']}{r}", Role.LABEL, self_score, "carry_number", number_format="0"),
        Cell(f"{COL['manager']}{r}", Role.INPUT, carried, "input", key(pid, f"{k}.manager"), score, Editor.MANAGER),
        Cell(f"{COL['manager_points']}{r}", Role.FORMULA, formulas.points(f"{COL['manager']}{r}", f"{COL['weight']}{r}"),
             "formula", key(pid, f"{k}.manager_points"), number_format="0.##"),
        Cell(f"{COL['evidence']}{r}", Role.LABEL, evidence or None, "carry", number_format=EVIDENCE_FORMAT),
        Cell(f"{COL['comment']}{r}", Role.INPUT, note or None, "input_wrap", key(pid, f"{k}.comment"), comment,
             Editor.MANAGER, number_format=_TEXT, required=Requirement.NEVER),
    ]
    shown = [(c.text, COL["criterion"]), (c.anchor, COL["anchor"]), (competency, COL["competency"]),
             (evidence, COL["evidence"])]
    return cells, height([(text, widths[column]) for text, column in shown])


_WHY = Validation(Check.TEXT, 0, 3000, (), "Why", "The write-up is limited to 3,000 characters.")


def _recommendation() -> Validation:
    options = tuple(r.shown for r in Recommendation)
    return Validation(Check.CHOICE, 0, 0, options, "Recommendation", "Choose one of: " + ", ".join(options))


def _results(ladder: Ladder, seed: Seed, rows: Mapping[str, int], n: int, widths: Mapping[str, float],
             heights: dict[int, float], blind: bool) -> tuple[int, list[Cell], list[str]]:
    """The results under the criteria, the recommendation and why: (first row, cells, merges)."""
    pid, s = seed.person.id, max(rows.values()) + 2
    must = ladder.must_haves(ladder.rubric_for(seed.person.target_level))
    at = _RESULT_AT
    mine = layout.columns(ladder, rows, COL, "manager")  # the scorecard's own formulas, over this sheet's columns
    lines: list[tuple[str, str, CellValue, str, str]] = [
        ("Readiness (your scores)", "result.manager_pct", formulas.readiness(ladder, mine), f"ReviewReadiness_{n}", "0%"),
        ("Band (your scores)", "result.manager_band", formulas.band(ladder, must, f"{at}{s}", mine), f"ReviewBand_{n}",
         ""),
        *((("Band held by", "result.manager_hold", formulas.hold(ladder, must, mine, f"{at}{s}", f"{at}{s + 1}"), "",
            ""),) if must else ()),
        ("Criteria you scored", "result.manager_scored", formulas.scored(mine), "", ""),
    ]
    cells: list[Cell] = []
    for i, (label, k, formula, name, fmt) in enumerate(lines):
        cells += [Cell(f"{COL['criterion']}{s + i}", Role.LABEL, label, "label"),
                  Cell(f"{at}{s + i}", Role.FORMULA, formula, "result_wrap" if k.endswith("hold") else "result",
                       key(pid, k), name=name, number_format=fmt)]
    r = s + len(lines)
    shown: CellValue = "not shown (blind review)" if blind else "—" if seed.self_pct is None else seed.self_pct
    cells += [Cell(f"{COL['criterion']}{r}", Role.LABEL, "The SE's self readiness", "label"),
              Cell(f"{at}{r}", Role.LABEL, shown, "carry_number", number_format="0%")]
    r += 2
    cells += [Cell(f"{COL['criterion']}{r}", Role.LABEL, "Your recommendation", "label"),
              Cell(f"{at}{r}", Role.INPUT, _shown(seed.recommendation), "input", key(pid, "recommendation"),
                   _recommendation(), Editor.MANAGER, required=Requirement.NEVER),
              Cell(f"{COL['criterion']}{r + 1}", Role.LABEL, "Why (for the packet)", "label"),
              Cell(f"{at}{r + 1}", Role.INPUT, seed.why or None, "input_wrap", key(pid, "why"), _WHY, Editor.MANAGER,
                   number_format=_TEXT, required=Requirement.NEVER)]
    wide = sum(widths[chr(c)] for c in range(ord(at), ord(COL["manager_points"]) + 1))
    heights[r + 1] = max(90.0, height([(seed.why, wide)]))
    if must:
        heights[s + 2] = height([("x" * 160, wide)])
    merges = [f"{at}{r + 1}:{COL['manager_points']}{r + 1}"]
    if must:
        merges.append(f"{at}{s + 2}:{COL['manager_points']}{s + 2}")
    return s, cells, merges


def _shown(recommendation: str) -> str | None:
    """A stored recommendation ("next cycle") as its dropdown shows it ("Next cycle")."""
    known = {r.value: r.shown for r in Recommendation}
    return known.get(recommendation) or None


def _rules(ladder: Ladder, rows: Mapping[str, int], s: int) -> tuple[ConditionalRule, ...]:
    """The band coloured as on the scorecard."""
    band = f"{_RESULT_AT}{s + 1}"
    return tuple(ConditionalRule(band, f'{band}="{b.name}"', FILL[kind])
                 for b, kind in zip(ladder.bands, ("ready", "close", "developing")))


# The Guide's facts after "Workbook: Manager review", in order: (label, meta key).
_FACTS = (("Manager", "meta.manager_name"), ("Manager id", "meta.manager_id"), ("Team", "meta.team"),
          ("Quarter", "meta.quarter"), ("Due date", "meta.due"), ("Blind", "meta.blind"),
          ("Template version", "meta.template_version"))


def reading_guide() -> SheetLayout:
    """The review's Guide as collect reads it back: its facts, where ``_guide`` writes them."""
    return kind_guide(MANAGER_REVIEW, "", [(label, None, k) for label, k in _FACTS], ())


def _guide(ladder: Ladder, roster: Roster, manager: Manager, quarter: str, due: date, seeds: Sequence[Seed],
           blind: bool, version: str) -> SheetLayout:
    """The Guide: whose review this is (facts read back), how to fill it in and return it, the SEs in it."""
    address = manager.return_to or roster.return_to or manager.email
    values = (manager.name, manager.id, manager.team, quarter, due.isoformat(), "Yes" if blind else "No", version)
    facts = [(label, value, k) for (label, k), value in zip(_FACTS, values)]
    texts = [("How to fill in", "heading"),
             (f"This is your review of your SEs for {quarter}: one sheet per SE, named after them, and a {TEAM} "
              "sheet that shows how your scores compare with the rest of the org's.", "paragraph"),
             ("1. On each SE's sheet, score every criterion in the yellow 'Your score' column (0 to "
              f"{ladder.scale.max}) and add a comment where it helps. The SE's evidence is beside it, read-only.",
              "paragraph"),
             ("2. Below the criteria, choose your recommendation (Promote now, Next cycle or Not yet) and say why: "
              "it goes into the promotion packet as you write it.", "paragraph"),
             (f"3. Before you send it, look at the {TEAM} sheet: your mean score per criterion beside the org's "
              "for the same rubric shows your own leniency or strictness.", "paragraph"),
             (f"Save it and return it to {address} by {due.isoformat()}.", "label"),
             ("Send it from your own address: a review sent from any other address is not used, so that the "
              "scores are known to be yours.", "paragraph")]
    if blind:
        texts.append(("Blind review: the SEs' self scores are left out, so you score first. Once the reviews "
                      "are collected, the next review workbook shows them side by side, your scores carried in.",
                      "paragraph"))
    table = [("SE", "Level → target", "Their workbook")] + [
        (s.person.name, f"{ladder.level(s.person.level).name} → {ladder.level(s.person.target_level).name}",
         "returned" if s.returned else "not returned yet") for s in seeds]
    return kind_guide(MANAGER_REVIEW, f"{ladder.name}: {quarter} manager review", facts, texts, table)


def reading_sheet(ladder: Ladder, person: Person, title: str, quarter: str) -> SheetLayout:
    """``person``'s sheet as collect reads it back (named ``title``, as found): cells and landmarks
    only; nothing the SE wrote (evidence, self scores) is needed to find the manager's cells."""
    return replace(se_sheet(ladder, Seed(person, returned=True), title, quarter, blind=True), title=title)
