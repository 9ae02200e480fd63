"""Runs imports: sniff each file, write it as one release in one transaction, report progress.

Every file is all or nothing: any failure rolls its transaction back and raises ImportFailed
naming the file and, where known, the row, line or element. Re-importing a file already loaded
(same content) is a no-op; a different file of the same release (same system, kind, version)
replaces the old one in the same transaction.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, delete, insert, select

from encoder_app.codebook.models import Release
from encoder_app.cycle_collection import cycle_collection_paused
from encoder_app.errors import BadRecord, EncoderError, ImportFailed
from encoder_app.importers import registry
from encoder_app.importers.base import ReleaseWriter, SourceFile
from encoder_app.importers.sources import expand
from encoder_app.progress import Progress


@dataclass
class ImportOutcome:
    """What happened to one file: imported, replaced, already loaded or skipped."""

    source: str
    status: str  # imported | replaced | unchanged | skipped
    format: str = ""
    release_id: int | None = None
    label: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    reason: str = ""

    def summary(self) -> str:
        if self.status == "skipped":
            return f"{self.source}: skipped ({self.reason})"
        if self.status == "unchanged":
            return f"{self.source}: already loaded as release #{self.release_id} ({self.label})"
        figures = ", ".join(f"{v:,} {k}" for k, v in sorted(self.counts.items()))
        verb = "replaced" if self.status == "replaced" else "imported"
        return (f"{self.source}: {verb} {self.format} as release #{self.release_id} "
                f"({self.label}): {figures} in {self.seconds:.1f} s")


class ImportJob:
    """An import of one or more paths; run() yields Progress, outcomes fill as files finish."""

    def __init__(self, paths: list[Path | str], engine: Engine,
                 effective_from: dt.date | None = None):
        self.paths = [Path(p) for p in paths]
        self.engine = engine
        self.effective_from = effective_from
        self.outcomes: list[ImportOutcome] = []

    def run(self) -> Iterator[Progress]:
        for source, direct in expand(self.paths):
            yield Progress(0, 0, f"Reading {source.name}")
            outcome = yield from self._import_one(source, direct)
            self.outcomes.append(outcome)

    def _import_one(self, source: SourceFile, direct: bool):
        mod = registry.importer_for(source)
        if mod is None:
            why = registry.not_a_release(source)
            if why or not direct:
                return ImportOutcome(source.name, "skipped",
                                     reason=why or "not a known release format")
            raise ImportFailed(source.name, None,
                               "is not a release format this app reads "
                               "(see `encoder-app import --help`)")
        started = dt.datetime.now()
        try:
            info = mod.release_info(source)
        except BadRecord as exc:
            raise ImportFailed(source.name, exc.where, exc.problem) from None
        if self.effective_from:
            info.effective_from = self.effective_from
        with self.engine.connect() as conn:
            same = conn.execute(select(Release).where(
                Release.sha256 == source.sha256, Release.kind == info.kind,
                Release.system == info.system)).first()
        if same is not None:
            return ImportOutcome(source.name, "unchanged", mod.FORMAT, same.id, same.label)

        status = "imported"
        try:
            with self.engine.begin() as conn:
                old = conn.execute(select(Release.id).where(
                    Release.system == info.system, Release.kind == info.kind,
                    Release.version == info.version)).scalars().all()
                if old:
                    status = "replaced"
                    conn.execute(delete(Release).where(Release.id.in_(old)))
                release_id = conn.execute(insert(Release).values(
                    system=info.system, kind=info.kind, version=info.version, label=info.label,
                    effective_from=info.effective_from, effective_to=info.effective_to,
                    source_file=source.name, sha256=source.sha256,
                    imported_at=dt.datetime.now(), counts_json="{}")).inserted_primary_key[0]
                writer = ReleaseWriter(conn, release_id)
                with cycle_collection_paused():
                    for step in mod.load(source, writer):
                        yield Progress(step.done, step.total, f"{source.name}: {step.label}")
                conn.execute(Release.__table__.update().where(Release.id == release_id)
                             .values(counts_json=writer.counts_json()))
        except BadRecord as exc:
            raise ImportFailed(source.name, exc.where, exc.problem) from None
        except ET.ParseError as exc:
            line, col = exc.position
            raise ImportFailed(source.name, f"line {line}, column {col}",
                               f"is not well-formed XML ({exc})") from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise ImportFailed(source.name, None, f"cannot be read as text: {exc}") from None
        except EncoderError:
            raise
        except Exception as exc:  # any other failure still rolls back and names the file
            # A database error's own text is enough; its statement and parameters are noise.
            detail = getattr(exc, "orig", None) or exc
            raise ImportFailed(source.name, None,
                               f"import failed: {type(detail).__name__}: {detail}") from exc
        seconds = (dt.datetime.now() - started).total_seconds()
        return ImportOutcome(source.name, status, mod.FORMAT, release_id, info.label,
                             json.loads(writer.counts_json()), seconds)


def import_paths(paths: list[Path | str], engine: Engine,
                 effective_from: dt.date | None = None) -> list[ImportOutcome]:
    """Import without progress reporting (tests, scripts)."""
    job = ImportJob(paths, engine, effective_from)
    for _ in job.run():
        pass
    return job.outcomes
