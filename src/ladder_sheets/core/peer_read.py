"""Read a rater's peer workbook back: each SE sheet's ratings and blind-spot answer, as a ``Part`` for that SE.

Recognised by content (its Guide says "Workbook: Peer input" and names the rater's address),
read with the landmarks every workbook is read with (``reading``): columns by header, rows by
criterion id, sorted rows, inserted columns, and a renamed SE sheet known by the person id it
holds. Every rating and answer is held to its rule (``inputs.parse_cell``), and the sheet's two
formulas to what the ratings give (``peer_layout.expected``). Whether a return is used (from
whom, the newest) is ``peer_input``'s call. Pure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from . import checks
from .cells import Role, WorkbookLayout
from .inputs import RawValue, parse_cell, show
from .kinds import PEER_INPUT
from .locate import Found
from .model import Inputs, Ladder, Person, Roster
from .outcomes import FileOutcome, Part
from .peer_layout import BLIND_SPOT_KEY, KIND, Rates, expected, peer_version, raters, reading_guide, reading_sheet
from .raters import PeerAnswer, RaterRole
from .reading import Job, Shape, WorkbookSource, read, shape
from .results import Kind, Problem, Severity
from .review_layout import sheet_titles, unkeyed
from .review_read import person_sheets
from .scoring import as_text

_GUIDES: dict[str, Shape] = {}  # the Guide's facts, by template version
_RATERS: dict[int, tuple[Roster, dict[str, Rates]]] = {}  # each roster's raters, worked out once


def examine_peer(job: Job, book: WorkbookSource, file: str, mtime: float, cache: dict[object, Found]) -> FileOutcome:
    """What one peer workbook gives each SE it rates (``parts``), and what is wrong with it as a whole."""
    guide = _guide(job)
    facts = read(guide, book, file, cache)
    email = _text(facts.values.get("meta.rater_email")).lower()
    rates = _raters(job.roster).get(email)
    if rates is None:
        sheet, cell = guide.keys["meta.rater_email"]
        return FileOutcome(file, mtime, kind=PEER_INPUT, problems=(Problem(
            file, sheet.title, cell.ref, Kind.NOT_ON_ROSTER,
            f"a peer workbook for {email or 'no address'}, whom the roster names as nobody's rater, so it was not "
            "read"),))
    name = rates.rater.name
    wrong = checks.check_meta(guide.layout, guide.keys, facts.values, job.quarter, file)
    if wrong:
        return FileOutcome(file, mtime, kind=PEER_INPUT, author=email, problems=tuple(
            replace(p, message=f"{name}'s peer workbook: {p.message}, so it was not used") for p in wrong))
    sheets, problems, copied = person_sheets(job, book, file, cache, "this peer workbook")
    roles = {p.id: role for p, role in rates.people}
    titles = sheet_titles([p for p, _ in rates.people])
    parts = []
    for title, person in sheets:
        if person.id in roles:
            parts.append(_part(job, book, file, rates, roles[person.id], title, person, titles[person.id], cache))
        else:
            problems.append(Problem(file, title, "", Kind.NOT_ON_ROSTER, f"sheet '{title}' is {person.name}'s, but "
                                    f"the roster does not name {name} as their rater (any more), so it was not read",
                                    Severity.NOTE))
    read_ids = {part.person_id for part in parts} | copied  # a copied sheet is said already
    problems += [Problem(file, "", "", Kind.MISSING_SHEET, f"no sheet for {p.name} (deleted?): nothing of {name}'s "
                         f"for them was read", Severity.INCOMPLETE) for p, _ in rates.people if p.id not in read_ids]
    return FileOutcome(file, mtime, preferred=True, problems=tuple(problems), kind=PEER_INPUT, parts=tuple(parts),
                       author=email)


def _guide(job: Job) -> Shape:
    version = peer_version(job.ladder)
    if version not in _GUIDES:
        _GUIDES[version] = shape(WorkbookLayout(None, "", version, (reading_guide(),)), (Role.META,))
    return _GUIDES[version]


def _raters(roster: Roster) -> dict[str, Rates]:
    cached = _RATERS.get(id(roster))
    if cached is None or cached[0] is not roster:
        _RATERS.clear()  # one roster per collect: keep the last
        cached = _RATERS[id(roster)] = (roster, raters(roster))
    return cached[1]


def _part(job: Job, book: WorkbookSource, file: str, rates: Rates, role: RaterRole, title: str, person: Person,
          expected_title: str, cache: dict[object, Found]) -> Part:
    """One SE sheet read and checked: the rater's answer for ``person``."""
    sheet = reading_sheet(job.ladder, person, role, title, job.quarter)
    view = replace(sheet, cells=tuple(replace(c, key=unkeyed(person.id, c.key, KIND)) for c in sheet.cells))
    found = read(shape(WorkbookLayout(person, job.quarter, peer_version(job.ladder), (view,))), book, file, cache)
    problems = list(found.problems)
    if title != expected_title:
        problems.append(Problem(file, title, "", Kind.RENAMED_SHEET, f"{person.name}'s sheet '{expected_title}' was "
                                f"renamed '{title}'; it was recognised by its person id and read", Severity.NOTE))
    answer, unjudged = _answer(job.ladder, person, found.layout, found.values, file, problems)
    answer = replace(answer, rater=rates.rater.key, name=rates.rater.name, role=role, source=file)
    if not (unjudged or found.missing):
        problems += _overwritten(job.ladder, person, answer, found.layout, found.values, file, book.keeps_text_results)
    return Part(PEER_INPUT, person.id, rates.rater.key, Inputs(), problems=tuple(problems), sheet=title, peer=answer)


def _answer(ladder: Ladder, person: Person, wl: WorkbookLayout, raw: Mapping[str, RawValue], file: str,
            problems: list[Problem]) -> tuple[PeerAnswer, bool]:
    """The ratings, "not observed yet" marks and blind-spot answer read; True when some cell was not taken as typed."""
    texts = {c.id: c.text for c in ladder.peer_criteria(person.target_level)}
    ratings: dict[str, float] = {}
    not_observed: list[str] = []
    answer, adjusted = "", False
    for sheet, cell in wl.cells(Role.INPUT):
        if cell.key not in raw or cell.validation is None:
            continue
        parsed = parse_cell(cell.validation, raw[cell.key])
        adjusted |= parsed.adjusted
        cid = cell.key.removeprefix("criteria.").removesuffix(".rating")
        if parsed.problem is not None:
            what = "the answer to the question" if cell.key == BLIND_SPOT_KEY else f"the rating of {texts.get(cid, cid)}"
            problems.append(Problem(file, sheet.title, cell.ref, parsed.problem[0],
                                    f"{person.name}'s sheet, {what}: {parsed.problem[1]}"))
        if cell.key == BLIND_SPOT_KEY:
            answer = str(parsed.value or "").strip()
        elif parsed.value == ladder.not_observed.label:
            not_observed.append(cid)
        elif isinstance(parsed.value, float):
            ratings[cid] = parsed.value
    return PeerAnswer("", "", RaterRole.AE, ratings, tuple(not_observed), answer), adjusted


def _overwritten(ladder: Ladder, person: Person, answer: PeerAnswer, wl: WorkbookLayout,
                 raw: Mapping[str, RawValue], file: str, text_results: bool) -> list[Problem]:
    """Formula cells whose saved value is not what the ratings give: typed over (judged once an app saved values)."""
    cells = [(s, c) for s, c in wl.cells(Role.FORMULA) if c.key in raw]
    if not any(raw[c.key] is not None for _, c in cells):
        return []
    want = expected(ladder, person, answer.ratings, answer.not_observed)
    return [Problem(file, s.title, c.ref, Kind.TAMPERED, f"formula result overwritten: found {show(raw[c.key])}, "
                    f"expected {show(want[c.key])} (recomputed from the ratings)")
            for s, c in cells if not checks.same_value(raw[c.key], want[c.key])
            and (text_results or not isinstance(want[c.key], str))]


def _text(value: RawValue) -> str:
    return as_text(value).strip() if isinstance(value, (str, int, float)) else ""
