"""The rollups every report output shares, computed once from Results. Pure; numbers stay numbers.

Every band counted is the band that counts: the committee's agreed band once applied, else
the manager's. A promotion candidate is in the top band ``Ladder.candidate_quarters``
quarters running; an SE there for fewer is "Ready, first quarter" (``Summary.ready_not_yet``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from . import quarter as quarters
from .agenda import Agenda, agenda
from .calibration import Calibration, calibrate, scored_in
from .committee import Applied, Decision, effective_band, ready_label, verdict_shown
from .model import INCOMPLETE_BAND, NOT_ASKING_TEXT, NOT_ENOUGH_OBSERVED, Criterion, Inputs, Ladder
from .peer_view import PeerView, peer_view
from .results import PersonResult, Results, Severity, Status
from .rollups import Interests, Rollup, interests, rollup
from .scoring import THRESHOLD_TOLERANCE


@dataclass(frozen=True)
class Evidence:
    criterion_id: str
    criterion: str
    self_score: float | None
    manager_score: float | None
    text: str
    comment: str = ""  # the manager's, from their review
    unsupported: bool = False  # scored high (by the SE or the manager) with no evidence written


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
    rubric: str = ""  # the target level id: the rubric they are scored on
    in_level_since: str = ""  # from the roster, "" unknown
    time_in_level: str = ""  # "2 years 6 months in level by the end of 2026-Q4 (since 2024-07)", "" unknown
    agreed_band: str = ""  # the committee's, once applied ("" none)
    agreed_against: str = ""  # the manager's band the committee decided against, when it has changed since
    rationale: str = ""  # the committee's
    verdict: str = ""  # the committee's decision, as shown ("Not yet"), "" none
    peers: PeerView = PeerView()  # AE and peer input, as much as the ladder allows to be shown
    streak: int | None = None  # quarters running in the top band (agreed band, else the manager's); None: no history
    standing: str = ""  # for an SE in the top band: "Ready, first quarter", "Ready, 2 quarters running"...

    @property
    def band(self) -> str:
        """The band that counts: the committee's agreed band, else the manager's."""
        return effective_band(self.manager_band, self.agreed_band)

    @property
    def unsupported(self) -> tuple[Evidence, ...]:
        """Criteria scored high with no evidence written: what a committee sends back."""
        return tuple(e for e in self.evidence if e.unsupported)

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
    candidates: tuple[Row, ...]  # in the top band ``candidate_quarters`` quarters running
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
    ready: tuple[Row, ...] = ()  # in the top band now (agreed band, else the manager's), candidates or not
    candidate_quarters: int = 2
    history: bool = False  # quarters in a row are counted from a history
    calibration: Calibration = Calibration("")  # each manager's scores beside the org's, per rubric
    committee: Applied | None = None  # the committee's decisions applied for this quarter

    evidence_floor: int = 2  # scores from this up need evidence (``evidence_floor``)

    @property
    def ready_not_yet(self) -> tuple[Row, ...]:
        """In the top band, not (yet) a promotion candidate: "Ready, first quarter"."""
        ids = {r.id for r in self.candidates}
        return tuple(r for r in self.ready if r.id not in ids)

    def is_candidate(self, row: Row) -> bool:
        return any(r.id == row.id for r in self.candidates)

    @property
    def compared(self) -> bool:
        """Some SE is scored by both themself and their manager: there is a self-manager gap to show."""
        return any(r.gap is not None for r in self.rows)


def summarize(results: Results, ladder: Ladder, previous: Results | None = None, *,
              committee: Applied | None = None, streaks: Mapping[str, int] | None = None) -> Summary:
    """Every rollup, in one pass per grouping. ``previous`` (last quarter's results) adds last quarter's
    proposed milestones to each SE's agenda; ``committee`` (the decisions applied for this quarter) puts the
    agreed band beside the manager's; ``streaks`` (``trends.consecutive_top``, from the history) counts
    quarters in the top band running, which make a promotion candidate."""
    before = {p.person.id: p for p in previous.people} if previous is not None else {}
    asked = Counter(pid for r in results.raters for pid in r.rates)
    rows = tuple(_row(p, ladder, results.quarter, before.get(p.person.id), committee, streaks,
                      asked[p.person.id]) for p in results.people)
    by_team: dict[str, list[Row]] = {}
    by_manager: dict[str, list[Row]] = {}
    for r in rows:
        by_team.setdefault(r.team, []).append(r)
        by_manager.setdefault(r.manager_id, []).append(r)
    top = ladder.bands[0].name
    # "Not enough observed" counts like a band, shown only in a quarter where someone is in it.
    unobserved = (NOT_ENOUGH_OBSERVED,) if any(NOT_ENOUGH_OBSERVED in (r.self_band, r.manager_band) for r in rows) else ()
    ready, candidates, outliers = _standouts(rows, top, ladder.candidate_quarters, ladder.calibration_alert)
    return Summary(
        quarter=results.quarter, ladder_name=ladder.name,
        band_names=(*(b.name for b in ladder.bands), *unobserved, INCOMPLETE_BAND),
        band_floors=tuple((b.name, b.min_pct) for b in ladder.bands), scale_max=ladder.scale.max,
        top_band=top, calibration_alert=ladder.calibration_alert, rows=rows,
        teams=tuple(rollup(team, members, ladder) for team, members in by_team.items()),
        org=rollup("All teams", rows, ladder),
        candidates=candidates, outliers=outliers,
        below=_below(rows, ladder),
        attention=tuple(r for r in rows if r.status != Status.COMPLETE.value),
        problems={p.person.id: tuple(str(x) for x in p.problems) for p in results.people if p.problems},
        unmatched=tuple(str(x) for x in results.unmatched),
        skill_groups=tuple((g.id, g.name) for g in ladder.skill_groups),
        by_manager={k: tuple(v) for k, v in by_manager.items()},
        directives=ladder.directives.for_leadership,
        manager_directives=ladder.directives.managers_in(_quarter_of_year(results.quarter)),
        interests=interests(rows, ladder), ready=ready, candidate_quarters=ladder.candidate_quarters,
        history=streaks is not None, committee=committee, evidence_floor=evidence_floor(ladder),
        calibration=calibrate(ladder, scored_in(results), f"managers' scores collected for {results.quarter}"),
    )


def _standouts(rows: Sequence[Row], top: str, needed: int, alert: float) -> tuple[tuple[Row, ...], ...]:
    """(ready, promotion candidates, calibration outliers) among ``rows``: the org's, or one manager's."""
    ready = tuple(r for r in rows if r.band == top)
    return (ready, tuple(r for r in ready if _candidate(r, needed)),
            tuple(r for r in rows if r.gap is not None and abs(r.gap) >= alert - THRESHOLD_TOLERANCE))


def _candidate(r: Row, needed: int) -> bool:
    """In the top band ``needed`` quarters running; without a history only this quarter is known."""
    if r.streak is None:
        return needed <= 1 and r.status == Status.COMPLETE.value
    return r.streak >= needed


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
    c = summary.calibration
    ready, candidates, outliers = _standouts(mine, summary.top_band, summary.candidate_quarters,
                                             summary.calibration_alert)
    return replace(
        summary, rows=mine, teams=tuple(t for t in summary.teams if t.name in team_names),
        candidates=candidates, ready=ready, outliers=outliers,
        below=tuple(BelowBenchmark(b.metric_id, b.metric, b.benchmark, b.action, tuple(below[b.metric_id]))
                    for b in summary.below),
        attention=tuple(r for r in mine if r.status != Status.COMPLETE.value),
        problems={r.id: summary.problems[r.id] for r in mine if r.id in summary.problems},
        unmatched=(), by_manager={manager_id: mine}, directives=(), interests=Interests(),
        calibration=replace(c, views=c.of(manager_id)),
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


def _row(p: PersonResult, ladder: Ladder, quarter: str, before: PersonResult | None = None,
         committee: Applied | None = None, streaks: Mapping[str, int] | None = None, asked: int = 0) -> Row:
    info = p.person
    base: dict[str, Any] = dict(id=info.id, name=info.name, email=info.email, team=info.team, manager_id=info.manager_id,
                manager_name=info.manager_name, manager_email=info.manager_email, level=info.level_name,
                target=info.target_level_name, status=p.status.value, rubric=info.target_level,
                in_level_since=info.in_level_since, time_in_level=quarters.in_level(info.in_level_since, quarter),
                scored_by=p.scored_by.kind.value,
                scored_by_detail=p.scored_by.detail,
                errors=sum(1 for x in p.problems if x.severity is Severity.ERROR),
                missing=sum(1 for x in p.problems if x.severity is Severity.INCOMPLETE),
                agenda=agenda(ladder, p, before), peers=peer_view(ladder, p, asked))
    s, inputs = p.scores, p.inputs
    base |= _standing(ladder, p, committee, streaks)
    if s is None or inputs is None:
        return Row(**base)
    rubric = ladder.rubric_for(info.target_level)
    names = {m.id: m.name for m in ladder.metrics}
    complete = s.readout_text not in (ladder.readout_for(info.level, info.target_level).incomplete_text,
                                      NOT_ASKING_TEXT)
    return Row(
        **base,
        self_pct=s.self_pct, manager_pct=s.manager_pct, gap=s.calibration_gap, self_band=s.self_band,
        manager_band=s.manager_band, self_hold=s.self_hold, manager_hold=s.manager_hold,
        metrics_below=tuple(names[k] for k, v in s.metric_status.items() if v == "Below"),
        top_pivot=s.top_pivot, track=inputs.track_preference,
        self_scored=len(rubric.criteria) - len(s.self_missing),
        manager_scored=len(rubric.criteria) - len(s.manager_missing), criteria=len(rubric.criteria),
        self_not_observed=len(s.self_not_observed), manager_not_observed=len(s.manager_not_observed),
        readout=s.readout_text if complete else "",
        evidence=_evidence(ladder, rubric.criteria, inputs),
        metrics=tuple(MetricLine(m.id, m.name, m.benchmark, inputs.metrics[m.id].actual if m.id in inputs.metrics
                                 else None, str(s.metric_status.get(m.id, "Missing")), m.action_if_below,
                                 inputs.metrics[m.id].notes if m.id in inputs.metrics else "")
                      for m in ladder.metrics_for(info.level, info.target_level)),  # as the workbook asked
        skills=_skills(rubric.criteria, inputs),
        pivot_pct=next((s.pivot_readiness.get(x.id) for x in ladder.pivots if x.name == s.top_pivot), None),
        shares_interests=inputs.share_career_interests,
    )


def _standing(ladder: Ladder, p: PersonResult, committee: Applied | None,
              streaks: Mapping[str, int] | None) -> dict[str, Any]:
    """The committee's decision for ``p``, quarters in the top band running and, when in it now, the standing."""
    band = p.scores.manager_band if p.scores is not None else INCOMPLETE_BAND
    part: dict[str, Any] = _decided(committee.of(p.person.id) if committee is not None else None, band)
    streak = None if streaks is None else streaks.get(p.person.id, 0)
    top = ladder.bands[0].name
    in_top = effective_band(band, str(part["agreed_band"])) == top
    return part | dict(streak=streak, standing=ready_label(top, streak, ladder.candidate_quarters,
                                                           p.status is Status.COMPLETE) if in_top else "")


def _decided(decision: Decision | None, manager_band: str) -> dict[str, str]:
    """The committee's fields of a row: the agreed band, the rationale, the decision, and the manager's band it
    was agreed against when the manager's band has changed since."""
    if decision is None:
        return dict(agreed_band="", agreed_against="", rationale="", verdict="")
    return dict(agreed_band=decision.agreed_band, rationale=decision.rationale, verdict=verdict_shown(decision.verdict),
                agreed_against=decision.manager_band if decision.manager_band != manager_band else "")


def evidence_floor(ladder: Ladder) -> int:
    """From this score up (the scale's top two: 2 or more on 0-3) a criterion needs evidence a committee can read."""
    return max(1, ladder.scale.max - 1)


def _evidence(ladder: Ladder, criteria: Iterable[Criterion], inputs: Inputs) -> tuple[Evidence, ...]:
    """Each criterion's scores, evidence and manager's comment; marked when scored high with no evidence."""
    floor = evidence_floor(ladder)
    out = []
    for c in criteria:
        got = inputs.criteria.get(c.id)
        if got is None:
            continue
        high = any(v is not None and v >= floor for v in (got.self_score, got.manager_score))
        out.append(Evidence(c.id, c.text, got.self_score, got.manager_score, got.evidence, got.comment,
                            high and not got.evidence.strip()))
    return tuple(out)


def _skills(criteria: Iterable[Criterion], inputs: Inputs) -> dict[str, tuple[float, int]]:
    out: dict[str, tuple[float, int]] = {}
    for c in criteria:
        got = inputs.criteria.get(c.id)
        if c.skill_group and got is not None and got.manager_score is not None:
            total, n = out.get(c.skill_group, (0.0, 0))
            out[c.skill_group] = (total + got.manager_score, n + 1)
    return out


def _below(rows: tuple[Row, ...], ladder: Ladder) -> tuple[BelowBenchmark, ...]:
    people: dict[str, list[tuple[Row, float]]] = {m.id: [] for m in ladder.metrics}
    for r in rows:
        for m in r.metrics:
            if m.status == "Below" and m.actual is not None and m.metric_id in people:
                people[m.metric_id].append((r, m.actual))
    return tuple(BelowBenchmark(m.id, m.name, m.benchmark, m.action_if_below, tuple(people[m.id]))
                 for m in ladder.metrics)
