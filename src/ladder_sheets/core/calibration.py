"""Calibration across managers: each manager's scores beside the org's, within one rubric, the manager left out.

Per manager and rubric: how many of their SEs each band holds by the manager's scores, and
per criterion the manager's mean score (with n) against the org's mean for the same rubric
and criterion over every other manager's SEs (with its n); a rubric's overall line compares
the mean of each SE's mean score the same way. A difference is flagged only when both sides
have ``Ladder.calibration_min_n`` SEs or more; below that it is "too few to tell".

The one implementation of these figures: the review's Team page (``review_team``), the
committee workbook, the leadership email, summary.xlsx and the packet all show them. It
compares a manager with other managers, never with their own SEs' self scores: a manager
who rates everyone high, and whose SEs rate themselves high too, still shows. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from .model import INCOMPLETE_BAND, NOT_ENOUGH_OBSERVED, Ladder
from .results import Results

TOO_FEW = "too few to tell"
NO_ORG = "no org figure yet"
HIGHER, LOWER, IN_LINE = "higher than the org", "lower than the org", "in line"
TOLERANCE = 1e-9  # the flag's threshold is compared the same way here and in the spreadsheets
OVERALL = "*"  # the key of a rubric's overall line (the mean of each SE's mean score)


@dataclass(frozen=True)
class Rated:
    """One SE as calibration reads them: whose, which rubric, the manager's band and score per criterion."""

    manager_id: str
    target: str
    scores: Mapping[str, float | None]
    band: str = INCOMPLETE_BAND
    manager_name: str = ""

    @property
    def mean(self) -> float | None:
        given = [v for v in self.scores.values() if v is not None]
        return sum(given) / len(given) if given else None


@dataclass(frozen=True)
class OrgFigures:
    """The org's mean manager score per (rubric, criterion id or OVERALL), leaving one manager out, and its source."""

    source: str = ""  # where the figures come from, in words; "" when there are none
    means: Mapping[tuple[str, str], tuple[float, int]] = field(default_factory=dict)  # -> (mean, SEs)


_Sums = dict[tuple[str, str], tuple[float, int]]


def _sums(rated: Iterable[Rated]) -> _Sums:
    """(total, SEs) of manager scores per (rubric, criterion), and of each SE's mean per (rubric, OVERALL)."""
    sums: _Sums = {}
    for r in rated:
        for cid, value in (*r.scores.items(), (OVERALL, r.mean)):
            if value is not None:
                total, n = sums.get((r.target, cid), (0.0, 0))
                sums[(r.target, cid)] = (total + value, n + 1)
    return sums


def _figures(total: _Sums, mine: _Sums, source: str) -> OrgFigures:
    """The org's figures: ``total`` less one manager's ``mine``."""
    means = {}
    for k, (value, n) in total.items():
        own, own_n = mine.get(k, (0.0, 0))
        if n > own_n:
            means[k] = ((value - own) / (n - own_n), n - own_n)
    return OrgFigures(source if means else "", means)


def org_figures(scored: Iterable[Rated], manager_id: str, source: str) -> OrgFigures:
    """The org's figures from each scored SE, leaving ``manager_id``'s SEs out; none when nobody else's were scored."""
    scored = list(scored)
    return _figures(_sums(scored), _sums(r for r in scored if r.manager_id == manager_id), source)


def scored_in(results: Results) -> list[Rated]:
    """Each SE of ``results`` holding a manager score, as calibration reads them."""
    out = []
    for r in results.people:
        if r.inputs is not None and any(c.manager_score is not None for c in r.inputs.criteria.values()):
            out.append(Rated(r.person.manager_id, r.person.target_level,
                             {cid: c.manager_score for cid, c in r.inputs.criteria.items()},
                             r.scores.manager_band if r.scores is not None else INCOMPLETE_BAND,
                             r.person.manager_name))
    return out


def threshold(ladder: Ladder) -> float:
    """A difference of mean scores flagged: the ladder's calibration alert, in points of its scale."""
    return ladder.calibration_alert * ladder.scale.max


@dataclass(frozen=True)
class Line:
    """One criterion (or a rubric's OVERALL): the manager's mean and n beside the org's, the difference, the flag."""

    key: str
    mean: float | None
    n: int
    org_mean: float | None
    org_n: int
    difference: float | None
    flag: str  # HIGHER, LOWER, IN_LINE, TOO_FEW, NO_ORG, or "" when the manager gave no score

    @property
    def flagged(self) -> bool:
        return self.flag in (HIGHER, LOWER)


def line(ladder: Ladder, target: str, key: str, given: Sequence[float], org: OrgFigures) -> Line:
    """The line of ``key`` from the manager's scores ``given`` (one per SE) and the org's figures."""
    mean = sum(given) / len(given) if given else None
    org_mean, org_n = org.means.get((target, key), (None, 0))
    diff = None if mean is None or org_mean is None else mean - org_mean
    return Line(key, mean, len(given), org_mean, org_n, diff,
                _flag(mean, org_mean, diff, len(given), org_n, ladder.calibration_min_n, threshold(ladder)))


def _flag(mean: float | None, org_mean: float | None, diff: float | None, n: int, org_n: int, low: int,
          alert: float) -> str:
    if mean is None:
        return ""
    if org_mean is None or diff is None:
        return NO_ORG
    if n < low or org_n < low:
        return TOO_FEW
    if abs(diff) >= alert - TOLERANCE:
        return HIGHER if diff > 0 else LOWER
    return IN_LINE


def band_names(ladder: Ladder) -> tuple[str, ...]:
    """Every band a manager's scores can give, highest first, then "Not enough observed" and "Incomplete"."""
    return (*(b.name for b in ladder.bands), NOT_ENOUGH_OBSERVED, INCOMPLETE_BAND)


@dataclass(frozen=True)
class RubricView:
    """One manager on one rubric: their SEs by band, and their scores beside the org's."""

    manager_id: str
    manager_name: str
    target: str
    title: str  # the rubric's
    people: int  # the manager's SEs on this rubric with a score
    bands: tuple[tuple[str, int], ...]  # (band, SEs), highest first
    overall: Line
    criteria: tuple[tuple[str, Line], ...]  # (criterion text, line), in the rubric's order

    @property
    def shares(self) -> tuple[tuple[str, float], ...]:
        """(band, share of the manager's SEs), highest first."""
        return tuple((name, n / self.people if self.people else 0.0) for name, n in self.bands)

    @property
    def flagged(self) -> tuple[tuple[str, Line], ...]:
        """The criteria whose difference is flagged."""
        return tuple((text, x) for text, x in self.criteria if x.flagged)

    @property
    def enough(self) -> bool:
        """Enough SEs on both sides for the overall line to be judged at all."""
        return self.overall.flag not in (TOO_FEW, NO_ORG, "")


def view(ladder: Ladder, manager_id: str, manager_name: str, target: str, mine: Sequence[Rated],
         org: OrgFigures) -> RubricView:
    """``manager_id``'s view on the rubric of ``target`` from their rated SEs ``mine`` and the org's figures."""
    rubric = ladder.rubric_for(target)
    counts = {name: sum(1 for r in mine if r.band == name) for name in band_names(ladder)}
    bands = tuple((name, n) for name, n in counts.items() if n or name not in (NOT_ENOUGH_OBSERVED, INCOMPLETE_BAND))
    means = [m for r in mine if (m := r.mean) is not None]
    criteria = tuple((c.text, line(ladder, target, c.id, [v for r in mine if (v := r.scores.get(c.id)) is not None],
                                   org)) for c in rubric.criteria)
    return RubricView(manager_id, manager_name, target, rubric.title, len(mine), bands,
                      line(ladder, target, OVERALL, means, org), criteria)


@dataclass(frozen=True)
class Calibration:
    """Every manager's views, in roster order then the ladder's rubric order."""

    source: str  # where the scores come from, in words
    views: tuple[RubricView, ...] = ()
    min_n: int = 5
    alert: float = 0.0  # points of the scale that flag a difference

    def of(self, manager_id: str) -> tuple[RubricView, ...]:
        return tuple(v for v in self.views if v.manager_id == manager_id)

    def one(self, manager_id: str, target: str) -> RubricView | None:
        return next((v for v in self.views if v.manager_id == manager_id and v.target == target), None)

    @property
    def flagged(self) -> tuple[RubricView, ...]:
        """Views whose overall line, or some criterion, is flagged."""
        return tuple(v for v in self.views if v.overall.flagged or v.flagged)


def calibrate(ladder: Ladder, rated: Sequence[Rated], source: str = "") -> Calibration:
    """Each manager's view on each rubric their rated SEs are on, against the rest of the org."""
    total = _sums(rated)
    managers: dict[str, list[Rated]] = {}
    for r in rated:
        managers.setdefault(r.manager_id, []).append(r)
    order = {target: i for i, target in enumerate(ladder.rubrics)}
    views = []
    for manager_id, mine in managers.items():
        org = _figures(total, _sums(mine), source)
        for target in sorted({r.target for r in mine}, key=lambda t: order.get(t, len(order))):
            on = [r for r in mine if r.target == target]
            views.append(view(ladder, manager_id, on[0].manager_name or manager_id, target, on, org))
    return Calibration(source, tuple(views), ladder.calibration_min_n, threshold(ladder))
