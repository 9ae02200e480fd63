"""Queries that are codes or code prefixes ('E11.6', 'e116', 'S72.001', '0DTJ'), answered
straight from the database, shortest codes first."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, func, select

from encoder_app.codebook.models import Code
from encoder_app.codes import TYPED_CODE_PREFIX, dotted, normalize
from encoder_app.search.documents import HEADINGS, indexed_releases
from encoder_app.search.engine import Hit


def looks_like_code(query: str) -> bool:
    """One token with a digit in its first three characters: E11, e11.9, 0DTJ4ZZ, J3420."""
    q = query.strip()
    return (bool(TYPED_CODE_PREFIX.fullmatch(q)) and any(c.isdigit() for c in q[:3])
            and len(normalize(q)) >= 3)


def _next_prefix(prefix: str) -> str:
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def code_hits(engine: Engine, query: str, systems: Sequence[str], limit: int,
              billable_only: bool) -> list[Hit]:
    prefix = normalize(query)
    releases = indexed_releases(engine)
    stmt = (select(Code.system, Code.code, Code.title, Code.billable)
            .where(Code.code >= prefix, Code.code < _next_prefix(prefix),
                   Code.release_id.in_(releases), Code.system.in_(list(systems)),
                   Code.level.not_in(HEADINGS))
            .order_by(func.length(Code.code), Code.code).limit(limit * 4))
    if billable_only:
        stmt = stmt.where(Code.billable.is_(True))
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
    hits = []
    for system, code, title, billable in rows:
        exact = code == prefix
        score = 100.0 if exact else 50.0 / (1 + len(code) - len(prefix))
        hits.append(Hit(dotted(code, system), system, title, bool(billable), score,
                        "code" if exact else f"code prefix {dotted(prefix, system)}"))
    return hits[: limit * 2]
