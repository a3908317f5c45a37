"""``collect``: read every returned workbook, check it, recompute every number, and say precisely what is wrong.

Each file is read on its own: an unreadable, foreign or broken file becomes a problem in
the results and never stops the others. For each file, in order:

1. whose is it: ``meta.person_id`` on the Guide sheet, looked up in the roster (a file
   that cannot be matched to a person goes to ``Results.unmatched``);
2. is it this quarter's workbook of this template version;
3. are all sheets there, and has no row been deleted or inserted (the row-id cells must
   hold their ids where the layout put them; a sheet whose rows moved is not read);
4. every input held to its validation (``inputs.parse_inputs``);
5. every number recomputed by ``scoring.score``: cached formula values are never used,
   except to reveal a formula overwritten with a constant.

Several workbooks for one person: the one used is the newest (file modification time)
among those of the right quarter and template version, else the newest of all; ties go
to the last file name. Every other one is named in a ``duplicate`` problem.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from . import layout, quarter as quarters, scoring
from .errors import ConfigError
from .inputs import RawValue, parse_inputs, show
from .layout import GUIDE, Cell, Role, WorkbookLayout
from .model import CellValue, Inputs, Ladder, Person, Roster, Scores
from .results import Kind, PersonInfo, PersonResult, Problem, Results, Severity, Status, status_for
from .xlsx_reader import ROWID_PREFIX, UnreadableWorkbook, XlsxWorkbook

# Below this many files, starting worker processes costs more than it saves (measured in bench/).
_PARALLEL_THRESHOLD = 200
_ANY_DUE = date(2000, 1, 1)  # the due date is shown in the workbook, never read back
_REL_TOL = _ABS_TOL = 1e-9  # spreadsheet apps save 15 significant digits
_ROW_NOUNS = {"criteria": "criterion", "metrics": "metric", "pivots": "pivot", "readout": "read-out field"}


@dataclass(frozen=True)
class FileOutcome:
    """What one file turned out to be: someone's workbook (``person_id``) or an unmatched file."""

    file: str
    mtime: float
    person_id: str = ""  # "" when the file belongs to nobody on the roster
    preferred: bool = False  # this quarter's workbook, of this template version
    problems: tuple[Problem, ...] = ()
    inputs: Inputs | None = None
    scores: Scores | None = None


def collect(paths: Sequence[Path], ladder: Ladder, roster: Roster, quarter: str, *,
            jobs: int | None = None) -> Results:
    """Read the workbooks at ``paths`` (files, or directories of ``*.xlsx``) into Results."""
    try:
        quarters.parse(quarter)
    except ValueError as exc:
        raise ConfigError(f"--quarter: {exc}") from exc
    files, unmatched = expand(paths)
    outcomes = _read_all(files, ladder, roster, quarter, jobs)
    unmatched += [p for o in outcomes if not o.person_id for p in o.problems]
    by_person: dict[str, list[FileOutcome]] = {}
    for outcome in outcomes:
        if outcome.person_id:
            by_person.setdefault(outcome.person_id, []).append(outcome)
    people = tuple(_person_result(ladder, roster, p, by_person.get(p.id, [])) for p in roster.people)
    return Results(
        quarter=quarter, ladder_id=ladder.id, ladder_version=ladder.version,
        template_version=layout.template_version(ladder),
        collected_at=datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
        source="files", people=people, unmatched=tuple(unmatched),
    )


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Files to read: each file as given, each directory's ``*.xlsx`` (not recursive: other
    quarters live in sibling folders). Office lock files (``~$``) and hidden files are skipped;
    the same file named twice is read once."""
    files: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.iterdir() if _returned_workbook(p))
        elif path.exists():
            files.append(path)
        else:
            problems.append(Problem(str(path), "", "", Kind.UNREADABLE, "no such file or directory"))
    seen: set[Path] = set()
    unique = []
    for f in files:
        key = f.resolve()
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return unique, problems


def _returned_workbook(path: Path) -> bool:
    # Our own backups end in .bak, so the suffix test already leaves them out.
    return path.suffix.lower() == ".xlsx" and not path.name.startswith(("~$", ".")) and path.is_file()


# ---- reading, possibly in worker processes ------------------------------------------------

# Worker state, set once per process (as in generate): each task then ships only a path.
_job: _Job | None = None


class _Job:
    def __init__(self, ladder: Ladder, roster: Roster, quarter: str) -> None:
        self.ladder, self.roster, self.quarter = ladder, roster, quarter
        self.people = {p.id: p for p in roster.people}
        self.probe = layout.build(ladder, roster, roster.people[0], quarter, _ANY_DUE) if roster.people else None
        self.layouts: dict[str, WorkbookLayout] = {}

    def layout_for(self, person: Person) -> WorkbookLayout:
        if person.id not in self.layouts:
            self.layouts[person.id] = layout.build(self.ladder, self.roster, person, self.quarter, _ANY_DUE)
        return self.layouts[person.id]


def _init_job(ladder: Ladder, roster: Roster, quarter: str) -> None:
    global _job
    _job = _Job(ladder, roster, quarter)


def _read_all(files: list[Path], ladder: Ladder, roster: Roster, quarter: str, jobs: int | None) -> list[FileOutcome]:
    workers = min(jobs or os.cpu_count() or 1, max(1, len(files)))
    if workers <= 1 or (jobs is None and len(files) < _PARALLEL_THRESHOLD):
        _init_job(ladder, roster, quarter)
        return [read_one(f) for f in files]
    chunk = max(1, len(files) // (workers * 4))
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_job, initargs=(ladder, roster, quarter)) as pool:
        return list(pool.map(read_one, files, chunksize=chunk))


def read_one(path: Path) -> FileOutcome:
    """Everything collect learns from one file. Never raises for a bad file."""
    assert _job is not None, "call _init_job first"
    file = str(path)
    try:
        mtime = path.stat().st_mtime
        with XlsxWorkbook(path) as book:
            return _examine(_job, book, file, mtime)
    except UnreadableWorkbook as exc:
        return FileOutcome(file, 0.0, problems=(Problem(file, "", "", Kind.UNREADABLE, exc.reason),))
    except OSError as exc:
        reason = f"cannot open it: {exc.strerror or exc}"
        return FileOutcome(file, 0.0, problems=(Problem(file, "", "", Kind.UNREADABLE, reason),))


def _examine(job: _Job, book: XlsxWorkbook, file: str, mtime: float) -> FileOutcome:
    person, why_not = _identify(job, book, file)
    if person is None:
        return FileOutcome(file, mtime, problems=(why_not,) if why_not else ())
    wl = job.layout_for(person)
    raw = book.read(wl)
    problems = _check_meta(job, wl, raw, file) + _check_sheets(wl, book.sheet_names, file)
    shifted, untrusted = _check_rows(wl, raw, file)
    problems += shifted
    keys = wl.by_key()
    trusted = {k: v for k, v in raw.items() if keys[k][0].title not in untrusted}
    parsed = parse_inputs(job.ladder, wl, trusted, file)
    scores = scoring.score(job.ladder, job.ladder.rubric_for(person.target_level), parsed.inputs)
    problems += parsed.problems
    problems += _check_formulas(job.ladder, wl, trusted, parsed.inputs, parsed.adjusted, file)
    preferred = not any(p.kind in (Kind.QUARTER, Kind.VERSION) for p in problems)
    return FileOutcome(file, mtime, person.id, preferred, tuple(problems), parsed.inputs, scores)


def _identify(job: _Job, book: XlsxWorkbook, file: str) -> tuple[Person | None, Problem | None]:
    """The roster person whose workbook this is, or the problem that says why nobody's."""
    if GUIDE not in book.sheet_names:
        message = (f"sheet not found (renamed or deleted?), so the workbook cannot be matched to a person; "
                   f"sheets found: {_names(book.sheet_names)}")
        return None, Problem(file, GUIDE, "", Kind.MISSING_SHEET, message)
    if job.probe is None:
        return None, Problem(file, "", "", Kind.NOT_ON_ROSTER, "the roster is empty")
    sheet, cell = job.probe.by_key()["meta.person_id"]
    found = book.read(job.probe, (Role.META,)).get("meta.person_id")
    person_id = scoring.as_text(found).strip() if isinstance(found, (str, int, float)) else ""
    if not person_id:
        return None, Problem(file, sheet.title, cell.ref, Kind.UNIDENTIFIED,
                             f"expected the person id of someone on the roster, found {show(found)}")
    person = job.people.get(person_id)
    if person is None:
        return None, Problem(file, sheet.title, cell.ref, Kind.NOT_ON_ROSTER,
                             f"person id {person_id!r} is not on the roster")
    return person, None


def _names(titles: Iterable[str]) -> str:
    return ", ".join(f"'{t}'" for t in titles) or "none"


def _check_meta(job: _Job, wl: WorkbookLayout, raw: dict[str, RawValue], file: str) -> list[Problem]:
    problems = []
    keys = wl.by_key()
    checks = (("meta.template_version", wl.template_version, Kind.VERSION, "template version"),
              ("meta.quarter", job.quarter, Kind.QUARTER, "quarter"))
    for key, want, kind, what in checks:
        found = raw.get(key)
        if found != want:
            sheet, cell = keys[key]
            problems.append(Problem(file, sheet.title, cell.ref, kind, f"expected {what} {want}, found {_plain(found)}"))
    return problems


def _plain(value: RawValue) -> str:
    """Ids and versions as they are written: ``SR-05``, not ``text 'SR-05'``."""
    return value if isinstance(value, str) else show(value)


def _check_sheets(wl: WorkbookLayout, found: tuple[str, ...], file: str) -> list[Problem]:
    return [Problem(file, s.title, "", Kind.MISSING_SHEET,
                    f"sheet not found (renamed or deleted?); sheets found: {_names(found)}")
            for s in wl.sheets if s.title not in found]


def _check_rows(wl: WorkbookLayout, raw: dict[str, RawValue], file: str) -> tuple[list[Problem], set[str]]:
    """The first row id out of place on each sheet, and the titles of those sheets (not to be read)."""
    problems: list[Problem] = []
    untrusted: set[str] = set()
    for sheet in wl.sheets:
        for cell in sheet.cells:
            if not cell.key.startswith(ROWID_PREFIX) or cell.key not in raw:
                continue
            found = raw[cell.key]
            if found != cell.value:
                section = cell.key[len(ROWID_PREFIX):].split(".", 1)[0]
                noun = _ROW_NOUNS.get(section, "row")
                message = (f"expected {noun} {cell.value}, found {_plain(found)} (a row was deleted or inserted "
                           "above); this sheet's inputs are not used")
                problems.append(Problem(file, sheet.title, cell.ref, Kind.SHIFTED_ROWS, message))
                untrusted.add(sheet.title)
                break
    return problems, untrusted


def _check_formulas(ladder: Ladder, wl: WorkbookLayout, raw: dict[str, RawValue], inputs: Inputs,
                    adjusted: frozenset[str], file: str) -> list[Problem]:
    """Formula cells whose saved value disagrees with the recomputation: overwritten by hand.

    Only cells with a saved value are judged: a workbook no spreadsheet app has
    calculated (as openpyxl writes them) has none, and an empty cell cannot be told from
    an uncalculated formula. Nor is a cell judged when it depends on an input we could not
    take as the workbook saw it (text "2" in a score cell still adds up in ``H6-G6``).
    Only the first cell of a chain is reported: a band computed from an overwritten
    readiness is right for what it was given.
    """
    cells = [(s, c) for s, c in wl.cells(Role.FORMULA) if raw.get(c.key) is not None]
    if not cells:
        return []
    expected = layout.expected_values(ladder, wl.person, inputs)
    wrong = [(s, c) for s, c in cells if not _same(raw[c.key], expected[c.key])]
    if not wrong:
        return []
    upstream = dependencies(wl)
    wrong_keys = {c.key for _, c in wrong}
    return [
        Problem(file, sheet.title, cell.ref, Kind.TAMPERED,
                f"formula result overwritten: found {show(raw[cell.key])}, expected {show(expected[cell.key])} "
                "(recomputed from the inputs)")
        for sheet, cell in wrong
        if not upstream[cell.key] & (adjusted | wrong_keys)
    ]


def _same(found: RawValue, want: CellValue) -> bool:
    if want == "" or want is None:
        return found is None or found == ""
    if isinstance(want, (int, float)) and not isinstance(want, bool):
        return (isinstance(found, (int, float)) and not isinstance(found, bool)
                and math.isclose(found, want, rel_tol=_REL_TOL, abs_tol=_ABS_TOL))
    return found == want


# A reference or range in a formula: G6, $G$6, G6:G15 (function names hold no digits, string literals are removed first).
_REF = re.compile(r"(?<![A-Za-z_$])\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?(?![\w(])")
_STRING = re.compile(r'"(?:[^"]|"")*"')


def dependencies(wl: WorkbookLayout) -> dict[str, frozenset[str]]:
    """For each formula cell (by key), the keys of the input and formula cells it depends on, directly or not.

    Derived from the layout's own formula text, so it can never drift from what is written.
    Formulas refer to cells of their own sheet only.
    """
    out: dict[str, frozenset[str]] = {}
    for sheet in wl.sheets:
        at = {c.ref: c for c in sheet.cells}
        memo: dict[str, frozenset[str]] = {}
        for cell in sheet.cells:
            if cell.role is Role.FORMULA:
                out[cell.key] = _upstream(cell, at, memo)
    return out


def _upstream(cell: Cell, at: dict[str, Cell], memo: dict[str, frozenset[str]]) -> frozenset[str]:
    if cell.ref in memo:
        return memo[cell.ref]
    memo[cell.ref] = frozenset()  # a cycle (there is none) would end here
    found: set[str] = set()
    for ref in _referenced(str(cell.value)):
        target = at.get(ref)
        if target is None or target.role not in (Role.INPUT, Role.FORMULA):
            continue
        found.add(target.key)
        if target.role is Role.FORMULA:
            found |= _upstream(target, at, memo)
    memo[cell.ref] = frozenset(found)
    return memo[cell.ref]


def _referenced(formula: str) -> Iterable[str]:
    for m in _REF.finditer(_STRING.sub("", formula)):
        col1, row1 = m.group(1), int(m.group(2))
        col2, row2 = (m.group(3), int(m.group(4))) if m.group(3) else (col1, row1)
        for col in _columns(col1, col2):
            for row in range(row1, row2 + 1):
                yield f"{col}{row}"


def _columns(first: str, last: str) -> list[str]:
    def index(letters: str) -> int:
        n = 0
        for ch in letters:
            n = n * 26 + ord(ch) - 64
        return n

    def letters(n: int) -> str:
        out = ""
        while n:
            n, r = divmod(n - 1, 26)
            out = chr(65 + r) + out
        return out

    return [letters(i) for i in range(index(first), index(last) + 1)]


# ---- one result per person ------------------------------------------------------------


def _person_result(ladder: Ladder, roster: Roster, person: Person, outcomes: list[FileOutcome]) -> PersonResult:
    info = person_info(ladder, roster, person)
    if not outcomes:
        return PersonResult(info, Status.MISSING)
    ranked = sorted(outcomes, key=lambda o: (o.preferred, o.mtime, o.file))
    used, ignored = ranked[-1], ranked[:-1]
    problems = used.problems + tuple(_duplicate(person, used, other) for other in ignored)
    return PersonResult(info, status_for(problems), used.file, used.inputs, used.scores, problems)


def _duplicate(person: Person, used: FileOutcome, other: FileOutcome) -> Problem:
    why = "newer" if used.preferred == other.preferred else "for this quarter and template"
    message = (f"another workbook for {person.id} was returned: {used.file} was used ({why}) and this one ignored; "
               "remove the one that is wrong")
    return Problem(other.file, "", "", Kind.DUPLICATE, message, Severity.ERROR)


def person_info(ladder: Ladder, roster: Roster, person: Person) -> PersonInfo:
    manager = roster.manager_of(person)
    return PersonInfo(
        id=person.id, name=person.name, email=person.email,
        level=person.level, level_name=ladder.level(person.level).name,
        target_level=person.target_level, target_level_name=ladder.level(person.target_level).name,
        manager_id=manager.id, manager_name=manager.name, manager_email=manager.email, team=manager.team,
    )
