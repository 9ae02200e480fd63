"""Opening the database: one engine per URL, SQLite tuned for bulk imports, schema migrated."""

from __future__ import annotations

import logging
from contextlib import nullcontext
from functools import lru_cache

from filelock import FileLock
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from encoder_app import settings
from encoder_app.data_lock import ServerUnavailable, server_named
from encoder_app.encryption import engine_options
from encoder_app.errors import SchemaMismatch
from encoder_app.file_modes import private_database

log = logging.getLogger(__name__)


def _tune_sqlite(dbapi_connection, _record) -> None:
    cur = dbapi_connection.cursor()
    # First, so the pragmas below wait too: a write (or the WAL recovery after a crash) by
    # another encoder-app makes this connection wait up to 10 s instead of failing at once with
    # "database is locked". Longer holders are imports, which take a lock of their own and
    # whose busy errors are reported as such (encoder_app/data_lock.py).
    cur.execute("PRAGMA busy_timeout=10000")
    # WAL: readers never block the writer and the writer never blocks readers, so a search, the
    # window or a second encoder-app keep reading the committed releases while an import writes
    # for a minute; and a crash or kill mid-import leaves the uncommitted frames in the -wal
    # file, which the next open discards: the database is as it was before that import.
    # synchronous=NORMAL is crash-safe with WAL (a kill loses nothing committed; only a power
    # cut may lose the last commits, never corrupt the file) and much faster for bulk imports.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA cache_size=-65536")
    cur.execute("PRAGMA temp_store=MEMORY")
    cur.close()


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """The engine for a database URL, with the schema created if the database is new."""
    # engine_options: none for a plain database; sqlcipher3 with the key for an encrypted one.
    options = engine_options(url)
    if not url.startswith("sqlite"):
        # A server restarted (or a network blip) leaves dead connections in the pool: each is
        # tried before use, so the first save after the server is back does not fail.
        options["pool_pre_ping"] = True
    engine = create_engine(url, future=True, **options)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _tune_sqlite)
        # Patient data: the file 0600 before SQLite creates it, its -wal/-shm once they exist.
        private_database(engine.url.database)
        event.listen(engine, "connect", lambda *_: private_database(engine.url.database),
                     once=True)
    # Two encoder-apps started at once on a new data folder would both see no tables and both
    # create them ("table schema_info already exists"): the schema is made under a lock file.
    with _schema_lock(engine):
        _create_schema(engine)
    return engine


def _schema_lock(engine: Engine):
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:" or database.startswith("file:"):
        return nullcontext()
    return FileLock(f"{database}.schema.lock", timeout=120, mode=0o600)


def _create_schema(engine: Engine) -> None:
    """Create or upgrade the schema with the migrations (codebook/migrate.py); refuse a database
    a newer encoder-app made, instead of failing later on a column this one does not know."""
    from encoder_app.codebook import migrate

    try:
        with server_named(engine, "open"):
            before, backup = migrate.upgrade(engine)
    except (SchemaMismatch, ServerUnavailable) as exc:
        log.warning("database %s refused: %s", _where(engine), exc)
        engine.dispose()
        engine_for.cache_clear()
        raise
    if before.pending:
        log.info("database %s: %s -> %s%s", _where(engine),
                 before.current or (f"schema {before.legacy_version}"
                                    if before.legacy_version else "new"),
                 before.head, f" (backup: {backup})" if backup else "")


def default_engine() -> Engine:
    return engine_for(settings.database_url())


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return sessionmaker(engine or default_engine(), expire_on_commit=False)


def _where(engine: Engine) -> str:
    """The database as the log names it: its URL without a password."""
    return engine.url.render_as_string(hide_password=True)
