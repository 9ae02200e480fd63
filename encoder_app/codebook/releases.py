"""Which releases are loaded and which one is in effect for a date of service."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from encoder_app.codebook.reading import (
    DBAPIConnection,
    ReadOnlyCodebook,
    database_name,
    date_of,
    datetime_of,
    driver_connection,
    reading,
    rows,
)

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine


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


_COLUMNS = ("id, system, kind, version, label, effective_from, effective_to, source_file, "
            "sha256, imported_at, counts_json")


def _with_end_dates(found: list[tuple]) -> list[ReleaseSummary]:
    """Releases from their rows (_COLUMNS), each closed the day before the next one of the
    same system and kind begins."""
    releases = [ReleaseSummary(id_, system, kind, version, label, date_of(start), date_of(end),
                               source, sha256, datetime_of(imported), json.loads(counts or "{}"))
                for (id_, system, kind, version, label, start, end, source, sha256, imported,
                     counts) in found]
    out = []
    for i, r in enumerate(releases):
        end = r.effective_to
        later = [n for n in releases[i + 1:]
                 if n.kind == r.kind and n.effective_from > r.effective_from]
        if later:
            day_before_next = later[0].effective_from - dt.timedelta(days=1)
            end = day_before_next if end is None else min(end, day_before_next)
        out.append(r if end == r.effective_to else dataclasses.replace(r, effective_to=end))
    return out


def list_releases(engine: Engine | ReadOnlyCodebook,
                  system: str | None = None) -> list[ReleaseSummary]:
    """Every loaded release, by system, kind and effective date."""
    where, params = ("WHERE system = ? ", (system,)) if system else ("", ())
    with reading(engine) as db:
        found = rows(db, f"SELECT {_COLUMNS} FROM releases {where}"
                         "ORDER BY system, kind, effective_from", params)
    return _with_end_dates(found)


# By the codes' own system: an HCPCS workbook release also carries Level II modifiers.
_TIMELINE = (f"SELECT {_COLUMNS} FROM releases WHERE EXISTS (SELECT * FROM codes WHERE "
             "codes.release_id = releases.id AND codes.system = ?) ORDER BY effective_from")
# Any import or replace changes the count or the newest id, so this pair keys the cache.
_GENERATION = "SELECT count(id), max(id) FROM releases"
_timelines: dict[tuple, list[ReleaseSummary]] = {}


def code_timeline(conn: Connection, system: str) -> list[ReleaseSummary]:
    """The releases of a system that carry codes (not index or edit lists), oldest first."""
    return timeline(driver_connection(conn), system)


def timeline(db: DBAPIConnection, system: str) -> list[ReleaseSummary]:
    """code_timeline on a driver connection (codebook/reading.py).

    Cached per database and release generation: lookups run on every keystroke.
    """
    generation = tuple(rows(db, _GENERATION)[0])
    key = (database_name(db), system, generation)
    if key not in _timelines:
        if len(_timelines) > 64:
            _timelines.clear()
        _timelines[key] = _with_end_dates(rows(db, _TIMELINE, (system,)))
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


def release_caveat(engine: Engine | ReadOnlyCodebook, system: str, day: dt.date) -> str:
    """What a coder must know once about judging codes of a system on a date: the date is past
    the newest loaded release, before the earliest, or between two ("" when one covers it)."""
    with reading(engine) as db:
        effect = in_effect(timeline(db, system), day)
    return (effect.caveat or "") if effect else ""
