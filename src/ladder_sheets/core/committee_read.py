"""Read the committee's workbook back: every decision, or every problem, located.

Recognised by content (``kinds``: its Guide says "Workbook: Committee calibration"), read
with the landmarks every workbook is read with (``reading``): the rows listed are the
Guide's fact, each row is found by the person id in its ID column (sorted rows read
right), the Decisions sheet is found by its contents when renamed, columns by their
headers. Every input is held to its rule (``inputs.parse_cell``), and a band agreed
against the manager's needs a rationale. Pure: the caller opens the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from . import checks, kinds
from .cells import Cell, Role, SheetLayout, WorkbookLayout
from .committee import Decision, Verdict
from .committee_layout import DECISIONS, Listed, committee_version, key, reading_guide, reading_layout
from .inputs import RawValue, parse_cell, show
from .locate import Found
from .model import Ladder
from .reading import WorkbookSource, read, shape
from .results import Kind, Problem, Results, Severity
from .scoring import as_text

RATIONALE_MISSING = "rationale_missing"  # a problem's kind: a band agreed against the manager's, without a rationale


@dataclass
class Reading:
    """What a committee workbook holds: its decisions, and every problem found (ERROR: nothing may be applied)."""

    decisions: list[Decision] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity is Severity.ERROR]


def read_committee(ladder: Ladder, results: Results, book: WorkbookSource, file: str) -> Reading:
    """The decisions in ``book`` for ``results.quarter``, each checked; problems say where and what."""
    cache: dict[object, Found] = {}
    out = Reading()
    kind = read(shape(kinds.probe(), (Role.META,)), book, file, cache).values.get(kinds.KIND_KEY)
    if _text(kind) != kinds.COMMITTEE:
        said = f"its Guide says 'Workbook: {_text(kind)}'" if _text(kind) else "it has no Guide saying what it is"
        out.problems.append(Problem(file, "", "", Kind.UNIDENTIFIED, f"not a committee workbook ({said}); write one "
                                                                       "with `ladder-sheets calibrate ... --out`"))
        return out
    guide = shape(WorkbookLayout(None, results.quarter, committee_version(ladder), (reading_guide(),)), (Role.META,))
    facts = read(guide, book, file, cache)
    out.problems += facts.problems + checks.check_meta(guide.layout, guide.keys, facts.values, results.quarter, file)
    listed = _listed(results, _text(facts.values.get("meta.listed")).split(), file, out)
    if out.errors:
        return out
    form = shape(reading_layout(ladder, results.quarter, listed))
    found = read(form, book, file, cache)
    out.problems += found.problems
    if found.refused:
        return out
    keys = found.layout.by_key()
    for x in listed:
        _decide(ladder, x, found.values, keys, file, out)
    if not out.decisions and not out.errors:
        sheet = keys[key(listed[0].person_id, "agreed")][0].title if listed else DECISIONS
        out.problems.append(Problem(file, sheet, "", Kind.BLANK, "no agreed band is filled in, so there is nothing "
                                                                 "to apply"))
    return out


def _listed(results: Results, ids: list[str], file: str, out: Reading) -> list[Listed]:
    """The SEs the workbook lists (the Guide's fact), as the reading layout needs them: by id, with their names."""
    people = {p.person.id: p.person for p in results.people}
    unknown = [pid for pid in ids if pid not in people]
    if unknown:
        out.problems.append(Problem(file, "Guide", "", Kind.NOT_ON_ROSTER,
                                    f"lists {', '.join(repr(u) for u in unknown)}, not in the results of "
                                    f"{results.quarter}; write the workbook again from these results"))
    return [Listed(pid, people[pid].name) for pid in ids if pid in people]


def _decide(ladder: Ladder, x: Listed, values: Mapping[str, RawValue], keys: Mapping[str, tuple[SheetLayout, Cell]],
            file: str, out: Reading) -> None:
    """One SE's row: each input held to its rule, then the rules between them."""
    got: dict[str, str] = {}
    at: dict[str, tuple[str, str]] = {}  # input -> (sheet, cell) where it was found
    wrong: set[str] = set()  # inputs already reported: a wrong band is not also a missing one
    for name in ("agreed", "rationale", "verdict"):
        sheet, cell = keys[key(x.person_id, name)]
        at[name] = (sheet.title, cell.ref)
        assert cell.validation is not None
        parsed = parse_cell(cell.validation, values.get(key(x.person_id, name)))
        if parsed.problem is not None:
            kind, message = parsed.problem
            wrong.add(name)
            out.problems.append(Problem(file, sheet.title, cell.ref, kind,
                                        f"{x.name}: {cell.validation.title.lower()}: {message}"))
        got[name] = "" if parsed.value is None else str(parsed.value)
    band = _text(values.get(key(x.person_id, "manager_band")))
    if got["verdict"] and not got["agreed"] and "agreed" not in wrong:
        out.problems.append(Problem(file, *at["agreed"], Kind.BLANK,
                                    f"{x.name}: a decision ({got['verdict']}) needs an agreed band"))
    elif got["agreed"] and got["agreed"] != band and not got["rationale"].strip():
        out.problems.append(Problem(file, *at["rationale"], RATIONALE_MISSING,
                                    f"{x.name}: the agreed band {got['agreed']} differs from the manager's band "
                                    f"{band or show(None)}, so a rationale is required"))
    if got["agreed"]:
        verdict = next((v.value for v in Verdict if v.shown == got["verdict"]), "")
        out.decisions.append(Decision(x.person_id, band, got["agreed"], got["rationale"].strip(), verdict))


def _text(value: RawValue) -> str:
    return as_text(value).strip() if isinstance(value, (str, int, float)) else ""
