"""Trends over quarters, from the history: pure functions over stored rows."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from . import quarter as quarters
from .committee import Applied, effective_band
from .model import INCOMPLETE_BAND, Ladder
from .results import Results


def signatures(ladder: Ladder) -> dict[str, str]:
    """Each criterion's signature: its text, anchor, weight, floor, cap and whether it may go unobserved.
    A criterion whose signature differs from the current ladder's changed meaning, and is not compared
    across quarters."""
    out = {}
    for rubric in ladder.rubrics.values():
        for c in rubric.criteria:
            # Plain text rather than a hash: readable in the database, and the core stays pure. The
            # rules added later appear only when set, so a criterion without them keeps its signature.
            parts = [c.text, c.anchor, f"weight {float(c.weight)!r}", f"floor {c.floor!r}"]
            parts += [f"caps {c.caps}"] if c.caps else []
            parts += ["may be not observed"] if c.allow_not_observed else []
            out[c.id] = " | ".join(parts)
    return out


def unchanged(scores: Sequence[Scored], current: Mapping[str, str]) -> list[Scored]:
    """The scores of criteria that mean today what they meant when scored.

    A criterion no longer in the ladder, or whose recorded signature differs, is left out; a
    score without a recorded signature (history from before signatures were kept) is kept.
    """
    return [s for s in scores if not s.criterion_id or (
        s.criterion_id in current and (not s.signature or s.signature == current[s.criterion_id]))]

@dataclass(frozen=True)
class PersonQuarter:
    """One person's stored quarter (a row of the history store)."""

    quarter: str
    person_id: str
    name: str
    team: str
    manager_id: str
    manager_name: str
    status: str
    self_pct: float | None
    manager_pct: float | None
    manager_band: str
    calibration_gap: float | None
    target_level: str = ""
    agreed_band: str = ""  # the committee's, once ``calibrate --apply`` recorded one

    @property
    def band(self) -> str:
        """The band that counts: the committee's agreed band, else the manager's."""
        return effective_band(self.manager_band, self.agreed_band)


@dataclass(frozen=True)
class Scored:
    """One criterion as scored by an SE and their manager in one quarter; ``n`` such alike (the history
    counts them per manager, so a report reads one row for many SEs, with ``person_id`` "")."""

    quarter: str
    person_id: str
    manager_id: str
    self_score: float | None
    manager_score: float | None
    criterion_id: str = ""
    signature: str = ""  # what the criterion meant that quarter; "" when the history did not record it
    n: int = 1


# A rater whose average manager-minus-self gap differs from the org's by this many points
# (of the criterion scale, 0-3 in the shipped ladder) or more is flagged: "lenient" when
# above the org (scores their SEs higher than the SEs score themselves, more than peers do),
# "harsh" when below. Half a point per criterion moves a 12-criterion readiness by ~17 points.
RATER_ALERT = 0.5


def readiness_by_person(rows: Sequence[PersonQuarter], last: int = 4) -> dict[str, list[tuple[str, float | None]]]:
    """Each person's manager readiness over their last ``last`` stored quarters, oldest first."""
    out: dict[str, list[tuple[str, float | None]]] = defaultdict(list)
    for r in sorted(rows, key=lambda r: r.quarter):
        out[r.person_id].append((r.quarter, r.manager_pct))
    return {k: v[-last:] for k, v in out.items()}


def consecutive_top(rows: Sequence[PersonQuarter], top_band: str, latest: str) -> dict[str, int]:
    """For each person, how many consecutive quarters up to ``latest`` their band was the top band.

    The band is the committee's agreed band where one was recorded, else the manager's. The
    count runs back from ``latest`` through quarters that directly follow each other; a
    quarter without a complete result in the top band, or a missing quarter, ends it. The one
    definition of "quarters in the top band in a row", and so of a promotion candidate.
    """
    by_key = {(r.person_id, r.quarter): r for r in rows}
    out = {}
    for person_id in {r.person_id for r in rows}:
        n, q = 0, latest
        while (r := by_key.get((person_id, q))) is not None and r.status == "complete" and r.band == top_band:
            n += 1
            q = quarters.previous(q)
        out[person_id] = n
    return out


def not_counted(rows: Sequence[PersonQuarter], top_band: str, latest: str, shown: Sequence[str],
                top_floor: float | None = None) -> dict[str, list[str]]:
    """For each person, why each shown quarter whose readiness reached the top band does not count toward
    their quarters in the top band in a row ("2026-Q2: 90% but incomplete, so not counted").

    Beside "0 quarters Ready in a row", readiness of 90% and 95% reads as a mistake unless it
    says why: the quarter was incomplete or had problems to correct, the committee agreed a lower
    band, a must-have held the band below (``top_floor``, the top band's minimum readiness, tells
    these), or a later quarter ended the run.
    """
    by_key = {(r.person_id, r.quarter): r for r in rows}

    def top(person_id: str, q: str) -> bool:
        r = by_key.get((person_id, q))
        return r is not None and r.status == "complete" and r.band == top_band

    out: dict[str, list[str]] = {}
    for person_id, n in consecutive_top(rows, top_band, latest).items():
        notes = []
        for q in shown:
            r = by_key.get((person_id, q))
            if r is None or r.manager_pct is None or not (top_band in (r.manager_band, r.band) or (
                    top_floor is not None and r.manager_pct >= top_floor - 1e-9)):
                continue
            seen = f"{q}: {r.manager_pct * 100:.0f}%"
            if r.status != "complete":
                notes.append(f"{seen} but {'incomplete' if r.status == 'incomplete' else 'with problems to correct'}, "
                             "so not counted")
            elif r.band != top_band and r.agreed_band:
                notes.append(f"{seen} but agreed {r.band} by the committee, so not counted")
            elif r.band != top_band:
                notes.append(f"{seen} but held at {r.manager_band} by a must-have, so not counted")
            elif not _in_run(q, latest, n):
                ended = _next_miss(person_id, q, latest, top)
                nothing = "" if (person_id, ended) in by_key else " (nothing stored)"
                notes.append(f"{seen} {top_band}, but {ended}{nothing} ended the run, so not counted")
        if notes:
            out[person_id] = notes
    return out


def _in_run(q: str, latest: str, n: int) -> bool:
    """Is ``q`` one of the ``n`` quarters up to ``latest``?"""
    for _ in range(n):
        if q == latest:
            return True
        latest = quarters.previous(latest)
    return False


def _next_miss(person_id: str, q: str, latest: str, top: Callable[[str, str], bool]) -> str:
    """The first quarter after ``q`` (up to ``latest``) not in the top band: what ended a run through ``q``."""
    miss, at = latest, latest
    while at > q:
        if not top(person_id, at):
            miss = at
        at = quarters.previous(at)
    return miss


@dataclass(frozen=True)
class TeamQuarter:
    team: str
    quarter: str
    avg_manager_pct: float | None
    people: int
    target_level: str = ""  # the rubric: an average never mixes two
    n: int = 0  # SEs with a manager readiness


def team_movement(rows: Sequence[PersonQuarter]) -> list[TeamQuarter]:
    """Average manager readiness per team and rubric per quarter ("" team: the whole org)."""
    groups: dict[tuple[str, str, str], list[PersonQuarter]] = defaultdict(list)
    for r in rows:
        groups[(r.team, r.target_level, r.quarter)].append(r)
        groups[("", r.target_level, r.quarter)].append(r)
    out = []
    for (team, target, q), members in sorted(groups.items()):
        pcts = [m.manager_pct for m in members if m.manager_pct is not None]
        out.append(TeamQuarter(team, q, sum(pcts) / len(pcts) if pcts else None, len(members), target, len(pcts)))
    return out


def quarter_rows(results: Results, committee: Applied | None = None) -> list[PersonQuarter]:
    """``results`` as the history stores them, with the committee's agreed bands: a report counts the quarter it
    reports as it reports it, stored or not."""
    out = []
    for p in results.people:
        info, s = p.person, p.scores
        decision = committee.of(info.id) if committee is not None else None
        out.append(PersonQuarter(results.quarter, info.id, info.name, info.team, info.manager_id, info.manager_name,
                                 p.status.value, s.self_pct if s else None, s.manager_pct if s else None,
                                 s.manager_band if s else INCOMPLETE_BAND, s.calibration_gap if s else None,
                                 info.target_level, decision.agreed_band if decision is not None else ""))
    return out


def band_changes(rows: Sequence[PersonQuarter], band_order: Sequence[str], latest: str) -> dict[str, int]:
    """Per person, +1 / -1 / 0 for moving up / down / not between the previous quarter and ``latest``, by the band
    that counts (agreed, else the manager's). Only people with one of ``band_order`` in both quarters count (not
    Incomplete, nor "Not enough observed").
    """
    rank = {name: len(band_order) - i for i, name in enumerate(band_order)}
    before = {r.person_id: r.band for r in rows if r.quarter == quarters.previous(latest)}
    out = {}
    for r in rows:
        if r.quarter != latest or r.person_id not in before:
            continue
        a, b = before[r.person_id], r.band
        if a not in rank or b not in rank:
            continue
        out[r.person_id] = (rank[b] > rank[a]) - (rank[b] < rank[a])
    return out


@dataclass(frozen=True)
class Rater:
    manager_id: str
    manager_name: str
    scored: int  # criteria with both scores
    avg_gap: float  # manager minus self, in points of the scale
    distribution: dict[int, int]  # manager scores given, by score
    verdict: str  # "lenient", "harsh" or ""


def raters(scores: Sequence[Scored], names: dict[str, str], scale_max: int) -> tuple[list[Rater], float | None]:
    """Each manager's average manager-minus-self gap and score distribution, and the org's average gap."""
    pairs = [(s.manager_id, s.self_score, s.manager_score, s.n) for s in scores
             if s.self_score is not None and s.manager_score is not None]
    if not pairs:
        return [], None
    org = sum(n * (m - se) for _, se, m, n in pairs) / sum(n for *_, n in pairs)
    out = []
    for manager_id in dict.fromkeys(mid for mid, *_ in pairs):
        mine = [(se, m, n) for mid, se, m, n in pairs if mid == manager_id]
        count = sum(n for *_, n in mine)
        gap = sum(n * (m - se) for se, m, n in mine) / count
        dist: Counter[int] = Counter()
        for _, m, n in mine:
            dist[int(m)] += n
        verdict = "lenient" if gap - org >= RATER_ALERT else "harsh" if org - gap >= RATER_ALERT else ""
        out.append(Rater(manager_id, names.get(manager_id, manager_id), count, gap,
                         {i: dist.get(i, 0) for i in range(scale_max + 1)}, verdict))
    return out, org


def org_distribution(scores: Sequence[Scored], scale_max: int) -> dict[int, int]:
    """Manager scores given across the org, by score: the yardstick for each rater's distribution.

    Counts the same criteria ``raters`` does (scored by both the SE and the manager).
    """
    given: Counter[int] = Counter()
    for s in scores:
        if s.self_score is not None and s.manager_score is not None:
            given[int(s.manager_score)] += s.n
    return {i: given.get(i, 0) for i in range(scale_max + 1)}


@dataclass(frozen=True)
class Trends:
    """What the reports show of the history, up to one quarter."""

    quarters: tuple[str, ...]  # the last few stored quarters up to the report's, oldest first
    readiness: dict[str, list[tuple[str, float | None]]]  # person -> (quarter, manager readiness)
    streaks: dict[str, int]  # person -> consecutive quarters in the top band, up to the report's quarter
    # (team, rubric) -> quarter -> (average manager readiness, SEs it is over); team "" is the whole org
    teams: dict[tuple[str, str], dict[str, tuple[float | None, int]]]
    moves: dict[str, int]  # person -> +1 up / -1 down / 0 since the previous quarter
    raters: list[Rater]
    org_gap: float | None
    org_distribution: dict[int, int] = field(default_factory=dict)  # manager scores given across the org, by score
    rater_alert: float = RATER_ALERT  # points of the scale from the org's gap that flag a rater
    # person -> why shown quarters that look like the top band do not count toward ``streaks`` (not_counted)
    uncounted: dict[str, list[str]] = field(default_factory=dict)

    def series(self, person_id: str) -> list[float | None]:
        got = dict(self.readiness.get(person_id, []))
        return [got.get(q) for q in self.quarters]


def build(rows: Sequence[PersonQuarter], scores: Sequence[Scored], *, latest: str, band_order: Sequence[str],
          scale_max: int, last: int = 4, current: Mapping[str, str] | None = None,
          top_floor: float | None = None) -> Trends:
    """All trends for a report of quarter ``latest`` (later quarters in the history are ignored).

    With ``current`` (``signatures(ladder)``), criterion-level trends (raters, distributions)
    use only criteria that did not change between ladder versions. ``top_floor`` (the top
    band's minimum readiness) lets ``uncounted`` name quarters a must-have held below it.
    """
    rows = [r for r in rows if r.quarter <= latest]
    scores = [s for s in scores if s.quarter <= latest]
    if current is not None:
        scores = unchanged(scores, current)
    shown = tuple(sorted({r.quarter for r in rows})[-last:])
    names = {r.manager_id: r.manager_name for r in rows}
    team_avg: dict[tuple[str, str], dict[str, tuple[float | None, int]]] = defaultdict(dict)
    for t in team_movement([r for r in rows if r.quarter in shown]):
        team_avg[(t.team, t.target_level)][t.quarter] = (t.avg_manager_pct, t.n)
    rater_list, org = raters(scores, names, scale_max)
    return Trends(
        quarters=shown,
        readiness=readiness_by_person(rows, last),
        streaks=consecutive_top(rows, band_order[0], latest),
        teams=dict(team_avg),
        moves=band_changes(rows, band_order, latest),
        raters=rater_list,
        org_gap=org,
        org_distribution=org_distribution(scores, scale_max),
        uncounted=not_counted(rows, band_order[0], latest, shown, top_floor),
    )
