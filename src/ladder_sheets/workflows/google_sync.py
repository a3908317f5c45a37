"""Google Sheets instead of files: ``push`` (one spreadsheet per SE, or per manager: their review)
and ``pull`` (read them back).

The spreadsheets themselves are ``google.push`` and ``google.pull``; this module loads the
config and the sync state, signs in, and hands pulled results to ``collecting.finish``, so
that ``pull`` writes, prints, stores and exits exactly as ``collect`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..config.ladder import load_ladder, load_roster
from ..core.errors import ConfigError
from ..core.quarter import default_due
from ..google import client as gsheets
from ..google.batch_requests import DEFAULT_LOCALE, DEFAULT_TIME_ZONE
from ..google.pull import pull
from ..google.push import PushOptions, PushReport, push
from ..google.push_reviews import push_reviews
from ..google.sync_state import SyncState
from .collecting import Destination, finish
from .progress import Progress, Say, per_item
from .results_file import read_results
from .review import review_layouts


@dataclass(frozen=True)
class SignIn:
    """How to reach Google, as the command line names it.

    ``credentials`` None: Application Default Credentials; ``impersonate``: the Workspace user
    a service account acts as ("" for none); ``rate``: Sheets requests per minute; ``scope``:
    "drive", or "drive.file" (only files this app made or was given).
    """

    credentials: Path | None
    impersonate: str = ""
    rate: float = 55
    scope: str = "drive"

    def connect(self) -> gsheets.Sheets:
        return gsheets.connect(self.credentials, per_minute=self.rate, impersonate=self.impersonate,
                               scope=self.scope)


def push_sheets(ladder_path: Path | None, team_path: Path, quarter: str, folder: str, sign_in: SignIn,
                state_path: Path, *, due: date | None = None, notify: bool = False, message: str = "",
                folder_per_manager: bool = False, locale: str = DEFAULT_LOCALE, time_zone: str = DEFAULT_TIME_ZONE,
                dry_run: bool = False, progress: Progress | None = None) -> PushReport:
    """``ladder-sheets push``: create, build and share every SE's spreadsheet not shared yet.

    The sync state at ``state_path`` lets an interrupted push resume; ``dry_run`` signs in
    to nothing and only plans. ``due`` defaults to 14 days from today.
    """
    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    state = SyncState.load(state_path)
    sheets = None if dry_run else sign_in.connect()
    return push(ladder, roster, quarter, folder, state, sheets, due=due or default_due(date.today()), notify=notify,
                message=message, dry_run=dry_run, folder_per_manager=folder_per_manager, locale=locale,
                time_zone=time_zone, progress=per_item(progress, len(roster.people)))


def push_review_sheets(results_path: Path, ladder_path: Path | None, team_path: Path, quarter: str, folder: str,
                       sign_in: SignIn, state_path: Path, *, blind: bool = False, db: Path | None = None,
                       due: date | None = None, notify: bool = False, message: str = "", locale: str = DEFAULT_LOCALE,
                       time_zone: str = DEFAULT_TIME_ZONE, dry_run: bool = False,
                       progress: Progress | None = None) -> PushReport:
    """``ladder-sheets push --reviews``: each manager's review (as ``review`` makes it from the results
    and the history ``db``) as a Google spreadsheet shared with that manager only."""
    options = PushOptions(due or default_due(date.today()), notify, message, locale=locale, time_zone=time_zone)
    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    results = read_results(results_path)
    if results.quarter != quarter:
        raise ConfigError(f"{results_path}: results of {results.quarter}, not of --quarter {quarter}: the reviews "
                          "show a quarter's returns, so give that quarter's results")
    _, layouts = review_layouts(ladder, roster, results, blind=blind, due=options.due, db=db)
    state = SyncState.load(state_path)
    sheets = None if dry_run else sign_in.connect()
    return push_reviews(ladder, quarter, layouts, folder, state, sheets, options, blind=blind, dry_run=dry_run,
                        progress=per_item(progress, len(layouts)))


def pull_sheets(ladder_path: Path | None, team_path: Path, quarter: str, sign_in: SignIn, state_path: Path,
                to: Destination, *, say: Say, progress: Progress | None = None) -> int:
    """``ladder-sheets pull``: read every pushed spreadsheet back, then ``finish`` as ``collect`` does.

    Returns the exit status.
    """
    ladder = load_ladder(ladder_path)
    roster = load_roster(team_path, ladder)
    state = SyncState.load(state_path)
    sheets = sign_in.connect()
    reviews = state.quarters[quarter].reviews if quarter in state.quarters else {}
    results = pull(ladder, roster, quarter, state, sheets,
                   progress=per_item(progress, len(roster.people) + len(reviews)))
    return finish(results, to, ladder, say)
