"""CMS General Equivalence Mappings (GEMs) between ICD-10-CM and ICD-9-CM, both directions.

Two shapes are read, told apart by content:

* the official CMS text files (2018_I10gem.txt, 2018_I9gem.txt): one mapping a line, source
  code, target code and five flag digits separated by spaces (``A000    0010     00000``);
* the CSV form with a header naming the direction by its first two columns
  (``icd10cm,icd9cm,...`` is ICD-10-CM to ICD-9-CM) and the flags as a five-digit ``flags``
  column and/or split into ``approximate, no_map, combination, scenario, choice_list``.

For the text files the direction comes from the codes themselves: ICD-10-CM codes start with
a letter and a digit; ICD-9-CM diagnosis codes mostly start with a digit. The ICD-10-PCS
procedure GEMs (digits on both sides) are refused rather than loaded as diagnoses.

The five flags, in order: approximate, no map (target ``NoDx``), combination, scenario (0-9),
choice list (0-9). A no-map line is stored with no target.

Dating: a year in the file name is the GEM year, and GEMs of year Y serve fiscal year Y, from
October 1 of Y-1 (2018 GEMs from October 1, 2017). Without a year the version is "undated"
and the release starts on October 1, 2015, the day ICD-10-CM replaced ICD-9-CM;
``--effective-from`` overrides either.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator

from encoder_app.codebook.crosswalk_models import GemMapping
from encoder_app.codes import ICD10CM_SHAPE
from encoder_app.errors import BadRecord
from encoder_app.importers.base import ReleaseInfo, ReleaseWriter, SourceFile
from encoder_app.progress import Progress

FORMAT = "ICD-10-CM / ICD-9-CM General Equivalence Mappings"

TEN_TO_NINE, NINE_TO_TEN = "10to9", "9to10"
NO_MAP = "NODX"  # the target CMS writes when a code has no equivalent (NoDx)
ICD10_START = dt.date(2015, 10, 1)

_DIRECTION_WORDS = {TEN_TO_NINE: "ICD-10-CM to ICD-9-CM", NINE_TO_TEN: "ICD-9-CM to ICD-10-CM"}
_FLAG_COLUMNS = ("approximate", "no_map", "combination", "scenario", "choice_list")
_LINE = re.compile(r"\s*([A-Z0-9]{3,7})\s+([A-Z0-9]{3,7}|NoDx)\s+(\d{5})\s*", re.IGNORECASE)
_ICD9CM = re.compile(r"\d{3,5}|V\d{2,4}|E\d{3,4}")  # diagnoses: 250.00, V01.0, E800.0
_YEAR = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
_SAMPLE_LINES = 200


def _column(name: str) -> str:
    """'ICD-10-CM' -> 'icd10cm', 'No Map' -> 'no_map': CSV headers vary in case and spelling."""
    key = re.sub(r"[\s-]+", "_", name.strip().lower())
    key = key.replace("icd_10", "icd10").replace("icd_9", "icd9")
    return {"icd10": "icd10cm", "icd9": "icd9cm", "icd10_cm": "icd10cm", "icd9_cm": "icd9cm"}.get(
        key, key)


def _csv_direction(header: list[str]) -> str | None:
    keys = [_column(h) for h in header]
    if len(keys) < 3 or ("flags" not in keys and not set(_FLAG_COLUMNS) <= set(keys)):
        return None
    if keys[:2] == ["icd10cm", "icd9cm"]:
        return TEN_TO_NINE
    if keys[:2] == ["icd9cm", "icd10cm"]:
        return NINE_TO_TEN
    return None


def _text_direction(pairs: list[tuple[str, str]]) -> str | None:
    """Which way a fixed-width GEM maps, judged from its first lines; None if not diagnoses."""
    if not pairs:
        return None
    sources = [s.upper() for s, _ in pairs]
    targets = [t.upper() for _, t in pairs if t.upper() != NO_MAP]
    digit_sources = sum(1 for s in sources if s[0].isdigit())
    if digit_sources * 2 > len(sources) and all(ICD10CM_SHAPE.fullmatch(t) for t in targets):
        return NINE_TO_TEN
    if digit_sources == 0 and all(ICD10CM_SHAPE.fullmatch(s) for s in sources) and (
            sum(1 for t in targets if t[0].isdigit()) * 2 > len(targets)):
        return TEN_TO_NINE
    return None


def _whole_lines(source: SourceFile) -> list[str]:
    lines = source.head_text.splitlines()
    if len(source.head) == len(source.head.rstrip(b"\r\n")) and len(lines) > 1:
        lines = lines[:-1]  # the head may end inside a line
    return [line for line in lines if line.strip()]


def _direction(source: SourceFile) -> tuple[str, str] | None:
    """(direction, 'csv' or 'text') for a GEM file, else None."""
    lines = _whole_lines(source)
    if not lines:
        return None
    header = next(csv.reader([lines[0]]))
    direction = _csv_direction(header)
    if direction:
        return direction, "csv"
    sample = lines[:_SAMPLE_LINES]
    if not all(_LINE.fullmatch(line) for line in sample[:3]):
        return None
    matches = [m for m in map(_LINE.fullmatch, sample) if m]
    # Most lines must be GEM lines; a stray bad one is then reported by load with its number.
    if len(matches) * 4 < len(sample) * 3:
        return None
    direction = _text_direction([(m.group(1), m.group(2)) for m in matches])
    return (direction, "text") if direction else None


def sniff(source: SourceFile) -> bool:
    return _direction(source) is not None


def release_info(source: SourceFile) -> ReleaseInfo:
    found = _direction(source)
    if found is None:
        raise BadRecord("line 1", "is neither a GEM csv header nor a GEM text line")
    direction = found[0]
    words = _DIRECTION_WORDS[direction]
    year = _YEAR.search(source.base_name)
    if year is None:
        return ReleaseInfo("gem", f"gem_{direction}", "undated",
                           f"{words} GEMs (no year in the file name)", ICD10_START)
    gem_year = int(year.group(1))
    return ReleaseInfo("gem", f"gem_{direction}", str(gem_year), f"{words} GEMs {gem_year}",
                       dt.date(gem_year - 1, 10, 1))


def _flags(digits: str, where: str) -> tuple[bool, bool, bool, int, int]:
    if not re.fullmatch(r"\d{5}", digits):
        raise BadRecord(where, f"flags {digits!r} are not five digits")
    for name, digit in zip(_FLAG_COLUMNS[:3], digits[:3], strict=True):
        if digit not in "01":
            raise BadRecord(where, f"the {name} flag is {digit!r}, not 0 or 1")
    return digits[0] == "1", digits[1] == "1", digits[2] == "1", int(digits[3]), int(digits[4])


def _csv_lines(source: SourceFile) -> Iterator[tuple[str, str, str, str]]:
    """(where, source, target, five flag digits) for each row of the CSV form."""
    with source.open_text() as stream:
        reader = csv.reader(stream)
        keys = [_column(h) for h in next(reader)]
        flags_at = keys.index("flags") if "flags" in keys else None
        split_at = [keys.index(c) for c in _FLAG_COLUMNS] if set(_FLAG_COLUMNS) <= set(keys) else []
        for number, cells in enumerate(reader, start=2):
            if not any(c.strip() for c in cells):
                continue
            where = f"row {number}"
            cells = [c.strip() for c in cells]
            if len(cells) < len(keys):
                raise BadRecord(where, f"has {len(cells)} columns, the header has {len(keys)}")
            split = "".join(cells[i] for i in split_at)
            flags = cells[flags_at] if flags_at is not None else split
            if split and flags_at is not None and split != flags:
                raise BadRecord(where, f"flags {flags!r} disagree with the flag columns ({split})")
            yield where, cells[0], cells[1], flags


def _text_lines(source: SourceFile) -> Iterator[tuple[str, str, str, str]]:
    with source.open_text() as stream:
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            match = _LINE.fullmatch(line.rstrip("\r\n"))
            if match is None:
                raise BadRecord(f"line {number}", "is not 'source  target  flags' "
                                                  "(codes and five flag digits)")
            yield f"line {number}", match.group(1), match.group(2), match.group(3)


def load(source: SourceFile, writer: ReleaseWriter) -> Iterator[Progress]:
    found = _direction(source)
    if found is None:
        raise BadRecord("line 1", "is neither a GEM csv header nor a GEM text line")
    direction, shape = found
    lines = _csv_lines(source) if shape == "csv" else _text_lines(source)
    shapes = {TEN_TO_NINE: (("ICD-10-CM", ICD10CM_SHAPE), ("ICD-9-CM", _ICD9CM)),
              NINE_TO_TEN: (("ICD-9-CM", _ICD9CM), ("ICD-10-CM", ICD10CM_SHAPE))}[direction]
    rows: list[tuple] = []
    for where, code, target, flags in lines:
        code, target = code.upper().replace(".", ""), target.upper().replace(".", "")
        if not code:
            raise BadRecord(where, "has no source code")
        if not target:
            raise BadRecord(where, f"{code} has no target code (NoDx when there is none)")
        approximate, no_map, combination, scenario, choice = _flags(flags, where)
        if no_map != (target == NO_MAP):
            raise BadRecord(where, f"{code} -> {target}: the no-map flag is {int(no_map)}, "
                                   f"but the target is {'not ' if no_map else ''}NoDx")
        for (system, shape), value in zip(shapes, (code, None if no_map else target), strict=True):
            if value is not None and not shape.fullmatch(value):
                raise BadRecord(where, f"{value!r} is not an {system} diagnosis code")
        rows.append((writer.release_id, direction, code, None if no_map else target,
                     approximate, no_map, combination, scenario, choice))
        if len(rows) % 20000 == 0:
            yield Progress(0, 0, f"read {len(rows):,} mappings")
    if not rows:
        raise BadRecord("line 2", "the file holds no mappings")
    yield Progress(1, 2, "writing mappings")
    writer.insert_tuples(GemMapping.__table__, ["release_id", "direction", "source", "target",
                                                "approximate", "no_map", "combination",
                                                "scenario", "choice_list"], rows)
    writer.count("mappings", len(rows))
    writer.count("source codes", len({r[2] for r in rows}))
    writer.count("no map", sum(1 for r in rows if r[5]))
    yield Progress(2, 2, "done")
