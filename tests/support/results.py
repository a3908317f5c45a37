"""Results built straight from inputs (no workbooks), for report-side tests."""

from __future__ import annotations

from dataclasses import replace

from ladder_sheets.core import scoring
from ladder_sheets.core.examine import person_info
from ladder_sheets.core.model import CriterionInput, Inputs, Ladder, Manager, MetricInput, Person, PivotInput, Roster
from ladder_sheets.core.results import PersonResult, Problem, Results, Severity, Status, status_for


def inputs_for(ladder: Ladder, target: str, self_score: int, manager_score: int | None, *, actual: float = 5.0,
               evidence: str = "Led the Acme POC", readout: bool = True) -> Inputs:
    """Uniform scores; every metric at ``actual``; a complete read-out, asking for the move, unless told otherwise."""
    rubric = ladder.rubric_for(target)
    return Inputs(
        criteria={c.id: CriterionInput(float(self_score), None if manager_score is None else float(manager_score), evidence)
                  for c in rubric.criteria},
        metrics={m.id: MetricInput(actual) for m in ladder.metrics},
        pivots={p.id: PivotInput(float(i % 4), i % 2 == 0, 1.0) for i, p in enumerate(ladder.pivots)},
        track_preference=ladder.track_options[0],
        readout={f.id: ("115" if f.kind == "percent" else ladder.levels[1].name if f.kind == "level" else "six months")
                 for f in ladder.readout.fields} if readout else {},
        asking_for_move=readout,
    )


def results_for(ladder: Ladder, roster: Roster, inputs: dict[str, Inputs | None],
                problems: dict[str, tuple[Problem, ...]] | None = None, quarter: str = "2026-Q4") -> Results:
    """A Results with a scored entry per person in ``inputs`` (None: missing); others missing too."""
    people = []
    for person in roster.people:
        info = person_info(ladder, roster, person)
        got = inputs.get(person.id)
        if got is None:
            people.append(PersonResult(info, Status.MISSING))
            continue
        shown = {m.id for m in ladder.metrics_for(person.level, person.target_level)}  # the workbook's metrics only
        got = replace(got, metrics={k: v for k, v in got.metrics.items() if k in shown})
        scores = scoring.score(ladder, ladder.rubric_for(person.target_level), got, person.level)
        found = (problems or {}).get(person.id, ())
        if scores.manager_missing:
            found += (Problem(f"{person.id}.xlsx", "Scorecard", "H6", "awaiting_manager", "manager scores missing",
                              Severity.INCOMPLETE),)
        people.append(PersonResult(info, status_for(found), f"{person.id}.xlsx", got, scores, found))
    return Results(quarter, ladder.id, ladder.version, "v", "2026-11-23T00:00:00+00:00", "files", tuple(people))


def big_roster(roster: Roster, people: int, teams: int) -> Roster:
    """``people`` SEs ("SE 0", "SE 1", ...) of the first person's levels, spread round-robin over ``teams`` managers."""
    managers = tuple(Manager(f"m{t}", f"Manager {t}", f"m{t}@x.example", f"Team {t}") for t in range(teams))
    base = roster.people[0]
    return replace(roster, managers=managers, people=tuple(
        Person(f"se-{i}", f"SE {i}", f"se{i}@x.example", base.level, base.target_level, managers[i % teams].id)
        for i in range(people)))


def find_person(roster: Roster, pid: str) -> Person:
    """The roster's person with id ``pid`` (StopIteration when there is none)."""
    return next(p for p in roster.people if p.id == pid)
