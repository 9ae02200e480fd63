"""Exercise sets: the cases an instructor writes for students, read from the JSON set format.

A set is ``{"format": "encoder-app/exercise-set", "version": 1, "title", "cases": [...]}``; each
case has an id, a prompt (the note the student codes from), a date of service, an answer key
(the required codes in the order a coder sequences them, optional codes that are accepted but
never required, and whether the first code must come first) and a rationale.

The reader collects every malformed field before it gives up, so an instructor fixes a set in
one pass: ``ExerciseSetInvalid`` carries them all, each naming the file, the case id and the
field. Whether the key codes are billable on each case's date is the codebook's question, asked
by ``validate.py``, not here.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from encoder_app.codes import (
    ICD10CM_DOTTED_SHAPE,
    MODIFIER_SHAPE,
    SHAPES,
    split_modifiers,
    systems_of,
)
from encoder_app.errors import LocatedError, ManyErrors
from encoder_app.json_file import read_json_file

FORMAT = "encoder-app/exercise-set"
VERSION = 1
SEQUENCES = ("none", "first")
#: The books a rationale's index path can lead through (as `encoder-app index` names them).
BOOKS = ("index", "eindex", "neoplasm", "drug")
BOOK_NAMES = {"index": "Alphabetic Index", "eindex": "External Cause Index",
              "neoplasm": "Neoplasm Table", "drug": "Drug Table"}
#: Limits past which a file is not a set a class works through (and a grader would crawl).
MAX_CASES = 2000
MAX_KEY_CODES = 40
MAX_TEXT = 8000
MAX_ID = 60
MAX_FILE_BYTES = 20_000_000
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class ExerciseSetError(LocatedError):
    """One malformed field of an exercise set: the file, the case and field, what is wrong."""


class ExerciseSetInvalid(ManyErrors):
    """Every problem found in one set, in file order."""


@dataclass(frozen=True)
class KeyCode:
    """A code of an answer key as the instructor wrote it, modifiers split off."""

    written: str  # 'L3908-RT', 'E11.22'
    code: str  # normalized: 'L3908', 'E1122'
    modifiers: tuple[str, ...] = ()

    @property
    def systems(self) -> tuple[str, ...]:
        """The code sets it may belong to, likeliest first. A key writes ICD-10-CM codes with
        their dot, so an undotted code that is also HCPCS-shaped (J1100) is read as HCPCS."""
        shapes = systems_of(self.written.split("-")[0])
        return shapes if "." in self.written else tuple(reversed(shapes))

    @classmethod
    def parse(cls, written: str) -> KeyCode:
        code, modifiers = split_modifiers(written)
        return cls(written.strip(), code, modifiers)


@dataclass(frozen=True)
class IndexPath:
    """Where in an index book the case's code is found: the path as `encoder-app index` prints
    it, and for the Neoplasm and Drug tables the column read."""

    book: str
    path: tuple[str, ...]
    column: str | None = None

    def __str__(self) -> str:
        where = " > ".join(self.path)
        return f"{where} [{self.column}]" if self.column else where

    @property
    def book_name(self) -> str:
        return BOOK_NAMES[self.book]


@dataclass(frozen=True)
class Rationale:
    text: str
    index: tuple[IndexPath, ...] = ()
    tabular: tuple[str, ...] = ()  # dotted codes whose notes decide the case
    guideline: str | None = None  # the Official Guidelines section(s): "I.C.4.a.3"


@dataclass(frozen=True)
class AnswerKey:
    codes: tuple[KeyCode, ...]
    optional: tuple[KeyCode, ...] = ()
    sequence: str = "none"


@dataclass(frozen=True)
class Case:
    id: str
    prompt: str
    date_of_service: dt.date
    answer: AnswerKey
    rationale: Rationale


@dataclass(frozen=True)
class ExerciseSet:
    name: str  # the file's stem: how `study` commands and stored attempts name the set
    title: str
    cases: tuple[Case, ...]
    description: str = ""
    source: str = ""  # the file read, for messages
    by_id: dict[str, Case] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self):
        self.by_id.update({c.id: c for c in self.cases})


class _Reader:
    """Walks a decoded set, noting each problem with its place instead of stopping there."""

    def __init__(self, source: str):
        self.source = source
        self.problems: list[LocatedError] = []

    def fail(self, where: str, problem: str) -> None:
        self.problems.append(ExerciseSetError(self.source, where, problem))

    def text(self, value: Any, where: str, required: bool = True, limit: int = MAX_TEXT) -> str:
        if value is None and not required:
            return ""
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(where, "must be a non-empty text" if required else "must be a text")
            return ""
        if len(value) > limit:
            self.fail(where, f"is {len(value):,} characters long; at most {limit:,}")
        if "\x00" in value:
            self.fail(where, "holds a NUL character")
        return value.strip()

    def date(self, value: Any, where: str) -> dt.date | None:
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value.strip()):
            self.fail(where, "must be a date written YYYY-MM-DD")
            return None
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            self.fail(where, f"{value.strip()} is not a date on the calendar")
            return None

    def code(self, value: Any, where: str) -> KeyCode | None:
        if not isinstance(value, str) or not value.strip():
            self.fail(where, "must be a code written as text, e.g. \"E11.9\" or \"L3908-RT\"")
            return None
        key = KeyCode.parse(value)
        dotted_part = value.split("-")[0].strip().upper()
        if "." in dotted_part:
            shaped = ICD10CM_DOTTED_SHAPE.fullmatch(dotted_part) is not None
        else:
            shaped = any(shape.fullmatch(key.code) for shape in SHAPES.values())
        if not shaped:
            self.fail(where, f"{value.strip()!r} is not shaped like a code of any code set")
            return None
        for modifier in key.modifiers:
            if not MODIFIER_SHAPE.fullmatch(modifier):
                self.fail(where, f"{value.strip()!r}: {modifier or 'an empty part'!r} is not a "
                                 "modifier (two letters or digits after a hyphen)")
                return None
        return key

    def codes(self, value: Any, where: str, required: bool) -> tuple[KeyCode, ...]:
        if value is None and not required:
            return ()
        if not isinstance(value, list) or (required and not value):
            self.fail(where, "must be a list of at least one code" if required
                      else "must be a list of codes")
            return ()
        if len(value) > MAX_KEY_CODES:
            self.fail(where, f"lists {len(value):,} codes; at most {MAX_KEY_CODES}")
            return ()
        found = [self.code(v, f"{where}[{i}]") for i, v in enumerate(value)]
        return tuple(k for k in found if k is not None)


def _case_place(case_id: str | None, index: int) -> str:
    return f"case {case_id}" if case_id else f"cases[{index}]"


def _index_path(r: _Reader, value: Any, where: str) -> IndexPath | None:
    if isinstance(value, str):
        value = {"book": "index", "path": value}
    if not isinstance(value, dict):
        r.fail(where, "must be an index path (text) or {\"book\", \"path\", \"column\"}")
        return None
    book = value.get("book", "index")
    if book not in BOOKS:
        r.fail(f"{where}.book", f"must be one of {', '.join(BOOKS)}")
        return None
    path = r.text(value.get("path"), f"{where}.path")
    column = value.get("column")
    if column is not None:
        column = r.text(column, f"{where}.column", limit=200)
    if not path:
        return None
    return IndexPath(book, tuple(p.strip() for p in path.split(" > ")), column or None)


def _rationale(r: _Reader, value: Any, where: str) -> Rationale:
    if isinstance(value, str):  # a plain explanation is a rationale too
        return Rationale(r.text(value, where))
    if not isinstance(value, dict):
        r.fail(where, "must be a text or an object with \"text\", \"index\", \"tabular\", "
                      "\"guideline\"")
        return Rationale("")
    text = r.text(value.get("text"), f"{where}.text")
    index = value.get("index", [])
    if not isinstance(index, list):
        r.fail(f"{where}.index", "must be a list of index paths")
        index = []
    paths = [_index_path(r, p, f"{where}.index[{i}]") for i, p in enumerate(index)]
    tabular = r.codes(value.get("tabular"), f"{where}.tabular", required=False)
    guideline = value.get("guideline")
    guideline = r.text(guideline, f"{where}.guideline", limit=300) if guideline else None
    return Rationale(text, tuple(p for p in paths if p), tuple(k.written for k in tabular),
                     guideline or None)


def _answer(r: _Reader, value: Any, where: str) -> AnswerKey:
    if not isinstance(value, dict):
        r.fail(where, "must be an object with \"codes\", \"optional\" and \"sequence\"")
        return AnswerKey(())
    codes = r.codes(value.get("codes"), f"{where}.codes", required=True)
    optional = r.codes(value.get("optional"), f"{where}.optional", required=False)
    sequence = value.get("sequence", "none")
    if sequence not in SEQUENCES:
        r.fail(f"{where}.sequence", f"must be \"none\" or \"first\", not {sequence!r}")
        sequence = "none"
    seen: set[tuple[str, tuple[str, ...]]] = set()
    for i, key in enumerate(codes):
        if (key.code, key.modifiers) in seen:
            r.fail(f"{where}.codes[{i}]", f"{key.written} is listed twice")
        seen.add((key.code, key.modifiers))
    for i, key in enumerate(optional):
        if (key.code, key.modifiers) in seen:
            r.fail(f"{where}.optional[{i}]", f"{key.written} is also a required code")
    return AnswerKey(codes, optional, sequence)


def _case(r: _Reader, value: Any, index: int) -> Case | None:
    if not isinstance(value, dict):
        r.fail(f"cases[{index}]", "must be an object with \"id\", \"prompt\", "
                                  "\"date_of_service\", \"answer\", \"rationale\"")
        return None
    raw_id = value.get("id")
    case_id = raw_id.strip() if isinstance(raw_id, str) else None
    if not case_id or len(case_id) > MAX_ID or not _ID.fullmatch(case_id):
        r.fail(f"cases[{index}].id", f"must be letters, digits, '.', '_' or '-', at most "
                                     f"{MAX_ID} characters")
        case_id = None
    place = _case_place(case_id, index)
    before = len(r.problems)
    prompt = r.text(value.get("prompt"), f"{place}: prompt")
    day = r.date(value.get("date_of_service"), f"{place}: date_of_service")
    answer = _answer(r, value.get("answer"), f"{place}: answer")
    rationale = _rationale(r, value.get("rationale"), f"{place}: rationale")
    if len(r.problems) > before or case_id is None or day is None:
        return None
    return Case(case_id, prompt, day, answer, rationale)


def parse_exercise_set(data: Any, source: str, name: str) -> ExerciseSet:
    """The set in ``data`` (decoded JSON); ExerciseSetInvalid lists every malformed field."""
    r = _Reader(source)
    if not isinstance(data, dict):
        r.fail("$", "must be a JSON object (an exercise set)")
        raise ExerciseSetInvalid(r.problems)
    if data.get("format") != FORMAT:
        r.fail("format", f"must be {FORMAT!r}: this is not an exercise set")
        raise ExerciseSetInvalid(r.problems)
    if data.get("version") != VERSION:
        r.fail("version", f"is {data.get('version')!r}; this encoder-app reads version "
                          f"{VERSION}")
        raise ExerciseSetInvalid(r.problems)
    title = r.text(data.get("title"), "title", limit=200)
    description = r.text(data.get("description"), "description", required=False)
    raw_cases = data.get("cases")
    cases: list[Case] = []
    if not isinstance(raw_cases, list) or not raw_cases:
        r.fail("cases", "must be a list of at least one case")
    elif len(raw_cases) > MAX_CASES:
        r.fail("cases", f"lists {len(raw_cases):,} cases; a set holds at most {MAX_CASES:,}")
    else:
        seen: dict[str, int] = {}
        for i, raw in enumerate(raw_cases):
            raw_id = raw.get("id") if isinstance(raw, dict) else None
            if isinstance(raw_id, str) and raw_id.strip() in seen:
                r.fail(f"case {raw_id.strip()}: id",
                       f"is also the id of cases[{seen[raw_id.strip()]}]")
                continue
            if isinstance(raw_id, str):
                seen[raw_id.strip()] = i
            case = _case(r, raw, i)
            if case is not None:
                cases.append(case)
    if r.problems:
        raise ExerciseSetInvalid(r.problems)
    return ExerciseSet(name, title, tuple(cases), description, source)


def load_exercise_set(path: Path | str) -> ExerciseSet:
    """The set in a file; every problem names the file, the case id and the field."""
    path = Path(path)
    try:
        data = read_json_file(path, ExerciseSetError, max_bytes=MAX_FILE_BYTES)
    except ExerciseSetError as exc:
        raise ExerciseSetInvalid([exc]) from None
    return parse_exercise_set(data, path.name, set_name(path))


def set_name(path: Path | str) -> str:
    """How a set file is named in commands and stored attempts: its file name's stem."""
    return Path(path).stem
