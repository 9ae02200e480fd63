"""The synonym and abbreviation list search ships: what coders and clinicians type ("htn",
"afib", "broken hip", "w/o") and the words of the official code sets it stands for.

The list is a tab-separated file with a header line ``term  expansions  codes  note``:

- ``term``: what a user types, lower case; may hold spaces or ``/ - & ' .`` ("n/v", "pink eye").
- ``expansions``: one or more official-vocabulary phrases separated by ``|``.
- ``codes``: the codes typing the term alone should find, separated by ``|``; ``-`` for word
  rewrites that are not searches on their own ("w", "lt", "bilat"). ICD-10-CM codes are written
  dotted (``I48.91``) or as 3 characters (``I10``); HCPCS Level II as a letter and 4 digits
  (``E0114``, never confused with ``E11.40``); ICD-10-PCS as 7 characters (``0SRC0J9``).
- ``note``: the kind of entry, one of :data:`NOTES`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from encoder_app.codes import (
    HCPCS,
    HCPCS_SHAPE,
    ICD10CM,
    ICD10CM_DOTTED_SHAPE,
    ICD10PCS,
    ICD10PCS_SHAPE,
)
from encoder_app.errors import LocatedError

FILE_NAME = "synonyms.tsv"
HEADER = ("term", "expansions", "codes", "note")

#: Kinds of entry. Connector and anatomy entries rewrite a word and list no codes; every other
#: kind lists the codes its term should find.
NOTES = ("abbreviation", "lay", "connector", "anatomy", "procedure", "supply", "drug-class")
REWRITE_ONLY = frozenset({"connector", "anatomy"})
NO_CODES = "-"

_TERM = re.compile(r"[a-z0-9/&'.+-]+(?: [a-z0-9/&'.+-]+)*")
# ICD-10-CM is written as 3 characters, or dotted after the 3rd; HCPCS Level II and ICD-10-PCS
# as stored (encoder_app.codes). An undotted "E1140" is therefore HCPCS (a wheelchair), never
# E11.40.
_CODE_SHAPES = (
    (ICD10CM, ICD10CM_DOTTED_SHAPE),
    (HCPCS, HCPCS_SHAPE),
    (ICD10PCS, ICD10PCS_SHAPE),
)


class SynonymFileError(LocatedError):
    """The synonym list is missing or malformed; names the file and the line."""

    def __init__(self, path: Path | str, line: int | None, problem: str):
        self.path, self.line = str(path), line
        super().__init__(self.path, f"line {line}" if line is not None else None, problem)


def code_system(code: str) -> str | None:
    """The code set a code in the list is written for, from its shape, or None if it has none:
    'I48.91' and 'I10' -> icd10cm, 'G0008' -> hcpcs, '0SRC0J9' -> icd10pcs."""
    for system, shape in _CODE_SHAPES:
        if shape.fullmatch(code):
            return system
    return None


@dataclass(frozen=True)
class Synonym:
    term: str
    expansions: tuple[str, ...]
    codes: tuple[str, ...]  # as written in the file: ICD-10-CM dotted
    note: str
    line: int = 0  # where it is in the file, for messages

    @property
    def is_phrase(self) -> bool:
        """More than one word: to be found in a query before it is split into words."""
        return " " in self.term

    def codes_in(self, system: str) -> tuple[str, ...]:
        return tuple(c for c in self.codes if code_system(c) == system)


class SynonymList:
    """The parsed list, in file order, with lookups by what a user typed."""

    def __init__(self, entries: list[Synonym], path: Path | str | None = None):
        self.entries = list(entries)
        self.path = path
        self._by_term = {e.term: e for e in self.entries}

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[Synonym]:
        return iter(self.entries)

    def __contains__(self, term: object) -> bool:
        return isinstance(term, str) and normalize_term(term) in self._by_term

    def get(self, term: str) -> Synonym | None:
        return self._by_term.get(normalize_term(term))

    def expansions_for(self, term: str) -> tuple[str, ...]:
        """What a typed term stands for: 'HTN' -> ('hypertension', 'hypertensive'); () if none."""
        entry = self.get(term)
        return entry.expansions if entry else ()

    def codes_for(self, term: str) -> tuple[str, ...]:
        entry = self.get(term)
        return entry.codes if entry else ()

    def multiword_terms(self) -> list[str]:
        """Terms of more than one word, longest first (most words, then most characters), so a
        query is matched against 'broken hip' before 'broken'."""
        phrases = [e.term for e in self.entries if e.is_phrase]
        return sorted(phrases, key=lambda t: (-t.count(" "), -len(t), t))

    def by_note(self, note: str) -> list[Synonym]:
        return [e for e in self.entries if e.note == note]


def normalize_term(text: str) -> str:
    """How terms are compared: lower case, single spaces, no spaces at the ends."""
    return " ".join(text.lower().split())


def synonyms_path() -> Path:
    """Where the shipped list is: the top-level ``codebooks/`` folder in a checkout, or its
    installed copy (pyproject maps ``codebooks/`` to the package ``encoder_app.codebooks``)."""
    in_checkout = Path(__file__).resolve().parents[2] / "codebooks" / FILE_NAME
    if in_checkout.is_file():
        return in_checkout
    return Path(str(resources.files("encoder_app.codebooks").joinpath(FILE_NAME)))


def load_synonyms(path: Path | str | None = None) -> SynonymList:
    """Read and check the list (the shipped one unless a path is given)."""
    path = Path(path) if path is not None else synonyms_path()
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise SynonymFileError(path, None, "the synonym list is missing") from None
    except UnicodeDecodeError as exc:
        raise SynonymFileError(path, None, f"not UTF-8 text ({exc.reason})") from None
    return SynonymList(parse_synonyms(text.splitlines(), path), path)


def parse_synonyms(lines: list[str], source: Path | str = FILE_NAME) -> list[Synonym]:
    """The entries of a list's lines (the header first); raises SynonymFileError at the first
    bad line."""
    if not lines or tuple(c.strip() for c in lines[0].split("\t")) != HEADER:
        found = lines[0] if lines else "an empty file"
        raise SynonymFileError(source, 1, f"the first line must be the header "
                                          f"{'<TAB>'.join(HEADER)!r}, found {found!r}")
    entries: list[Synonym] = []
    first_seen: dict[str, int] = {}
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        entry = _parse_line(line, number, source)
        if entry.term in first_seen:
            raise SynonymFileError(source, number, f"duplicate term {entry.term!r} "
                                                   f"(first on line {first_seen[entry.term]})")
        first_seen[entry.term] = number
        entries.append(entry)
    return entries


def _parse_line(line: str, number: int, source: Path | str) -> Synonym:
    def bad(problem: str) -> SynonymFileError:
        return SynonymFileError(source, number, problem)

    cells = line.split("\t")
    if len(cells) != len(HEADER):
        raise bad(f"expected {len(HEADER)} tab-separated columns "
                  f"({', '.join(HEADER)}), found {len(cells)}")
    term, expansions, codes, note = (c.strip() for c in cells)
    if not term:
        raise bad("empty term")
    if term != normalize_term(term) or not _TERM.fullmatch(term):
        raise bad(f"term {term!r} must be lower case letters, digits, single spaces "
                  f"and / & ' . + - only")
    parts = tuple(p.strip() for p in expansions.split("|"))
    if not expansions or any(not p for p in parts):
        raise bad(f"term {term!r}: empty expansion (expansions are separated by '|')")
    if not all(re.search(r"\w", p) for p in parts):
        raise bad(f"term {term!r}: an expansion has no words")
    if len(set(parts)) != len(parts):
        raise bad(f"term {term!r}: an expansion is listed twice")
    if note not in NOTES:
        raise bad(f"term {term!r}: note {note!r} is not one of {', '.join(NOTES)}")
    if codes == NO_CODES:
        listed: tuple[str, ...] = ()
    else:
        listed = tuple(c.strip() for c in codes.split("|"))
        for code in listed:
            if code_system(code) is None:
                raise bad(f"term {term!r}: {code!r} is not code-shaped (ICD-10-CM dotted like "
                          f"I48.91 or I10, HCPCS like G0008, ICD-10-PCS like 0SRC0J9)")
        if len(set(listed)) != len(listed):
            raise bad(f"term {term!r}: a code is listed twice")
    if note in REWRITE_ONLY and listed:
        raise bad(f"term {term!r}: a {note} entry rewrites words and lists no codes; "
                  f"write '{NO_CODES}'")
    if note not in REWRITE_ONLY and not listed:
        raise bad(f"term {term!r}: a {note} entry lists the codes it should find "
                  f"('{NO_CODES}' is for connector and anatomy entries)")
    return Synonym(term, parts, listed, note, number)
