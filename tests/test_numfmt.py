"""A number in a free-text cell as the app showed it, by the cell's format code (dates, times, fractions).

The codes are those the apps write: Excel's built-in ones, LibreOffice's in .xlsx/.xls
(``mm/dd/yy``, ``hh:mm:ss\\ AM/PM``) and as the .ods reader spells LibreOffice's data styles
(``mm"/"dd"/"yy``). What typed "12/1/2026" became in LibreOffice is what it showed: 12/01/26.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest

from ladder_sheets.core.numfmt import shown

DEC_1 = 46357.0  # 2026-12-01 as a serial
CASES = [
    (DEC_1, "m/d/yyyy", "12/1/2026"),  # Excel en-US, built-in 14
    (DEC_1, "mm/dd/yy", "12/01/26"),  # LibreOffice en-US in .xlsx and .xls
    (DEC_1, 'mm"/"dd"/"yy', "12/01/26"),  # the same from an .ods data style
    (DEC_1, 'dd"."mm"."yyyy', "01.12.2026"),
    (DEC_1, "yyyy\\-mm\\-dd", "2026-12-01"),
    (DEC_1, "[$-409]dddd, mmmm d, yyyy;@", "Tuesday, December 1, 2026"),
    (46085.0, "d-mmm", "4-Mar"),  # Excel's "3/4": March 4
    (DEC_1, "mmm-yy", "Dec-26"),
    (0.604166666666667, "h:mm", "14:30"),
    (0.604166666666667, "hh:mm:ss\\ AM/PM", "02:30:00 PM"),
    (46357.3854166667, "m/d/yyyy h:mm", "12/1/2026 9:15"),
    (46357.3854166667, "mm/dd/yy\\ hh:mm\\ AM/PM", "12/01/26 09:15 AM"),
    (0.75, "# ?/?", "3/4"),  # "0 3/4" typed
    (0.333333333333333, "# ?/?", "1/3"),
    (1.75, "# ?/?", "1 3/4"),
    (0.3, "# ??/??", "3/10"),
    (2.5, "?/?", "5/2"),
    (0.6, "# ?/4", "2/4"),  # a fixed denominator is kept as written
    (date(2026, 12, 1), "mm/dd/yy", "12/01/26"),
    (date(2026, 12, 1), "", "12/1/2026"),  # a date whose format the file does not say
    (datetime(2026, 12, 1, 9, 15), "", "12/1/2026 9:15"),
    (time(14, 30), "", "14:30"),
    (timedelta(hours=30), "", "30:00:00"),
    # Not a date, time or fraction format: the number stays the number.
    (0.45, "0%", None), (1000.0, "General", None), (DEC_1, '@"\n\n"', None), (2.0, "0.##", None), (3.0, "", None),
    (1200.0, '[$$-409]#,##0', None), (1e3, "0.00E+00", None),
]


@pytest.mark.parametrize(("value", "code", "want"), CASES)
def test_a_number_shows_as_its_format_says(value: float | date | time | timedelta, code: str,
                                            want: str | None) -> None:
    assert shown(value, code) == want
