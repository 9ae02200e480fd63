"""Marks search hits valid or not for a date of service, valid ones first."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import Engine, select

from encoder_app.codebook.models import Code
from encoder_app.codebook.releases import code_timeline, in_effect
from encoder_app.codes import normalize
from encoder_app.search.engine import Hit


def mark_validity(engine: Engine, hits: list[Hit], date: dt.date | None,
                  billable_only: bool = False, keep_order: bool = False) -> list[Hit]:
    """With a date: each hit says whether it may be reported then; invalid ones sink (or are
    left out with billable_only), unless ``keep_order`` (a typed code prefix lists the book's
    order: E11.6 before E11.65). Without a date, hits are returned as they are."""
    if date is None or not hits:
        return hits
    rows: dict[str, dict] = {}
    with engine.connect() as conn:
        for system in sorted({h.system for h in hits}):
            effect = in_effect(code_timeline(conn, system), date)
            keys = [normalize(h.code) for h in hits if h.system == system]
            rows[system] = {} if effect is None else {r.code: r for r in conn.execute(
                select(Code.code, Code.billable, Code.added_on, Code.effective_on,
                       Code.terminated_on).where(Code.release_id == effect.release.id,
                                                 Code.code.in_(keys)))}
    marked = []  # in the order given
    for hit in hits:
        row = rows[hit.system].get(normalize(hit.code))
        ended = row is not None and row.terminated_on and date > row.terminated_on
        marked.append(dataclasses.replace(
            hit, valid=_valid(row, date),
            terminated=row.terminated_on.isoformat() if ended else ""))
    if not keep_order:  # a stable sort: equals keep the order given
        marked.sort(key=lambda h: (not h.valid, -h.score))
    if billable_only:
        marked = [h for h in marked if h.valid]
    return marked


def _valid(row, date: dt.date) -> bool:
    if row is None or not row.billable:
        return False
    start = row.added_on or row.effective_on
    if start and date < start:
        return False
    return not (row.terminated_on and date > row.terminated_on)
