"""Dates of a fiscal-year release (ICD-10-CM, ICD-10-PCS): October 1 to September 30, or the
mid-year update date CDC writes in the file name (icd10cm-tabular-April-1-2026.xml)."""

from __future__ import annotations

import datetime as dt
import re

from encoder_app.errors import BadRecord
from encoder_app.importers.base import SourceFile

#: ICD-10-CM and ICD-10-PCS releases began with FY2016; a year outside this span is a typing
#: slip or a damaged file (<version>0001</version> would make the year before it year 0).
FIRST_YEAR, LAST_YEAR = 2014, 2099

_MONTHS = ("january february march april may june july august september october november "
           "december").split()
_DATE_IN_NAME = re.compile(r"(" + "|".join(_MONTHS) + r")[-_ ]?(\d{1,2})[-_, ]+(\d{4})",
                           re.IGNORECASE)


def fiscal_year_dates(source: SourceFile, year: int) -> tuple[dt.date, dt.date, str]:
    """(first day, last day, label suffix) of the release of fiscal year `year` in this file.

    FY `year` starts October 1 of the year before and ends September 30; a dated update
    (April 1) starts on its own date. The suffix reads " (April 1, 2026 update)" or "".
    """
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise BadRecord("<version>", f"{year:04d} is not a fiscal year of an ICD-10 release "
                                     f"(expected {FIRST_YEAR} to {LAST_YEAR})")
    start = dt.date(year - 1, 10, 1)
    end = dt.date(year, 9, 30)
    named = _DATE_IN_NAME.search(source.base_name)
    if named:
        month = _MONTHS.index(named.group(1).lower()) + 1
        try:
            named_date = dt.date(int(named.group(3)), month, int(named.group(2)))
        except ValueError:
            named_date = None  # "February-30" in a renamed file: keep the fiscal-year start
        if named_date and named_date.month != 10:
            return named_date, end, f" ({named_date:%B} {named_date.day}, {named_date.year} update)"
        if named_date:
            start = named_date
    return start, end, ""
