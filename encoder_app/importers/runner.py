"""Runs imports: sniff each file, write it as one release in one transaction, report progress.

Every file is all or nothing: any failure rolls its transaction back and raises ImportFailed
naming the file and, where known, the row, line or element. Re-importing a file already loaded
(same content) is a no-op. A different file of the same release (same system, kind, version)
replaces the old one only when the caller says so (`--replace`, or the window's question): the
file is loaded, its counts are compared with the loaded release's, and without that consent
the transaction is rolled back and the outcome shows both counts. A file with no records, or
with far fewer than every loaded release of its kind, is refused outright (release_size.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, delete, insert, select

from encoder_app.codebook.models import Release
from encoder_app.cycle_collection import cycle_collection_paused
from encoder_app.errors import BadRecord, EncoderError, ImportFailed
from encoder_app.importers import registry, release_size
from encoder_app.importers.base import ReleaseWriter, SourceFile
from encoder_app.importers.sources import expand
from encoder_app.progress import Progress
from encoder_app.users.acting import Who, require
from encoder_app.users.roles import IMPORT_RELEASES
from encoder_app.users.trail import record_changes

log = logging.getLogger(__name__)


@dataclass
class ImportOutcome:
    """What happened to one file: imported, replaced, already loaded or skipped."""

    source: str
    status: str  # imported | replaced | unchanged | skipped | needs_replace
    format: str = ""
    release_id: int | None = None
    label: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    reason: str = ""
    #: for needs_replace: the counts of the release that would be replaced
    old_counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        if self.status == "needs_replace":
            return (f"{self.source}: not imported: {self.label} is already loaded (release "
                    f"#{self.release_id}) from a different file; "
                    f"{count_difference(self.old_counts, self.counts)}. "
                    f"Nothing was changed; to replace it, import again with --replace.")
        if self.status == "skipped":
            return f"{self.source}: skipped ({self.reason})"
        if self.status == "unchanged":
            return f"{self.source}: already loaded as release #{self.release_id} ({self.label})"
        figures = ", ".join(f"{v:,} {k}" for k, v in sorted(self.counts.items()))
        verb = "replaced" if self.status == "replaced" else "imported"
        return (f"{self.source}: {verb} {self.format} as release #{self.release_id} "
                f"({self.label}): {figures} in {self.seconds:.1f} s")


#: ImportJob's ``who`` for the default codebook the app builds itself (default_build.py).
BUILT_IN = object()


class ImportJob:
    """An import of one or more paths; run() yields Progress, outcomes fill as files finish."""

    def __init__(self, paths: list[Path | str], engine: Engine,
                 effective_from: dt.date | None = None, replace: bool = False,
                 who: Who | object = None):
        self.paths = [Path(p) for p in paths]
        # Who imports (the command line's or the window's user): checked for the right to
        # import in each release's transaction, and named in the practice trail. None is this
        # desk's user (refused on a database with accounts); BUILT_IN only for the shipped
        # default codebook, which the app builds itself on a first start.
        self.who = who
        self.engine = engine
        self.effective_from = effective_from
        self.replace = replace
        self.outcomes: list[ImportOutcome] = []

    def run(self) -> Iterator[Progress]:
        from sqlalchemy.exc import OperationalError

        from encoder_app import data_lock

        # One import at a time per database, across processes: a second one waits here (with
        # a "waiting" progress) instead of failing on SQLite's write lock a minute in. A killed
        # importer's lock goes with its process.
        lock = data_lock.import_lock(self.engine)
        yield from lock.acquire()
        try:
            for source, direct in expand(self.paths):
                yield Progress(0, 0, f"Reading {source.name}")
                outcome = yield from self._import_one(source, direct)
                log.info("%s", outcome.summary())  # file names and counts: no patient data
                self.outcomes.append(outcome)
        except (ImportFailed, OperationalError) as exc:
            log.warning("not imported: %s", exc)
            # Another writer (a save that outlasted the busy timeout) held the database.
            cause = exc.__cause__ if isinstance(exc, ImportFailed) else exc
            if not data_lock.is_busy(cause):
                raise
            name = exc.source if isinstance(exc, ImportFailed) else "the import"
            raise data_lock.busy_error(self.engine, f"{name}: not imported",
                                       data_lock.WRITING) from None
        finally:
            lock.release()

    def _import_one(self, source: SourceFile, direct: bool):
        try:
            mod = registry.importer_for(source)
        except Exception as exc:  # a sniffer choking on a damaged file
            raise _named_failure(source, exc) from exc
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
            raise _named_failure(source, exc) from None
        except EncoderError:
            raise
        except Exception as exc:
            log.exception("reading the release facts of %s failed", source.name)
            raise _named_failure(source, exc) from exc
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
                user = None if self.who is BUILT_IN else require(conn, self.who,
                                                                 IMPORT_RELEASES)
                loaded = conn.execute(select(Release).where(
                    Release.system == info.system, Release.kind == info.kind)).all()
                old = [r for r in loaded if r.version == info.version]
                if old:
                    status = "replaced"
                    conn.execute(delete(Release).where(Release.id.in_([r.id for r in old])))
                release_id = conn.execute(insert(Release).values(
                    system=info.system, kind=info.kind, version=info.version, label=info.label,
                    effective_from=info.effective_from, effective_to=info.effective_to,
                    source_file=source.name, sha256=source.sha256,
                    imported_at=dt.datetime.now(), counts_json="{}")).inserted_primary_key[0]
                writer = ReleaseWriter(conn, release_id)
                with cycle_collection_paused():
                    for step in mod.load(source, writer):
                        yield Progress(step.done, step.total, f"{source.name}: {step.label}")
                records = release_size.check(mod, writer.counts, loaded)
                if records:
                    raise ImportFailed(source.name, None, records)
                if old and not self.replace:
                    raise _NeedsReplace(old[0], writer.counts)
                conn.execute(Release.__table__.update().where(Release.id == release_id)
                             .values(counts_json=writer.counts_json()))
                if user is not None:
                    record_changes(conn, user, [(f"release {info.label}", old[0].label
                                                 if old else None,
                                                 f"{status} from {source.name}")])
        except _NeedsReplace as refused:  # the transaction has rolled back: nothing changed
            return ImportOutcome(source.name, "needs_replace", mod.FORMAT, refused.old.id,
                                 refused.old.label, dict(refused.counts),
                                 old_counts=json.loads(refused.old.counts_json or "{}"))
        except BadRecord as exc:
            raise _named_failure(source, exc) from None
        except EncoderError:
            raise
        except Exception as exc:  # any other failure still rolls back and names the file
            log.exception("import of %s failed", source.name)  # the traceback, for a bug report
            raise _named_failure(source, exc) from exc
        seconds = (dt.datetime.now() - started).total_seconds()
        return ImportOutcome(source.name, status, mod.FORMAT, release_id, info.label,
                             json.loads(writer.counts_json()), seconds)


def _named_failure(source: SourceFile, exc: Exception) -> ImportFailed:
    """The one-line error for anything an importer raised while reading `source`."""
    if isinstance(exc, BadRecord):
        return ImportFailed(source.name, exc.where, exc.problem)
    if isinstance(exc, ET.ParseError):
        line, col = exc.position
        return ImportFailed(source.name, f"line {line}, column {col}",
                            f"is not well-formed XML ({exc})")
    if isinstance(exc, UnicodeDecodeError):
        return ImportFailed(source.name, f"byte {exc.start:,}",
                            f"cannot be read as text ({exc.encoding}: {exc.reason})")
    if isinstance(exc, csv.Error):
        return ImportFailed(source.name, None, f"cannot be read as text: {exc}")
    # A database error's own text is enough; its statement and parameters are noise.
    detail = getattr(exc, "orig", None) or exc
    return ImportFailed(source.name, None, f"import failed: {type(detail).__name__}: {detail}")


class _NeedsReplace(Exception):
    """Raised inside the import transaction to roll it back when consent to replace is missing."""

    def __init__(self, old, counts: dict[str, int]):
        self.old = old
        self.counts = counts


def count_difference(old: dict[str, int], new: dict[str, int]) -> str:
    """'8,033 codes loaded, 99 in this file (-7,934); ...' for every count either side has."""
    parts = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key, 0), new.get(key, 0)
        parts.append(f"{key}: {before:,} loaded, {after:,} in this file ({after - before:+,})")
        if len(parts) == 3:
            break
    return "; ".join(parts)


def import_paths(paths: list[Path | str], engine: Engine,
                 effective_from: dt.date | None = None,
                 replace: bool = False) -> list[ImportOutcome]:
    """Import without progress reporting (tests, scripts)."""
    job = ImportJob(paths, engine, effective_from, replace)
    for _ in job.run():
        pass
    return job.outcomes
