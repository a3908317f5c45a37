"""``peers``: one peer workbook per AE or peer the roster names, a sheet per SE they rate.

Each ``peer-<address>.xlsx`` asks the rater the documents' blind-spot question about each SE
and a 0-3 rating of the customer-facing criteria the ladder marks (``peer_rated``). A workbook
already in OUT is replaced only while it is exactly what this tool wrote (``written``); the
manifest beside them records each rater's file, for ``handout --peers`` and ``remind --peers``.
"""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime, timezone
from pathlib import Path

from ..config.ladder import load_ladder, load_roster
from ..core import quarter as quarters
from ..core.errors import ConfigError
from ..core.model import Ladder, Roster
from ..core.peer_layout import Rates, build_peer, peer_version, raters
from ..xlsx import manifest
from ..xlsx.writer import workbook_bytes, write_bytes
from .written import Written, make_folder, may_write


def peer_path(directory: Path, rater_key: str) -> Path:
    """``peer-<address>.xlsx``: the address as a file name (only letters, digits, '.', '_', '-' and '@')."""
    return directory / f"peer-{re.sub(r'[^A-Za-z0-9._@-]+', '-', rater_key).strip('-.') or 'rater'}.xlsx"


def write_peers(ladder_path: Path | None, team_path: Path, quarter: str, out: Path, *, due: date | None = None,
                force: bool = False) -> Written:
    """``ladder-sheets peers``: ``build_peers`` from the config files."""
    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    return build_peers(ladder, roster, quarter, out, due=due, force=force)


def build_peers(ladder: Ladder, roster: Roster, quarter: str, out: Path, *, due: date | None = None,
                force: bool = False) -> Written:
    """Write ``out/peer-<address>.xlsx`` for every rater the roster names, and the manifest beside them.

    Raises ConfigError when the roster names no rater.
    """
    quarters.checked(quarter)
    index = raters(roster)
    if not index:
        raise ConfigError("the roster names no raters: add `raters:` to the SEs to ask (YAML), or a `raters` column "
                          "(CSV), e.g. raters: [{name: Dana Ross, email: dana.ross@example.com, role: ae}]")
    stamp = datetime.now(timezone.utc).replace(microsecond=0)
    due = due or quarters.default_due(stamp.date())
    report = Written(out)
    make_folder(out)
    entries, known = manifest.read(out), manifest.known_hashes(out)
    for k, rates in index.items():
        path = peer_path(out, k)
        if not may_write(path, k, known, force, report, stamp, "a rater's answers"):
            continue
        data = workbook_bytes(build_peer(ladder, roster, rates, quarter, due))
        entries[k] = _entry(rates, path, data, peer_version(ladder), stamp)
        manifest.record(out, entries[k])
        write_bytes(data, path)
        report.written.append((k, path))
    manifest.write(out, quarter, entries, due.isoformat())
    return report


def _entry(rates: Rates, path: Path, data: bytes, version: str, stamp: datetime) -> manifest.Entry:
    rater = rates.rater
    return manifest.Entry(rater.key, rater.name, rater.email, "", path.name, hashlib.sha256(data).hexdigest(), version,
                          stamp.isoformat())
