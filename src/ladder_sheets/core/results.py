"""What collect/pull produce and report/history consume: one JSON document per quarter.

Pure data and its (de)serialisation; no file I/O here beyond turning dicts into models.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from .model import CriterionInput, Inputs, MetricInput, MetricStatus, PivotInput, Scores, StrEnum

SCHEMA = "ladder-sheets/results@1"


class Severity(StrEnum):
    INCOMPLETE = "incomplete"  # something is blank: the person still has to fill it in
    ERROR = "error"  # something is wrong: out of range, wrong type, tampered, unreadable


class Kind(StrEnum):
    """The vocabulary of ``Problem.kind``. Stored as a plain string in JSON: readers compare to these values."""

    BLANK = "blank"  # a required input is empty (INCOMPLETE)
    AWAITING_MANAGER = "awaiting_manager"  # manager scores still empty, one problem per workbook (INCOMPLETE)
    WRONG_TYPE = "wrong_type"  # text, TRUE/FALSE or a date where a number belongs
    OUT_OF_RANGE = "out_of_range"  # a number outside its allowed range (e.g. 4 on a 0-3 scale, negative)
    NOT_WHOLE = "not_whole"  # 2.5 where a whole number belongs
    NOT_AN_OPTION = "not_an_option"  # a choice not in the list
    TOO_LONG = "too_long"  # text over its maximum length
    TAMPERED = "tampered"  # a formula cell's saved value disagrees with the recomputation
    MISSING_SHEET = "missing_sheet"  # a sheet was renamed or deleted
    SHIFTED_ROWS = "shifted_rows"  # a row was deleted or inserted: that sheet's inputs are not used
    VERSION = "version"  # the workbook was generated from another template version
    QUARTER = "quarter"  # the workbook is for another quarter
    DUPLICATE = "duplicate"  # several workbooks for one person: one is used, the others named
    NOT_ON_ROSTER = "not_on_roster"  # the workbook's person id is nobody on the roster
    UNIDENTIFIED = "unidentified"  # no person id can be read from the workbook
    UNREADABLE = "unreadable"  # not a workbook, corrupt, encrypted or unreadable file


class Status(StrEnum):
    COMPLETE = "complete"
    INCOMPLETE = "incomplete"
    INVALID = "invalid"
    MISSING = "missing"  # on the roster, but no workbook came back


@dataclass(frozen=True, slots=True)
class Problem:
    """One precise finding: where it is, what was found and what was expected.

    Slotted: a collect of 10,000 blank workbooks holds ~370,000 of them.
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


@dataclass(frozen=True)
class PersonResult:
    person: PersonInfo
    status: Status
    file: str = ""
    inputs: Inputs | None = None
    scores: Scores | None = None
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
    unmatched: tuple[Problem, ...] = ()  # files that belong to nobody on the roster, or could not be read

    @property
    def problem_count(self) -> int:
        return len(self.unmatched) + sum(len(p.problems) for p in self.people)


def status_for(problems: tuple[Problem, ...]) -> Status:
    if any(p.severity is Severity.ERROR for p in problems):
        return Status.INVALID
    if problems:
        return Status.INCOMPLETE
    return Status.COMPLETE


# ---- JSON --------------------------------------------------------------------------------


def to_dict(results: Results) -> dict[str, Any]:
    return {
        "schema": SCHEMA,
        "quarter": results.quarter,
        "ladder": {"id": results.ladder_id, "version": results.ladder_version,
                   "template_version": results.template_version},
        "collected_at": results.collected_at,
        "source": results.source,
        "people": [_person_to_dict(p) for p in results.people],
        "unmatched": [asdict(p) for p in results.unmatched],
    }


def _person_to_dict(p: PersonResult) -> dict[str, Any]:
    return {
        "person": asdict(p.person),
        "status": p.status.value,
        "file": p.file,
        "inputs": _inputs_to_dict(p.inputs) if p.inputs is not None else None,
        "scores": _scores_to_dict(p.scores) if p.scores is not None else None,
        "problems": [asdict(x) for x in p.problems],
    }


def _inputs_to_dict(i: Inputs) -> dict[str, Any]:
    return {
        "criteria": {k: asdict(v) for k, v in i.criteria.items()},
        "metrics": {k: asdict(v) for k, v in i.metrics.items()},
        "pivots": {k: asdict(v) for k, v in i.pivots.items()},
        "track_preference": i.track_preference,
        "readout": dict(i.readout),
    }


def _scores_to_dict(s: Scores) -> dict[str, Any]:
    d = asdict(s)
    d["metric_status"] = {k: v.value for k, v in s.metric_status.items()}
    d["self_missing"], d["manager_missing"] = list(s.self_missing), list(s.manager_missing)
    return d


def from_dict(d: Mapping[str, Any]) -> Results:
    """Inverse of to_dict. Raises ValueError on another schema."""
    if d.get("schema") != SCHEMA:
        raise ValueError(f"expected schema {SCHEMA!r}, found {d.get('schema')!r}")
    return Results(
        quarter=d["quarter"], ladder_id=d["ladder"]["id"], ladder_version=d["ladder"]["version"],
        template_version=d["ladder"]["template_version"], collected_at=d["collected_at"], source=d["source"],
        people=tuple(_person_from_dict(p) for p in d["people"]),
        unmatched=tuple(_problem(p) for p in d.get("unmatched", [])),
    )


def _problem(d: Mapping[str, Any]) -> Problem:
    return Problem(**{**d, "severity": Severity(d["severity"])})


def _person_from_dict(d: Mapping[str, Any]) -> PersonResult:
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
        }) if scores is not None else None,
        problems=tuple(_problem(p) for p in d.get("problems", [])),
    )
