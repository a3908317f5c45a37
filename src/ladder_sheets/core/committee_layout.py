"""The promotion committee's workbook (``ladder-sheets calibrate``): a Guide, the Decisions sheet and the Managers sheet.

Decisions lists every SE in or near the top band (``committee.near_top``), one row each:
the manager's band and readiness, readiness over quarters, quarters in the top band in a
row, evidence completeness, the manager's recommendation and who scored; then the
committee's inputs (an agreed band from the ladder's bands, a rationale, a decision) and
a Check formula that says when a rationale is missing. Managers shows each manager's
SEs by band and mean scores beside the org's (``committee_managers``).

Built from the same cells, validations and writer as every workbook, and read back by
``committee_read`` through the same landmarks: each row is found by the person id in its
ID column (a sorted sheet reads right), the rows listed are a fact of the Guide, and
every cell shown for reading only is keyed, so only the SE's name checks a row. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .calibration import Calibration
from .cells import (TITLE_HEIGHT, Cell, Check, ConditionalRule, Requirement, Role, SheetLayout, Validation,
                    WorkbookLayout, height, text_literal)
from .committee import Verdict, near_top
from .committee_managers import managers_sheets
from .kinds import COMMITTEE, kind_guide
from .model import CellValue, Ladder
from .styles import FILL
from .summary import Row, Summary
from .trends import Trends

COMMITTEE_LAYOUT_VERSION = 1
DECISIONS = "Decisions"
HEAD = 7  # the header row of Decisions; SEs from the row below
# (name, header, width) of the Decisions columns, in order.
_COLUMNS = (("id", "ID", 14), ("name", "SE", 16), ("manager", "Manager", 14), ("move", "Level → target", 15),
            ("band", "Manager's band", 11), ("pct", "Manager readiness", 9), ("over", "Readiness over quarters", 17),
            ("streak", "{top} in a row", 7), ("evidence", "Evidence", 20), ("recommendation", "Manager recommends", 13),
            ("scored", "Scored by", 13), ("agreed", "Agreed band", 10), ("rationale", "Rationale", 30),
            ("verdict", "Decision", 9), ("check", "Check", 15))
COL = {name: chr(65 + i) for i, (name, _, _) in enumerate(_COLUMNS)}
RATIONALE_NEEDED, BAND_NEEDED = "rationale needed", "choose an agreed band"
AS_MANAGERS = "as the manager's"
_RATIONALE = Validation(Check.TEXT, 0, 3000, (), "Rationale", "The rationale is limited to 3,000 characters.")
_TEXT = "@"  # typed text stays text: "3/4" or "=strong" is not a date or a formula


@dataclass(frozen=True)
class Listed:
    """One SE as the committee sees them, and what it decided already (carried into a new copy)."""

    person_id: str
    name: str
    manager: str = ""
    move: str = ""
    manager_band: str = ""
    manager_pct: float | None = None
    over: str = ""  # readiness over quarters, in words
    streak: int | None = None
    evidence: str = ""
    recommendation: str = ""
    scored_by: str = ""
    agreed: str = ""
    rationale: str = ""
    verdict: str = ""  # as shown ("Not yet")


def committee_version(ladder: Ladder) -> str:
    return f"{ladder.id}@{ladder.version}/committee-{COMMITTEE_LAYOUT_VERSION}"


def key(person_id: str, name: str) -> str:
    """The key of one SE's cell: ``decisions.<id>.agreed``."""
    return f"decisions.{person_id}.{name}"


def listing(ladder: Ladder, s: Summary, t: Trends | None) -> list[Listed]:
    """Who the committee looks at (in or near the top band, recommended now, or decided before), top band first,
    then by manager readiness; ``t`` (the history's trends) gives readiness over quarters."""
    rows = [r for r in s.rows if r.agreed_band or near_top(ladder, r.manager_band, r.manager_pct, r.agenda.recommendation)]
    order = {b.name: i for i, b in enumerate(ladder.bands)}
    rows.sort(key=lambda r: (order.get(r.manager_band, len(order)), -(r.manager_pct or 0), r.name))
    return [_listed(r, _over(r, s.quarter, t)) for r in rows]


def _over(r: Row, quarter: str, t: Trends | None) -> str:
    """"2026-Q3 88% · 2026-Q4 91%": manager readiness over the quarters the history holds (this one alone without)."""
    series = zip(t.quarters, t.series(r.id)) if t is not None else [(quarter, r.manager_pct)]
    return " · ".join(f"{q} {'—' if v is None else f'{v * 100:.0f}%'}" for q, v in series)


def _listed(r: Row, over: str) -> Listed:
    unsupported = ", ".join(e.criterion_id for e in r.unsupported)
    evidence = f"{r.criteria - len(r.unsupported)} of {r.criteria} where needed" + (
        f"; none for {unsupported}" if unsupported else "")
    return Listed(r.id, r.name, r.manager_name, f"{r.level} → {r.target}", r.manager_band, r.manager_pct, over,
                  r.streak, evidence, r.agenda.recommendation or "none", _scored(r.scored_by, r.manager_name),
                  r.agreed_band, r.rationale, r.verdict)


def _scored(kind: str, manager: str) -> str:
    return {"review": f"{manager}, in their review", "google": f"{manager}, in the Google sheet",
            "manager_return": f"{manager}, workbook from their side",
            "plain_file": "a file given to collect"}.get(kind, "not scored")


def build_committee(ladder: Ladder, quarter: str, listed: Sequence[Listed], calibration: Calibration) -> WorkbookLayout:
    """The committee's workbook for ``quarter``: Guide, Decisions over ``listed``, Managers."""
    version = committee_version(ladder)
    return WorkbookLayout(None, quarter, version, (
        _guide(ladder, quarter, listed, version), decisions_sheet(ladder, quarter, listed),
        *managers_sheets(ladder, quarter, calibration)), f"Promotion committee: {quarter}")


def reading_layout(ladder: Ladder, quarter: str, listed: Sequence[Listed]) -> WorkbookLayout:
    """What ``committee_read`` reads once the Guide's facts are known: Decisions over ``listed`` (in the order
    written). Not the Guide: its own paragraphs would read as text someone typed where no field is."""
    return WorkbookLayout(None, quarter, committee_version(ladder), (decisions_sheet(ladder, quarter, listed),))


# The Guide's facts after "Workbook: Committee calibration", in order: (label, meta key).
_FACTS = (("Quarter", "meta.quarter"), ("Template version", "meta.template_version"),
          ("SEs listed (ids)", "meta.listed"))


def reading_guide() -> SheetLayout:
    return kind_guide(COMMITTEE, "", [(label, None, k) for label, k in _FACTS], ())


def _guide(ladder: Ladder, quarter: str, listed: Sequence[Listed], version: str) -> SheetLayout:
    top, below = ladder.bands[0], ladder.bands[1] if len(ladder.bands) > 1 else ladder.bands[0]
    near = round((top.min_pct - ladder.committee_near) * 100)
    values = (quarter, version, " ".join(x.person_id for x in listed))
    texts = [("How to fill in", "heading"),
             (f"{DECISIONS} lists every SE in the {top.name} band by their manager's scores, those {below.name} "
              f"with a manager readiness of {near}% or more (within {round(ladder.committee_near * 100)} points "
              f"of {top.name}), anyone their manager recommends promoting now, and anyone decided on before.",
              "paragraph"),
             ("1. For each SE you decide on, choose the agreed band (yellow, a dropdown of the ladder's bands). "
              "Leave the row blank for an SE not discussed.", "paragraph"),
             ("2. Where the agreed band differs from the manager's, write the rationale: it is required, and the "
              "Check column says 'rationale needed' until it is there. It goes into the packet and the manager's "
              "agenda as written.", "paragraph"),
             (f"3. Choose a decision: {', '.join(v.shown for v in Verdict)}.", "paragraph"),
             ("4. Apply it: ladder-sheets calibrate RESULTS --team TEAM --apply THIS-FILE. Every input is checked "
              "first; nothing is recorded while one is wrong. Applying the same file again changes nothing; a later "
              "file replaces this quarter's decisions.", "paragraph"),
             (f"From then on the agreed band counts wherever a band is counted, and a promotion candidate is "
              f"{top.name} by the agreed band (else the manager's) {ladder.candidate_quarters} quarters running.",
              "paragraph"),
             ("The Managers sheet shows each manager's SEs by band and their mean scores beside the rest of the "
              "org's, per rubric.", "paragraph")]
    return kind_guide(COMMITTEE, f"{ladder.name}: {quarter} promotion committee",
                      [(label, value, k) for (label, k), value in zip(_FACTS, values)], texts)


def decisions_sheet(ladder: Ladder, quarter: str, listed: Sequence[Listed]) -> SheetLayout:
    """One row per listed SE, the committee's inputs on the right, a Check formula per row, totals on top."""
    top = ladder.bands[0].name
    headers = [(COL[n], h.format(top=top), w) for n, h, w in _COLUMNS]
    widths = {c: w for c, _, w in headers}
    caption = (f"One row per SE in or near {top}. Read across, then fill in the yellow cells: the agreed band, a "
               "rationale whenever it differs from the manager's band, and a decision. Sorting and filtering are fine.")
    cells = [Cell("A1", Role.LABEL, f"Promotion committee: {quarter}", "title"),
             Cell("A2", Role.LABEL, caption, "note"),
             *(Cell(f"{c}{HEAD}", Role.LABEL, h, "header") for c, h, _ in headers)]
    heights: dict[int, float] = {1: TITLE_HEIGHT, 2: height([(caption, sum(widths.values()))]),
                                 HEAD: height([(h, w) for _, h, w in headers], bold=True)}
    last = HEAD + len(listed)
    cells += _totals(ladder, last) if listed else [Cell("A4", Role.LABEL, "Nobody is in or near the top band.", "label")]
    for r, x in enumerate(listed, start=HEAD + 1):
        cells += _row(ladder, x, r)
        heights[r] = height([(x.name, widths[COL["name"]]), (x.evidence, widths[COL["evidence"]]),
                             (x.over, widths[COL["over"]]), (x.move, widths[COL["move"]]),
                             (x.rationale, widths[COL["rationale"]])])
    return SheetLayout(DECISIONS, tuple(cells), widths, heights, rules=_rules(ladder, last) if listed else (),
                       freeze=f"C{HEAD + 1}", merges=(f"A2:{COL['check']}2",), print_rows=f"{HEAD}:{HEAD}")


def _row(ladder: Ladder, x: Listed, r: int) -> list[Cell]:
    pid = x.person_id
    bands = tuple(b.name for b in ladder.bands)
    agreed = Validation(Check.CHOICE, 0, 0, bands, "Agreed band", "Choose one of: " + ", ".join(bands))
    verdicts = tuple(v.shown for v in Verdict)
    verdict = Validation(Check.CHOICE, 0, 0, verdicts, "Decision", "Choose one of: " + ", ".join(verdicts))
    shown: list[tuple[str, CellValue, str, str]] = [
        ("manager", x.manager, "wrap", ""), ("move", x.move, "wrap", ""),
        ("pct", x.manager_pct, "carry_number", "0%_)"), ("over", x.over, "wrap", ""),
        ("streak", x.streak, "carry_number", _COUNT), ("evidence", x.evidence, "wrap", ""),
        ("recommendation", x.recommendation, "wrap", ""), ("scored", x.scored_by, "wrap", "")]
    c = COL
    return [Cell(f"{c['id']}{r}", Role.LABEL, pid, "id", key=f"rowid.decisions.{pid}"),
            Cell(f"{c['name']}{r}", Role.LABEL, x.name, "wrap"),
            # Keyed, so that only the name checks the row: these may change between writing and applying.
            *(Cell(f"{c[n]}{r}", Role.LABEL, v, style, key=key(pid, f"shown.{n}"), number_format=fmt)
              for n, v, style, fmt in shown),
            Cell(f"{c['band']}{r}", Role.META, x.manager_band, "text", key=key(pid, "manager_band")),
            Cell(f"{c['agreed']}{r}", Role.INPUT, x.agreed or None, "input", key(pid, "agreed"), agreed,
                 required=Requirement.NEVER),
            Cell(f"{c['rationale']}{r}", Role.INPUT, x.rationale or None, "input_wrap", key(pid, "rationale"),
                 _RATIONALE, number_format=_TEXT, required=Requirement.NEVER),
            Cell(f"{c['verdict']}{r}", Role.INPUT, x.verdict or None, "input", key(pid, "verdict"), verdict,
                 required=Requirement.NEVER),
            Cell(f"{c['check']}{r}", Role.FORMULA, check_formula(r), "formula_wrap", key(pid, "check"))]


_COUNT = "0_)"  # a count padded on its right by a character's width: it would run into the text beside it


def check_formula(r: int) -> str:
    """What row ``r``'s inputs still need, as ``check`` says it."""
    a, e, m, n = (f"{COL[x]}{r}" for x in ("agreed", "band", "rationale", "verdict"))
    return (f'=IF(AND({a}="",{n}<>""),{text_literal(BAND_NEEDED)},IF({a}="","",IF({a}={e},'
            f'{text_literal(AS_MANAGERS)},IF(LEN(TRIM({m}))=0,{text_literal(RATIONALE_NEEDED)},'
            f'"changed from "&{e}))))')


def check(agreed: str, manager_band: str, rationale: str, verdict: str) -> str:
    """The Check column's text from a row's inputs (blank: ""); the formula says the same."""
    if not agreed:
        return BAND_NEEDED if verdict else ""
    if agreed.casefold() == manager_band.casefold():
        return AS_MANAGERS
    return RATIONALE_NEEDED if not rationale.strip() else f"changed from {manager_band}"


# (label, key, label's column): each label in a column wide enough to show it, its count to the right.
_TOTALS = (("Decided", "decided", "C"), ("Changed band", "changed", "G"), ("Rationale needed", "missing", "I"),
           ("Agreed {top}", "top", "K"))


def _totals(ladder: Ladder, last: int) -> list[Cell]:
    """Row 4: how far the committee has got, counted by formulas over the rows."""
    first, c = HEAD + 1, COL
    agreed, band, checks = (f"{c[n]}{first}:{c[n]}{last}" for n in ("agreed", "band", "check"))
    formulas = {"decided": f'=COUNTIF({agreed},"?*")', "changed": f'=SUMPRODUCT(({agreed}<>"")*({agreed}<>{band}))',
                "missing": f"=COUNTIF({checks},{text_literal(RATIONALE_NEEDED)})",
                "top": f"=COUNTIF({agreed},{text_literal(ladder.bands[0].name)})"}
    cells = [Cell("A4", Role.LABEL, "Listed", "label"),
             Cell("B4", Role.LABEL, last - HEAD, "carry_number", number_format=_COUNT)]
    for label, k, at in _TOTALS:
        value = chr(ord(at) + 1)
        cells += [Cell(f"{at}4", Role.LABEL, label.format(top=ladder.bands[0].name), "label"),
                  Cell(f"{value}4", Role.FORMULA, formulas[k], "result", f"decisions.total.{k}", number_format=_COUNT)]
    return cells


def _rules(ladder: Ladder, last: int) -> tuple[ConditionalRule, ...]:
    """A missing rationale in red, on the rationale and on its Check; agreed bands in the bands' colours."""
    first, c = HEAD + 1, COL
    a, e, m, k = (f"{c[n]}{first}" for n in ("agreed", "band", "rationale", "check"))
    needed = f'AND({a}<>"",{a}<>{e},LEN(TRIM({m}))=0)'
    return (ConditionalRule(f"{m}:{c['rationale']}{last}", needed, FILL["developing"]),
            ConditionalRule(f"{k}:{c['check']}{last}",
                            f"OR({k}={text_literal(RATIONALE_NEEDED)},{k}={text_literal(BAND_NEEDED)})",
                            FILL["developing"]),
            *(ConditionalRule(f"{a}:{c['agreed']}{last}", f"{a}={text_literal(b.name)}", FILL[kind])
              for b, kind in zip(ladder.bands, ("ready", "close", "developing"))))


def expected_decisions(ladder: Ladder, listed: Sequence[Listed],
                       typed: Mapping[str, tuple[str, str, str]]) -> dict[str, CellValue]:
    """What each formula of Decisions must show, from what was typed per SE: (agreed band, rationale, decision)."""
    out: dict[str, CellValue] = {}
    rows = [(x, *typed.get(x.person_id, ("", "", ""))) for x in listed]
    for x, agreed, rationale, verdict in rows:
        out[key(x.person_id, "check")] = check(agreed, x.manager_band, rationale, verdict)
    if rows:
        out |= {"decisions.total.decided": sum(1 for _, a, _, _ in rows if a),
                "decisions.total.changed": sum(1 for x, a, _, _ in rows if a and a.casefold() != x.manager_band.casefold()),
                "decisions.total.missing": sum(1 for x, a, m, v in rows if check(a, x.manager_band, m, v) == RATIONALE_NEEDED),
                "decisions.total.top": sum(1 for _, a, _, _ in rows if a.casefold() == ladder.bands[0].name.casefold())}
    return out


__all__ = ["DECISIONS", "Listed", "build_committee", "check", "expected_decisions", "listing", "reading_layout"]
