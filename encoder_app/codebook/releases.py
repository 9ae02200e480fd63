"""Which releases are loaded and which one is in effect for a date of service."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, bindparam, exists, func, select

from encoder_app.codebook.models import Code, Release


@dataclass(frozen=True)
class ReleaseSummary:
    id: int
    system: str
    kind: str
    version: str
    label: str
    effective_from: dt.date
    effective_to: dt.date | None  # stated by the source, or the day before the next release
    source_file: str
    sha256: str
    imported_at: dt.datetime
    counts: dict[str, int] = field(default_factory=dict)

    def covers(self, day: dt.date) -> bool:
        ended = self.effective_to is not None and day > self.effective_to
        return self.effective_from <= day and not ended

    def to_json(self) -> dict:
        return {
            "id": self.id, "system": self.system, "kind": self.kind, "version": self.version,
            "label": self.label, "effective_from": self.effective_from.isoformat(),
            "effective_to": self.effective_to.isoformat() if self.effective_to else None,
            "source_file": self.source_file, "sha256": self.sha256,
            "imported_at": self.imported_at.isoformat(timespec="seconds"), "counts": self.counts,
        }


@dataclass(frozen=True)
class InEffect:
    """The release that answers for a date, and a caveat when it only does so by default."""

    release: ReleaseSummary
    caveat: str | None = None


def _with_end_dates(rows: list[Release]) -> list[ReleaseSummary]:
    """Close each release the day before the next one of the same system and kind begins."""
    out = []
    for i, r in enumerate(rows):
        end = r.effective_to
        later = [n for n in rows[i + 1:]
                 if n.kind == r.kind and n.effective_from > r.effective_from]
        if later:
            day_before_next = later[0].effective_from - dt.timedelta(days=1)
            end = day_before_next if end is None else min(end, day_before_next)
        out.append(ReleaseSummary(r.id, r.system, r.kind, r.version, r.label, r.effective_from,
                                  end, r.source_file, r.sha256, r.imported_at,
                                  json.loads(r.counts_json or "{}")))
    return out


def list_releases(engine: Engine, system: str | None = None) -> list[ReleaseSummary]:
    """Every loaded release, by system, kind and effective date."""
    query = select(Release).order_by(Release.system, Release.kind, Release.effective_from)
    if system:
        query = query.where(Release.system == system)
    with engine.connect() as conn:
        rows = list(conn.execute(query))
    return _with_end_dates(rows)


# By the codes' own system: an HCPCS workbook release also carries Level II modifiers.
_TIMELINE = (select(Release).where(exists().where(Code.release_id == Release.id,
                                                  Code.system == bindparam("system")))
             .order_by(Release.effective_from))
# Any import or replace changes the count or the newest id, so this pair keys the cache.
_GENERATION = select(func.count(Release.id), func.max(Release.id))
_timelines: dict[tuple, list[ReleaseSummary]] = {}


def code_timeline(conn: Connection, system: str) -> list[ReleaseSummary]:
    """The releases of a system that carry codes (not index or edit lists), oldest first.

    Cached per database and release generation: lookups run on every keystroke.
    """
    generation = tuple(conn.execute(_GENERATION).one())
    key = (str(conn.engine.url), system, generation)
    if key not in _timelines:
        if len(_timelines) > 64:
            _timelines.clear()
        _timelines[key] = _with_end_dates(list(conn.execute(_TIMELINE, {"system": system})))
    return _timelines[key]


def in_effect(timeline: list[ReleaseSummary], day: dt.date) -> InEffect | None:
    """The release in effect on a date of service, falling back with a caveat at either end."""
    if not timeline:
        return None
    covering = [r for r in timeline if r.covers(day)]
    if covering:
        return InEffect(covering[-1])
    if day < timeline[0].effective_from:
        first = timeline[0]
        return InEffect(first, f"{day} is before the earliest loaded release ({first.label}, "
                               f"from {first.effective_from}); answered from it")
    before = [r for r in timeline if r.effective_from <= day]
    prev = before[-1]
    if prev is timeline[-1]:
        return InEffect(prev, f"{day} is after the newest loaded release ({prev.label}) ended "
                              f"on {prev.effective_to}; a newer release may be in effect: "
                              f"answered from it")
    nxt = timeline[len(before)]
    return InEffect(prev, f"no loaded release covers {day} ({prev.label} ended "
                          f"{prev.effective_to}, {nxt.label} starts {nxt.effective_from}); "
                          f"answered from {prev.label}")
