"""Code references inside instructional notes: '(E10.-)', '(O24.4-)', '(P70-P74)', '(Z79.4)'."""

from __future__ import annotations

import re
from dataclasses import dataclass

from encoder_app.codes import ICD10CM_DOTTED_SHAPE, normalize

_CODE = ICD10CM_DOTTED_SHAPE.pattern
_REF = re.compile(rf"\b({_CODE})(?:\s*-\s*({_CODE})\b|\.?-)?")


@dataclass(frozen=True)
class CodeReference:
    """A code a note points at, covering its children; or a range of categories."""

    first: str  # undotted
    last: str | None = None  # for ranges like P70-P74: the last category
    # "(E08-E13 with .42)": only the codes of the range that end this way (E08.42, E11.42...)
    suffix: str | None = None

    def covers(self, code: str) -> bool:
        return self.covers_stored(normalize(code))

    def covers_stored(self, c: str) -> bool:
        """covers() for a code already in the stored form (the hot path of every rule)."""
        if self.suffix and not c[3:].startswith(self.suffix):
            return False
        if self.last:  # a range: P70-P74 covers P70 to P74 and their children
            return self.first <= c[:len(self.first)] and c[:len(self.last)] <= self.last
        return c.startswith(self.first)


def references_in(text: str) -> list[CodeReference]:
    """Every code or range a note cites (only inside parentheses or brackets, as the book
    prints them, so words like 'E coli' are never mistaken for codes)."""
    refs = []
    for group in re.findall(r"[(\[]([^)\]]*)[)\]]", text):
        with_suffix = re.search(r"\bwith \.(\w+)", group)
        suffix = with_suffix.group(1).upper() if with_suffix else None
        for first, last in _REF.findall(group):
            refs.append(CodeReference(normalize(first), normalize(last) if last else None, suffix))
    return refs


@dataclass(frozen=True)
class Instruction:
    """One instruction as the book prints it: a lead-in and its items ("code to identify
    control using: insulin (Z79.4); oral antidiabetic drugs (Z79.84)"), or a single line."""

    kind: str
    at: str  # where it is printed
    text: str
    refs: tuple[CodeReference, ...]


def instructions(notes, kind: str) -> list[Instruction]:
    """The notes of one kind grouped into instructions. The book stores a note a line at a
    time; a line ending in ':' leads the lines after it at the same place, and any other line
    stands alone. A note is satisfied, or quoted, whole: the reminder to code insulin use at
    E11 is one instruction, the CKD stage at E11.22 another."""
    groups: list[list] = []
    for note in notes:
        if note.kind != kind:
            continue
        lead = groups[-1][0] if groups else None
        leads = note.text.rstrip().endswith(":")
        if (not leads and lead is not None and lead.at == note.at
                and lead.text.rstrip().endswith(":")):
            groups[-1].append(note)
        else:
            groups.append([note])
    found = []
    for group in groups:
        lead, items = group[0], group[1:]
        text = lead.text + (" " + "; ".join(n.text for n in items) if items else "")
        refs = tuple(r for n in group for r in references_in(n.text))
        found.append(Instruction(kind, lead.at, text, refs))
    return found
