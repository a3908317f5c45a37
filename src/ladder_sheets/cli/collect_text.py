"""What ``collect`` and ``pull`` print and write to the problem log, as blocks of whole lines.

One line per person (status, id, name, file: with ``problems`` each problem indented under
it, else their number), then the unmatched files, then the totals. 10,000 blank workbooks
make ~400,000 problem lines but a few hundred distinct ones but for their file: each distinct
(sheet, cell, message) is worked out once, a person's lines are joined in one step, and the
lines go out a few hundred people at a time rather than one call per line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from operator import attrgetter

from ..core.results import PersonResult, Problem, Results, Status

_WHERE = attrgetter("sheet", "cell", "message")  # what a problem's line says after its file
_FILE = attrgetter("file")


def blocks(results: Results, *, problems: bool, people: int = 250) -> Iterator[str]:
    """The lines, each ending in a newline, joined ``people`` people at a time."""
    text = ProblemLines()
    out: list[str] = []
    for n, p in enumerate(results.people, 1):
        line = _head(p)
        if problems:
            out += (line, "\n", text.lines(p.problems, p.file))
        elif p.problems:
            out.append(f"{line}  ({len(p.problems)} problem{'s' if len(p.problems) != 1 else ''})\n")
        else:
            out += (line, "\n")
        if n % people == 0:
            yield "".join(out)
            out = []
    out += [f"{'unmatched':<10}  {problem}\n" for problem in results.unmatched]
    out += (totals(results), "\n")
    yield "".join(out)


def _head(p: PersonResult) -> str:
    return f"{p.status.value:<10}  {p.person.id}  ({p.person.name})  {p.file or 'no workbook returned'}"


def totals(results: Results) -> str:
    counts = Counter(p.status.value for p in results.people)
    summary = ", ".join(f"{counts[s.value]} {s.value}" for s in Status if counts[s.value])
    return f"{len(results.people)} people: {summary}; {len(results.unmatched)} unmatched file problem(s)"


class ProblemLines:
    """``"".join(f"    {x}\\n" for x in problems)``, each distinct (sheet, cell, message) worked out once."""

    KEEP = 20_000  # distinct texts remembered (~5 MB at most): a batch of many different ones is not held twice

    def __init__(self) -> None:
        self._known: dict[tuple[str, str, str], str] = {}

    def lines(self, problems: tuple[Problem, ...], file: str) -> str:
        """The problems' lines; ``file``: the one most of them are in (the person's)."""
        if not problems:
            return ""
        found: list[str | None] = list(map(self._known.get, map(_WHERE, problems)))
        prefix = f"    {file}: "
        if list(map(_FILE, problems)).count(file) == len(problems):
            try:
                return prefix + prefix.join(found)  # type: ignore[arg-type]  # a None: TypeError, below
            except TypeError:  # a text not worked out yet
                pass
        return "".join([f"    {x.file}: {self._text(x) if t is None else t}" for t, x in zip(found, problems)])

    def _text(self, x: Problem) -> str:
        """What ``str(x)`` says after ``f"{x.file}: "``, and a newline."""
        if x.sheet:
            where = f"'{x.sheet}'!{x.cell}" if x.cell else f"'{x.sheet}'"
        else:
            where = x.cell
        text = f"{where}: {x.message}\n" if where else f"{x.message}\n"
        if len(self._known) < self.KEEP:
            self._known[_WHERE(x)] = text
        return text
