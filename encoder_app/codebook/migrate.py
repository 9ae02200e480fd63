"""Bringing a database to the current schema with Alembic, on SQLite and PostgreSQL alike.

Opening a database runs this (codebook/db.py), and so does `encoder-app db upgrade`:
- a new, empty database gets every revision from the baseline;
- one made before Alembic (a ``schema_info`` stamp of 1 to 5, no ``alembic_version``) is
  brought up from the baseline, which only creates what is missing: no row is touched;
- one behind the newest revision is upgraded, after a backup when it is a SQLite file (the
  backup's path is logged and returned, so a failed upgrade loses nothing);
- one whose revision this encoder-app does not know was upgraded by a newer encoder-app: it is
  refused (SchemaMismatch), never written, and the message says to update this workstation.

Two workstations opening an old server database at once would both migrate it: PostgreSQL runs
the migrations under an advisory lock, SQLite under the lock file db.py takes.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import DBAPIError

from encoder_app.codebook.schema_version import ADDITIVE_UPGRADES, HEAD_REVISION
from encoder_app.errors import SchemaMismatch

log = logging.getLogger(__name__)

MIGRATIONS = Path(__file__).resolve().parents[1] / "migrations"
#: Any fixed number: the PostgreSQL advisory lock every encoder-app migrates under.
_ADVISORY_LOCK = 7_142_026


@dataclass(frozen=True)
class SchemaStatus:
    """Where a database stands: its revision, the newest this app has, what is left to run."""

    database: str  # the URL without its password
    backend: str  # sqlite | postgresql
    current: str | None  # its Alembic revision; None when new or made before Alembic
    head: str  # the newest revision this encoder-app has
    legacy_version: int | None  # its schema_info stamp when it predates Alembic
    pending: list[str] = field(default_factory=list)  # revisions an upgrade would run

    @property
    def state(self) -> str:
        """"current", "behind", "new", "legacy" (made before Alembic) or "newer" (made by a
        newer encoder-app)."""
        if self.current == self.head:
            return "current"
        if self.current is not None and self.current not in _known_revisions():
            return "newer"
        if self.current is None:
            return "legacy" if self.legacy_version is not None else "new"
        return "behind"

    def describe(self) -> str:
        words = {
            "current": f"at the current schema (revision {self.head})",
            "behind": f"at revision {self.current}; `encoder-app db upgrade` runs "
                      f"{', '.join(self.pending)}",
            "new": "empty: opening it creates the schema",
            "legacy": f"made before schema migrations (schema {self.legacy_version}); "
                      f"`encoder-app db upgrade` brings it to revision {self.head}",
            "newer": f"at revision {self.current}, which a newer encoder-app made; this one "
                     f"knows up to {self.head} and will not write to it: update encoder-app "
                     f"on this workstation",
        }
        return words[self.state]


def _config() -> Config:
    """Alembic's configuration, built here: there is no alembic.ini to ship or find."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


@lru_cache(maxsize=1)
def _script() -> ScriptDirectory:
    """The revisions, read from their files once per process (a status reads them often)."""
    return ScriptDirectory.from_config(_config())


@lru_cache(maxsize=1)
def _known_revisions() -> frozenset[str]:
    return frozenset(r.revision for r in _script().walk_revisions())


def head_revision() -> str:
    head = _script().get_current_head()
    assert head == HEAD_REVISION, f"schema_version.HEAD_REVISION is {HEAD_REVISION}, not {head}"
    return head


def _denied(exc: DBAPIError) -> bool:
    """A server's "permission denied" / "must be owner" (SQLSTATE 42501)."""
    return getattr(exc.orig, "sqlstate", None) == "42501" or "permission denied" in str(exc)


def _where(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=True)


def _status(conn: Connection, engine: Engine) -> SchemaStatus:
    current = MigrationContext.configure(conn).get_current_revision()
    legacy = None
    if current is None and inspect(conn).has_table("schema_info"):
        legacy = conn.execute(text("SELECT version FROM schema_info")).scalar()
    head = head_revision()
    pending = []
    if current is None or current in _known_revisions():
        pending = [r.revision for r in reversed(list(
            _script().iterate_revisions(head, current or "base")))]
    return SchemaStatus(_where(engine), engine.dialect.name, current, head, legacy, pending)


def schema_status(engine: Engine) -> SchemaStatus:
    with engine.connect() as conn:
        return _status(conn, engine)


def status_at(url: str, **connect_args) -> SchemaStatus:
    """Where the database at ``url`` stands, read without the upgrade that opening it with
    engine_for runs (an encrypted file still gets its key); a server that cannot be reached
    or refuses the login is ServerUnavailable naming it. For `db status` and for trying a
    server before connecting to it."""
    from sqlalchemy import create_engine

    from encoder_app.data_lock import server_named
    from encoder_app.encryption import engine_options

    options = engine_options(url)
    if connect_args:
        options["connect_args"] = {**options.get("connect_args", {}), **connect_args}
    engine = create_engine(url, **options)
    try:
        with server_named(engine, "reach"):
            return schema_status(engine)
    finally:
        engine.dispose()


def _backup_first(engine: Engine, status: SchemaStatus) -> Path | None:
    """A copy of a SQLite database before its upgrade, beside it; None for a new one or a
    server (whose own backups apply)."""
    if engine.dialect.name != "sqlite" or status.state == "new":
        return None
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    from encoder_app.backup import copy_before_upgrade

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    was = status.current or f"schema{status.legacy_version}"
    target = Path(database).with_name(f"{Path(database).name}.before-{status.head}"
                                      f"-from-{was}-{stamp}.bak")
    copy_before_upgrade(engine.url.render_as_string(hide_password=False), target)
    log.info("database %s backed up to %s before its upgrade", _where(engine), target)
    return target


def upgrade(engine: Engine) -> tuple[SchemaStatus, Path | None]:
    """Run every pending revision (after a backup of a SQLite file); (the status before, the
    backup's path or None). SchemaMismatch for a database a newer encoder-app made, or one
    stamped with a schema this app cannot bring up."""
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_lock(:k)"), {"k": _ADVISORY_LOCK})
            conn.commit()
        try:
            before = _status(conn, engine)
            if before.state == "newer":
                raise SchemaMismatch(f"the database {before.database} is {before.describe()}")
            if before.state == "legacy" and before.legacy_version not in ADDITIVE_UPGRADES:
                raise SchemaMismatch(
                    f"the database {before.database} has schema version "
                    f"{before.legacy_version}, which this encoder-app cannot upgrade. Open it "
                    f"with the encoder-app that made it and export your encounters (JSON), "
                    f"then move the database aside; this version builds a new one, and you "
                    f"re-import your release files and encounters.")
            if not before.pending:
                return before, None
            backup = _backup_first(engine, before)
            conn.commit()  # Alembic opens a transaction per revision on this connection
            config = _config()
            config.attributes["connection"] = conn
            try:
                command.upgrade(config, "head")
            except DBAPIError as exc:
                conn.rollback()
                if not _denied(exc):
                    raise
                raise SchemaMismatch(
                    f"the database {before.database} needs an upgrade to revision "
                    f"{before.head} ({', '.join(before.pending)}), and this login "
                    f"({engine.url.username}) may not change the schema: have the database's "
                    f"owner run `encoder-app db upgrade` "
                    f"(docs/practice-server.md)") from None
            conn.commit()
            log.info("database %s upgraded: %s", before.database, ", ".join(before.pending))
            return before, backup
        finally:
            if engine.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": _ADVISORY_LOCK})
                conn.commit()
