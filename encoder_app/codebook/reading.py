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


@contextmanager
def reading(source: Engine | ReadOnlyCodebook) -> Iterator[DBAPIConnection]:
    """A driver connection to read with, from an SQLAlchemy engine (checked out of its pool
    for the block) or a ReadOnlyCodebook."""
    if isinstance(source, ReadOnlyCodebook):
        yield source.connection
        return
    with source.connect() as conn:
        yield conn.connection.driver_connection


def driver_connection(conn: Connection) -> DBAPIConnection:
    """The driver connection under an SQLAlchemy connection: what it reads, this reads too
    (the same transaction)."""
    return conn.connection.driver_connection


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
    for _seq, name, file in db.execute("PRAGMA database_list"):
        if name == "main":
            return file or ""
    return ""
