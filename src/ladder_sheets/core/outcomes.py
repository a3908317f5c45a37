"""What one returned file turned out to be, before ``examine.assemble`` makes one result per person.

Pure data. A file is someone's workbook (``FileOutcome.person_id``), or a workbook of another
kind (a manager's review, a rater's peer workbook) whose ``parts`` go to several people's results,
or nobody's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from .model import CellValue, Inputs, Scores, StrEnum
from .raters import PeerAnswer
from .results import Problem


class Via(StrEnum):
    """How a file reached collect, which says who could have filled it in."""

    FILE = "file"  # a file given to collect: no sender known
    EMAIL = "email"  # an email's attachment: ``FileOutcome.sender`` sent it
    GOOGLE = "google"  # a Google spreadsheet read back by pull (the manager's range: the manager's only)


@dataclass(frozen=True)
class Part:
    """One person's share of a workbook of another kind (a manager's review, a peer workbook), merged into their
    result."""

    kind: str  # the workbook's kind (kinds.MANAGER_REVIEW, kinds.PEER_INPUT)
    person_id: str
    author: str  # whom the workbook is for: the manager's roster id, the rater's address (Rater.key)
    inputs: Inputs  # what it holds for the person, in the SE workbook's terms (manager scores, comments)
    fields: Mapping[str, CellValue] = field(default_factory=dict)  # anything else, by key ("recommendation")
    problems: tuple[Problem, ...] = ()  # found in the person's part of the workbook
    sheet: str = ""  # where in the file
    peer: PeerAnswer | None = None  # a peer workbook's answers for the person

    @property
    def scored(self) -> bool:
        """Some criterion holds a manager score."""
        return any(c.manager_score is not None for c in self.inputs.criteria.values())


@dataclass(frozen=True)
class FileOutcome:
    """What one file turned out to be: someone's workbook (``person_id``), another kind's, or nobody's."""

    file: str
    mtime: float
    person_id: str = ""  # "" when the file is not one person's workbook
    preferred: bool = False  # this quarter's workbook, of this template version
    problems: tuple[Problem, ...] = ()
    inputs: Inputs | None = None
    scores: Scores | None = None
    moved: tuple[str, ...] = ()  # layout sheets not read in place (cells moved, renamed, refused)
    via: Via = Via.FILE
    sender: str = ""  # the email's From address (lower case), with ``Via.EMAIL``
    kind: str = ""  # the workbook's kind, "" for an SE's own workbook
    parts: tuple[Part, ...] = ()  # with a kind: what it gives each person
    author: str = ""  # with a kind: whom it is for, when known (a rater's address: their problems are theirs)
