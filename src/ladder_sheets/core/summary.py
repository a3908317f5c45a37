"""The rollups every report output shares, computed once from Results. Pure; numbers stay numbers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from . import quarter as quarters
from .agenda import Agenda, agenda
from .peer_view import PeerView, peer_view
from .model import INCOMPLETE_BAND, NO_PIVOT_INTEREST, NOT_ASKING_TEXT, NOT_ENOUGH_OBSERVED, Criterion, Inputs, Ladder
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
class MetricLine:
    """One impact metric of one SE against its benchmark."""

    metric_id: str
    metric: str
    benchmark: str
    actual: float | None
    status: str  # "Meets", "Below" or "Missing"
    action: str  # the ladder's action if below
    notes: str = ""


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
    self_scored: int = 0  # scored with a number or "not observed yet"
    manager_scored: int = 0
    criteria: int = 0
    self_not_observed: int = 0  # criteria scored "not observed yet" by the SE
    manager_not_observed: int = 0
    errors: int = 0  # problems of severity error
    missing: int = 0  # problems of severity incomplete
    readout: str = ""  # the assembled talk track, when complete
    evidence: tuple[Evidence, ...] = ()
    agenda: Agenda = Agenda()  # priorities, disputes, coaching questions, milestones, pivot, open items
    metrics: tuple[MetricLine, ...] = ()
    # skill group id -> (sum of manager scores, criteria scored) over criteria testing that group
    skills: dict[str, tuple[float, int]] = field(default_factory=dict)
    pivot_pct: float | None = None  # readiness for the top pivot of interest
    shares_interests: bool = False  # leadership may see top_pivot and track by name (the SE chose to share)
    scored_by: str = ""  # ScoredBy value: where the manager scores came from
    scored_by_detail: str = ""  # which file or email
    peers: PeerView = PeerView()  # AE and peer input, as much as the ladder allows to be shown

    @property
    def completeness(self) -> str:
        """"13/13 self, 13/13 manager", and how many are not observed yet when some are."""
        done = f"{self.self_scored}/{self.criteria} self, {self.manager_scored}/{self.criteria} manager"
        return f"{done}; {self.not_observed}" if self.not_observed else done

    @property
    def shared_pivot(self) -> str:
        """The top pivot of interest as leadership's files show it: only when the SE shares it."""
        return self.top_pivot if self.shares_interests else ""

    @property
    def shared_track(self) -> str:
        return self.track if self.shares_interests else ""

    @property
    def not_observed(self) -> str:
        """"2 criteria not observed yet", saying whose when the SE and the manager differ; "" for none."""
        mine, theirs = self.manager_not_observed, self.self_not_observed
        if not mine and not theirs:
            return ""
        if mine == theirs:
            return f"{_criteria(mine)} not observed yet"
        return f"{_criteria(mine)} not observed yet by the manager, {theirs} by self"


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
    managers: int = 0
    skills: dict[str, float | None] = field(default_factory=dict)  # skill group id -> average manager score
    outliers: int = 0  # calibration outliers


# Counts of career interests are shown to leadership only when none, or at least this many, SEs keep theirs
# private: beside the SEs named, a count over one or two would give their answers away.
PRIVATE_FLOOR = 3


@dataclass(frozen=True)
class Interests:
    """Career interests across the organisation as leadership sees them: counts; names only of who shares."""

    tracks: tuple[tuple[str, int], ...] = ()  # (track preference, SEs), in the ladder's order
    pivots: tuple[tuple[str, int], ...] = ()  # (top pivot of interest, SEs), most first
    shared: int = 0  # SEs who answered and share theirs with leadership by name
    private: int = 0  # SEs who answered and keep theirs private

    @property
    def shown(self) -> bool:
        return bool(self.shared or self.private) and (self.private == 0 or self.private >= PRIVATE_FLOOR)

    @property
    def line(self) -> str:
        """"Track preference: Principal IC 4 · Management 3 ...; 3 of 8 share theirs by name" ("" when withheld)."""
        if not self.shown:
            return ""
        tracks = " · ".join(f"{name} {n}" for name, n in self.tracks)
        pivots = " · ".join(f"{name} {n}" for name, n in self.pivots) or "none"
        return (f"Track preference: {tracks}. Top pivot of interest: {pivots}. "
                f"{self.shared} of {self.shared + self.private} who answered share theirs by name.")


def _interests(rows: Iterable[Row], ladder: Ladder) -> Interests:
    answered = [r for r in rows if r.track or r.top_pivot not in ("", NO_PIVOT_INTEREST)]
    tracks = Counter(r.track for r in answered if r.track)
    pivots = Counter(r.top_pivot for r in answered if r.top_pivot not in ("", NO_PIVOT_INTEREST))
    shared = sum(1 for r in answered if r.shares_interests)
    return Interests(tuple((t, tracks.get(t, 0)) for t in ladder.track_options), tuple(pivots.most_common()),
                     shared, len(answered) - shared)


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
    band_names: tuple[str, ...]  # highest first, then "Not enough observed" (when someone is), "Incomplete"
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
    skill_groups: tuple[tuple[str, str], ...] = ()  # (id, name) of the ladder's skill groups
    by_manager: dict[str, tuple[Row, ...]] = field(default_factory=dict)  # manager id -> their SEs, grouped once
    directives: tuple[str, ...] = ()  # what the ladder asks of leadership
    manager_directives: tuple[str, ...] = ()  # this quarter's 1:1 directives, for each manager's agenda
    interests: Interests = Interests()  # career interests across the organisation, for leadership


def summarize(results: Results, ladder: Ladder, previous: Results | None = None) -> Summary:
    """Every rollup, in one pass per grouping. ``previous`` (last quarter's results) adds last quarter's
    proposed milestones to each SE's agenda."""
    before = {p.person.id: p for p in previous.people} if previous is not None else {}
    asked = Counter(pid for r in results.raters for pid in r.rates)
    rows = tuple(_row(p, ladder, before.get(p.person.id), asked[p.person.id]) for p in results.people)
    by_team: dict[str, list[Row]] = {}
    by_manager: dict[str, list[Row]] = {}
    for r in rows:
        by_team.setdefault(r.team, []).append(r)
        by_manager.setdefault(r.manager_id, []).append(r)
    teams = tuple(_rollup(team, members, ladder) for team, members in by_team.items())
    top = ladder.bands[0].name
    # "Not enough observed" counts like a band, shown only in a quarter where someone is in it.
    unobserved = (NOT_ENOUGH_OBSERVED,) if any(NOT_ENOUGH_OBSERVED in (r.self_band, r.manager_band) for r in rows) else ()
    return Summary(
        quarter=results.quarter,
        ladder_name=ladder.name,
        band_names=(*(b.name for b in ladder.bands), *unobserved, INCOMPLETE_BAND),
        band_floors=tuple((b.name, b.min_pct) for b in ladder.bands),
        scale_max=ladder.scale.max,
        top_band=top,
        calibration_alert=ladder.calibration_alert,
        rows=rows,
        teams=teams,
        org=_rollup("All teams", rows, ladder),
        candidates=tuple(r for r in rows if r.manager_band == top),
        outliers=tuple(r for r in rows if r.gap is not None and abs(r.gap) >= ladder.calibration_alert - THRESHOLD_TOLERANCE),
        below=_below(rows, ladder),
        attention=tuple(r for r in rows if r.status != Status.COMPLETE.value),
        problems={p.person.id: tuple(str(x) for x in p.problems) for p in results.people if p.problems},
        unmatched=tuple(str(x) for x in results.unmatched),
        skill_groups=tuple((g.id, g.name) for g in ladder.skill_groups),
        by_manager={k: tuple(v) for k, v in by_manager.items()},
        directives=ladder.directives.for_leadership,
        manager_directives=ladder.directives.managers_in(_quarter_of_year(results.quarter)),
        interests=_interests(rows, ladder),
    )


def for_manager(summary: Summary, manager_id: str) -> Summary:
    """The same summary restricted to one manager's SEs (their team email): O(their SEs), not O(org)."""
    mine = summary.by_manager.get(manager_id)
    if mine is None:  # a summary built by hand, without the index
        mine = tuple(r for r in summary.rows if r.manager_id == manager_id)
    team_names = {r.team for r in mine}
    below: dict[str, list[tuple[Row, float]]] = {b.metric_id: [] for b in summary.below}
    for r in mine:
        for m in r.metrics:
            if m.status == "Below" and m.actual is not None and m.metric_id in below:
                below[m.metric_id].append((r, m.actual))
    return Summary(
        quarter=summary.quarter, ladder_name=summary.ladder_name, band_names=summary.band_names,
        band_floors=summary.band_floors, scale_max=summary.scale_max,
        top_band=summary.top_band, calibration_alert=summary.calibration_alert, rows=mine,
        teams=tuple(t for t in summary.teams if t.name in team_names), org=summary.org,
        candidates=tuple(r for r in mine if r.manager_band == summary.top_band),
        outliers=tuple(r for r in mine if r.gap is not None
                       and abs(r.gap) >= summary.calibration_alert - THRESHOLD_TOLERANCE),
        below=tuple(BelowBenchmark(b.metric_id, b.metric, b.benchmark, b.action, tuple(below[b.metric_id]))
                    for b in summary.below),
        attention=tuple(r for r in mine if r.status != Status.COMPLETE.value),
        problems={r.id: summary.problems[r.id] for r in mine if r.id in summary.problems},
        skill_groups=summary.skill_groups, by_manager={manager_id: mine},
        manager_directives=summary.manager_directives,
    )


def managers(summary: Summary) -> list[tuple[str, str, str]]:
    """(id, name, email) of every manager with SEs in the summary, in roster order."""
    seen: dict[str, tuple[str, str, str]] = {}
    for r in summary.rows:
        seen.setdefault(r.manager_id, (r.manager_id, r.manager_name, r.manager_email))
    return list(seen.values())


def _quarter_of_year(quarter: str) -> int:
    """4 for "2026-Q4"; 0 (no quarter: every directive) for a quarter written otherwise."""
    try:
        return quarters.parse(quarter)[1]
    except ValueError:
        return 0


def _criteria(n: int) -> str:
    return f"{n} criteri{'on' if n == 1 else 'a'}"


def _ordered(items: Iterable[str]) -> list[str]:
    """Distinct items in first-seen order (roster order, not alphabetical)."""
    return list(dict.fromkeys(items))


def _row(p: PersonResult, ladder: Ladder, before: PersonResult | None = None, asked: int = 0) -> Row:
    info = p.person
    base = dict(id=info.id, name=info.name, email=info.email, team=info.team, manager_id=info.manager_id,
                manager_name=info.manager_name, manager_email=info.manager_email, level=info.level_name,
                target=info.target_level_name, status=p.status.value,
                scored_by=p.scored_by.kind.value, scored_by_detail=p.scored_by.detail,
                errors=sum(1 for x in p.problems if x.severity is Severity.ERROR),
                missing=sum(1 for x in p.problems if x.severity is Severity.INCOMPLETE),
                agenda=agenda(ladder, p, before), peers=peer_view(ladder, p, asked))
    s, inputs = p.scores, p.inputs
    if s is None or inputs is None:
        return Row(**base)  # type: ignore[arg-type]
    rubric = ladder.rubric_for(info.target_level)
    names = {m.id: m.name for m in ladder.metrics}
    complete = s.readout_text not in (ladder.readout_for(info.level, info.target_level).incomplete_text,
                                      NOT_ASKING_TEXT)
    return Row(
        **base,  # type: ignore[arg-type]
        self_pct=s.self_pct, manager_pct=s.manager_pct, gap=s.calibration_gap, self_band=s.self_band,
        manager_band=s.manager_band, self_hold=s.self_hold, manager_hold=s.manager_hold,
        metrics_below=tuple(names[k] for k, v in s.metric_status.items() if v == "Below"),
        top_pivot=s.top_pivot, track=inputs.track_preference,
        self_scored=len(rubric.criteria) - len(s.self_missing),
        manager_scored=len(rubric.criteria) - len(s.manager_missing), criteria=len(rubric.criteria),
        self_not_observed=len(s.self_not_observed), manager_not_observed=len(s.manager_not_observed),
        readout=s.readout_text if complete else "",
        evidence=tuple(
            Evidence(c.id, c.text, inputs.criteria[c.id].self_score, inputs.criteria[c.id].manager_score,
                     inputs.criteria[c.id].evidence)
            for c in rubric.criteria if c.id in inputs.criteria
        ),
        metrics=tuple(MetricLine(m.id, m.name, m.benchmark, inputs.metrics[m.id].actual if m.id in inputs.metrics
                                 else None, str(s.metric_status.get(m.id, "Missing")), m.action_if_below,
                                 inputs.metrics[m.id].notes if m.id in inputs.metrics else "")
                      for m in ladder.metrics),
        skills=_skills(rubric.criteria, inputs),
        pivot_pct=next((s.pivot_readiness.get(x.id) for x in ladder.pivots if x.name == s.top_pivot), None),
        shares_interests=inputs.share_career_interests,
    )


def _skills(criteria: Iterable[Criterion], inputs: Inputs) -> dict[str, tuple[float, int]]:
    out: dict[str, tuple[float, int]] = {}
    for c in criteria:
        got = inputs.criteria.get(c.id)
        if c.skill_group and got is not None and got.manager_score is not None:
            total, n = out.get(c.skill_group, (0.0, 0))
            out[c.skill_group] = (total + got.manager_score, n + 1)
    return out


def _rollup(name: str, rows: list[Row] | tuple[Row, ...], ladder: Ladder) -> Rollup:
    bands = Counter(r.manager_band for r in rows)
    pcts = [r.manager_pct for r in rows if r.manager_pct is not None]
    gaps = [r.gap for r in rows if r.gap is not None]
    managers = _ordered(r.manager_name for r in rows)
    skills: dict[str, tuple[float, int]] = {}
    for r in rows:
        for group, (total, n) in r.skills.items():
            t0, n0 = skills.get(group, (0.0, 0))
            skills[group] = (t0 + total, n0 + n)
    return Rollup(
        name=name, manager=", ".join(managers), people=len(rows),
        complete=sum(1 for r in rows if r.status == Status.COMPLETE.value),
        bands={b: bands.get(b, 0) for b in (*(x.name for x in ladder.bands), NOT_ENOUGH_OBSERVED, INCOMPLETE_BAND)},
        avg_manager_pct=sum(pcts) / len(pcts) if pcts else None,
        avg_gap=sum(gaps) / len(gaps) if gaps else None,
        managers=len(managers),
        skills={g.id: (skills[g.id][0] / skills[g.id][1] if g.id in skills else None) for g in ladder.skill_groups},
        outliers=sum(1 for r in rows if r.gap is not None
                     and abs(r.gap) >= ladder.calibration_alert - THRESHOLD_TOLERANCE),
    )


def _below(rows: tuple[Row, ...], ladder: Ladder) -> tuple[BelowBenchmark, ...]:
    people: dict[str, list[tuple[Row, float]]] = {m.id: [] for m in ladder.metrics}
    for r in rows:
        for m in r.metrics:
            if m.status == "Below" and m.actual is not None and m.metric_id in people:
                people[m.metric_id].append((r, m.actual))
    return tuple(BelowBenchmark(m.id, m.name, m.benchmark, m.action_if_below, tuple(people[m.id]))
                 for m in ladder.metrics)
