"""Cross-process locks for the long writers, and the error a writer gets while one holds the
database.

Two encoder-apps (a window and a terminal, or two terminals) may share one data folder. An import
holds SQLite's write lock for its whole transaction, up to a minute or more, and a search-index
build replaces the index folder; two of either at once would fail half-way. Each takes a lock
file first: the import lock beside the database, the index lock beside the index folder. The
lock is the operating system's (flock / LockFileEx through the `filelock` package), so a process
that crashes or is killed drops it at once: no stale lock files to clean up, ever.

A short writer (saving an encounter) takes no lock: SQLite's busy timeout (db.py) lets it wait
for another's commit, and when the other is a long import it gets `DatabaseBusy`, which says so.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from encoder_app import settings
from encoder_app.errors import EncoderError
from encoder_app.progress import Progress, Waiting

#: How long a second import or index build waits for the first before giving up, in seconds.
#: The environment variable overrides it (tests, or a user who would rather be refused at once).
WAIT_ENV = "ENCODER_APP_LOCK_WAIT"
DEFAULT_WAIT_SECONDS = 15 * 60
#: How often a waiting job looks again, and so how often it yields its "waiting" progress.
POLL_SECONDS = 0.25

IMPORTING = "another encoder-app is importing into this database"
WRITING = "another encoder-app is writing to it"
INDEXING = "another encoder-app is rebuilding the search index"


class DatabaseBusy(EncoderError):
    """Another encoder-app holds the database (or the search index) longer than we can wait."""


class ServerUnavailable(EncoderError):
    """The practice server cannot be reached (stopped, the network down): what was being
    written may or may not have reached it, and the same write may be tried again."""

    kept = None  # where the window kept what could not be saved, once it has


def wait_seconds() -> float:
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, DEFAULT_WAIT_SECONDS)))
    except ValueError:
        return DEFAULT_WAIT_SECONDS


def _duration(seconds: float) -> str:
    return f"{seconds / 60:.0f} minutes" if seconds >= 120 else f"{seconds:.0f} seconds"


class WriterLock:
    """One long writer at a time across processes, waited for with progress instead of blocking
    silently: `acquire()` is a generator to `yield from`, so a window stays responsive (and can
    cancel) while another encoder-app finishes."""

    def __init__(self, path: Path, holder: str):
        self.path = path
        self.holder = holder  # "another encoder-app is ...": what the wait is for
        self._lock = FileLock(str(path), mode=0o600)  # empty, but kept private like its folder

    def acquire(self) -> Generator[Progress, None, bool]:
        """Take the lock; returns True when another process had it and we waited.

        Raises DatabaseBusy when the other process holds it longer than wait_seconds()."""
        if self._try(0):
            return False
        deadline = time.monotonic() + wait_seconds()
        while True:
            yield Waiting(0, 0, f"{self.holder}; waiting...")
            if self._try(min(POLL_SECONDS, max(0.0, deadline - time.monotonic()))):
                return True
            if time.monotonic() >= deadline:
                raise DatabaseBusy(f"{self.holder} and has not finished after "
                                   f"{_duration(wait_seconds())}; try again when it "
                                   f"finishes (or close the other encoder-app)")

    def release(self) -> None:
        if self._lock.is_locked:
            self._lock.release()

    def held_elsewhere(self) -> bool:
        """True when another process (or another lock object here) holds the lock now."""
        if self._lock.is_locked:
            return False
        if self._try(0):
            self._lock.release()
            return False
        return True

    def _try(self, timeout: float) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._lock.acquire(timeout=timeout, poll_interval=min(0.05, timeout or 0.05))
        except Timeout:
            return False
        return True


def database_file(engine: Engine) -> Path | None:
    """The database's file, or None for an in-memory or server database."""
    if engine.dialect.name != "sqlite":
        return None
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file::memory:"):
        return None
    return Path(name)


def import_lock(engine: Engine) -> WriterLock:
    """The lock an import holds: beside the database file, so it follows the database even when
    ENCODER_APP_DB_URL puts it outside the data folder."""
    db = database_file(engine)
    path = db.with_name(db.name + ".import.lock") if db else settings.data_dir() / "import.lock"
    return WriterLock(path, IMPORTING)


def index_lock(folder: Path) -> WriterLock:
    """The lock a search-index build holds: beside the index folder (never inside it: the
    folder itself is replaced)."""
    return WriterLock(folder.with_name(folder.name + ".lock"), INDEXING)


# --- SQLite's "database is locked" as a message a coder can act on ---------------------------

_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED (extended codes keep these in the low byte)
_BUSY_TEXT = ("database is locked", "database table is locked", "database is busy")


def is_busy(exc: BaseException | None) -> bool:
    """True for SQLite's busy/locked failure, raw or wrapped by SQLAlchemy."""
    if isinstance(exc, OperationalError):
        exc = exc.orig
    if exc is None:
        return False
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+; sqlcipher3 has none
    if isinstance(code, int):
        return code & 0xFF in _BUSY_CODES
    # sqlcipher3 raises its own OperationalError class with SQLite's message
    return type(exc).__name__ == "OperationalError" and \
        any(text in str(exc).lower() for text in _BUSY_TEXT)


def busy_error(engine: Engine, what: str, holder: str | None = None) -> DatabaseBusy:
    """The error for a write that found the database held: says by whom when it knows (an
    importer passes WRITING: the holder cannot be an import, it holds the import lock itself)."""
    if holder is None:
        holder = IMPORTING if import_lock(engine).held_elsewhere() else WRITING
    when = "when it finishes" if holder == IMPORTING else "in a moment"
    return DatabaseBusy(f"{what}: the database is busy: {holder}; try again {when}")


def server_words(exc: BaseException) -> str:
    """What the server or the driver said, in one line ("connection refused", "password
    authentication failed for user ...")."""
    text = str(getattr(exc, "orig", exc)).strip()
    return text.splitlines()[0] if text else type(exc).__name__


@contextmanager
def server_named(engine: Engine, doing: str) -> Iterator[None]:
    """A server's OperationalError inside the block (it cannot be reached, it refuses the
    login) as ServerUnavailable: "could not {doing} the database on the server URL: what it
    said", the password hidden. SQLite's errors pass through."""
    try:
        yield
    except OperationalError as exc:
        if engine.dialect.name == "sqlite":
            raise
        raise ServerUnavailable(
            f"could not {doing} the database on the server "
            f"{engine.url.render_as_string(hide_password=True)}: {server_words(exc)}") from None


def unreachable(exc: BaseException) -> bool:
    """A server error that means the connection is gone (SQLSTATE class 08, an administrator's
    shutdown 57P01-57P03, or no server answer at all), not a refused statement."""
    if getattr(exc, "connection_invalidated", False):
        return True
    state = getattr(getattr(exc, "orig", exc), "sqlstate", None)
    return state is None or state.startswith("08") or state in ("57P01", "57P02", "57P03")


@contextmanager
def busy_as_error(engine: Engine, what: str) -> Iterator[None]:
    """Turn SQLite's "database is locked" inside the block into DatabaseBusy naming `what`
    ("the encounter was not saved"), and a server that cannot be reached into
    ServerUnavailable."""
    try:
        yield
    except (OperationalError, sqlite3.OperationalError) as exc:
        if engine.dialect.name != "sqlite" and unreachable(exc):
            url = engine.url
            raise ServerUnavailable(
                f"{what}: the server {url.host or 'local'}/{url.database} cannot be reached "
                f"({server_words(exc)})") from None
        if not is_busy(exc):
            raise
        raise busy_error(engine, what) from None
