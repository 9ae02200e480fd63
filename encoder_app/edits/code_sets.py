"""Sets of ICD-10-CM codes as the guidelines and the Tabular write them: a category ("I50"), a
subcategory ("I51.89"), a range of either ("I51.4-I51.7", "V00-Y99"), less some exceptions
("Z00" except "Z00.6")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from encoder_app.codes import normalize
from encoder_app.edits.references import CodeReference


def _reference(text: str) -> CodeReference:
    first, _, last = text.partition("-")
    return CodeReference(normalize(first).rstrip("-"), normalize(last) if last else None)


@dataclass(frozen=True)
class CodeSet:
    """Codes covered by any of `items` and by none of `excepted` (both as written: "I50",
    "I51.4-I51.7")."""

    items: tuple[CodeReference, ...]
    excepted: tuple[CodeReference, ...] = ()

    @classmethod
    def of(cls, items: Iterable[str], excepted: Iterable[str] = ()) -> CodeSet:
        return cls(tuple(_reference(i) for i in items), tuple(_reference(e) for e in excepted))

    def covers(self, code: str) -> bool:
        return self.covers_stored(normalize(code))

    def covers_stored(self, c: str) -> bool:
        """covers() for a code already in the stored form ('E1122')."""
        return (any(r.covers_stored(c) for r in self.items)
                and not any(r.covers_stored(c) for r in self.excepted))

    def positions(self, codes: Sequence[str]) -> list[int]:
        """Where on the claim (0-based) the codes this set covers stand; `codes` in the stored
        form, as `diagnosis_codes` gives them."""
        return [i for i, code in enumerate(codes) if self.covers_stored(code)]

    def includes_reference(self, ref: CodeReference) -> bool:
        """Whether every code a note's reference points at is in the set ("N18.1-N18.4" is in
        "N18"), so a rule over this set says all the note says."""
        if ref.suffix:
            return False
        ends = [ref.first] + ([ref.last] if ref.last else [])
        return all(any(r.covers(end) for r in self.items) for end in ends) and not any(
            r.covers(end) or CodeReference(end).covers(r.first)
            for r in self.excepted for end in ends)
