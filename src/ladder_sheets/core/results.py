"""What collect/pull produce and report/history consume: one JSON document per quarter.

Pure data and its (de)serialisation; no file I/O here beyond turning dicts into models.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .model import CriterionInput, Inputs, MetricInput, MetricStatus, PivotInput, Scores, StrEnum
from .raters import PeerAnswer, answer_from, answer_record

SCHEMA = "ladder-sheets/results@2"


class Severity(StrEnum):
    INCOMPLETE = "incomplete"  # something is blank: the person still has to fill it in
    ERROR = "error"  # something is wrong: out of range, wrong type, tampered, unreadable
    NOTE = "note"  # worth knowing, changes nothing: rows sorted, an extra column's contents not read


class Kind(StrEnum):
    """The vocabulary of ``Problem.kind``. Stored as a plain string in JSON: readers compare to these values."""

    BLANK = "blank"  # a required input is empty, in a section someone started (INCOMPLETE)
    NOT_STARTED = "not_started"  # every required input of a section is empty: one problem for it (INCOMPLETE)
    AWAITING_MANAGER = "awaiting_manager"  # manager scores still empty, one problem per workbook (INCOMPLETE)
    WRONG_TYPE = "wrong_type"  # text, TRUE/FALSE or a date where a number belongs
    OUT_OF_RANGE = "out_of_range"  # a number outside its allowed range (e.g. 4 on a 0-3 scale, negative)
    NOT_WHOLE = "not_whole"  # 2.5 where a whole number belongs
    NOT_AN_OPTION = "not_an_option"  # a choice not in the list
    TOO_LONG = "too_long"  # text over its maximum length
    TAMPERED = "tampered"  # a formula cell's saved value disagrees with the recomputation
    MISSING_SHEET = "missing_sheet"  # a sheet was renamed or deleted
    RENAMED_SHEET = "renamed_sheet"  # a sheet was renamed, recognised by its contents and read (NOTE)
    SHIFTED_ROWS = "shifted_rows"  # a row was deleted or inserted: that sheet's inputs are not used
    VERSION = "version"  # the workbook was generated from another template version
    QUARTER = "quarter"  # the workbook is for another quarter
    DUPLICATE = "duplicate"  # several workbooks for one person: one is used, the others named
    NOT_ON_ROSTER = "not_on_roster"  # the workbook's person id is nobody on the roster
    UNIDENTIFIED = "unidentified"  # no person id can be read from the workbook
    UNREADABLE = "unreadable"  # not a workbook, corrupt, encrypted or unreadable file
    MISSING_COLUMN = "missing_column"  # a column's header is gone (deleted or renamed): that column is not read
    SORTED = "sorted"  # rows were sorted: read by their ids (NOTE)
    IGNORED = "ignored"  # typed where the workbook has no field (an extra column or row): not read (NOTE)
    ERROR_VALUE = "error_value"  # an input cell shows an error (#NAME?, Err:509): typed as a formula
    WRONG_FORMAT = "wrong_format"  # a returned file that cannot be a workbook (.csv, .pdf, .numbers, an image)
    SKIPPED = "skipped"  # files that are no one's return (lock files, hidden files, our own), one per folder (NOTE)
    # Manager scores that did not come from the manager's side (an SE's own return, a review from
    # another address, the locked column of a workbook whose manager scores in a review): not used.
    NOT_FROM_MANAGER = "not_from_manager"
    # A peer workbook emailed from an address other than the rater's (or the return address): not used.
    NOT_FROM_RATER = "not_from_rater"


class Status(StrEnum):
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    INVALID = "invalid"
    MISSING = "missing"  # on the roster, but no workbook came back


@dataclass(frozen=True, slots=True)
class Problem:
    """One precise finding: where it is, what was found and what was expected.

    Slotted: a large collect holds one per blank section, wrong value or note of every file.
    """

    file: str
    sheet: str
    cell: str
    kind: str  # one of Kind's values
    message: str
    severity: Severity = Severity.ERROR

    def __reduce__(self) -> tuple[type[Problem], tuple[str, str, str, str, str, Severity]]:
        # Pickled (to and from collect's workers) as its six values: the same on every Python 3.10+.
        return Problem, (self.file, self.sheet, self.cell, self.kind, self.message, self.severity)

    def __str__(self) -> str:
        where = "!".join(x for x in (f"'{self.sheet}'" if self.sheet else "", self.cell) if x)
        return f"{self.file}: {where}: {self.message}" if where else f"{self.file}: {self.message}"


@dataclass(frozen=True)
class PersonInfo:
    id: str
    name: str
    email: str
    level: str
    level_name: str
    target_level: str
    target_level_name: str
    manager_id: str
    manager_name: str
    manager_email: str
    team: str
    in_level_since: str = ""  # the roster's date they reached their level, "" unknown


class ScoredBy(StrEnum):
    """Where a person's manager scores came from: who entered them, as far as collect can tell."""

    REVIEW = "review"  # the manager's review: a workbook emailed from their side, or their Google spreadsheet
    GOOGLE = "google"  # the SE's Google spreadsheet, in the range only the manager may edit
    MANAGER_RETURN = "manager_return"  # the SE's workbook, emailed back from the manager's side
    PLAIN_FILE = "plain_file"  # a file given to collect: no sender known
    NONE = "none"  # no manager scores (yet), or none that could be used


@dataclass(frozen=True)
class ManagerSource:
    """Where a person's manager scores came from, and which file or email, in words."""

    kind: ScoredBy = ScoredBy.NONE
    detail: str = ""  # "review-mgr-amara.xlsx from amara.okafor@..., 2026-12-03 09:30 UTC"


@dataclass(frozen=True)
class PersonResult:
    person: PersonInfo
    status: Status
    file: str = ""
    inputs: Inputs | None = None
    scores: Scores | None = None
    problems: tuple[Problem, ...] = ()
    scored_by: ManagerSource = ManagerSource()
    recommendation: str = ""  # the manager's overall recommendation (a Recommendation value), "" none
    why: str = ""  # the manager's write-up of the recommendation
    peers: tuple[PeerAnswer, ...] = ()  # each rater's answers (attributed: reports show them as the ladder says)


@dataclass(frozen=True)
class RaterResult:
    """One AE or peer of the roster, and their peer workbook as collected."""

    email: str  # Rater.key
    name: str
    status: Status
    file: str = ""  # the peer workbook used, "" when none
    rates: tuple[str, ...] = ()  # the person ids they rate
    problems: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class Results:
    quarter: str
    ladder_id: str
    ladder_version: str
    template_version: str
    collected_at: str  # ISO 8601, UTC
    source: str  # "files" or "google-sheets"
    people: tuple[PersonResult, ...]
    unmatched: tuple[Problem, ...] = ()  # files of nobody on the roster, unreadable, or wrong as a whole (a review)
    raters: tuple[RaterResult, ...] = ()  # the roster's AEs and peers, returned or not

    @property
    def problem_count(self) -> int:
        return (len(self.unmatched) + sum(len(p.problems) for p in self.people)
                + sum(len(r.problems) for r in self.raters))

    @property
    def all_clean(self) -> bool:
        """Everyone complete, and no file left to look at (a note, such as lock files skipped, is not one).

        Peer input is invited, not required: a rater who has not returned leaves it alone; a peer
        workbook that came back wrong (another address, a bad value) does not.
        """
        return (all(p.status is Status.COMPLETE for p in self.people)
                and all(u.severity is Severity.NOTE for u in self.unmatched)
                and all(r.status is not Status.INVALID for r in self.raters))


def status_for(problems: tuple[Problem, ...]) -> Status:
    if any(p.severity is Severity.ERROR for p in problems):
        return Status.INVALID
    if any(p.severity is Severity.INCOMPLETE for p in problems):
        return Status.INCOMPLETE
    return Status.COMPLETE


# ---- JSON --------------------------------------------------------------------------------
# Schema 2 (compact): records built field by field (no generic deep copy), repeated records as
# arrays whose columns the document names once, a problem's file left out when it is the
# person's own file. workflows/results_file.py writes one person per line. Schema 1 (every
# record a keyed object, dataclasses.asdict) still reads.

PROBLEM_COLUMNS = ("sheet", "cell", "kind", "message", "severity", "file")  # file: only when not the person's
CRITERION_COLUMNS = ("self_score", "manager_score", "evidence", "comment")  # a score may be NOT_OBSERVED_MARK
# A score column's value for "not observed yet", whatever the ladder's label: a reader that
# knows only numbers fails on it rather than reading it as a score.
NOT_OBSERVED_MARK = "n/o"
METRIC_COLUMNS = ("actual", "notes")
PIVOT_COLUMNS = ("interest", "signal", "gap_progress")
COLUMNS = {"problem": PROBLEM_COLUMNS, "criterion": CRITERION_COLUMNS, "metric": METRIC_COLUMNS,
           "pivot": PIVOT_COLUMNS}
SCHEMA_V1 = "ladder-sheets/results@1"
_SEVERITY = {s.value: s for s in Severity}
_STATUS = {s.value: s for s in Status}
_METRIC_STATUS = {s.value: s for s in MetricStatus}


def to_dict(results: Results) -> dict[str, Any]:
    """The whole document (``header`` with its people and unmatched records)."""
    return {**header(results), "people": [person_record(p) for p in results.people],
            "unmatched": [problem_record(p) for p in results.unmatched]}


def header(results: Results) -> dict[str, Any]:
    """Everything but the people and the unmatched files."""
    return {
        "schema": SCHEMA,
        "quarter": results.quarter,
        "ladder": {"id": results.ladder_id, "version": results.ladder_version,
                   "template_version": results.template_version},
        "collected_at": results.collected_at,
        "source": results.source,
        "columns": {k: list(v) for k, v in COLUMNS.items()},
        # The AEs and peers: absent from a file written before the peer round, read as none.
        "raters": [{"email": r.email, "name": r.name, "status": r.status.value, "file": r.file, "rates": list(r.rates),
                    "problems": [problem_record(x, r.file) for x in r.problems]} for r in results.raters],
    }


def problem_record(x: Problem, own_file: str | None = None) -> list[Any]:
    row = [x.sheet, x.cell, x.kind, x.message, x.severity.value]
    if x.file != own_file:
        row.append(x.file)
    return row


def person_record(p: PersonResult, *, problems: bool = True) -> dict[str, Any]:
    """The person's record; without ``problems``, its "problems" (always the last field) is left empty."""
    info = p.person
    return {
        "person": {"id": info.id, "name": info.name, "email": info.email, "level": info.level,
                   "level_name": info.level_name, "target_level": info.target_level,
                   "target_level_name": info.target_level_name, "manager_id": info.manager_id,
                   "manager_name": info.manager_name, "manager_email": info.manager_email, "team": info.team,
                   **({"in_level_since": info.in_level_since} if info.in_level_since else {})},
        "status": p.status.value,
        "file": p.file,
        "inputs": _inputs_record(p.inputs) if p.inputs is not None else None,
        "scores": _scores_record(p.scores) if p.scores is not None else None,
        # Who entered the manager scores, and the manager's recommendation (absent: none, as before).
        "scored_by": [p.scored_by.kind.value, p.scored_by.detail],
        "recommendation": p.recommendation,
        "why": p.why,
        "peers": [answer_record(a) for a in p.peers],  # raw and attributed: SE Ops' working file
        "problems": [problem_record(x, p.file) for x in p.problems] if problems else [],
    }


def _inputs_record(i: Inputs) -> dict[str, Any]:
    return {
        "criteria": {k: [_mark(v.self_score, v.self_not_observed), _mark(v.manager_score, v.manager_not_observed),
                         v.evidence, v.comment] for k, v in i.criteria.items()},
        "metrics": {k: [v.actual, v.notes] for k, v in i.metrics.items()},
        "pivots": {k: [v.interest, v.signal, v.gap_progress] for k, v in i.pivots.items()},
        "track_preference": i.track_preference,
        "readout": dict(i.readout),
        "asking_for_move": i.asking_for_move,
        "share_career_interests": i.share_career_interests,
    }


def _mark(score: float | None, not_observed: bool) -> float | str | None:
    return NOT_OBSERVED_MARK if not_observed else score


def _criterion(row: list[Any]) -> CriterionInput:
    """A criterion record back into its input, "not observed yet" as its flag."""
    self_score, manager_score, evidence, comment = (*row, "", "")[:4]
    return CriterionInput(None if self_score == NOT_OBSERVED_MARK else self_score,
                          None if manager_score == NOT_OBSERVED_MARK else manager_score, evidence, comment,
                          self_score == NOT_OBSERVED_MARK, manager_score == NOT_OBSERVED_MARK)


def _scores_record(s: Scores) -> dict[str, Any]:
    return {
        "self_pct": s.self_pct, "manager_pct": s.manager_pct, "self_band": s.self_band,
        "manager_band": s.manager_band, "calibration_gap": s.calibration_gap,
        "criterion_gaps": dict(s.criterion_gaps),
        "metric_status": {k: v.value for k, v in s.metric_status.items()},
        "pivot_readiness": dict(s.pivot_readiness), "top_pivot": s.top_pivot, "readout_text": s.readout_text,
        "self_missing": list(s.self_missing), "manager_missing": list(s.manager_missing),
        "self_hold": s.self_hold, "manager_hold": s.manager_hold,
        "self_not_observed": list(s.self_not_observed), "manager_not_observed": list(s.manager_not_observed),
    }


def from_dict(d: Mapping[str, Any]) -> Results:
    """Inverse of to_dict (schema 2), and reader of schema 1 files. Raises ValueError on another schema."""
    if d.get("schema") == SCHEMA_V1:
        return _v1(d)
    reader = RecordReader(d)
    return reader.results(d["people"], d["unmatched"])


class RecordReader:
    """Schema-2 records into models, one at a time, so a file can be read line by line.

    ``head`` is the document without (or with) its people and unmatched files; raises
    KeyError or ValueError when it is not a schema-2 header.
    """

    def __init__(self, head: Mapping[str, Any]) -> None:
        if head.get("schema") != SCHEMA:
            raise ValueError(f"expected schema {SCHEMA!r}, found {head.get('schema')!r}")
        self.head = (head["quarter"], head["ladder"]["id"], head["ladder"]["version"],
                     head["ladder"]["template_version"], head["collected_at"], head["source"])
        # A file's columns may be a prefix of ours (written before a field was added): the
        # missing trailing fields take their defaults. Anything else is another format.
        found = head["columns"]
        if set(found) != set(COLUMNS) or any(list(COLUMNS[k][:len(found[k])]) != list(found[k]) for k in COLUMNS):
            raise ValueError(f"unexpected columns {found!r}")
        self._texts: dict[str, str] = {}  # one copy of each repeated text (sheet, kind, message) for everyone
        self.raters = tuple(self.rater(r) for r in head.get("raters", ()))

    def results(self, people: Iterable[Mapping[str, Any]], unmatched: Iterable[list[Any]]) -> Results:
        return Results(*self.head, people=tuple(self.person(p) for p in people),
                       unmatched=tuple(self.problem(row) for row in unmatched), raters=self.raters)

    def rater(self, d: Mapping[str, Any]) -> RaterResult:
        return RaterResult(d["email"], d["name"], _STATUS[d["status"]], d["file"], tuple(d["rates"]),
                           tuple(self.problem(row, d["file"]) for row in d["problems"]))

    def problem(self, row: list[Any], own_file: str = "") -> Problem:
        sheet, cell, kind, message, severity = row[:5]
        file = row[5] if len(row) > 5 else own_file
        texts = self._texts
        return Problem(file, texts.setdefault(sheet, sheet), cell, texts.setdefault(kind, kind),
                       texts.setdefault(message, message), _SEVERITY[severity])

    def person(self, d: Mapping[str, Any]) -> PersonResult:
        inputs, scores, file = d["inputs"], d["scores"], d["file"]
        return PersonResult(
            person=PersonInfo(**d["person"]), status=_STATUS[d["status"]], file=file,
            inputs=Inputs(
                criteria={k: _criterion(v) for k, v in inputs["criteria"].items()},
                metrics={k: MetricInput(*v) for k, v in inputs["metrics"].items()},
                pivots={k: PivotInput(*v) for k, v in inputs["pivots"].items()},
                track_preference=inputs["track_preference"], readout=inputs["readout"],
                asking_for_move=inputs.get("asking_for_move", False),
                share_career_interests=inputs.get("share_career_interests", False),
            ) if inputs is not None else None,
            scores=Scores(**{
                **scores,
                "metric_status": {k: _METRIC_STATUS[v] for k, v in scores["metric_status"].items()},
                "self_missing": tuple(scores["self_missing"]), "manager_missing": tuple(scores["manager_missing"]),
                "self_not_observed": tuple(scores.get("self_not_observed", ())),
                "manager_not_observed": tuple(scores.get("manager_not_observed", ())),
            }) if scores is not None else None,
            problems=tuple(self.problem(row, file) for row in d["problems"]),
            scored_by=_scored_by(d.get("scored_by")), recommendation=d.get("recommendation", ""), why=d.get("why", ""),
            peers=tuple(answer_from(a) for a in d.get("peers", ())),
        )


_SCORED_BY = {s.value: s for s in ScoredBy}


def _scored_by(record: list[str] | None) -> ManagerSource:
    """``[kind, detail]`` back into a ManagerSource; a file written before it had none."""
    if not record:
        return ManagerSource()
    return ManagerSource(_SCORED_BY[record[0]], record[1])


# ---- schema 1 (read only) ------------------------------------------------------------------


def _v1(d: Mapping[str, Any]) -> Results:
    return Results(
        quarter=d["quarter"], ladder_id=d["ladder"]["id"], ladder_version=d["ladder"]["version"],
        template_version=d["ladder"]["template_version"], collected_at=d["collected_at"], source=d["source"],
        people=tuple(_person_v1(p) for p in d["people"]),
        unmatched=tuple(_problem_v1(p) for p in d.get("unmatched", [])),
    )


def _problem_v1(d: Mapping[str, Any]) -> Problem:
    return Problem(**{**d, "severity": Severity(d["severity"])})


def _person_v1(d: Mapping[str, Any]) -> PersonResult:
    inputs = d.get("inputs")
    scores = d.get("scores")
    return PersonResult(
        person=PersonInfo(**d["person"]), status=Status(d["status"]), file=d.get("file", ""),
        inputs=Inputs(
            criteria={k: CriterionInput(**v) for k, v in inputs["criteria"].items()},
            metrics={k: MetricInput(**v) for k, v in inputs["metrics"].items()},
            pivots={k: PivotInput(**v) for k, v in inputs["pivots"].items()},
            track_preference=inputs["track_preference"], readout=inputs["readout"],
        ) if inputs is not None else None,
        scores=Scores(**{
            **scores,
            "metric_status": {k: MetricStatus(v) for k, v in scores["metric_status"].items()},
            "self_missing": tuple(scores["self_missing"]), "manager_missing": tuple(scores["manager_missing"]),
            "self_not_observed": tuple(scores.get("self_not_observed", ())),
            "manager_not_observed": tuple(scores.get("manager_not_observed", ())),
        }) if scores is not None else None,
        problems=tuple(_problem_v1(p) for p in d.get("problems", [])),
    )
