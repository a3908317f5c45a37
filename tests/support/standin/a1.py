"""A1 notation as the Sheets API reads it: 'My Sheet'!A1:B2, Sheet1!A:C, 2:4, A5:B, single cells.

Only syntax lives here; which sheet a range names (the first sheet when none is given, a
sheet title on its own, a named range) is decided by ``model.Spreadsheet.resolve``.
Spans are zero-based and half-open like GridRange, with ``None`` for an open end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ENDPOINT = re.compile(r"\$?([A-Za-z]{0,3})\$?(\d*)")
_PLAIN_TITLE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
NAMED_RANGE = re.compile(r"[A-Za-z_\\][A-Za-z0-9_.]{0,249}")


@dataclass(frozen=True)
class Span:
    """Rows [r0, r1) and columns [c0, c1); r1/c1 ``None`` run to the end of the grid."""

    r0: int
    r1: int | None
    c0: int
    c1: int | None

    def clamp(self, rows: int, cols: int) -> Span:
        """Open ends closed at the grid's size (what a whole-column read covers)."""
        return Span(self.r0, min(rows, self.r1) if self.r1 is not None else rows,
                    self.c0, min(cols, self.c1) if self.c1 is not None else cols)

    def bounded(self) -> tuple[int, int, int, int]:
        """The four indexes; only for a span that was clamped."""
        assert self.r1 is not None and self.c1 is not None
        return self.r0, self.r1, self.c0, self.c1

    def contains(self, r: int, c: int) -> bool:
        return (self.r0 <= r and (self.r1 is None or r < self.r1)
                and self.c0 <= c and (self.c1 is None or c < self.c1))


@dataclass(frozen=True)
class Parsed:
    """The pieces of a range string: a sheet title (unquoted) and/or the part after ``!``."""

    sheet: str | None
    part: str | None  # "A1:B2", a named range's name, or None for a whole sheet


def column_index(letters: str) -> int:
    """'A' -> 0, 'AB' -> 27."""
    index = 0
    for ch in letters.upper():
        index = index * 26 + ord(ch) - 64
    return index - 1


def column_letters(index: int) -> str:
    """0 -> 'A', 27 -> 'AB'."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def split(text: str) -> Parsed | None:
    """Split off a (possibly quoted) sheet title; None when the quoting is broken."""
    if text.startswith("'"):
        i, title = 1, []
        while i < len(text):
            if text[i] == "'":
                if text[i + 1:i + 2] == "'":
                    title.append("'")
                    i += 2
                    continue
                rest = text[i + 1:]
                if rest == "":
                    return Parsed("".join(title), None)
                return Parsed("".join(title), rest[1:]) if rest.startswith("!") and len(rest) > 1 else None
            title.append(text[i])
            i += 1
        return None
    if "!" in text:
        sheet, part = text.split("!", 1)
        return Parsed(sheet, part) if sheet and part else None
    return Parsed(None, text)


def cells(part: str) -> Span | None:
    """A1 / A1:B2 / A:C / 2:4 / A5:B as a Span; None when ``part`` is not a cell reference."""
    ends = part.split(":")
    if len(ends) > 2:
        return None
    points = [_endpoint(e) for e in ends]
    if any(p is None for p in points):
        return None
    (ra, ca), (rb, cb) = points[0], points[-1]  # type: ignore[misc]
    if len(ends) == 1 and (ra is None or ca is None):
        return None  # "A" or "5" alone is a name, not a range
    r0, r1 = ra or 0, (rb + 1 if rb is not None else None)
    c0, c1 = ca or 0, (cb + 1 if cb is not None else None)
    if len(ends) == 2 and rb is not None and ra is not None and rb < ra:
        r0, r1 = rb, ra + 1
    if len(ends) == 2 and cb is not None and ca is not None and cb < ca:
        c0, c1 = cb, ca + 1
    return Span(r0, r1, c0, c1)


def _endpoint(text: str) -> tuple[int | None, int | None] | None:
    """'B3' -> (2, 1); 'B' -> (None, 1); '3' -> (2, None)."""
    match = _ENDPOINT.fullmatch(text)
    if not match or not (match.group(1) or match.group(2)):
        return None
    letters, digits = match.groups()
    if digits and int(digits) == 0:
        return None
    return (int(digits) - 1 if digits else None), (column_index(letters) if letters else None)


def quote_title(title: str) -> str:
    """A title as Google writes it in a range: bare when plain, else quoted with '' escapes."""
    if _PLAIN_TITLE.fullmatch(title) and cells(title) is None:
        return title
    return "'" + title.replace("'", "''") + "'"


def format_range(title: str, span: Span) -> str:
    """'Sheet1'!A1:B2 (a clamped span); a single cell is written as one cell, like Google does."""
    r0, r1, c0, c1 = span.bounded()
    start = f"{column_letters(c0)}{r0 + 1}"
    end = f"{column_letters(max(c0, c1 - 1))}{max(r0, r1 - 1) + 1}"
    return f"{quote_title(title)}!{start}" + ("" if start == end else f":{end}")
