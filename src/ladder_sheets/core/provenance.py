"""Where a person's manager scores come from: only the manager's side may enter them.

The candidates are the SE's returned workbooks (their manager's column, when managers
score in the workbook) and the SE's sheets of managers' reviews. Each is trusted, or
refused, by how it came:

* a Google spreadsheet (pull), the SE's or the manager's review: the manager's cells are
  ranges only the manager may edit;
* an email from the manager's side (the manager's address, their ``return_to``, the
  roster's return address); from anyone else, the SE's own address above all, refused;
* a file given to collect: no sender is known, the person running collect vouches for it.

A review must also be the SE's manager's own. The newest trusted candidate holding any
manager score gives the person's manager scores and comments (and, from a review, the
recommendation and why); the SE's part stays from the SE's newest workbook, and every
number is recomputed from the merged inputs. Refused scores are never used, and a problem
says why in plain words (ERROR when nothing trusted was used; a NOTE otherwise). Pure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from . import scoring
from .kinds import MANAGER_REVIEW
from .model import CellValue, CriterionInput, Inputs, Ladder, Person, Roster
from .outcomes import FileOutcome, Part, Via
from .results import Kind, ManagerSource, PersonResult, Problem, ScoredBy, Severity, Status, status_for


@dataclass(frozen=True)
class _Candidate:
    """One place the person's manager scores could come from."""

    mtime: float
    file: str
    inputs: Inputs  # its criteria's manager scores and comments
    scored_by: ScoredBy | None  # None: refused
    problems: tuple[Problem, ...]  # its own findings about the manager's part
    outcome: FileOutcome | None = None  # the SE's workbook it is, if it is one
    fields: Mapping[str, CellValue] | None = None  # a review's recommendation and why

    @property
    def scored(self) -> bool:
        return any(c.manager_score is not None for c in self.inputs.criteria.values())


def with_manager(ladder: Ladder, roster: Roster, person: Person, result: PersonResult, used: FileOutcome | None,
                 outcomes: Sequence[FileOutcome], parts: Sequence[tuple[FileOutcome, Part]]) -> PersonResult:
    """``result`` (the SE's part, from ``used``) with the manager scores of the newest trusted source."""
    candidates = [*_workbooks(roster, person, outcomes), *_reviews(roster, person, parts)]
    chosen = max((c for c in candidates if c.scored_by is not None and c.scored), key=lambda c: (c.mtime, c.file),
                 default=None)
    refused = [c for c in candidates if c.scored_by is None and c.scored
               and (chosen is None or (c.mtime, c.file) > (chosen.mtime, chosen.file))]
    own = chosen is not None and used is not None and chosen.outcome is used
    keep_awaiting = own or (chosen is None and not _scored(used))  # else the used workbook's were replaced or refused
    problems = [p for p in result.problems if keep_awaiting or p.kind != Kind.AWAITING_MANAGER]
    if chosen is not None and not own:
        problems += chosen.problems
    # Refused scores: an error while nothing else gave the manager's scores, else worth a note.
    problems += [replace(p, severity=Severity.ERROR if chosen is None else Severity.NOTE)
                 for c in refused for p in c.problems]
    problems += [p for c in candidates if c.scored_by is not None and not c.scored and c.outcome is None
                 and (chosen is None or c.mtime >= chosen.mtime) for p in c.problems if p.kind != Kind.AWAITING_MANAGER]
    read = result.inputs is not None and bool(result.inputs.criteria)  # the SE's scorecard was read
    if chosen is None and read and result.status is not Status.MISSING:
        problems += _awaiting(ladder, roster, person, result, problems)
    if chosen is None and not _scored(used):  # no manager scores to take, none to take out
        status = result.status if result.status is Status.MISSING else status_for(tuple(problems))
        return replace(result, problems=tuple(problems), status=status)
    return _merged(ladder, person, result, chosen, tuple(problems))


def _merged(ladder: Ladder, person: Person, result: PersonResult, chosen: _Candidate | None,
            problems: tuple[Problem, ...]) -> PersonResult:
    """The SE's inputs with the chosen manager scores (none: blank), scores recomputed."""
    rubric = ladder.rubric_for(person.target_level)
    own = result.inputs.criteria if result.inputs is not None else {}
    given = chosen.inputs.criteria if chosen is not None else {}
    criteria = {}
    for c in rubric.criteria:
        se, mg = own.get(c.id, CriterionInput()), given.get(c.id, CriterionInput())
        criteria[c.id] = replace(se, manager_score=mg.manager_score, comment=mg.comment)
    base = result.inputs if result.inputs is not None else Inputs()
    inputs = replace(base, criteria=criteria)
    missing = result.status is Status.MISSING
    scores = None if missing else scoring.score(ladder, rubric, inputs, person.level)
    fields = (chosen.fields if chosen is not None else None) or {}
    source = ManagerSource(chosen.scored_by or ScoredBy.NONE, chosen.file) if chosen is not None else ManagerSource()
    return replace(result, inputs=inputs, scores=scores, problems=problems,
                   status=Status.MISSING if missing else status_for(problems), scored_by=source,
                   recommendation=str(fields.get("recommendation") or ""), why=str(fields.get("why") or ""))


def _scored(outcome: FileOutcome | None) -> bool:
    return outcome is not None and outcome.inputs is not None and any(
        c.manager_score is not None for c in outcome.inputs.criteria.values())


def _workbooks(roster: Roster, person: Person, outcomes: Sequence[FileOutcome]) -> list[_Candidate]:
    """The SE's readable workbooks (of this quarter, when any is), each trusted or refused by how it came."""
    readable = [o for o in outcomes if o.inputs is not None]
    wanted = [o for o in readable if o.preferred] or readable
    out = []
    for o in wanted:
        assert o.inputs is not None
        kind, why = _trust(roster, person, o, ScoredBy.MANAGER_RETURN)
        problems = () if kind is not None else (Problem(o.file, "", "", Kind.NOT_FROM_MANAGER, why, Severity.ERROR),)
        out.append(_Candidate(o.mtime, o.file, o.inputs, kind, problems, outcome=o))
    return out


def _reviews(roster: Roster, person: Person, parts: Sequence[tuple[FileOutcome, Part]]) -> list[_Candidate]:
    """The person's sheets of managers' reviews, each trusted or refused by whose review it is and how it came."""
    manager = roster.manager_of(person)
    out = []
    for o, part in parts:
        if part.kind != MANAGER_REVIEW:
            continue
        kind, why = _trust(roster, person, o, ScoredBy.REVIEW)
        if kind is not None and part.author != manager.id:
            kind, why = None, (f"this is the review of manager {part.author}, but {person.name}'s manager is "
                               f"{manager.name} ({manager.id}), so its scores for {person.name} were not used")
        problems = part.problems if kind is not None else (
            Problem(o.file, part.sheet, "", Kind.NOT_FROM_MANAGER, why, Severity.ERROR),)
        out.append(_Candidate(o.mtime, o.file, part.inputs, kind, problems, fields=part.fields))
    return out


def _trust(roster: Roster, person: Person, o: FileOutcome, by_email: ScoredBy) -> tuple[ScoredBy | None, str]:
    """How ``o``'s manager scores came (``by_email`` when emailed from the manager's side), or None and why not."""
    if o.via is Via.GOOGLE:  # only the manager (and who pushed) may edit the manager's cells
        return (ScoredBy.REVIEW if by_email is ScoredBy.REVIEW else ScoredBy.GOOGLE), ""
    if o.via is Via.FILE:
        return ScoredBy.PLAIN_FILE, ""
    side = roster.manager_side(person)
    if o.sender in side and o.sender != person.email.lower():
        return by_email, ""
    manager = roster.manager_of(person)
    where = f"{manager.name}'s side ({', '.join(sorted(side))})"
    if by_email is ScoredBy.REVIEW:
        return None, (f"this review came from {o.sender or 'no sender'}, not from {where}, so its scores for "
                      f"{person.name} were not used: {manager.name} sends it from their own address")
    whose = f"{person.name}'s own address" if o.sender == person.email.lower() else (o.sender or "no sender")
    return None, (f"the Manager column was filled in, but the workbook was emailed from {whose}, so those scores "
                  f"were not used: they count only when {manager.name} scores in their review or sends the "
                  f"workbook from {where}")


def in_words(result: PersonResult) -> str:
    """Who entered ``result``'s manager scores, as the packet and the agenda say it; "" when nobody has."""
    manager, detail = result.person.manager_name, result.scored_by.detail
    kind = result.scored_by.kind
    if kind is ScoredBy.REVIEW:
        return f"Scored by {manager} in their review ({detail})"
    if kind is ScoredBy.GOOGLE:
        return f"Scored by {manager} in the Google spreadsheet's manager-only cells"
    if kind is ScoredBy.MANAGER_RETURN:
        return f"Scored by {manager} in the workbook returned from their side ({detail})"
    if kind is ScoredBy.PLAIN_FILE:
        return f"Manager scores from {detail}, a file given to collect (no sender known)"
    return ""


def _awaiting(ladder: Ladder, roster: Roster, person: Person, result: PersonResult,
              problems: Sequence[Problem]) -> list[Problem]:
    """One problem for manager scores still to come, when no other says so already."""
    if any(p.kind == Kind.AWAITING_MANAGER for p in problems):
        return []
    n = len(ladder.rubric_for(person.target_level).criteria)
    manager = roster.manager_of(person).name
    return [Problem(result.file, "", "", Kind.AWAITING_MANAGER,
                    f"Manager scores not in yet: {n} criteria for {manager} to score", Severity.INCOMPLETE)]
