"""What a reader needs first: the headline figures, and named lists capped so an email stays one size at any org size.

Pure. The leadership email, its text version and summary.xlsx's overview sheet show the
same figures; the manager's email opens with ``team_headline``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .calibration import RubricView
from .rollups import Rollup
from .summary import Row, Summary
from .trends import Trends

T = TypeVar("T")
TOP_N = 10  # names a leadership list shows before "and M more in summary.xlsx"
TEAMS_SHOWN = 25  # team rows a leadership table shows


@dataclass(frozen=True)
class Capped(Generic[T]):
    """The first items of a list, and how many more there are."""

    items: tuple[T, ...]
    more: int

    @property
    def total(self) -> int:
        return len(self.items) + self.more


def capped(items: Sequence[T], n: int = TOP_N, key: Callable[[T], Any] | None = None) -> Capped[T]:
    ordered = sorted(items, key=key) if key is not None else list(items)
    return Capped(tuple(ordered[:n]), max(0, len(ordered) - n))


@dataclass(frozen=True)
class TeamLine:
    rollup: Rollup
    outstanding: int  # sheets not complete


@dataclass(frozen=True)
class RubricLine:
    """Average manager readiness on one rubric across the org, with its n, and the quarter before's."""

    target: str
    title: str
    avg: float | None
    n: int
    before: float | None = None
    before_n: int = 0

    @property
    def change(self) -> float | None:
        return None if self.avg is None or self.before is None else self.avg - self.before


@dataclass(frozen=True)
class Headline:
    quarter: str
    people: int
    returned: int
    complete: int
    ready: int  # in the top band now (the committee's agreed band, else the manager's)
    candidates: int  # in the top band ``candidate_quarters`` quarters running
    outstanding: int  # sheets missing, incomplete or invalid
    outliers: int  # SEs whose self and manager readiness are far apart
    averages: tuple[RubricLine, ...]  # average manager readiness, within each rubric
    before_quarter: str  # "" without history
    moved_up: int
    moved_down: int
    top_band: str
    candidate_quarters: int = 2
    agreed: int = 0  # SEs with a band agreed by the committee


def headline(s: Summary, t: Trends | None) -> Headline:
    before_q = _previous_quarter(s, t)
    moves = [t.moves.get(r.id, 0) for r in s.rows] if t is not None else []
    return Headline(
        quarter=s.quarter, people=len(s.rows), returned=sum(1 for r in s.rows if r.status != "missing"),
        complete=s.org.complete, ready=len(s.ready), candidates=len(s.candidates),
        outstanding=len(s.attention), outliers=len(s.outliers), averages=_averages(s, t, before_q),
        before_quarter=before_q, moved_up=moves.count(1), moved_down=moves.count(-1),
        top_band=s.top_band, candidate_quarters=s.candidate_quarters,
        agreed=sum(1 for r in s.rows if r.agreed_band))


def _averages(s: Summary, t: Trends | None, before_q: str) -> tuple[RubricLine, ...]:
    """The org's average manager readiness per rubric, and the quarter before's on the same rubric."""
    out = []
    for x in s.org.rubrics:
        before, before_n = (t.teams.get(("", x.target), {}).get(before_q, (None, 0)) if t is not None and before_q
                            else (None, 0))
        out.append(RubricLine(x.target, x.title, x.avg, x.n, before, before_n))
    return tuple(out)


def _previous_quarter(s: Summary, t: Trends | None) -> str:
    if t is None:
        return ""
    earlier = [q for q in t.quarters if q < s.quarter]
    return earlier[-1] if earlier else ""


@dataclass(frozen=True)
class Leadership:
    """Every list the leadership email shows, each capped."""

    head: Headline
    teams: Capped[TeamLine]
    candidates: Capped[Row]  # longest in the top band first, then highest manager readiness
    ready_first: Capped[Row]  # in the top band, not yet for ``candidate_quarters`` quarters
    held: Capped[Row]  # a band below their points' band because a must-have is under its floor
    outliers: Capped[Row]  # largest self-manager gap first
    calibration: Capped[RubricView]  # each manager on each rubric, flagged first
    below: tuple[tuple[str, str, str, int], ...]  # (metric, benchmark, action, SEs below)
    outstanding_by_team: Capped[TeamLine]  # teams with sheets outstanding, most first


def leadership(s: Summary, t: Trends | None, n: int = TOP_N, teams_shown: int = TEAMS_SHOWN) -> Leadership:
    head = headline(s, t)
    lines = [TeamLine(team, team.people - team.complete) for team in s.teams]
    by_readiness: Callable[[Row], Any] = lambda r: (-(r.streak or 0), -(r.manager_pct or 0), r.name)  # noqa: E731
    return Leadership(
        head=head,
        teams=capped(lines, teams_shown),
        candidates=capped(s.candidates, n, key=by_readiness),
        ready_first=capped(s.ready_not_yet, n, key=by_readiness),
        held=capped([r for r in s.rows if r.manager_hold], n, key=lambda r: (-(r.manager_pct or 0), r.name)),
        outliers=capped(s.outliers, n, key=lambda r: (-abs(r.gap or 0), r.name)),
        calibration=capped(s.calibration.views, n,
                           key=lambda v: (not (v.overall.flagged or v.flagged), -v.people, v.manager_name, v.title)),
        below=tuple((b.metric, b.benchmark, b.action, len(b.people)) for b in s.below),
        outstanding_by_team=capped([x for x in lines if x.outstanding], n, key=lambda x: -x.outstanding),
    )


@dataclass(frozen=True)
class TeamHeadline:
    people: int
    returned: int
    complete: int
    ready: int
    to_score: int  # criteria the manager has not scored yet
    to_score_people: int  # SEs they are spread over
    se_open: int  # SEs with something still to do themselves
    top_band: str
    track_flags: int = 0  # SEs whose preferred track and target point different ways


def team_headline(s: Summary) -> TeamHeadline:
    """The manager's first line: returned, complete, and what they still have to score."""
    to_score = [r.criteria - r.manager_scored if r.agenda.returned and r.criteria else 0 for r in s.rows]
    return TeamHeadline(
        people=len(s.rows), returned=sum(1 for r in s.rows if r.agenda.returned),
        complete=sum(1 for r in s.rows if r.status == "complete"), ready=len(s.ready),
        to_score=sum(to_score), to_score_people=sum(1 for x in to_score if x),
        se_open=sum(1 for r in s.rows if r.agenda.se_todo), top_band=s.top_band,
        track_flags=sum(1 for r in s.rows if r.agenda.track_flag))
