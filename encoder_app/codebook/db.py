"""Opening the database: one engine per URL, SQLite tuned for bulk imports, schema checked."""

from __future__ import annotations

import logging
from contextlib import nullcontext
from functools import lru_cache

from filelock import FileLock
from sqlalchemy import Engine, create_engine, event, insert, select
from sqlalchemy.orm import Session, sessionmaker

from encoder_app import settings
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
    engine = create_engine(url, future=True, **engine_options(url))
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
    from encoder_app.codebook.models import Base  # all tables registered by this import

    Base.metadata.create_all(engine)
    # create_all adds no index to a table that exists; indexes added in a later version are
    # created here so an older database gets them too.
    for table in Base.metadata.sorted_tables:
        for index in table.indexes:
            index.create(engine, checkfirst=True)
    _check_schema_version(engine)


def _check_schema_version(engine: Engine) -> None:
    """Stamp a new database; refuse one written by a different schema instead of failing later
    with a missing-column error in the middle of an import."""
    from encoder_app.codebook.models import ADDITIVE_UPGRADES, SCHEMA_VERSION, SchemaInfo

    with engine.begin() as conn:
        found = conn.execute(select(SchemaInfo.version)).scalar()
        if found is None:
            conn.execute(insert(SchemaInfo).values(version=SCHEMA_VERSION))
            log.info("new database %s: schema version %d", _where(engine), SCHEMA_VERSION)
            return
        if found < SCHEMA_VERSION and all(v in ADDITIVE_UPGRADES
                                          for v in range(found, SCHEMA_VERSION)):
            # Upgrades that only add tables: create_all above has made them; restamp.
            conn.execute(SchemaInfo.__table__.update().values(version=SCHEMA_VERSION))
            log.info("database %s upgraded from schema version %d to %d (tables added)",
                     _where(engine), found, SCHEMA_VERSION)
            return
    if found != SCHEMA_VERSION:
        log.warning("database %s refused: schema version %d, this version needs %d",
                    _where(engine), found, SCHEMA_VERSION)
        engine.dispose()
        engine_for.cache_clear()
        raise SchemaMismatch(
            f"the database {_where(engine)} has schema version "
            f"{found}, this encoder-app needs {SCHEMA_VERSION}. Open it with the encoder-app that "
            f"made it and export your encounters (JSON), then move the database aside; this "
            f"version builds a new one, and you re-import your release files and encounters.")


def default_engine() -> Engine:
    return engine_for(settings.database_url())


def session_factory(engine: Engine | None = None) -> sessionmaker[Session]:
    return sessionmaker(engine or default_engine(), expire_on_commit=False)


def _where(engine: Engine) -> str:
    """The database as the log names it: its URL without a password."""
    return engine.url.render_as_string(hide_password=True)
