"""What a search returns and the interface every search implementation offers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from encoder_app.progress import Progress

#: Systems a search can cover, in the order results from them are preferred on a tie.
SEARCH_SYSTEMS = ("icd10cm", "icd10pcs", "hcpcs", "cpt")


@dataclass(frozen=True)
class Hit:
    """One code found for a query, with why it matched."""

    code: str  # dotted
    system: str
    title: str
    billable: bool
    score: float
    matched: str  # what matched: "code", "title", "inclusion term", "index: ...", "synonym: ..."
    valid: bool | None = None  # for the date asked about; None when no date was given
    # For a code completed by a 7th character: every completion of its code (S72.301A, B, ...),
    # shown on this one row; for the billable child a header led to, the header's children;
    # empty for any other code.
    variants: tuple[str, ...] = ()
    # The header this row stands for (S72.301, E05.0) when ``variants`` are its codes.
    header: str = ""
    # For a HCPCS drug found with a dose ("Toradol 30 mg"): the units to report (J1885 per
    # 15 mg: 2); None otherwise.
    units: int | None = None
    # The day a code was terminated (ISO), when that is before the date asked about: J1030
    # shows a "terminated" badge, not only "not valid".
    terminated: str = ""

    def to_json(self) -> dict:
        out = {"code": self.code, "system": self.system, "title": self.title,
               "billable": self.billable, "score": round(self.score, 3),
               "matched": self.matched, "valid": self.valid}
        if self.variants:
            out["variants"] = list(self.variants)
            out["header"] = self.header
        if self.units is not None:
            out["units"] = self.units
        if self.terminated:
            out["terminated"] = self.terminated
        return out


class SearchEngine(Protocol):
    def search(self, query: str, systems: Sequence[str] = SEARCH_SYSTEMS,
               date: dt.date | None = None, limit: int = 20,
               billable_only: bool = False) -> list[Hit]:
        """Codes for what a coder typed, best first. The last word may be partial."""

    def is_current(self) -> bool:
        """False when the index is missing or older than the database's releases."""

    def rebuild(self) -> Iterator[Progress]:
        """Build the index from the database, yielding progress."""

    def ensure_current(self) -> Iterator[Progress]:
        """Rebuild the index only if it is missing or stale, yielding progress."""

    def document_count(self) -> int:
        """How many entries the index holds (loads it into memory if it is not yet)."""
