"""What each person, and their manager, still has to do: in words a person reads, not cell addresses.

Reminders, the manager's email and SE Ops' overview all speak from this one reading of a
result. Blanks come from the inputs themselves (the model), not from parsing problem
messages; errors keep their message without the file path or cell. A part nobody started
(every self score, metric, pivot, read-out answer or manager score blank) is counted, not
listed name by name: "13 criteria not self-scored" says all there is to say.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Ladder
from .results import Kind, PersonResult, Severity, Status

INVITATION = "Optional: the pivot matrix and the read-out (needed only when you ask for a move)"


@dataclass(frozen=True)
class Outstanding:
    """One person's open items. Every tuple holds names as the workbook shows them."""

    person_id: str
    status: Status
    returned: bool  # a readable workbook of theirs came back
    blank: bool  # it came back with nothing the SE fills in filled in
    self_scores: tuple[str, ...] = ()  # criteria not self-scored
    metrics: tuple[str, ...] = ()  # metrics without this quarter's actual
    pivots: tuple[str, ...] = ()  # pivots with interest, signal or progress blank
    track: bool = False  # track preference blank
    readout: tuple[str, ...] = ()  # promotion read-out fields blank
    manager_scores: tuple[str, ...] = ()  # criteria the manager has not scored
    errors: tuple[str, ...] = ()  # things to correct (out of range, wrong type, ...), plain message
    untouched: frozenset[str] = frozenset()  # parts nobody started: "self", "metrics", "pivots", "readout", "manager"
    invited: bool = False  # not asking for a move, with the pivot matrix or the read-out not filled in: optional
    # Manager scores that were not used because they did not come from the manager's side, and why.
    refused: tuple[str, ...] = ()

    @property
    def se_done(self) -> bool:
        return self.returned and not (self.self_scores or self.metrics or self.pivots or self.track
                                      or self.readout or self.errors)

    @property
    def manager_done(self) -> bool:
        return self.returned and not self.manager_scores

    def se_lines(self) -> list[str]:
        """The SE's open items, one short line each ("3 criteria not self-scored: A, B, C")."""
        if not self.returned:
            return ["the workbook has not come back yet"]
        lines = []
        if self.blank:
            lines.append("the workbook came back blank: nothing is filled in yet")
        if self.self_scores:
            lines.append(f"{_count(len(self.self_scores), 'criterion', 'criteria')} not self-scored"
                         + self._names("self", self.self_scores, ": "))
        if self.metrics:
            lines.append("this quarter's actual for " + self._names("metrics", self.metrics, "", ("metric", "metrics")))
        if self.pivots:
            lines.append("the career pivot matrix" + self._names("pivots", self.pivots, " for ", ("pivot", "pivots")))
        if self.track:
            lines.append("your track preference")
        if self.readout:
            lines.append("the promotion read-out" + self._names("readout", self.readout, ": ", ("answer", "answers")))
        lines += [f"to correct: {e}" for e in self.errors]
        return lines

    def invitation(self) -> str:
        """The one line that invites the optional parts, "" when there is nothing to invite."""
        return INVITATION if self.invited else ""

    def manager_line(self) -> str:
        """The manager's open item for this SE, or "" when none."""
        if not self.manager_scores:
            return ""
        return (f"{_count(len(self.manager_scores), 'criterion', 'criteria')} to score"
                + self._names("manager", self.manager_scores, ": "))

    def _names(self, part: str, names: tuple[str, ...], lead: str, counted: tuple[str, str] | None = None) -> str:
        """``lead`` and the names, where someone started the part; else nothing, or how many (``counted``)."""
        if part not in self.untouched:
            return lead + ", ".join(names)
        if counted is None:
            return ""
        count = _count(len(names), *counted)
        return count if not lead.strip() else f" ({count})"


def outstanding(ladder: Ladder, result: PersonResult) -> Outstanding:
    """Read one person's result as their open items."""
    pid, inputs = result.person.id, result.inputs
    errors = tuple(dict.fromkeys(p.message for p in result.problems if p.severity is Severity.ERROR
                                 and p.kind not in (Kind.DUPLICATE, Kind.NOT_FROM_MANAGER)))
    refused = tuple(dict.fromkeys(p.message for p in result.problems if p.kind == Kind.NOT_FROM_MANAGER))
    if inputs is None or result.status is Status.MISSING:  # a review may have scored an SE whose workbook is out
        return Outstanding(pid, result.status, False, False, errors=errors if result.status != Status.MISSING else (),
                           refused=refused)
    rubric = ladder.rubric_for(result.person.target_level)
    crit = {c.id: c.text for c in rubric.criteria}
    # "Not observed yet" is an answer: never asked for again.
    blank_self = tuple(crit[c] for c, v in inputs.criteria.items() if c in crit and v.self_value is None)
    blank_mgr = tuple(crit[c] for c, v in inputs.criteria.items() if c in crit and v.manager_value is None)
    metric_names = {m.id: m.name for m in ladder.metrics}  # a workbook holds only its level's metrics
    blank_metrics = tuple(metric_names.get(m, m) for m, v in inputs.metrics.items() if v.actual is None)
    pivot_names = {p.id: p.name for p in ladder.pivots}
    blank_pivots = tuple(pivot_names.get(p, p) for p, v in inputs.pivots.items()
                         if v.interest is None or v.signal is None or v.gap_progress is None)
    labels = ladder.readout_labels()
    blank_readout = tuple(labels.get(k, k) for k, v in inputs.readout.items() if v is None or v == "")
    # The pivot matrix and the read-out are asked of an SE asking for a move; the others are invited.
    invited = not inputs.asking_for_move and bool(blank_pivots or blank_readout or not inputs.track_preference)
    if not inputs.asking_for_move:
        blank_pivots, blank_readout = (), ()
    started = {
        "self": any(v.self_value is not None or v.evidence for v in inputs.criteria.values()),
        "metrics": any(v.actual is not None or v.notes for v in inputs.metrics.values()),
        "pivots": bool(inputs.track_preference) or any(
            (v.interest, v.signal, v.gap_progress) != (None, None, None) for v in inputs.pivots.values()),
        "readout": any(v not in (None, "") for v in inputs.readout.values()),
        "manager": any(v.manager_value is not None or v.comment for v in inputs.criteria.values()),
    }
    nothing = not any(started[part] for part in ("self", "metrics", "pivots", "readout"))
    return Outstanding(pid, result.status, True, nothing, blank_self, blank_metrics, blank_pivots,
                       inputs.asking_for_move and not inputs.track_preference, blank_readout, blank_mgr, errors,
                       frozenset(part for part, yes in started.items() if not yes), invited, refused)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
