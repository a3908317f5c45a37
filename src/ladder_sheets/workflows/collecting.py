"""Reading the quarter back: ``collect``, and ``finish``, which ends ``collect`` and ``pull`` alike.

``finish`` is the one way results are written, shown, stored and turned into an exit status.
In that order, each step once the one before succeeded: the results file, its problem log
beside it (each replaced whole, so a failure leaves the previous one), the lines for the
terminal, then the history. So a history that says a quarter was collected always has
the files that go with it, and a bad ``--out`` stores nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from .. import files
from ..config.ladder import load_ladder, load_roster
from ..core.errors import ConfigError, WorkbookError
from ..core.model import Ladder, StrEnum
from ..core.results import PersonResult, RaterResult, Results, Status
from ..xlsx.collect import collect
from .history_db import store_results
from .mail_collect import collect_with_mail, has_mail
from .progress import Progress, Say
from .results_file import write_results


class Verbosity(StrEnum):
    QUIET = "quiet"  # the totals only
    NORMAL = "normal"  # a line per person
    VERBOSE = "verbose"  # and every problem under it, as in the log


@dataclass(frozen=True)
class Destination:
    """Where collected results go: the results file, the history, and how much is printed.

    ``out`` has the problem log beside it; ``db`` None stores nothing.
    """

    out: Path
    db: Path | None
    verbosity: Verbosity = Verbosity.NORMAL

    @property
    def log(self) -> Path:
        """The problem log: ``out`` with .log for its suffix (or .log added, when it already is .log)."""
        out = self.out
        return out.with_name(out.name + ".log") if out.suffix.lower() == ".log" else out.with_suffix(".log")


def collect_returns(sources: Sequence[Path], ladder_path: Path | None, team_path: Path, quarter: str,
                    to: Destination, *, say: Say, jobs: int | None = None, progress: Progress | None = None) -> int:
    """``ladder-sheets collect``: read the returned workbooks (files, folders, saved emails) and ``finish``.

    Returns the exit status (see ``finish``).
    """
    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    read = collect_with_mail if has_mail(sources) else collect
    results = read(list(sources), ladder, roster, quarter, jobs=jobs, progress=progress)
    return finish(results, to, ladder, say)


def finish(results: Results, to: Destination, ladder: Ladder, say: Say) -> int:
    """Write the results file and the problem log, ``say`` their lines, store them in the history.

    Returns the exit status: 0 when every workbook is complete and clean, 1 otherwise. A
    file that cannot be written is a ConfigError naming ``--out`` (a usage error: exit 1
    would promise results were written), raised before anything is printed or stored.
    """
    _write_files(results, to)
    if to.verbosity is Verbosity.QUIET:
        say(totals(results))
    else:
        for line in lines(results, problems=to.verbosity is Verbosity.VERBOSE):
            say(line)
        say(f"results: {to.out}")
        say(f"problems: {to.log} ({results.problem_count} in all)")
    if to.db is not None:
        stored = store_results(results, to.db, ladder)
        if to.verbosity is not Verbosity.QUIET:
            say(f"history: {stored} people stored for {results.quarter} in {to.db}")
    return exit_status(results)


def exit_status(results: Results) -> int:
    """0 when every person is complete and no file is left to look at (``Results.all_clean``), else 1."""
    return 0 if results.all_clean else 1


def _write_files(results: Results, to: Destination) -> None:
    try:
        write_results(results, to.out)
    except WorkbookError as exc:
        raise ConfigError(f"--out: {exc}") from exc
    try:
        files.write_text(to.log, (f"{line}\n" for line in lines(results, problems=True)))
    except OSError as exc:
        raise ConfigError(f"--out: {to.log}: cannot write the problem log: {exc.strerror or exc}") from exc


def lines(results: Results, *, problems: bool) -> Iterator[str]:
    """What collect prints and logs: a line per person, per rater (AE or peer), per file problem, the totals.

    A person's line gives status, id, name and file; under it each problem when ``problems``
    (the log, --verbose), else their number at its end. Raters are listed (and counted) once the
    peer round is under way: some peer workbook came back. A file problem belongs to no one SE: a
    file of nobody on the roster or that cannot be read, or a review or peer workbook as a whole.
    """
    heads = [*((_head(p), p.problems) for p in results.people),
             *((f"{r.status.value:<10}  rater {r.email}  ({r.name})  {r.file or 'no peer workbook returned'}",
                r.problems) for r in _under_way(results))]
    for head, found in heads:
        if problems:
            yield head
            for problem in found:
                yield f"    {problem}"
        elif found:
            yield f"{head}  ({len(found)} problem{'s' if len(found) != 1 else ''})"
        else:
            yield head
    for problem in results.unmatched:
        yield f"{'file':<10}  {problem}"
    yield totals(results)


def _head(p: PersonResult) -> str:
    return f"{p.status.value:<10}  {p.person.id}  ({p.person.name})  {p.file or 'no workbook returned'}"


def totals(results: Results) -> str:
    """The last line: people by status, raters by status (once the peer round is under way), file problems."""
    under_way = _under_way(results)
    raters = f"{len(under_way)} raters: {_by_status(r.status for r in under_way)}; " if under_way else ""
    return (f"{len(results.people)} people: {_by_status(p.status for p in results.people)}; {raters}"
            f"{len(results.unmatched)} file problem(s)")


def _under_way(results: Results) -> tuple[RaterResult, ...]:
    """The raters, once some peer workbook came back; none before the peer round (nothing to say yet)."""
    return results.raters if any(r.status is not Status.MISSING for r in results.raters) else ()


def _by_status(statuses: Iterable[Status]) -> str:
    counts = Counter(s.value for s in statuses)
    return ", ".join(f"{counts[s.value]} {s.value}" for s in Status if counts[s.value])
