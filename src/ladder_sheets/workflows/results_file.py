"""Results as a JSON file: written atomically by collect, read by report.

results.py owns the document's shape (pure); this module only moves it to and from disk,
so a crash mid-write never leaves a half-written results file where a good one was.
The document is written compactly, one person (and one unmatched file) per line: still
one JSON document for any JSON tool, and ``grep`` finds a person's whole record.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .. import files
from ..core.errors import WorkbookError
from ..core.results import PersonResult, Problem, RecordReader, Results, from_dict, header, person_record, problem_record


def write_results(results: Results, path: Path) -> Path:
    """Write ``results`` to ``path`` as UTF-8 JSON (replacing it in one step). Raises WorkbookError."""
    try:
        files.write_text(path, _lines(results))
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot write results: {exc.strerror or exc}") from exc
    return path


def _lines(results: Results) -> Iterator[str]:
    """The document in lines: the header's fields, then one person or unmatched file per line."""
    dump = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode
    head = dump(header(results))
    yield head[:-1] + ',\n"people":['  # the header object, left open for the two lists
    for i, person in enumerate(results.people):
        yield ("\n" if i == 0 else ",\n") + dump(person_record(person))
    yield '\n],\n"unmatched":['
    for i, problem in enumerate(results.unmatched):
        yield ("\n" if i == 0 else ",\n") + dump(problem_record(problem))
    yield "\n]}\n"


def read_results(path: Path) -> Results:
    """Read a results file written by ``write_results`` (or an older schema-1 file).

    A file in write_results' layout is read a line (a person) at a time, so only the
    results, never the whole parsed document, are held. Any other JSON layout is parsed
    whole. Raises WorkbookError naming the file and the fault.
    """
    try:
        results = _read_lines(path)
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError, AttributeError):
        results = None  # read again whole, for the precise complaint
    if results is not None:
        return results
    data = _document(path)
    try:
        return from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise WorkbookError(f"{path}: not a valid results file ({detail})") from exc


def _no_constant(name: str) -> float:
    """NaN and Infinity, which write_results never writes: a hand edit, refused (no report can show them)."""
    raise ValueError(f"{name} where a number or null belongs")


_loads = json.JSONDecoder(parse_constant=_no_constant).decode


def _read_lines(path: Path) -> Results | None:
    """The results of a file in ``_lines``' layout; None when it is laid out otherwise."""
    with path.open(encoding="utf-8") as fh:
        first = fh.readline().rstrip("\n")
        if not (first.startswith('{"schema":') and first.endswith(",")) or fh.readline() != '"people":[\n':
            return None
        reader = RecordReader(_loads(first[:-1] + "}"))
        people: list[PersonResult] = []
        unmatched: list[Problem] = []
        for line in fh:
            if line == "],\n":
                break
            people.append(reader.person(_loads(line.rstrip(",\n"))))
        if fh.readline() != '"unmatched":[\n':
            return None
        for line in fh:
            if line == "]}\n":
                return Results(*reader.head, people=tuple(people), unmatched=tuple(unmatched), raters=reader.raters)
            unmatched.append(reader.problem(_loads(line.rstrip(",\n"))))
    return None


def _document(path: Path) -> dict[str, Any]:
    try:
        data: Any = _loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot read results: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise WorkbookError(f"{path}: not a results file (not UTF-8 text)") from exc
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise WorkbookError(f"{path}: not a results file (invalid JSON at {where})") from exc
    except ValueError as exc:  # _no_constant
        raise WorkbookError(f"{path}: not a valid results file ({exc})") from exc
    if not isinstance(data, dict):
        raise WorkbookError(f"{path}: not a results file (expected a JSON object, found {type(data).__name__})")
    return data
