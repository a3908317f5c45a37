"""A number in a free-text cell, as the spreadsheet app showed it: dates, times and fractions.

Excel and LibreOffice turn "12/1/2026" or "0 3/4" typed into a cell not formatted as text
into a number (a date serial, 0.75) with a date or fraction format; the file keeps the
number and the format. Collect keeps what the person saw ("12/1/2026", "3/4"), not 46357:
``shown`` renders such a number by its format (Excel's format codes; .ods styles are given
in the same terms by the reader). Any other format (General, 0.00, percent) is not this
module's: the number is kept as the workbook's formulas see it.

Only the first section of a code applies (free text holds no negative dates); colours,
locales and conditions in brackets are skipped.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime, time, timedelta
from fractions import Fraction

_EPOCH = datetime(1899, 12, 30)  # serial 0 as Excel's 1900 system counts (1900-02-29 excepted) and Calc's
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# A code's tokens: quoted or escaped literals, brackets, AM/PM, date and time letters, fraction parts.
_TOKEN = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|AM/PM|A/P|y+|m+|d+|h+|s+(?:\.0+)?|[#0?]*\s*[#0?]+/[#0?\d]+|.', re.I)
_DEFAULT = {date: "m/d/yyyy", datetime: "m/d/yyyy h:mm", time: "h:mm", timedelta: "[h]:mm:ss"}
_FRACTION = re.compile(r"(?:([#0?]+)\s+)?([#0?]+)/([#0?]+|\d+)")


def shown(value: float | date | time | timedelta, code: str) -> str | None:
    """``value`` as a cell formatted with ``code`` shows it, when ``code`` is a date, time or fraction
    format; None for any other format. A date or time the reader already knows as one (python-calamine
    reads date formats so) and whose code is unknown shows as Excel's en-US shows a typed one."""
    section = _first_section(code)
    kind = _kind(section)
    if kind != "date" and isinstance(value, (date, time, timedelta)):
        section, kind = _DEFAULT[type(value)] if type(value) in _DEFAULT else "m/d/yyyy h:mm", "date"
    if kind == "fraction" and isinstance(value, (int, float)):
        return _fraction(float(value), section)
    if kind != "date":
        return None
    moment = _moment(value)
    return None if moment is None else _date(moment, section)


def _first_section(code: str) -> str:
    depth, out = False, []
    for ch in code:
        if ch == '"':
            depth = not depth
        elif ch == ";" and not depth:
            break
        out.append(ch)
    return "".join(out)


def _kind(section: str) -> str:
    """"date" (dates and times), "fraction", or "" (anything else)."""
    bare = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", section)
    if _FRACTION.search(bare) and not re.search(r"[ymdhs]", bare, re.I):
        return "fraction"
    return "date" if re.search(r"[ymdhs]", bare.replace("AM/PM", "").replace("am/pm", ""), re.I) else ""


def _moment(value: float | date | time | timedelta) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, time):
        return datetime.combine(_EPOCH.date(), value)
    if isinstance(value, timedelta):
        return _EPOCH + value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value < 2958466:  # to 9999-12-31
        return _EPOCH + timedelta(days=float(value))
    return None


def _date(moment: datetime, section: str) -> str:
    moment = (moment + timedelta(microseconds=500_000)).replace(microsecond=0)  # shown to the second, rounded
    tokens = _TOKEN.findall(section)
    twelve = any(t.upper() in ("AM/PM", "A/P") for t in tokens)
    out = []
    for i, token in enumerate(tokens):
        low = token.lower()
        if token.startswith('"'):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1:])
        elif token.startswith("["):
            out.append(_elapsed(moment, token[1:-1].lower()))
        elif low in ("am/pm", "a/p"):
            half = "AM" if moment.hour < 12 else "PM"
            out.append(half if low == "am/pm" else half[0])
        elif low[0] == "y":
            out.append(f"{moment.year % 100:02d}" if len(low) <= 2 else str(moment.year))
        elif low[0] == "m":
            out.append(_minutes(moment, low) if _is_minutes(tokens, i) else _month(moment, low))
        elif low[0] == "d":
            out.append(_day(moment, low))
        elif low[0] == "h":
            hour = moment.hour % 12 or 12 if twelve else moment.hour
            out.append(f"{hour:0{len(low)}d}" if len(low) <= 2 else str(hour))
        elif low[0] == "s":
            out.append(f"{moment.second:02d}" if low.startswith("ss") else str(moment.second))
        else:
            out.append(token)
    return "".join(out)


def _elapsed(moment: datetime, inside: str) -> str:
    """[h], [mm], [ss]: hours, minutes or seconds elapsed since serial 0; any other bracket shows nothing."""
    seconds = int((moment - _EPOCH).total_seconds())
    per = {"h": 3600, "m": 60, "s": 1}
    if not inside or inside.strip(inside[0]) or inside[0] not in per:
        return ""  # a colour, a locale, a condition
    return f"{seconds // per[inside[0]]:0{len(inside)}d}"


def _is_minutes(tokens: list[str], i: int) -> bool:
    """An m right after hours or right before seconds is minutes (as Excel reads it)."""
    letters = [(j, t.lower()) for j, t in enumerate(tokens) if t[:1].lower() in "ymdhs" and not t.startswith("\\")]
    at = next(k for k, (j, _) in enumerate(letters) if j == i)
    before = letters[at - 1][1][0] if at else ""
    after = letters[at + 1][1][0] if at + 1 < len(letters) else ""
    return before == "h" or after == "s"


def _minutes(moment: datetime, token: str) -> str:
    return f"{moment.minute:02d}" if len(token) >= 2 else str(moment.minute)


def _month(moment: datetime, token: str) -> str:
    name = _MONTHS[moment.month - 1]
    return {1: str(moment.month), 2: f"{moment.month:02d}", 3: name[:3], 5: name[0]}.get(len(token), name)


def _day(moment: datetime, token: str) -> str:
    name = _DAYS[moment.weekday()]
    return {1: str(moment.day), 2: f"{moment.day:02d}", 3: name[:3]}.get(len(token), name)


def _fraction(value: float, section: str) -> str:
    found = _FRACTION.search(section)
    assert found is not None
    whole_part, _, denominator = found.groups()
    sign, value = ("-" if value < 0 else ""), abs(value)
    whole = math.floor(value) if whole_part else 0
    if denominator.isdigit():  # a fixed denominator ("?/4" shows 2/4, not 1/2)
        top, bottom = round((value - whole) * int(denominator)), int(denominator)
    else:
        frac = Fraction(value - whole).limit_denominator(10 ** len(denominator) - 1)
        top, bottom = frac.numerator, frac.denominator
    if top == bottom:
        whole, top = whole + 1, 0
    if top == 0:
        return f"{sign}{whole}"
    return f"{sign}{whole} {top}/{bottom}" if whole else f"{sign}{top}/{bottom}"
