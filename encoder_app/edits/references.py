"""Code references inside instructional notes: '(E10.-)', '(O24.4-)', '(P70-P74)', '(Z79.4)'."""

from __future__ import annotations

import re
from dataclasses import dataclass

from encoder_app.codes import normalize

_CODE = r"[A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?"
_REF = re.compile(rf"\b({_CODE})(?:\s*-\s*({_CODE})\b|\.?-)?")


@dataclass(frozen=True)
class CodeReference:
    """A code a note points at, covering its children; or a range of categories."""

    first: str  # undotted
    last: str | None = None  # for ranges like P70-P74: the last category
    # "(E08-E13 with .42)": only the codes of the range that end this way (E08.42, E11.42...)
    suffix: str | None = None

    def covers(self, code: str) -> bool:
        c = normalize(code)
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
