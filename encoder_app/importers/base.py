"""What every importer is given and gives back: the source file, release facts and a writer.

An importer only knows its format. The runner (runner.py) finds the file, picks the importer
by sniffing content, opens the one transaction and turns failures into ImportFailed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import count
from typing import IO, Protocol

from sqlalchemy import Connection, Table, func, insert, select

from encoder_app.progress import Progress

BATCH = 5000


@dataclass
class SourceFile:
    """One release file, on disk or inside a zip, possibly gzip-compressed."""

    name: str  # what error messages call it: the file name, or zip-name/member-name
    open_binary: Callable[[], IO[bytes]]  # a fresh, decompressed stream each call
    sha256: str
    size: int
    head: bytes  # the first bytes, decompressed, for sniffing

    def open_text(self, encoding: str = "utf-8-sig") -> IO[str]:
        return io.TextIOWrapper(self.open_binary(), encoding=encoding, newline="")

    @property
    def head_text(self) -> str:
        return self.head.decode("utf-8", errors="replace").lstrip("\ufeff")

    @property
    def base_name(self) -> str:
        return self.name.replace("\\", "/").rsplit("/", 1)[-1]


@dataclass
class ReleaseInfo:
    """Facts about a release the importer reads from the file (or its name)."""

    system: str
    kind: str
    version: str
    label: str
    effective_from: dt.date
    effective_to: dt.date | None = None


@dataclass
class ReleaseWriter:
    """Bulk writer bound to the import's transaction and the new release's id."""

    conn: Connection
    release_id: int
    counts: dict[str, int] = field(default_factory=dict)

    def insert(self, table: Table, rows: Iterable[dict]) -> int:
        """Insert rows in batches; returns how many were written."""
        written = 0
        batch: list[dict] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= BATCH:
                self.conn.execute(insert(table), batch)
                written += len(batch)
                batch = []
        if batch:
            self.conn.execute(insert(table), batch)
            written += len(batch)
        return written

    def insert_tuples(self, table: Table, columns: list[str], rows: list[tuple]) -> None:
        """Fast path for millions of rows: plain executemany on the DB-API cursor."""
        names = ", ".join(columns)
        mark = "?" if self.conn.dialect.paramstyle == "qmark" else "%s"
        marks = ", ".join(mark for _ in columns)
        sql = f"INSERT INTO {table.name} ({names}) VALUES ({marks})"
        self.conn.exec_driver_sql(sql, rows)

    def id_counter(self, table: Table) -> Iterator[int]:
        """Ids to assign ourselves, so child rows can point at parents without a round trip.

        Safe because the import holds the database's only write transaction.
        """
        start = self.conn.execute(select(func.max(table.c.id))).scalar() or 0
        return count(start + 1)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def counts_json(self) -> str:
        return json.dumps(self.counts, sort_keys=True)


class Importer(Protocol):
    """One official format. Modules in this package implement it as plain module functions."""

    #: short name shown to the user: "ICD-10-CM tabular", "HCPCS Level II", ...
    FORMAT: str

    def sniff(self, source: SourceFile) -> bool:
        """True when the file's content is this format."""

    def release_info(self, source: SourceFile) -> ReleaseInfo:
        """System, kind, version and effective date of the release in the file."""

    def load(self, source: SourceFile, writer: ReleaseWriter) -> Iterator[Progress]:
        """Write the release's rows, yielding progress; raise BadRecord for a bad row."""


def numbered_rows(reader: Iterable[list[str]], columns: dict[str, int]) -> Iterator[
        tuple[int, list[str], Callable[[str], str]]]:
    """The data rows of a CSV after its header as (row number, cells, cell), where cell(field)
    is that column's text with spaces collapsed ("" when the row is short); blank rows skipped."""
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue

        def cell(field: str, cells: list[str] = cells) -> str:
            i = columns.get(field)
            return " ".join(cells[i].split()) if i is not None and i < len(cells) else ""

        yield number, cells, cell


def parse_yyyymmdd(value: str, where: str, column: str) -> dt.date | None:
    """CMS dates are YYYYMMDD; empty means none. Raises BadRecord naming the column."""
    from encoder_app.errors import BadRecord

    value = (value or "").strip()
    if not value or value == "*":
        return None
    try:
        return dt.datetime.strptime(value, "%Y%m%d").date()
    except ValueError:
        raise BadRecord(where, f"{column} {value!r} is not a date (YYYYMMDD)") from None
