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
    # The twelve-hour clock at noon and just after midnight, and its one-letter form.
    (46357.5208333333, "h:mm AM/PM", "12:30 PM"),
    (0.0208333333333333, "h:mm AM/PM", "12:30 AM"),
    (0.604166666666667, "h:mm A/P", "2:30 P"),
    (1.5, "[mm]:ss", "2160:00"),  # elapsed minutes: a day and a half
    (0.6042245370370374, "h:mm:s", "14:30:5"),  # one "s": no leading zero
    (0.586805555555556, "h:m", "14:5"),  # one "m" after "h": minutes, no leading zero
    (DEC_1, "yyy", "2026"), (DEC_1, "mmmmm", "D"), (DEC_1, "ddd", "Tue"),
    (-0.75, "# ?/?", "-3/4"),
    (1.6, "# ?/4", "1 2/4"),
    (0.98, "# ?/?", "1"),  # the nearest fraction of one digit is a whole one
    (0.1, "# ?/?", "1/9"),  # one digit: 1/10 cannot be written
    (0.99, "# ??/??", "98/99"),
    (DEC_1, 'dd";"mm', "01;12"),  # a quoted ";" does not end the first section
    (DEC_1, "M/D/YYYY", "12/1/2026"),  # codes are read in any case
    # Serials from 0 (12/30/1899) to 9999-12-31; outside, not a date.
    (0.0, "m/d/yyyy", "12/30/1899"), (2958465.0, "m/d/yyyy", "12/31/9999"), (2958466.0, "m/d/yyyy", None),
    (-1.0, "m/d/yyyy", None),
    # Not a date, time or fraction format: the number stays the number.
    (0.45, "0%", None), (1000.0, "General", None), (DEC_1, '@"\n\n"', None), (2.0, "0.##", None), (3.0, "", None),
    (1200.0, '[$$-409]#,##0', None), (1e3, "0.00E+00", None),
]


@pytest.mark.parametrize(("value", "code", "want"), CASES)
def test_a_number_shows_as_its_format_says(value: float | date | time | timedelta, code: str,
                                            want: str | None) -> None:
    assert shown(value, code) == want
