"""What each person, and their manager, still has to do: in words a person reads, not cell addresses.

Reminders, the manager's email and SE Ops' overview all speak from this one reading of a
result. Blanks come from the inputs themselves (the model), not from parsing problem
messages; errors keep their message without the file path or cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from .model import Ladder
from .results import Kind, PersonResult, Severity, Status


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
            lines.append(f"{_count(len(self.self_scores), 'criterion', 'criteria')} not self-scored: "
                         f"{', '.join(self.self_scores)}")
        if self.metrics:
            lines.append(f"this quarter's actual for {', '.join(self.metrics)}")
        if self.pivots:
            lines.append(f"the career pivot matrix for {', '.join(self.pivots)}")
        if self.track:
            lines.append("your track preference")
        if self.readout:
            lines.append(f"the promotion read-out: {', '.join(self.readout)}")
        lines += [f"to correct: {e}" for e in self.errors]
        return lines

    def manager_line(self) -> str:
        """The manager's open item for this SE, or "" when none."""
        if not self.manager_scores:
            return ""
        return (f"{_count(len(self.manager_scores), 'criterion', 'criteria')} to score: "
                f"{', '.join(self.manager_scores)}")


def outstanding(ladder: Ladder, result: PersonResult) -> Outstanding:
    """Read one person's result as their open items."""
    pid, inputs = result.person.id, result.inputs
    errors = tuple(dict.fromkeys(p.message for p in result.problems
                                 if p.severity is Severity.ERROR and p.kind != Kind.DUPLICATE))
    if inputs is None:
        return Outstanding(pid, result.status, False, False, errors=errors if result.status != Status.MISSING else ())
    rubric = ladder.rubric_for(result.person.target_level)
    crit = {c.id: c.text for c in rubric.criteria}
    blank_self = tuple(crit[c] for c, v in inputs.criteria.items() if c in crit and v.self_score is None)
    blank_mgr = tuple(crit[c] for c, v in inputs.criteria.items() if c in crit and v.manager_score is None)
    metric_names = {m.id: m.name for m in ladder.metrics}  # a workbook holds only its level's metrics
    blank_metrics = tuple(metric_names.get(m, m) for m, v in inputs.metrics.items() if v.actual is None)
    pivot_names = {p.id: p.name for p in ladder.pivots}
    blank_pivots = tuple(pivot_names.get(p, p) for p, v in inputs.pivots.items()
                         if v.interest is None or v.signal is None or v.gap_progress is None)
    labels = ladder.readout_labels()
    blank_readout = tuple(labels.get(k, k) for k, v in inputs.readout.items() if v is None or v == "")
    nothing = (len(blank_self) == len(inputs.criteria) and len(blank_metrics) == len(inputs.metrics)
               and len(blank_pivots) == len(inputs.pivots) and not inputs.track_preference
               and len(blank_readout) == len(inputs.readout)
               and not any(v.evidence for v in inputs.criteria.values()))
    return Outstanding(pid, result.status, True, nothing, blank_self, blank_metrics, blank_pivots,
                       not inputs.track_preference, blank_readout, blank_mgr, errors)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
