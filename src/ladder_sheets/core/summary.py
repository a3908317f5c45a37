"""The rollups every report output shares, computed once from Results. Pure; numbers stay numbers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from .model import INCOMPLETE_BAND, Ladder
from .results import PersonResult, Results, Severity, Status
from .scoring import THRESHOLD_TOLERANCE


@dataclass(frozen=True)
class Evidence:
    criterion_id: str
    criterion: str
    self_score: float | None
    manager_score: float | None
    text: str


@dataclass(frozen=True)
class Row:
    """One SE, as every summary shows them."""

    id: str
    name: str
    email: str
    team: str
    manager_id: str
    manager_name: str
    manager_email: str
    level: str
    target: str
    status: str
    self_pct: float | None = None
    manager_pct: float | None = None
    gap: float | None = None
    self_band: str = INCOMPLETE_BAND
    manager_band: str = INCOMPLETE_BAND
    self_hold: str = ""  # why the self band is below the points' band (a must-have under its floor)
    manager_hold: str = ""  # the same for the manager's band
    metrics_below: tuple[str, ...] = ()
    top_pivot: str = ""
    track: str = ""
    self_scored: int = 0
    manager_scored: int = 0
    criteria: int = 0
    errors: int = 0  # problems of severity error
    missing: int = 0  # problems of severity incomplete
    readout: str = ""  # the assembled talk track, when complete
    evidence: tuple[Evidence, ...] = ()

    @property
    def completeness(self) -> str:
        return f"{self.self_scored}/{self.criteria} self, {self.manager_scored}/{self.criteria} manager"


@dataclass(frozen=True)
class Rollup:
    """Counts and averages over a group of SEs (a team, or the whole org)."""

    name: str
    manager: str
    people: int
    complete: int
    bands: dict[str, int]
    avg_manager_pct: float | None
    avg_gap: float | None


@dataclass(frozen=True)
class BelowBenchmark:
    metric_id: str
    metric: str
    benchmark: str
    action: str
    people: tuple[tuple[Row, float], ...]  # (SE, actual)


@dataclass(frozen=True)
class Summary:
    quarter: str
    ladder_name: str
    band_names: tuple[str, ...]  # highest first, then "Incomplete"
    band_floors: tuple[tuple[str, float], ...]  # (band, minimum readiness), highest first: "how to read this"
    scale_max: int  # a criterion scores 0..scale_max
    top_band: str
    calibration_alert: float
    rows: tuple[Row, ...]
    teams: tuple[Rollup, ...]
    org: Rollup
    candidates: tuple[Row, ...]
    outliers: tuple[Row, ...]
    below: tuple[BelowBenchmark, ...]
    attention: tuple[Row, ...]  # missing, incomplete or invalid
    problems: dict[str, tuple[str, ...]] = field(default_factory=dict)  # SE id -> problem lines
    unmatched: tuple[str, ...] = ()


def summarize(results: Results, ladder: Ladder) -> Summary:
    rows = tuple(_row(p, ladder) for p in results.people)
    teams = tuple(_rollup(team, [r for r in rows if r.team == team], ladder) for team in _ordered(r.team for r in rows))
    top = ladder.bands[0].name
    return Summary(
        quarter=results.quarter,
        ladder_name=ladder.name,
        band_names=(*(b.name for b in ladder.bands), INCOMPLETE_BAND),
        band_floors=tuple((b.name, b.min_pct) for b in ladder.bands),
        scale_max=ladder.scale.max,
        top_band=top,
        calibration_alert=ladder.calibration_alert,
        rows=rows,
        teams=teams,
        org=_rollup("All teams", rows, ladder),
        candidates=tuple(r for r in rows if r.manager_band == top),
        outliers=tuple(r for r in rows if r.gap is not None and abs(r.gap) >= ladder.calibration_alert - THRESHOLD_TOLERANCE),
        below=_below(results, ladder, {r.id: r for r in rows}),
        attention=tuple(r for r in rows if r.status != Status.COMPLETE.value),
        problems={p.person.id: tuple(str(x) for x in p.problems) for p in results.people if p.problems},
        unmatched=tuple(str(x) for x in results.unmatched),
    )


def for_manager(summary: Summary, manager_id: str) -> Summary:
    """The same summary restricted to one manager's SEs (their team email)."""
    keep = {r.id for r in summary.rows if r.manager_id == manager_id}
    mine = tuple(r for r in summary.rows if r.id in keep)
    return Summary(
        quarter=summary.quarter, ladder_name=summary.ladder_name, band_names=summary.band_names,
        band_floors=summary.band_floors, scale_max=summary.scale_max,
        top_band=summary.top_band, calibration_alert=summary.calibration_alert, rows=mine,
        teams=tuple(t for t in summary.teams if any(r.team == t.name for r in mine)), org=summary.org,
        candidates=tuple(r for r in summary.candidates if r.id in keep),
        outliers=tuple(r for r in summary.outliers if r.id in keep),
        below=tuple(BelowBenchmark(b.metric_id, b.metric, b.benchmark, b.action,
                                   tuple(x for x in b.people if x[0].id in keep)) for b in summary.below),
        attention=tuple(r for r in summary.attention if r.id in keep),
        problems={k: v for k, v in summary.problems.items() if k in keep},
    )


def managers(summary: Summary) -> list[tuple[str, str, str]]:
    """(id, name, email) of every manager with SEs in the summary, in roster order."""
    seen: dict[str, tuple[str, str, str]] = {}
    for r in summary.rows:
        seen.setdefault(r.manager_id, (r.manager_id, r.manager_name, r.manager_email))
    return list(seen.values())


def _ordered(items: Iterable[str]) -> list[str]:
    """Distinct items in first-seen order (roster order, not alphabetical)."""
    return list(dict.fromkeys(items))


def _row(p: PersonResult, ladder: Ladder) -> Row:
    info = p.person
    base = dict(id=info.id, name=info.name, email=info.email, team=info.team, manager_id=info.manager_id,
                manager_name=info.manager_name, manager_email=info.manager_email, level=info.level_name,
                target=info.target_level_name, status=p.status.value,
                errors=sum(1 for x in p.problems if x.severity is Severity.ERROR),
                missing=sum(1 for x in p.problems if x.severity is Severity.INCOMPLETE))
    s, inputs = p.scores, p.inputs
    if s is None or inputs is None:
        return Row(**base)  # type: ignore[arg-type]
    rubric = ladder.rubric_for(info.target_level)
    names = {m.id: m.name for m in ladder.metrics}
    complete = s.readout_text != ladder.readout_for(info.level, info.target_level).incomplete_text
    return Row(
        **base,  # type: ignore[arg-type]
        self_pct=s.self_pct, manager_pct=s.manager_pct, gap=s.calibration_gap, self_band=s.self_band,
        manager_band=s.manager_band, self_hold=s.self_hold, manager_hold=s.manager_hold,
        metrics_below=tuple(names[k] for k, v in s.metric_status.items() if v == "Below"),
        top_pivot=s.top_pivot, track=inputs.track_preference,
        self_scored=len(rubric.criteria) - len(s.self_missing),
        manager_scored=len(rubric.criteria) - len(s.manager_missing), criteria=len(rubric.criteria),
        readout=s.readout_text if complete else "",
        evidence=tuple(
            Evidence(c.id, c.text, inputs.criteria[c.id].self_score, inputs.criteria[c.id].manager_score,
                     inputs.criteria[c.id].evidence)
            for c in rubric.criteria if c.id in inputs.criteria
        ),
    )


def _rollup(name: str, rows: list[Row] | tuple[Row, ...], ladder: Ladder) -> Rollup:
    bands = Counter(r.manager_band for r in rows)
    pcts = [r.manager_pct for r in rows if r.manager_pct is not None]
    gaps = [r.gap for r in rows if r.gap is not None]
    managers = _ordered(r.manager_name for r in rows)
    return Rollup(
        name=name, manager=", ".join(managers), people=len(rows),
        complete=sum(1 for r in rows if r.status == Status.COMPLETE.value),
        bands={b: bands.get(b, 0) for b in (*(x.name for x in ladder.bands), INCOMPLETE_BAND)},
        avg_manager_pct=sum(pcts) / len(pcts) if pcts else None,
        avg_gap=sum(gaps) / len(gaps) if gaps else None,
    )


def _below(results: Results, ladder: Ladder, rows: dict[str, Row]) -> tuple[BelowBenchmark, ...]:
    out = []
    for m in ladder.metrics:
        people = []
        for p in results.people:
            if p.scores is not None and p.inputs is not None and p.scores.metric_status.get(m.id) == "Below":
                actual = p.inputs.metrics[m.id].actual
                if actual is not None:
                    people.append((rows[p.person.id], actual))
        out.append(BelowBenchmark(m.id, m.name, m.benchmark, m.action_if_below, tuple(people)))
    return tuple(out)
