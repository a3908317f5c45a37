"""``collect`` from saved emails: the workbooks attached to .eml files, mbox files and Maildir folders.

Each attachment is written to a private temporary folder (removed afterwards; a killed
run's, by the next run: ``files.temp_folder``) with its
email's date as modification time, so collect's own rule (the newest return of a person
wins) picks the newest email; the results then name each workbook by its email (where it
is, sender, date) instead of the temporary file. Two things only an email can get wrong
become located problems: a workbook sent from an address that is neither the SE's, their
manager's nor the return address (an error: who filled it in is unknown), and an email
that carries no workbook at all (in the unmatched problems). Every other attachment of an
email that does carry one is named in a note, so no attachment goes unmentioned. An earlier emailed return
replaced by a later one is the thread going on, not a duplicate to resolve: only the
later one is read, and no problem is raised (a file among the sources still is one).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from ..core.model import Ladder, Person, Roster
from ..core.results import Kind, Problem, Results, Severity, status_for
from ..files import temp_folder
from ..mail.intake import WORKBOOK_SUFFIXES, Returned, Skipped, is_mail_source, read_source
from ..xlsx.collect import collect
from ..xlsx.returned import skipped_note

WRONG_SENDER = "wrong_sender"  # Problem.kind: a workbook from an address that is not the person's side
NO_WORKBOOK = "no_workbook"  # Problem.kind: an email with no .xlsx attached
UNREADABLE = "unreadable"
DUPLICATE = Kind.DUPLICATE.value


@dataclass(frozen=True)
class _Extracted:
    label: str  # how the results name it: "<where>: <file> from <sender>, <date>"
    sender: str
    short: str = ""  # as a packet names it: "<file>, emailed from <sender> on <day>"


def has_mail(sources: Sequence[Path]) -> bool:
    return any(is_mail_source(s) for s in sources)


def collect_with_mail(sources: Sequence[Path], ladder: Ladder, roster: Roster, quarter: str, *,
                      jobs: int | None = None, progress: Callable[[int, int], None] | None = None) -> Results:
    """collect over ``sources``, where mail sources give their attached workbooks and files are read as usual."""
    mail = [s for s in sources if is_mail_source(s)]
    files = [s for s in sources if s not in mail]
    tmp = temp_folder()  # removed below; a killed run's, by the next run
    try:
        extracted: dict[str, _Extracted] = {}
        problems: list[Problem] = []
        for source in mail:
            for returned in _read(source, problems):
                _extract(returned, tmp, extracted, problems)
        results = collect([*files, *(Path(f) for f in extracted)], ladder, roster, quarter, jobs=jobs,
                          progress=progress, senders={f: e.sender for f, e in extracted.items()})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return _relabel(results, roster, extracted, problems)


def _read(source: Path, problems: list[Problem]) -> Iterator[Returned | Skipped]:
    """The source's messages one at a time (each one's attachments are written before the next is read);
    a mailbox that fails part way keeps what came before."""
    n = 0
    try:
        for item in read_source(source):
            n += isinstance(item, Returned)
            yield item
    except Exception as exc:  # OSError, or mailbox's own errors for a broken mbox or Maildir
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else f"{type(exc).__name__}: {exc}"
        past = f" past its first {n} message{'s' if n != 1 else ''}" if n else ""
        problems.append(Problem(str(source), "", "", UNREADABLE, f"cannot read the mailbox{past} ({why})"))


def _extract(returned: Returned | Skipped, tmp: Path, extracted: dict[str, _Extracted],
             problems: list[Problem]) -> None:
    if isinstance(returned, Skipped):
        problems.append(skipped_note(Path(returned.where), returned.names))
        return
    if returned.problem:
        problems.append(Problem(returned.where, "", "", UNREADABLE, returned.problem))
        return
    if not returned.workbooks:
        found = f" (attached: {', '.join(returned.others)})" if returned.others else ""
        problems.append(Problem(returned.where, "", "", NO_WORKBOOK,
                                f"{returned.described}: no workbook (.xlsx, .xlsm, .xlsb, .xls or .ods) attached{found}"))
        return
    if returned.others:
        problems.append(Problem(returned.where, "", "", Kind.WRONG_FORMAT,
                                f"{returned.described}: also attached, not a workbook, so not read: "
                                f"{', '.join(returned.others)}", Severity.NOTE))
    for name, data in returned.workbooks:
        path = tmp / f"{len(extracted) + 1:05d}-{_safe(name)}"
        path.write_bytes(data)
        if returned.date is not None:
            stamp = returned.date.timestamp()
            os.utime(path, (stamp, stamp))  # the newest email wins, as the newest file does
        label = f"{returned.where}: {name} from {returned.sender or 'no sender'}, {returned.when}"
        day = f" on {returned.date:%Y-%m-%d}" if returned.date else ""
        extracted[str(path)] = _Extracted(label, returned.sender, f"{name}, emailed from {returned.sender}{day}")


def _safe(name: str) -> str:
    """A file name for an attachment inside the private folder: its format kept, nothing that could
    lead outside the folder (``/``, ``..``) or hide (a leading dot)."""
    path = Path(name)
    suffix = path.suffix.lower() if path.suffix.lower() in WORKBOOK_SUFFIXES else ""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", path.stem if suffix else name).strip("-.")[:80]
    return f"{stem or 'workbook'}{suffix or '.xlsx'}"


def _relabel(results: Results, roster: Roster, extracted: dict[str, _Extracted], mail_problems: list[Problem]) -> Results:
    def name(text: str) -> str:
        for tmp, e in extracted.items():
            if tmp in text:
                text = text.replace(tmp, e.label)
        return text

    def fix(p: Problem) -> Problem:
        return replace(p, file=name(p.file), message=name(p.message))

    def short(file: str) -> str:
        e = extracted.get(file)
        return e.short if e is not None else name(file)

    roster_people = {p.id: p for p in roster.people}
    people = []
    for result in results.people:
        source = extracted.get(result.file)
        problems = [fix(p) for p in result.problems if not _superseded_reply(p, source, extracted)]
        if source is not None:
            problems += _sender_problem(roster, roster_people.get(result.person.id), source)
        fixed = tuple(problems)
        status = status_for(fixed) if source is not None and fixed != result.problems else result.status
        detail = extracted.get(result.scored_by.detail)
        people.append(replace(result, file=name(result.file), problems=fixed, status=status,
                              scored_by=replace(result.scored_by, detail=detail.short if detail else
                                                name(result.scored_by.detail)),
                              peers=tuple(replace(a, source=short(a.source)) for a in result.peers)))
    raters = tuple(replace(r, file=name(r.file), problems=tuple(fix(p) for p in r.problems)) for r in results.raters)
    unmatched = (*(fix(p) for p in results.unmatched), *mail_problems)
    return replace(results, people=tuple(people), unmatched=unmatched, raters=raters,
                   source=results.source if not extracted else "email")


def _superseded_reply(problem: Problem, used: _Extracted | None, extracted: dict[str, _Extracted]) -> bool:
    """An earlier emailed return replaced by a later emailed one: how a mail thread goes (the SE sends
    it, the manager sends it back scored), not a conflict to resolve, so not a duplicate problem."""
    return problem.kind == DUPLICATE and used is not None and problem.file in extracted


def _sender_problem(roster: Roster, person: Person | None, source: _Extracted) -> list[Problem]:
    if person is None:
        return []
    manager = roster.manager_of(person)
    allowed = {person.email.lower(), manager.email.lower(), roster.return_address(person).lower()}
    if source.sender in allowed:
        return []
    return [Problem(source.label, "", "", WRONG_SENDER,
                    f"sent from {source.sender or 'no sender'}, which is not {person.name}'s address, their "
                    f"manager's or the return address ({', '.join(sorted(allowed))}): confirm who filled it in, "
                    "then have it sent from one of those", Severity.ERROR)]

