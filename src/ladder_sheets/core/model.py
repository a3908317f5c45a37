"""The domain, as frozen dataclasses. No I/O: config.py builds these, everything else reads them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Union

from .compat import StrEnum as StrEnum  # re-exported: the vocabularies elsewhere build on it
from .raters import PeerSettings, Rater


class Track(StrEnum):
    IC = "ic"
    LEADERSHIP = "leadership"


class Comparator(StrEnum):
    """How an actual value is held against its benchmark target."""

    AT_LEAST = ">="
    AT_MOST = "<="
    ABOVE = ">"
    BELOW = "<"


class MetricStatus(StrEnum):
    MEETS = "Meets"
    BELOW = "Below"
    MISSING = "Missing"


class FieldKind(StrEnum):
    """Kinds of promotion read-out inputs; each has its own cell validation."""

    TEXT = "text"
    PERCENT = "percent"  # a whole number of percent, e.g. 115
    LEVEL = "level"  # one of the ladder's level names


class ManagerScores(StrEnum):
    """Where managers score their SEs: in a review workbook of their own, or in each SE's workbook."""

    REVIEW = "review"  # the SE's workbook shows the manager's column locked; the manager scores in a review
    IN_WORKBOOK = "in_workbook"  # the manager scores in the SE's workbook (returned from the manager's side)


class Recommendation(StrEnum):
    """A manager's overall recommendation for one SE, from their review."""

    PROMOTE_NOW = "promote now"
    NEXT_CYCLE = "next cycle"
    NOT_YET = "not yet"

    @property
    def shown(self) -> str:
        """As the review's dropdown and the reports show it: "Promote now"."""
        return self.value[:1].upper() + self.value[1:]


INCOMPLETE_BAND = "Incomplete"
# Every criterion scored, but too little of the rubric observed for any band (NotObserved.min_share).
NOT_ENOUGH_OBSERVED = "Not enough observed"
NO_PIVOT_INTEREST = "None"
# The talk track of an SE not asking for a move this quarter (the read-out is shown only to one who is).
NOT_ASKING_TEXT = ("Not asking for a new role or title this quarter: your talk track assembles here when the answer "
                   "above is Yes.")


class NotObservedScore(Enum):
    """A criterion scored "not observed yet": a value of its own, so it never mixes up with a blank (None)."""

    NOT_OBSERVED = "n/o"


NOT_OBSERVED = NotObservedScore.NOT_OBSERVED
# One criterion's score as scoring reads it: a number, blank (None) or not observed yet.
Score = Union[float, None, NotObservedScore]

# A value read from a cell: a number, text, a boolean, or nothing (blank).
CellValue = Union[float, int, str, bool, None]


@dataclass(frozen=True)
class Level:
    id: str
    name: str
    track: Track
    rank: int
    radius_of_impact: str
    summary: str
    promotes_to: tuple[str, ...] = ()
    deal_focus: str = ""  # "I execute the standard demo perfectly." (the deal-focus contrast)
    organisational_impact: str = ""  # the same level's organisational impact, in its own words


@dataclass(frozen=True)
class Criterion:
    id: str
    competency: str
    text: str
    anchor: str  # what a 3 ("Consistently") looks like
    weight: float = 1.0
    skill_group: str = ""  # one of the non-technical skill groups, when it tests one
    coaching: tuple[str, ...] = ()  # questions a manager can ask in a 1:1 about this criterion
    floor: int | None = None  # must-have: a score below this holds readiness out of must-have bands
    # Must-have: the highest band reachable while scored under ``floor``; "" = the bands'
    # ``must_haves`` rule. Parsed and validated; scoring binds it in a later release.
    caps: str = ""
    # May be scored "not observed yet" (the SE had no chance to show it); never a must-have.
    allow_not_observed: bool = False
    peer_rated: bool = False  # customer-facing: the SE's AEs and peers rate it too (raters.py)


@dataclass(frozen=True)
class Rubric:
    target_level: str
    title: str
    criteria: tuple[Criterion, ...]


@dataclass(frozen=True)
class Band:
    name: str
    min_pct: float  # readiness at or above this fraction earns the band
    must_haves: bool = False  # earned only while every must-have criterion reaches its floor


@dataclass(frozen=True)
class Scale:
    labels: tuple[str, ...]  # labels[score] for score 0..max

    @property
    def max(self) -> int:
        return len(self.labels) - 1


@dataclass(frozen=True)
class Metric:
    id: str
    name: str
    benchmark: str  # as people say it: "1 major asset / Qtr"
    target: float
    comparator: Comparator
    unit: str
    measure_how: str
    action_if_below: str
    levels: tuple[str, ...] = ()  # current levels it applies to; () with no targets = every level
    targets: tuple[str, ...] = ()  # it also applies to anyone working toward one of these levels

    def applies(self, level_id: str, target_id: str | None = None) -> bool:
        """Whether it applies to someone at ``level_id`` working toward ``target_id`` (when known)."""
        if not self.levels and not self.targets:
            return True
        return level_id in self.levels or (target_id is not None and target_id in self.targets)


@dataclass(frozen=True)
class Pivot:
    id: str
    name: str
    transferable_skills: str
    gap_to_close: str
    readiness_signal: str
    how_to_move: str = ""  # how to make the move (from the source documents)
    trade_offs: str = ""  # what the move costs or risks


@dataclass(frozen=True)
class ReadoutField:
    id: str
    label: str
    kind: FieldKind
    help: str = ""


@dataclass(frozen=True)
class Readout:
    fields: tuple[ReadoutField, ...]
    template: str  # text with {field_id} placeholders
    incomplete_text: str
    id: str = "ic"  # which talk track: one per kind of move (IC promotion, management, ...)
    title: str = "Promotion Read-Out"
    purpose: str = ""  # when to use it, shown under the title


@dataclass(frozen=True)
class TalkTrack:
    """A read-out and the moves it fits (``same_level`` when the target is the current level)."""

    readout: Readout
    targets: tuple[str, ...] = ()  # target level ids it serves
    same_level: bool = False  # serves "staying and growing at level"


@dataclass(frozen=True)
class SkillGroup:
    id: str
    name: str
    description: str
    coaching: tuple[str, ...] = ()  # coaching questions for any criterion testing this group


@dataclass(frozen=True)
class Directives:
    """What the documents ask of whom: managers in their 1:1s and team, leadership of the organisation."""

    for_managers: tuple[str, ...] = ()  # 1:1 directives, coaching questions, the team exercise
    for_leadership: tuple[str, ...] = ()  # organisation-wide fixes (the fatal traps)
    # A manager directive's quarters of the year (1-4) when it is not for every quarter (a yearly workshop).
    quarters: Mapping[str, tuple[int, ...]] = field(default_factory=dict)

    def managers_in(self, quarter_of_year: int) -> tuple[str, ...]:
        """The manager directives that apply in this quarter of the year (0: an unknown quarter, every-quarter ones)."""
        return tuple(d for d in self.for_managers if quarter_of_year in self.quarters.get(d, (quarter_of_year,)))


@dataclass(frozen=True)
class NotObserved:
    """How "not observed yet" is entered and how much of a rubric must be observed for a band."""

    label: str = "n/o"  # typed or chosen in a score cell instead of a number
    min_share: float = 0.75  # of the rubric's weight that must be observed for any band


@dataclass(frozen=True)
class Ladder:
    id: str
    name: str
    version: str
    scale: Scale
    bands: tuple[Band, ...]  # highest threshold first; the last has min_pct 0
    calibration_alert: float  # |manager% - self%| at or above this is a calibration outlier
    levels: tuple[Level, ...]
    rubrics: Mapping[str, Rubric]  # by target level id
    metrics: tuple[Metric, ...]
    pivots: tuple[Pivot, ...]
    track_options: tuple[str, ...]  # the track preference dropdown's labels
    readout: Readout
    skill_groups: tuple[SkillGroup, ...]
    signal_options: tuple[str, str] = ("Yes", "No")
    directives: Directives = Directives()  # what managers and leadership are asked to do
    talk_tracks: tuple[TalkTrack, ...] = ()  # read-outs by move; ``readout`` serves any move none claims
    quick_wins: tuple[str, ...] = ()  # what each SE can do this week (addressed to SEs)
    not_observed: NotObserved = NotObserved()  # used by criteria with ``allow_not_observed``
    # Calibration figures (a manager's mean score against the org's) are flagged only from this many SEs up.
    calibration_min_n: int = 5
    # A promotion candidate is in the top band (the committee's agreed band, else the manager's) this many
    # quarters running; the committee workbook also lists the band below within ``committee_near`` of the top.
    candidate_quarters: int = 2
    committee_near: float = 0.10
    # What a track option means, for those that name one: "ic", "leadership" (a Track's value) or "pivot".
    track_meaning: Mapping[str, str] = field(default_factory=dict)
    peer_input: PeerSettings = PeerSettings()  # how the AEs' and peers' answers are shown

    def peer_criteria(self, target_level_id: str) -> tuple[Criterion, ...]:
        """The criteria of a rubric that AEs and peers rate (``peer_rated``), in the rubric's order."""
        return tuple(c for c in self.rubric_for(target_level_id).criteria if c.peer_rated)

    def readout_for(self, level_id: str, target_id: str) -> Readout:
        """The talk track that fits a move from ``level_id`` to ``target_id``."""
        for track in self.talk_tracks:
            if track.same_level and level_id == target_id:
                return track.readout
        for track in self.talk_tracks:
            if not track.same_level and target_id in track.targets and level_id != target_id:
                return track.readout
        return self.readout

    def readout_labels(self) -> dict[str, str]:
        """Every read-out field's label by id, over all talk tracks."""
        out = {f.id: f.label for f in self.readout.fields}
        for track in self.talk_tracks:
            out.update({f.id: f.label for f in track.readout.fields if f.id not in out})
        return out

    def metrics_for(self, level_id: str, target_id: str | None = None) -> tuple[Metric, ...]:
        """The metrics that apply at a current level, and toward ``target_id`` when it is given."""
        return tuple(m for m in self.metrics if m.applies(level_id, target_id))

    def must_haves(self, rubric: Rubric) -> tuple[Criterion, ...]:
        return tuple(c for c in rubric.criteria if c.floor is not None)

    def blocked_bands(self, criterion: Criterion) -> frozenset[str]:
        """The bands a must-have under its floor keeps readiness out of.

        With ``caps``, every band above it; without, the bands flagged ``must_haves``.
        """
        if criterion.floor is None:
            return frozenset()
        if criterion.caps:
            names = [b.name for b in self.bands]
            return frozenset(names[:names.index(criterion.caps)])
        return frozenset(b.name for b in self.bands if b.must_haves)

    def level(self, level_id: str) -> Level:
        for level in self.levels:
            if level.id == level_id:
                return level
        raise KeyError(level_id)

    def coaching_for(self, criterion: Criterion) -> tuple[str, ...]:
        """The coaching questions for a criterion: its own, else those of the skill group it tests."""
        if criterion.coaching:
            return criterion.coaching
        group = next((g for g in self.skill_groups if g.id == criterion.skill_group), None)
        return group.coaching if group else ()

    def rubric_for(self, target_level_id: str) -> Rubric:
        return self.rubrics[target_level_id]


@dataclass(frozen=True)
class Manager:
    id: str
    name: str
    email: str
    team: str
    return_to: str = ""  # where this manager's SEs return workbooks, when not the manager's own address


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    email: str
    level: str
    target_level: str
    manager: str  # Manager.id
    # Asking for the move to target_level this quarter: set by the roster, or None for the SE to answer in
    # the workbook. Never for growing at level. The pivot matrix and the read-out are required only then.
    asking_for_move: bool | None = None
    raters: tuple[Rater, ...] = ()  # the AEs and peers asked for their input on the customer-facing criteria
    in_level_since: str = ""  # when they reached their level ("2024-07-01" or "2024-07"), "" unknown


@dataclass(frozen=True)
class Roster:
    org: str
    managers: tuple[Manager, ...]
    people: tuple[Person, ...]
    leadership: tuple[str, ...] = ()  # email addresses of the leadership summary
    return_to: str = ""  # a collection address for every returned workbook (e.g. se-ops@...), optional
    manager_scores: ManagerScores = ManagerScores.REVIEW
    _managers: dict[str, Manager] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A dict index: manager_of is called per person, and a linear search is SEs x managers.
        object.__setattr__(self, "_managers", {m.id: m for m in self.managers})

    def manager_of(self, person: Person) -> Manager:
        manager = self._managers.get(person.manager)
        if manager is None:
            raise KeyError(person.manager)
        return manager

    def return_address(self, person: Person) -> str:
        """Where ``person`` returns the workbook: their manager's ``return_to``, else the roster's,
        else the manager's own address."""
        manager = self.manager_of(person)
        return manager.return_to or self.return_to or manager.email

    def manager_side(self, person: Person) -> frozenset[str]:
        """The addresses (lower case) that speak for ``person``'s manager: the manager's own, and where
        workbooks are returned (the manager's ``return_to``, the roster's)."""
        manager = self.manager_of(person)
        return frozenset(a.lower() for a in (manager.email, manager.return_to, self.return_to) if a)


# ---- what comes back from a filled-in workbook -------------------------------------


@dataclass(frozen=True)
class CriterionInput:
    self_score: float | None = None  # None: blank, or not observed yet (the flag says which)
    manager_score: float | None = None
    evidence: str = ""
    comment: str = ""  # the manager's comment beside the criterion
    self_not_observed: bool = False  # scored "not observed yet" by the SE
    manager_not_observed: bool = False

    def __post_init__(self) -> None:
        assert not (self.self_not_observed and self.self_score is not None), "a self score and n/o at once"
        assert not (self.manager_not_observed and self.manager_score is not None), "a manager score and n/o at once"

    @property
    def self_value(self) -> Score:
        """The self score as scoring reads it: a number, None (blank) or NOT_OBSERVED."""
        return NOT_OBSERVED if self.self_not_observed else self.self_score

    @property
    def manager_value(self) -> Score:
        return NOT_OBSERVED if self.manager_not_observed else self.manager_score


@dataclass(frozen=True)
class MetricInput:
    actual: float | None = None
    notes: str = ""


@dataclass(frozen=True)
class PivotInput:
    interest: float | None = None
    signal: bool | None = None
    gap_progress: float | None = None


@dataclass(frozen=True)
class Inputs:
    """Everything a person (and their manager) typed into one workbook."""

    criteria: Mapping[str, CriterionInput] = field(default_factory=dict)
    metrics: Mapping[str, MetricInput] = field(default_factory=dict)
    pivots: Mapping[str, PivotInput] = field(default_factory=dict)
    track_preference: str = ""
    readout: Mapping[str, CellValue] = field(default_factory=dict)
    asking_for_move: bool = False  # asking for the move this quarter (the workbook's answer, or the roster's)
    share_career_interests: bool = False  # leadership may see pivot interest and track preference by name


@dataclass(frozen=True)
class Scores:
    """Every number derived from Inputs: what the workbook's formulas show."""

    self_pct: float | None
    manager_pct: float | None
    self_band: str
    manager_band: str
    calibration_gap: float | None
    criterion_gaps: Mapping[str, float | None]
    metric_status: Mapping[str, MetricStatus]
    pivot_readiness: Mapping[str, float | None]
    top_pivot: str
    readout_text: str
    self_missing: tuple[str, ...]  # criterion ids with no self score
    manager_missing: tuple[str, ...]  # criterion ids with no manager score
    # Why a band is lower than the points alone would give ("Ready on points, held at Close:
    # Identifies and engages the Economic Buyer scored 0"), "" when the band is the points' band.
    self_hold: str = ""
    manager_hold: str = ""
    self_not_observed: tuple[str, ...] = ()  # criterion ids scored "not observed yet" by the SE
    manager_not_observed: tuple[str, ...] = ()
