"""A manager's coaching agenda for one SE: what to work on, where they disagree, what to ask.

Pure: reads one PersonResult (and last quarter's, when known) against the ladder. The
manager's email, the 1:1 page and the promotion packet all show this one reading.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .model import NO_PIVOT_INTEREST, Criterion, Ladder, Level, Recommendation, Rubric, Track
from .outstanding import outstanding
from .provenance import in_words
from .results import PersonResult

PRIORITIES = 3  # development priorities per SE
# Asked about a criterion nobody could observe this quarter, when it has no question of its own.
CHANCE = "Where could you get a chance to show this next quarter, and how can I help set it up?"
DISPUTE = 2  # self and manager this many points apart (or more) is a criterion in dispute
DISPUTES_SHOWN = 3  # widest apart first; the rest are counted
# The top pivot's interest is "high" from this score up; its readiness "low" below LOW_READY.
HIGH_INTEREST = 2
LOW_READY = 0.5


@dataclass(frozen=True)
class Focus:
    """One criterion to talk about, with the question a manager can ask."""

    criterion_id: str
    criterion: str
    skill_group: str  # the non-technical skill group's name, "" when none
    weight: float
    self_score: float | None
    manager_score: float | None
    evidence: str
    question: str  # the ladder's first coaching question for it, "" when the ladder has none
    not_observed_by: str = ""  # "self and manager", "self" or "manager" when scored "not observed yet"
    must_have: str = ""  # "must-have", or why it holds the band when under its minimum; "" when not one


@dataclass(frozen=True)
class PivotView:
    name: str  # the pivot of highest interest ("" none answered, "None" all zero)
    interest: float | None
    readiness: float | None  # of that pivot
    most_ready: str  # the pivot with the highest readiness, when another than ``name``
    flag: str  # where interest and readiness point different ways, in words; "" when they agree


@dataclass(frozen=True)
class Agenda:
    priorities: tuple[Focus, ...] = ()
    not_observed: tuple[Focus, ...] = ()  # criteria scored "not observed yet": a chance to create
    disputes: tuple[Focus, ...] = ()  # the widest apart, at most DISPUTES_SHOWN
    more_disputes: int = 0  # criteria in dispute beyond those
    milestones_before: str = ""  # the next-90-day milestones proposed last quarter
    milestones_now: str = ""  # those proposed this quarter
    pivot: PivotView | None = None
    track_flag: str = ""  # the track preferred and the target point different ways
    se_todo: tuple[str, ...] = ()  # what the SE still has to do, in plain words
    manager_todo: str = ""  # what the manager still has to do for this SE
    blank: bool = False  # the workbook came back with nothing filled in
    returned: bool = False
    scored_by: str = ""  # who entered the manager scores, in words ("Scored by ... in their review (...)")
    refused: tuple[str, ...] = ()  # manager scores not used (not from the manager's side), and why
    recommendation: str = ""  # the manager's, as shown ("Promote now"), "" when none
    why: str = ""  # the manager's write-up of it


def _shown(recommendation: str) -> str:
    """A stored recommendation ("next cycle") as people read it ("Next cycle")."""
    known = {r.value: r.shown for r in Recommendation}
    return known.get(recommendation, recommendation)


def milestone_field(ladder: Ladder) -> str:
    """The read-out field holding the proposed next-90-day milestones ("" when the ladder has none)."""
    return next((fid for fid in ladder.readout_labels() if "milestone" in fid.lower()), "")  # any talk track


def agenda(ladder: Ladder, result: PersonResult, before: PersonResult | None = None) -> Agenda:
    """The coaching agenda of one SE; ``before`` is their result of the previous quarter, if known."""
    open_items = outstanding(ladder, result)
    todo = open_items.manager_line()
    rubric = ladder.rubric_for(result.person.target_level)
    if result.inputs is not None and open_items.manager_scores \
            and len(open_items.manager_scores) == len(rubric.criteria):
        n = len(open_items.manager_scores)
        todo = f"score all {n} criteria" if n > 1 else "score the criterion"  # naming every one says nothing more
    base = dict(se_todo=tuple(open_items.se_lines()) if not open_items.se_done else (),
                manager_todo=todo, blank=open_items.blank, returned=open_items.returned,
                milestones_before=_milestones(ladder, before), scored_by=in_words(result),
                refused=open_items.refused, recommendation=_shown(result.recommendation), why=result.why)
    inputs, scores = result.inputs, result.scores
    if inputs is None or scores is None or not open_items.returned:
        return Agenda(**base)  # type: ignore[arg-type]
    focus = _focus(ladder, result)
    disputes = sorted((f for f in focus if f.self_score is not None and f.manager_score is not None
                       and abs(f.self_score - f.manager_score) >= DISPUTE),
                      key=lambda f: -abs((f.self_score or 0) - (f.manager_score or 0)) * f.weight)
    return Agenda(**base, priorities=_priorities(ladder, rubric, focus),  # type: ignore[arg-type]
                  disputes=tuple(disputes[:DISPUTES_SHOWN]),
                  not_observed=tuple(_unobserved(ladder, f) for f in focus if f.not_observed_by),
                  more_disputes=max(0, len(disputes) - DISPUTES_SHOWN),
                  milestones_now=_milestones(ladder, result), pivot=_pivot(ladder, result),
                  track_flag=track_flag(ladder, result))


def _focus(ladder: Ladder, result: PersonResult) -> list[Focus]:
    """Every criterion of the person's rubric they returned, with its first coaching question."""
    assert result.inputs is not None
    groups = {g.id: g.name for g in ladder.skill_groups}
    focus = []
    for c in ladder.rubric_for(result.person.target_level).criteria:
        got = result.inputs.criteria.get(c.id)
        if got is None:
            continue
        questions = ladder.coaching_for(c)
        by = " and ".join(who for who, no in (("self", got.self_not_observed), ("manager", got.manager_not_observed))
                          if no)
        focus.append(Focus(c.id, c.text, groups.get(c.skill_group, ""), c.weight, got.self_score, got.manager_score,
                           got.evidence, questions[0] if questions else "", by, _must_have(ladder, c, got.manager_score)))
    return focus


def _must_have(ladder: Ladder, c: Criterion, score: float | None) -> str:
    """How a must-have stands by the manager's score: under its minimum (and the band it caps), or "must-have"."""
    if c.floor is None or score is None or score >= ladder.scale.max:
        return ""
    if score >= c.floor:
        return "must-have"
    allowed = next(b.name for b in ladder.bands if b.name not in ladder.blocked_bands(c))
    return f"must-have under its minimum of {c.floor}: the band is at most {allowed}"


def _priorities(ladder: Ladder, rubric: Rubric, focus: list[Focus]) -> tuple[Focus, ...]:
    """Must-haves under their minimum first (the one that caps lowest first), then the largest weighted
    shortfalls by the manager's scores; at most PRIORITIES."""
    top = ladder.scale.max
    criteria = {c.id: c for c in rubric.criteria}
    under = [f for f in focus if _under(f)]
    first = sorted(under, key=lambda f: (-len(ladder.blocked_bands(criteria[f.criterion_id])),
                                         -f.weight * (top - (f.manager_score or 0))))
    shortfall = [(f.weight * (top - f.manager_score), i, f) for i, f in enumerate(focus)
                 if f.manager_score is not None and f.manager_score < top and not _under(f)]
    return tuple([*first, *(f for _, _, f in sorted(shortfall, key=lambda x: (-x[0], x[1])))][:PRIORITIES])


def _under(f: Focus) -> bool:
    return f.must_have.startswith("must-have under")


def track_flag(ladder: Ladder, result: PersonResult) -> str:
    """Where the track the SE prefers and the target they are scored for point different ways ("" when not).

    The documents' Leticia case: an SE on the SE Manager rubric who prefers the Principal IC track. A
    preference for management against an IC target from which no management level follows, and a pivot
    while asking for a promotion, are flagged too.
    """
    if result.inputs is None:
        return ""
    preference = result.inputs.track_preference
    means = ladder.track_meaning.get(preference, "")
    level, target = ladder.level(result.person.level), ladder.level(result.person.target_level)
    ask = f"ask which track they see themselves moving toward, and whether {target.name} is the move to make"
    if means == Track.IC and target.track is Track.LEADERSHIP:
        return f"Prefers {preference}, on the {target.name} rubric: {ask}"
    if means == Track.LEADERSHIP and target.track is Track.IC and not _leads_to_leadership(ladder, target):
        return f"Prefers {preference}, on the {target.name} rubric: {ask}"
    if means == "pivot" and result.inputs.asking_for_move and level.id != target.id:
        return f"Prefers a pivot while asking for {target.name}: ask whether this promotion is the move they want"
    return ""


def _leads_to_leadership(ladder: Ladder, level: Level) -> bool:
    """Some level on the leadership track can be reached from ``level`` (Senior SE -> SE Manager)."""
    seen, todo = set(), [level.id]
    while todo:
        current = ladder.level(todo.pop())
        if current.track is Track.LEADERSHIP and current.id != level.id:
            return True
        seen.add(current.id)
        todo += [t for t in current.promotes_to if t not in seen]
    return False


def _unobserved(ladder: Ladder, f: Focus) -> Focus:
    """A criterion not observed yet, with a question about creating the chance to show it.

    Its own coaching question (the ladder's "Which newer SE could you buddy this quarter...")
    asks that already; a skill group's question is about something else, so it gets CHANCE.
    """
    own = next((c.coaching[0] for r in ladder.rubrics.values() for c in r.criteria
                if c.id == f.criterion_id and c.coaching), "")
    return replace(f, question=own or CHANCE)


def _milestones(ladder: Ladder, result: PersonResult | None) -> str:
    key = milestone_field(ladder)
    if result is None or result.inputs is None or not key:
        return ""
    value = result.inputs.readout.get(key)
    return "" if value is None else str(value).strip()


def _pivot(ladder: Ladder, result: PersonResult) -> PivotView | None:
    assert result.inputs is not None and result.scores is not None
    name = result.scores.top_pivot
    if not name:
        return None
    by_name = {p.name: p.id for p in ladder.pivots}
    readiness = result.scores.pivot_readiness
    names = {p.id: p.name for p in ladder.pivots}
    ready = [(v, names[k]) for k, v in readiness.items() if v is not None and k in names]
    best_value, best = max(ready, key=lambda x: x[0], default=(None, ""))
    if name == NO_PIVOT_INTEREST or name not in by_name:
        flag = f"yet {best_value * 100:.0f}% ready for {best}" \
            if best_value is not None and best_value >= LOW_READY else ""
        return PivotView(name, 0.0, None, best, flag)
    pid = by_name[name]
    got = result.inputs.pivots.get(pid)
    interest = got.interest if got else None
    own = readiness.get(pid)
    flag = ""
    if interest is not None and interest >= HIGH_INTEREST and own is not None and own < LOW_READY:
        flag = f"high interest in {name}, low readiness ({own * 100:.0f}%)"
    elif best_value is not None and best != name and (own is None or best_value > own) and best_value >= LOW_READY:
        flag = f"most interested in {name}, most ready for {best} ({best_value * 100:.0f}%)"
    return PivotView(name, interest, own, best if best != name else "", flag)
