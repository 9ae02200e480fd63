"""Queries that are codes or code prefixes ('E11.6', 'e116', 'S72.001', '0DTJ'), answered
straight from the database, shortest codes first."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from encoder_app.codebook.reading import ReadOnlyCodebook, marks, reading, rows
from encoder_app.codes import TYPED_CODE_PREFIX, dotted, normalize
from encoder_app.search.engine import Hit
from encoder_app.search.indexed import HEADINGS, indexed_releases

if TYPE_CHECKING:
    from sqlalchemy import Engine


def looks_like_code(query: str) -> bool:
    """One token with a digit in its first three characters: E11, e11.9, 0DTJ4ZZ, J3420."""
    q = query.strip()
    return (bool(TYPED_CODE_PREFIX.fullmatch(q)) and any(c.isdigit() for c in q[:3])
            and len(normalize(q)) >= 3)


def _next_prefix(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def code_hits(engine: Engine | ReadOnlyCodebook, query: str, systems: Sequence[str], limit: int,
              billable_only: bool) -> list[Hit]:
    prefix = normalize(query)
    releases = indexed_releases(engine)
    systems = list(systems)
    sql = (f"SELECT system, code, title, billable FROM codes WHERE code >= ? AND code < ? "
           f"AND release_id IN ({marks(releases)}) AND system IN ({marks(systems)}) "
           f"AND level NOT IN ({marks(HEADINGS)})"
           f"{' AND billable = TRUE' if billable_only else ''} "
           f"ORDER BY length(code), code LIMIT ?")
    with reading(engine) as db:
        found = rows(db, sql, [prefix, _next_prefix(prefix), *releases, *systems, *HEADINGS,
                               limit * 4])
    hits = []
    for system, code, title, billable in found:
        exact = code == prefix
        score = 100.0 if exact else 50.0 / (1 + len(code) - len(prefix))
        hits.append(Hit(dotted(code, system), system, title, bool(billable), score,
                        "code" if exact else f"code prefix {dotted(prefix, system)}"))
    return hits[: limit * 2]
