"""Results as a JSON file: written atomically by collect, read by report.

results.py owns the document's shape (pure); this module only moves it to and from disk,
so a crash mid-write never leaves a half-written results file where a good one was.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..core.errors import WorkbookError
from ..core.results import Results, from_dict, to_dict


def write_results(results: Results, path: Path) -> Path:
    """Write ``results`` to ``path`` as UTF-8 JSON (replacing it in one step). Raises WorkbookError."""
    body = json.dumps(to_dict(results), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    tmp = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(body)
        os.chmod(tmp, 0o644)  # mkstemp's 0600 would hide the file from the people it is for
        os.replace(tmp, path)
    except OSError as exc:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        raise WorkbookError(f"{path}: cannot write results: {exc.strerror or exc}") from exc
    return path


def read_results(path: Path) -> Results:
    """Read a results file written by ``write_results``. Raises WorkbookError naming the file and the fault."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise WorkbookError(f"{path}: cannot read results: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise WorkbookError(f"{path}: not a results file (not UTF-8 text)") from exc
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise WorkbookError(f"{path}: not a results file (invalid JSON at {where})") from exc
    if not isinstance(data, dict):
        raise WorkbookError(f"{path}: not a results file (expected a JSON object, found {type(data).__name__})")
    try:
        return from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        detail = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        raise WorkbookError(f"{path}: not a valid results file ({detail})") from exc
