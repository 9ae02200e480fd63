"""CMS's list of ICD-10-CM codes exempt from present-on-admission (POA) reporting.

CMS publishes it each fiscal year (and with the April update) as POAexemptCodes<when>.txt,
tab-delimited, beside an .xlsx of the same rows: an order number ("Order2021", "OrdApr23"), the
code ("POAexemptCode", undotted) and its long title ("Description"). The columns are found by
name, so a CSV saved from the spreadsheet reads too. Only the codes are kept; the titles are
the Tabular List's.

The zip also holds lists of the codes added, deleted and revised since the year before
(POAexemptAddCodes..., POAexemptDeleteCodes..., POAexemptReviseCodes...): those are skipped
with a reason, since only the full list says which codes are exempt.

The file says when it applies only in its name (and the order column's): "2021" or "FY26" is
the fiscal year (from October 1 of the year before), "Apr23" the April update. Without either
the list is dated to the current fiscal year and says so, unless imported with
--effective-from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from encoder_app.codebook.reference_models import PoaExemptCode
from encoder_app.codes import ICD10CM_SHAPE, normalize
from encoder_app.errors import BadRecord
from encoder_app.importers.base import ReleaseInfo, ReleaseWriter, SourceFile
from encoder_app.importers.ncci_common import Header, column, find_header, open_table
from encoder_app.progress import Progress

FORMAT = "POA exempt code list"
SYSTEM = "poa"
KIND = "exempt"

_APRIL = re.compile(r"apr(?:il)?[-_ ]?(\d{4}|\d{2})(?!\d)", re.IGNORECASE)
_FISCAL_YEAR = re.compile(r"(?:fy[-_ ]?(\d{4}|\d{2})(?!\d))|(?<!\d)(20\d{2})(?!\d)", re.IGNORECASE)


#: The zip's other lists (codes added, deleted, revised since last year) have the same columns
#: but are changes, not the list: importing "deleted" codes as exempt would be wrong.
CHANGE_LIST = re.compile(r"poaexempt(add|delete|revise)codes", re.IGNORECASE)


def _is_header(cells: Header) -> bool:
    return any(c.replace(" ", "").replace("_", "") == "poaexemptcode" for c in cells)


def is_change_list(source: SourceFile) -> bool:
    return bool(CHANGE_LIST.search(source.base_name))


def sniff(source: SourceFile) -> bool:
    return not is_change_list(source) and find_header(source, _is_header) is not None


def _year(digits: str) -> int:
    return int(digits) if len(digits) == 4 else 2000 + int(digits)


def when_from(text: str) -> tuple[dt.date, str] | None:
    """(first date of service, label) a name such as POAexemptCodesApr23 or ...2021 gives."""
    if m := _APRIL.search(text):
        year = _year(m.group(1))
        return dt.date(year, 4, 1), f"April {year} update (FY{year})"
    if m := _FISCAL_YEAR.search(text):
        year = _year(m.group(1) or m.group(2))
        return dt.date(year - 1, 10, 1), f"FY{year}"
    return None


def release_info(source: SourceFile) -> ReleaseInfo:
    found = when_from(source.base_name)
    if found is None:
        header = find_header(source, _is_header)
        order = header[1][0] if header else ""  # "order2021", "ordapr23"
        found = when_from(order)
    if found is not None:
        start, words = found
        return ReleaseInfo(SYSTEM, KIND, start.isoformat(),
                           f"POA exempt codes, {words}", start)
    today = dt.date.today()
    start = dt.date(today.year if today.month >= 10 else today.year - 1, 10, 1)
    return ReleaseInfo(SYSTEM, KIND, f"undated-{source.sha256[:8]}",
                       f"POA exempt codes (no year such as '2026' or 'Apr26' in the file name: "
                       f"dated {start:%Y-%m-%d} unless imported with --effective-from)", start)


def load(source: SourceFile, writer: ReleaseWriter) -> Iterator[Progress]:
    codes: dict[str, int] = {}
    with open_table(source, _is_header, "POAexemptCode") as (reader, header):
        at = next(i for i, c in enumerate(header) if _is_header([c]))
        described = column(header, "description")
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            where = f"row {reader.line_num}"
            if len(row) <= at:
                raise BadRecord(where, f"has {len(row)} columns; the POAexemptCode column is "
                                       f"column {at + 1}")
            raw = row[at].strip()
            code = normalize(raw)
            if not ICD10CM_SHAPE.fullmatch(code):
                title = f" ({row[described].strip()})" if described is not None \
                    and described < len(row) else ""
                raise BadRecord(where, f"POAexemptCode {raw!r}{title} is not an ICD-10-CM code")
            codes.setdefault(code, reader.line_num)  # a code listed twice is one exemption
    if not codes:
        raise BadRecord("row 2", "the list has a header but no codes")
    yield Progress(0, len(codes), "writing POA exempt codes")
    writer.insert(PoaExemptCode.__table__,
                  ({"release_id": writer.release_id, "code": c} for c in codes))
    writer.count("codes", len(codes))
    yield Progress(len(codes), len(codes), "done")
