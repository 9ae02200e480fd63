"""HCPCS Level II codes from the CMS alpha-numeric (ANWEB) file, as the .xlsx CMS ships or as .csv.

Columns are found by their CMS names (HCPC, LONG DESCRIPTION, SHORT DESCRIPTION, ADD DT,
ACT EFF DT, TERM DT, ...), in any order and with ``_`` or spaces between words, below any
disclaimer rows CMS puts above the header in some years. Every other column (PRICE1, MULT_PI,
CIM1, MCM1, STATUTE, LABCERT1, XREF1, COV, ASC_GRP, BETOS, TOS1, ACTION CD, ...) is kept in the
code's ``extra_json`` under its CMS name.

Older files split a long description over several records (SEQNUM / RECID): RECID 3 starts a
procedure, 7 starts a modifier, 4 and 8 continue the one above with the same HCPC. Continuation
text is appended to the description. Modifier records (RECID 7, or a two-character HCPC when
there is no RECID column) are stored as system ``hcpcs_modifier``, level ``modifier``, in the same
release, so a workbook that carries both loses neither.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from encoder_app.codebook.models import Code
from encoder_app.codes import HCPCS, HCPCS_MODIFIER, HCPCS_SHAPE, MODIFIER_SHAPE
from encoder_app.errors import BadRecord
from encoder_app.importers.base import ReleaseInfo, ReleaseWriter, SourceFile, parse_yyyymmdd
from encoder_app.importers.sources import too_big
from encoder_app.progress import Progress

FORMAT = "HCPCS Level II (CMS ANWEB)"

# Columns that become Code fields; every other column goes to extra_json.
CODE, SEQNUM, RECID = "HCPC", "SEQNUM", "RECID"
LONG, SHORT = "LONG DESCRIPTION", "SHORT DESCRIPTION"
ADDED, EFFECTIVE, TERMINATED = "ADD DT", "ACT EFF DT", "TERM DT"
_OWN_COLUMNS = {CODE, SEQNUM, RECID, LONG, SHORT, ADDED, EFFECTIVE, TERMINATED}

# RECID values of the ANWEB record layout: first record of a procedure / modifier, continuation.
_FIRST = {"3": "procedure", "7": "modifier"}
_CONTINUES = {"4": "procedure", "8": "modifier"}

_HEADER_SEARCH_ROWS = 25  # CMS puts up to ~10 disclaimer rows above the header in some years

_MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
# HCPC2024_JUL_ANWEB.xlsx, HCPC2020_APRIL_ANWEB_w_disclaimer_v5.xlsx, HCPC2017_CONTR_ANWEB.xlsx
_CMS_NAME = re.compile(r"HCPC(\d{4})(?:_([A-Z]{3})[A-Z]*)?", re.IGNORECASE)
# the zip CMS ships: july-2024-alpha-numeric-hcpcs-file.zip
_ZIP_NAME = re.compile(rf"(?<![a-z])({'|'.join(_MONTHS)})[a-z]*[-_ ]?(\d{{4}})", re.IGNORECASE)


def _column_key(name: str) -> str:
    """'Act_Eff_Dt ' -> 'ACT EFF DT': CMS has used both spellings over the years."""
    return re.sub(r"[\s_]+", " ", name.strip().upper())


def _cell_text(value: object) -> str:
    """A spreadsheet cell as the text CMS meant: 19850101 not 19850101.0, dates as YYYYMMDD."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y%m%d")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _is_header(cells: list[str]) -> bool:
    keys = {_column_key(c) for c in cells}
    return CODE in keys and LONG in keys


def _decode(data: bytes) -> str:
    """UTF-8 as CMS writes it, else Windows-1252 as Excel's 'Save as CSV' writes it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise BadRecord(f"byte {exc.start:,}", f"byte 0x{data[exc.start]:02X} is neither UTF-8 "
                                               f"nor Windows-1252 text") from None


def _delimiter(lines: list[str]) -> str:
    """Comma, tab or bar, judged on the header line (disclaimer lines above it may differ)."""
    line = next((x for x in lines[:_HEADER_SEARCH_ROWS] if CODE in x.upper()), lines[0])
    return max(",\t|", key=line.count)


def _is_xlsx(source: SourceFile) -> bool:
    return source.head[:4] == b"PK\x03\x04"


def _sheet_rows(source: SourceFile) -> list[Iterator[list[str]]]:
    """Each worksheet of a workbook as a lazy stream of rows of cell text (row 1 first)."""
    import openpyxl  # only xlsx sources need it; keeps text imports light

    with source.open_binary() as stream:
        data = stream.read()  # openpyxl needs a seekable file; a gzip or zip member is not always
    _check_parts(data)
    try:
        # Not closed explicitly: the row streams read from it lazily, and it holds only memory.
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise BadRecord("workbook", f"cannot be opened as an .xlsx workbook ({exc})") from None
    streams = []
    for sheet in book.worksheets:
        sheet.reset_dimensions()  # some generated workbooks state too small a sheet size
        streams.append([_cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True))
    return streams


def _check_parts(data: bytes) -> None:
    """openpyxl unpacks a workbook's parts whole: refuse a part that would unpack to gigabytes
    (a workbook inside a zip is not checked when the zip is opened)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            for info in book.infolist():
                why = too_big(info.compress_size, info.file_size)
                if why:
                    raise BadRecord(f"workbook part {info.filename}", why)
    except zipfile.BadZipFile as exc:
        raise BadRecord("workbook", f"cannot be opened as an .xlsx workbook ({exc})") from None


def _text_rows(text: str) -> Iterator[list[str]]:
    delimiter = _delimiter(text[:65536].splitlines() or [""])
    return ([c.strip() for c in row] for row in csv.reader(io.StringIO(text), delimiter=delimiter))


def _table(source: SourceFile) -> tuple[list[str], int, Iterator[list[str]]]:
    """(header, header row number, the rows after it) of the sheet or text holding the codes."""
    if _is_xlsx(source):
        sheets = _sheet_rows(source)
    else:
        with source.open_binary() as stream:
            sheets = iter([_text_rows(_decode(stream.read()))])
    for rows in sheets:
        for number, cells in enumerate(rows, start=1):
            if _is_header(cells):
                return cells, number, rows
            if number >= _HEADER_SEARCH_ROWS:
                break
    raise BadRecord("header", f"no header row with {CODE} and {LONG} columns in the first "
                              f"{_HEADER_SEARCH_ROWS} rows")


def sniff(source: SourceFile) -> bool:
    if _is_xlsx(source):
        try:
            with source.open_binary() as stream, zipfile.ZipFile(io.BytesIO(stream.read())) as z:
                if "xl/workbook.xml" not in z.namelist():
                    return False
            _table(source)
        except Exception:  # any workbook this module cannot read is some other format's file
            return False
        return True
    # Only whole lines of the head: the last one may be cut off.
    lines = source.head_text.splitlines()[:_HEADER_SEARCH_ROWS]
    if not lines:
        return False
    reader = csv.reader(lines, delimiter=_delimiter(lines))
    return any(_is_header([c.strip() for c in row]) for row in reader)


@dataclass
class _Record:
    """One code, its continuation text gathered, as the file's rows state it."""

    row: int
    code: str
    kind: str  # procedure | modifier
    long: list[str]
    short: str
    added: dt.date | None
    effective: dt.date | None
    terminated: dt.date | None
    extra: dict[str, str] = field(default_factory=dict)


def _records(source: SourceFile) -> Iterator[_Record]:
    header, header_row, rows = _table(source)
    keys = [_column_key(h) for h in header]
    index = {k: i for i, k in enumerate(keys) if k}
    extra_columns = [(header[i].strip(), i) for i, k in enumerate(keys)
                     if k and k not in _OWN_COLUMNS]
    has_recid, has_seqnum = RECID in index, SEQNUM in index
    current: _Record | None = None
    seen: dict[str, int] = {}

    def cell(cells: list[str], key: str) -> str:
        i = index.get(key)
        return cells[i] if i is not None and i < len(cells) else ""

    for number, cells in enumerate(rows, start=header_row + 1):
        if not any(cells):
            continue  # blank lines at the end of a sheet
        where = f"row {number}"
        code = cell(cells, CODE).upper()
        if not code:
            raise BadRecord(where, f"has no {CODE} code")
        recid = cell(cells, RECID)
        if has_recid:
            if recid not in _FIRST and recid not in _CONTINUES:
                raise BadRecord(where, f"{RECID} {recid!r} of {code} is not 3, 4, 7 or 8")
            continues = recid in _CONTINUES
            kind = _FIRST.get(recid) or _CONTINUES[recid]
        else:
            # Without RECID, a repeated HCPC with its own SEQNUM can only be a continuation.
            continues = has_seqnum and current is not None and current.code == code
            kind = "modifier" if len(code) == 2 else "procedure"
        if continues:
            if current is None or current.code != code or current.kind != kind:
                raise BadRecord(where, f"continues the description of {code}, but the record "
                                       f"above is not {code}")
            current.long.append(cell(cells, LONG))
            continue
        if current is not None:
            yield current
        shape = MODIFIER_SHAPE if kind == "modifier" else HCPCS_SHAPE
        if not shape.fullmatch(code):
            what = "two letters or digits" if kind == "modifier" else "a letter and four digits"
            raise BadRecord(where, f"{CODE} {code!r} is not a Level II {kind} code ({what})")
        if code in seen:
            raise BadRecord(where, f"{CODE} {code} is listed twice (first at row {seen[code]})")
        seen[code] = number
        current = _Record(
            row=number, code=code, kind=kind, long=[cell(cells, LONG)],
            short=cell(cells, SHORT),
            added=parse_yyyymmdd(cell(cells, ADDED), where, ADDED),
            effective=parse_yyyymmdd(cell(cells, EFFECTIVE), where, EFFECTIVE),
            terminated=parse_yyyymmdd(cell(cells, TERMINATED), where, TERMINATED),
            extra={name: cells[i] for name, i in extra_columns if i < len(cells) and cells[i]})
    if current is not None:
        yield current


def _date_in_name(name: str) -> dt.date | None:
    """The release's first day from a CMS file name; a year alone is the January release."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    cms = _CMS_NAME.search(base)
    if cms:
        month = cms.group(2).upper() if cms.group(2) else "JAN"
        if month in _MONTHS:
            return dt.date(int(cms.group(1)), _MONTHS.index(month) + 1, 1)
        return dt.date(int(cms.group(1)), 1, 1)  # HCPC2017_CONTR_ANWEB: the annual file
    zipped = _ZIP_NAME.search(name)
    if zipped:
        return dt.date(int(zipped.group(2)), _MONTHS.index(zipped.group(1).upper()[:3]) + 1, 1)
    return None


def release_info(source: SourceFile) -> ReleaseInfo:
    effective = _date_in_name(source.name)
    how = ""
    if effective is None:
        # No date in the name: the quarter is the latest ACT EFF DT any code carries.
        latest = max((r.effective for r in _records(source) if r.effective), default=None)
        if latest is None:
            raise BadRecord(EFFECTIVE, "the file name has no year and month (HCPC2024_JUL_ANWEB) "
                                       "and no code has an ACT EFF DT; give --effective-from")
        effective = latest.replace(day=1)
        how = " (date from the latest ACT EFF DT)"
    label = f"HCPCS Level II {effective:%B %Y}{how}"
    return ReleaseInfo(HCPCS, "anweb", f"{effective:%Y-%m}", label, effective)


def _title(record: _Record) -> str:
    title = " ".join(" ".join(record.long).split())
    if not title:
        raise BadRecord(f"row {record.row}", f"{record.code} has no {LONG}")
    return title


def load(source: SourceFile, writer: ReleaseWriter) -> Iterator[Progress]:
    yield Progress(0, 0, "reading HCPCS codes")
    rows: list[dict] = []
    for seq, record in enumerate(_records(source), start=1):
        modifier = record.kind == "modifier"
        rows.append(dict(
            release_id=writer.release_id, system=HCPCS_MODIFIER if modifier else HCPCS,
            code=record.code, level="modifier" if modifier else "code", title=_title(record),
            short_title=record.short or None, billable=True, seq=seq,
            added_on=record.added, effective_on=record.effective,
            terminated_on=record.terminated,
            extra_json=json.dumps(record.extra, ensure_ascii=False) if record.extra else None))
        if len(rows) % 2000 == 0:
            yield Progress(0, 0, f"read {len(rows):,} codes")
    if not rows:
        raise BadRecord("header", "no codes below the header")
    yield Progress(1, 2, "writing codes")
    writer.insert(Code.__table__, rows)
    codes = [r for r in rows if r["level"] == "code"]
    writer.count("codes", len(codes))
    writer.count("terminated", sum(1 for r in codes if r["terminated_on"]))
    if len(codes) != len(rows):
        writer.count("modifiers", len(rows) - len(codes))
    yield Progress(2, 2, "done")
