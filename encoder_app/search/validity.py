"""Marks search hits valid or not for a date of service, valid ones first."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, NamedTuple

from encoder_app.codebook.reading import ReadOnlyCodebook, date_of, marks, reading, rows
from encoder_app.codebook.releases import in_effect, timeline
from encoder_app.codes import normalize
from encoder_app.search.engine import Hit

if TYPE_CHECKING:
    from sqlalchemy import Engine


class _CodeDates(NamedTuple):
    code: str
    billable: bool
    added_on: dt.date | None
    effective_on: dt.date | None
    terminated_on: dt.date | None


def mark_validity(engine: Engine | ReadOnlyCodebook, hits: list[Hit], date: dt.date | None,
                  billable_only: bool = False, keep_order: bool = False) -> list[Hit]:
    """With a date: each hit says whether it may be reported then; invalid ones sink (or are
    left out with billable_only), unless ``keep_order`` (a typed code prefix lists the book's
    order: E11.6 before E11.65). Without a date, hits are returned as they are."""
    if date is None or not hits:
        return hits
    rows: dict[str, dict] = {}
    with reading(engine) as db:
        for system in sorted({h.system for h in hits}):
            effect = in_effect(timeline(db, system), date)
            keys = [normalize(h.code) for h in hits if h.system == system]
            rows[system] = {} if effect is None else {r.code: r for r in _dates(
                db, effect.release.id, keys)}
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


def _dates(db, release_id: int, keys: list[str]) -> list[_CodeDates]:
    found = rows(db, "SELECT code, billable, added_on, effective_on, terminated_on FROM codes "
                     f"WHERE release_id = ? AND code IN ({marks(keys)})", [release_id, *keys])
    return [_CodeDates(code, billable, date_of(added), date_of(effective), date_of(terminated))
            for code, billable, added, effective, terminated in found]


def _valid(row, date: dt.date) -> bool:
    if row is None or not row.billable:
        return False
    start = row.added_on or row.effective_on
    if start and date < start:
        return False
    return not (row.terminated_on and date > row.terminated_on)
