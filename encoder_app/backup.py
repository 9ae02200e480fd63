"""The database file as a whole: back it up, restore a backup, encrypt it with SQLCipher.

Every copy goes through SQLite's online backup API (``Connection.backup``), which reads one
consistent snapshot however hard another window or command is saving encounters, so a backup is
never half of one write and half of the next. Copies are written 0600 under a temporary name in
their destination folder, checked with ``PRAGMA integrity_check`` and only then renamed into
place. Restore and encrypt replace the live file, so they first take SQLite's exclusive lock:
when another encoder-app has the database open they refuse instead of pulling it from under it.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import sys
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

from encoder_app import encryption
from encoder_app.encryption import DatabaseKey, EncryptionError
from encoder_app.errors import EncoderError, MissingDependency
from encoder_app.file_modes import SQLITE_COMPANIONS, create_private, private_file, temporary_name


class BackupError(EncoderError):
    """A backup or restore was refused or failed; the message names the file and the reason."""


@dataclass(frozen=True)
class DatabaseFacts:
    """What a database file holds, as a backup or restore reports it."""

    path: Path
    bytes: int
    releases: int
    encounters: int
    schema_version: int
    encrypted: bool

    def to_json(self) -> dict:
        return {"file": str(self.path), "bytes": self.bytes, "releases": self.releases,
                "encounters": self.encounters, "schema_version": self.schema_version,
                "encrypted": self.encrypted, "integrity_check": "ok"}


@dataclass(frozen=True)
class Restored:
    """A restore done: what was installed where, and where the replaced database was kept."""

    installed: DatabaseFacts
    source: Path
    moved_aside: Path | None

    def to_json(self) -> dict:
        return {"restored_from": str(self.source), "database": self.installed.to_json(),
                "previous_database": str(self.moved_aside) if self.moved_aside else None}


def database_file(url: str) -> Path:
    """The SQLite file of a database URL; other databases are not supported here."""
    path = encryption.sqlite_path(url)
    if path is None:
        from sqlalchemy.engine import make_url

        shown = make_url(url).render_as_string(hide_password=True)
        raise BackupError(f"backup and restore work on a SQLite database file; {shown} is not "
                          f"one (use that server's own backup tools)")
    return path


# --- opening ----------------------------------------------------------------------------------

def _key_of(path: Path, live: Path | None = None) -> DatabaseKey | None:
    """None for a plain database, else the key that opens it (a backup: the live one's too)."""
    return encryption.key_for(path, also=live) if encryption.is_encrypted(path) else None


def _facts(conn, path: Path, encrypted: bool) -> DatabaseFacts:
    """Check a database is whole and is this app's, and count what it holds."""
    from encoder_app.codebook.models import SCHEMA_VERSION

    result = [row[0] for row in conn.execute("PRAGMA integrity_check").fetchall()]
    if result != ["ok"]:
        raise BackupError(f"{path}: the database is damaged (integrity_check: {result[0]})")
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if not {"schema_info", "releases", "encounters"} <= tables:
        raise BackupError(f"{path}: a SQLite database, but not an encoder-app one (it has no "
                          f"schema_info, releases and encounters tables)")
    version = conn.execute("SELECT max(version) FROM schema_info").fetchone()[0]
    if version is None or version > SCHEMA_VERSION:
        raise BackupError(f"{path}: made by a newer encoder-app (schema version {version}; this "
                          f"one reads up to {SCHEMA_VERSION})")
    releases = conn.execute("SELECT count(*) FROM releases").fetchone()[0]
    encounters = conn.execute("SELECT count(*) FROM encounters WHERE NOT deleted").fetchone()[0]
    return DatabaseFacts(path, path.stat().st_size, releases, encounters, version, encrypted)


def inspect_database(path: Path | str, live: Path | None = None) -> DatabaseFacts:
    """The facts of a database file, read-only; refuses a missing file, one that is not a
    SQLite database, a damaged or truncated one, and one this app did not make."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    if path.stat().st_size == 0:
        raise BackupError(f"{path}: the file is empty, not a database")
    try:
        key = _key_of(path, live)
    except (EncryptionError, MissingDependency):
        raise BackupError(f"{path}: not a SQLite database (nor an encrypted one that a key at "
                          f"hand opens: {encryption.PASSPHRASE_ENV}, the OS keyring)") from None
    dbapi = encryption.sqlcipher() if key else sqlite3
    try:
        with closing(_open(path, key, readonly=True)) as conn:
            return _facts(conn, path, key is not None)
    except dbapi.DatabaseError as exc:
        raise BackupError(f"{path}: not a usable SQLite database ({exc})") from None


def _open(path: Path, key: DatabaseKey | None, readonly: bool = False):
    if readonly and key is None:
        return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    return encryption.connect(path, key)


@contextmanager
def _exclusive(path: Path, key: DatabaseKey | None, cipher: bool = False):
    """A connection that holds the database's exclusive lock (no other connection can read or
    write until it closes), or a refusal if another encoder-app window or command has it open."""
    conn = encryption.connect(path, key, cipher=cipher, timeout=2, isolation_level=None)
    dbapi = encryption.sqlcipher() if key or cipher else sqlite3
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except dbapi.OperationalError:
        conn.close()
        raise BackupError(f"{path}: the database is open in another encoder-app window or "
                          f"command; close it and try again") from None
    try:
        yield conn
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _copy(source_conn, target: Path, key: DatabaseKey | None) -> None:
    """Copy a whole database with the backup API into a new 0600 file ``target``, as one
    self-contained file (rollback journal, so no -wal needs to travel with it)."""
    create_private(target)
    with closing(encryption.connect(target, key)) as out:
        source_conn.backup(out)
        out.execute("PRAGMA journal_mode = DELETE")
    private_file(target)


def _database_errors() -> tuple[type[Exception], ...]:
    """The DB-API errors of both modules, for failures in the middle of a copy."""
    try:
        import sqlcipher3.dbapi2 as cipher

        return (sqlite3.Error, cipher.Error)
    except ImportError:
        return (sqlite3.Error,)


def _drop_companions(path: Path) -> None:
    """Remove the -wal/-shm left beside a file that was just replaced: SQLite would otherwise
    read the old database's pages into the new one."""
    for suffix in SQLITE_COMPANIONS:
        path.with_name(path.name + suffix).unlink(missing_ok=True)


def _fsync_folder(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):  # POSIX: make the rename itself durable
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# --- the three operations ---------------------------------------------------------------------

def _copy_then_check(live: Path, output: Path, check, what: str):
    """Copy ``live`` to a temporary file beside ``output``, run ``check(tmp, key)`` on it, and
    only then rename it into place; returns what the check returned. BackupError names
    ``what`` was not written when any step fails; the temporary file never stays."""
    key = _key_of(live)
    tmp = temporary_name(output)
    try:
        with closing(encryption.connect(live, key)) as source:
            _copy(source, tmp, key)
        checked = check(tmp, key)
        os.replace(tmp, output)
        _fsync_folder(output.parent)
    except (OSError, *_database_errors()) as exc:
        raise BackupError(f"{output}: could not write {what} "
                          f"({getattr(exc, 'strerror', None) or exc})") from None
    finally:
        tmp.unlink(missing_ok=True)
    return checked


def backup_database(url: str, output: Path | str) -> DatabaseFacts:
    """Copy the live database to ``output`` (0600; an encrypted database stays encrypted with
    the same key) and return what the copy holds, checked."""
    live, output = database_file(url), Path(output)
    if not live.is_file() or live.stat().st_size == 0:
        raise BackupError(f"{live}: no database yet; nothing to back up")
    if output.exists() and output.resolve() == live.resolve():
        raise BackupError(f"{output}: that is the live database; name another file")
    if not output.parent.is_dir():
        raise BackupError(f"{output}: the folder {output.parent} does not exist")
    facts = _copy_then_check(live, output, lambda tmp, _key: inspect_database(tmp, live),
                             "the backup")
    return DatabaseFacts(output, facts.bytes, facts.releases, facts.encounters,
                         facts.schema_version, facts.encrypted)


def copy_before_upgrade(url: str, output: Path | str) -> Path:
    """A whole copy of the live database to ``output`` before a schema upgrade (0600, the same
    key if encrypted), checked only for integrity: the schema it holds is the old one, which is
    the point."""
    output = Path(output)

    def whole(tmp: Path, key) -> None:
        with closing(encryption.connect(tmp, key)) as check:
            result = check.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"{output}: the copy is damaged (integrity_check: {result})")

    _copy_then_check(database_file(url), output, whole, "the copy before the upgrade")
    return output


def _forget_engines() -> None:
    """Engines made before the file was replaced would keep reading the old one. Engines
    exist only once codebook/db.py is loaded, so it is looked up, not imported: db.py upgrades
    a schema with a copy made here first, and this module must not depend back on it."""
    db = sys.modules.get("encoder_app.codebook.db")
    if db is not None:
        db.engine_for.cache_clear()


def restore_database(url: str, backup: Path | str, now: dt.datetime | None = None) -> Restored:
    """Install ``backup`` as the live database. The backup is checked first (a SQLite database
    of this app, integrity ok) and refused otherwise with the live database untouched; the live
    database is kept beside it as ``codebook.sqlite3.before-restore-YYYYMMDD-HHMMSS``.
    Refused while another process has the database open; a caller with its own engine on it
    disposes that engine first (its pooled connection holds the database open too)."""
    live, backup = database_file(url), Path(backup)
    if live.exists() and backup.resolve() == live.resolve():
        raise BackupError(f"{backup}: that is the live database itself")
    inspect_database(backup, live)  # refuses junk before anything changes
    backup_key = _key_of(backup, live)
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    aside = live.with_name(f"{live.name}.before-restore-{stamp}")
    tmp = temporary_name(live)
    live.parent.mkdir(parents=True, exist_ok=True)
    has_live = live.is_file() and live.stat().st_size > 0
    try:
        with closing(encryption.connect(backup, backup_key)) as source:
            _copy(source, tmp, backup_key)
        installed = inspect_database(tmp, live)
        if has_live:
            live_key = _key_of(live)
            with _exclusive(live, live_key) as held:
                _copy(held, aside, live_key)
        # Renamed once the lock is released: SQLite deletes the -wal it used by name on close,
        # which must not be one a newly started encoder-app made for the restored file.
        os.replace(tmp, live)
        _drop_companions(live)
        _fsync_folder(live.parent)
    except (OSError, *_database_errors()) as exc:
        raise BackupError(f"{live}: could not install {backup.name} "
                          f"({getattr(exc, 'strerror', None) or exc}); the database was not "
                          f"changed") from None
    finally:
        tmp.unlink(missing_ok=True)
    _forget_engines()
    facts = DatabaseFacts(live, live.stat().st_size, installed.releases, installed.encounters,
                          installed.schema_version, installed.encrypted)
    return Restored(facts, backup, aside if has_live else None)


def encrypt_database(url: str, passphrase: str | None = None) -> tuple[DatabaseFacts, str]:
    """Encrypt the live database in place with SQLCipher: ``sqlcipher_export`` into a new 0600
    file beside it, checked, then renamed over the plain one. With ``passphrase`` the key is
    derived from it; without, a random key is made and kept in the OS keyring (stored before the
    rename, so there is never an encrypted database whose key is nowhere). Returns the
    encrypted database's facts and where its key is.

    The lock check sees other processes only: sqlcipher3 carries its own SQLite, and POSIX
    locks of two SQLite copies in one process do not see each other, so a caller in a process
    that has an engine on this database (a window) must dispose it first."""
    live = database_file(url)
    if not live.is_file() or live.stat().st_size == 0:
        raise BackupError(f"{live}: no database yet; start encoder-app once, then encrypt it")
    if encryption.is_encrypted(live):
        raise BackupError(f"{live}: the database is already encrypted (or is not a database)")
    inspect_database(live)
    if passphrase:
        hex_key, key, where = None, encryption.passphrase_key(passphrase), "your passphrase"
    else:
        encryption.require_keyring()
        hex_key = encryption.new_raw_key()
        key = encryption.raw_key(hex_key)
    tmp = temporary_name(live)
    try:
        create_private(tmp)
        with _exclusive(live, None, cipher=True) as held:
            held.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(tmp), key.text))
            held.execute("SELECT sqlcipher_export('encrypted')")
            held.execute("DETACH DATABASE encrypted")
            with closing(encryption.connect(tmp, key)) as check:
                check.execute("PRAGMA journal_mode = DELETE")
                facts = _facts(check, tmp, True)
        if hex_key:
            where = f"the OS keyring ({encryption.store_key(live, hex_key)})"
        os.replace(tmp, live)  # after the lock is released: see restore_database
        _drop_companions(live)
        _fsync_folder(live.parent)
    except (OSError, *_database_errors()) as exc:
        if hex_key:
            encryption.forget_key(live)
        raise BackupError(f"{live}: could not encrypt ({exc}); the database was not changed") \
            from None
    finally:
        tmp.unlink(missing_ok=True)
    _forget_engines()
    return DatabaseFacts(live, live.stat().st_size, facts.releases, facts.encounters,
                         facts.schema_version, True), where
