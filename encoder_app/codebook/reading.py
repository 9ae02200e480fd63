"""Reading the codebook with plain SQL through the database's own driver (sqlite3, or sqlcipher3
for an encrypted database), for the search and the release timelines.

A search reads a few rows a query. Written with SQLAlchemy, those reads made a search from the
command line import SQLAlchemy first: a fifth of a second, more than the search itself. The
readers here take a DB-API connection: the window and the other commands get it from their
SQLAlchemy engine (``reading(engine)``); `encoder-app search` opens the file itself, read-only
(ReadOnlyCodebook), and never imports SQLAlchemy when nothing needs writing.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from encoder_app import settings
from encoder_app.codebook.schema_version import SCHEMA_VERSION
from encoder_app.encryption import SQLITE_HEADER

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

#: A database connection as its driver gives it (sqlite3.Connection or its SQLCipher twin).
DBAPIConnection = Any


class ReadOnlyCodebook:
    """A plain (unencrypted) SQLite codebook opened read-only with the standard library: what
    a search from the command line reads through when the index is current (cli/search_cmd)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        # mode=ro: this search never writes, not even by accident. The busy timeout is the
        # engine's (codebook/db.py): a WAL recovery by another encoder-app waits, not fails.
        self.connection = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                          timeout=10)

    def close(self) -> None:
        self.connection.close()


def open_read_only() -> ReadOnlyCodebook | None:
    """The user's database opened read-only, when it can be read as it is: a plain SQLite file
    of this schema version with the default codebook built. None when it cannot (missing,
    encrypted, not SQLite, an older schema, no codebook yet): opened the usual way
    (codebook/db.py), it is then created, upgraded, unlocked or built."""
    path = _sqlite_file(settings.database_url())
    if path is None or _first_bytes(path) != SQLITE_HEADER:
        return None
    codebook = None
    try:
        codebook = ReadOnlyCodebook(path)
        db = codebook.connection
        if rows(db, "SELECT version FROM schema_info") == [(SCHEMA_VERSION,)] and rows(
                db, "SELECT id FROM releases WHERE system = 'icd10cm' AND kind = 'tabular' "
                    "LIMIT 1"):
            return codebook
    except sqlite3.Error:
        pass
    if codebook is not None:
        codebook.close()
    return None


def _sqlite_file(url: str) -> Path | None:
    """The file of a plain 'sqlite:///path' URL; None for anything else (read the usual way)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or any(c in url for c in "?%") or url == prefix:
        return None
    return Path(url[len(prefix):])


def _first_bytes(path: Path) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(len(SQLITE_HEADER))
    except OSError:
        return b""


class ServerConnection:
    """A PostgreSQL driver connection read with the queries of this module's callers, written
    for sqlite3: "?" placeholders become psycopg's "%s" (and a literal "%" is doubled)."""

    def __init__(self, raw, database_key: str):
        self.raw = raw
        self.database_key = database_key  # what database_name() answers: caches key on it

    def execute(self, sql: str, params: Sequence = ()):
        cursor = self.raw.cursor()
        cursor.execute(sql.replace("%", "%%").replace("?", "%s"), tuple(params))
        return cursor


def _driver(conn: Connection) -> DBAPIConnection:
    raw = conn.connection.driver_connection
    if conn.dialect.name == "sqlite":
        return raw
    return ServerConnection(raw, conn.engine.url.render_as_string(hide_password=True))


@contextmanager
def reading(source: Engine | ReadOnlyCodebook) -> Iterator[DBAPIConnection]:
    """A driver connection to read with, from an SQLAlchemy engine (checked out of its pool
    for the block) or a ReadOnlyCodebook."""
    if isinstance(source, ReadOnlyCodebook):
        yield source.connection
        return
    with source.connect() as conn:
        yield _driver(conn)


def driver_connection(conn: Connection) -> DBAPIConnection:
    """The driver connection under an SQLAlchemy connection: what it reads, this reads too
    (the same transaction)."""
    return _driver(conn)


def rows(db: DBAPIConnection, sql: str, params: Sequence = ()) -> list[tuple]:
    return db.execute(sql, tuple(params)).fetchall()


def marks(values: Sequence) -> str:
    """The placeholders of an IN list: '?, ?, ?'."""
    return ", ".join("?" * len(values))


def date_of(value: str | dt.date | None) -> dt.date | None:
    """A Date column as SQLAlchemy stores it in SQLite ('2026-04-01')."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def datetime_of(value: str | dt.datetime | None) -> dt.datetime | None:
    """A DateTime column as SQLAlchemy stores it in SQLite ('2026-12-07 12:09:24.722258')."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.fromisoformat(value)


def database_name(db: DBAPIConnection) -> str:
    """The file a connection reads (empty for an in-memory database): caches kept per
    database are keyed by it."""
    if isinstance(db, ServerConnection):
        return db.database_key
    for _seq, name, file in db.execute("PRAGMA database_list"):
        if name == "main":
            return file or ""
    return ""
