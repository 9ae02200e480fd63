"""The database encrypted at rest with SQLCipher: which key opens it, and opening it.

A database is encrypted when its file does not start with SQLite's plain header (an encrypted
file starts with a random salt). Its key is either a random 256-bit key kept in the OS keyring
(Keychain, Windows Credential Manager, Secret Service) or a passphrase the user gives at start in
``ENCODER_APP_PASSPHRASE`` (or typed at a prompt a front end installs with
``set_passphrase_prompt``). Both are optional extras: ``pip install 'encoder-app[encrypt]'``.
See docs/encryption.md for what is and is not encrypted.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from encoder_app.errors import EncoderError, MissingDependency

PASSPHRASE_ENV = "ENCODER_APP_PASSPHRASE"
#: The keyring entry of a database's random key: this service, the database's full path.
KEYRING_SERVICE = "encoder-app database key"
SQLITE_HEADER = b"SQLite format 3\x00"

_prompt: Callable[[str], str | None] | None = None


class EncryptionError(EncoderError):
    """The database is encrypted and no key at hand opens it, or encrypting it failed."""


@dataclass(frozen=True)
class DatabaseKey:
    """A key as SQLCipher takes it (a passphrase, or ``x'<64 hex digits>'`` for a raw key), and
    where it came from, for messages."""

    text: str
    source: str

    def pragma(self) -> str:
        return "PRAGMA key = '" + self.text.replace("'", "''") + "'"

    def __repr__(self) -> str:  # a traceback or log line must never show the key
        return f"DatabaseKey(source={self.source!r})"


def passphrase_key(passphrase: str, source: str = PASSPHRASE_ENV) -> DatabaseKey:
    """A passphrase (SQLCipher derives the key with PBKDF2, so each open costs ~0.1 s)."""
    return DatabaseKey(passphrase, source)


def raw_key(hex_key: str, source: str = "the OS keyring") -> DatabaseKey:
    """A 64-hex-digit raw key (no key derivation)."""
    if len(hex_key) != 64 or any(c not in "0123456789abcdefABCDEF" for c in hex_key):
        raise EncryptionError(f"the key in {source} is not a 64-digit hex key")
    return DatabaseKey(f"x'{hex_key}'", source)


def new_raw_key() -> str:
    return secrets.token_hex(32)


def sqlcipher():
    """The SQLCipher DB-API module (sqlcipher3), or a message saying how to install it."""
    try:
        import sqlcipher3.dbapi2 as dbapi
    except ImportError:
        raise MissingDependency(
            "encryption needs SQLCipher: pip install 'encoder-app[encrypt]' "
            "(the sqlcipher3 and keyring packages)") from None
    return dbapi


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL; None for another database or an in-memory one."""
    # Here, not at the top: the command line sets the passphrase prompt (this module) before
    # every command, and a search that never opens SQLAlchemy must not wait for it to load.
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def is_encrypted(path: Path | str) -> bool:
    """True when the file has content that does not start with SQLite's plain header."""
    try:
        with open(path, "rb") as f:
            head = f.read(len(SQLITE_HEADER))
    except OSError:
        return False
    return bool(head) and head != SQLITE_HEADER


# --- where keys come from ----------------------------------------------------------------------

def keyring_backend() -> str | None:
    """The name of a usable OS keyring, or None (not installed, or no backend: headless Linux
    without a Secret Service has only keyring's "fail" backend)."""
    try:
        import keyring
        from keyring.backends import fail
    except ImportError:
        return None
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken keyring configuration must not stop the app
        return None
    if isinstance(backend, fail.Keyring) or getattr(backend, "priority", 1) <= 0:
        return None
    return type(backend).__name__


def _account(path: Path) -> str:
    return str(Path(path).resolve())


def stored_key(path: Path) -> DatabaseKey | None:
    """The random key kept in the OS keyring for this database, if there is one."""
    if keyring_backend() is None:
        return None
    import keyring

    try:
        value = keyring.get_password(KEYRING_SERVICE, _account(path))
    except Exception:
        return None
    return raw_key(value, f"the OS keyring ({keyring_backend()})") if value else None


def require_keyring() -> str:
    """The OS keyring's name, or an error that says to use a passphrase instead."""
    backend = keyring_backend()
    if backend is None:
        raise EncryptionError(
            "no OS keyring on this computer (keyring is not installed, or on Linux there is no "
            "Secret Service without a desktop session); give a passphrase instead: set "
            f"{PASSPHRASE_ENV} or use --passphrase")
    return backend


def store_key(path: Path, hex_key: str) -> str:
    """Keep a database's random key in the OS keyring; returns the keyring's name."""
    backend = require_keyring()
    import keyring

    try:
        keyring.set_password(KEYRING_SERVICE, _account(path), hex_key)
    except Exception as exc:
        raise EncryptionError(f"the OS keyring ({backend}) refused the key: {exc}") from None
    return backend


def forget_key(path: Path) -> None:
    """Remove a database's key from the keyring (after a failed encryption)."""
    if keyring_backend() is None:
        return
    import keyring

    try:
        keyring.delete_password(KEYRING_SERVICE, _account(path))
    except Exception:
        pass


def set_passphrase_prompt(prompt: Callable[[str], str | None] | None) -> None:
    """Install how a front end asks for the passphrase when no other key is at hand (a terminal
    prompt, a dialog); None removes it. The core never asks by itself."""
    global _prompt
    _prompt = prompt


def candidate_keys(path: Path, also: Path | None = None) -> list[DatabaseKey]:
    """The keys to try, in order: ENCODER_APP_PASSPHRASE, the keyring's key for ``path`` (and for
    ``also``: a backup is opened with the live database's key)."""
    keys = []
    passphrase = os.environ.get(PASSPHRASE_ENV)
    if passphrase:
        keys.append(passphrase_key(passphrase))
    for p in (path, also):
        if p is not None and (key := stored_key(p)) is not None:
            keys.append(key)
    return keys


# --- opening -----------------------------------------------------------------------------------

def _open_with(path: Path, key: DatabaseKey | None, **kwargs):
    dbapi = sqlcipher()
    conn = dbapi.connect(str(path), **kwargs)
    # SQLCipher writes "hmac check failed" lines to stderr for a wrong key; the message we raise
    # says it better, and nothing of the database belongs in a log.
    conn.execute("PRAGMA cipher_log_level = NONE")
    if key is not None:
        conn.execute(key.pragma())
    return conn


def _opens(path: Path, key: DatabaseKey) -> bool:
    dbapi = sqlcipher()
    conn = _open_with(path, key)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        return True
    except dbapi.DatabaseError:
        return False
    finally:
        conn.close()


def key_for(path: Path, also: Path | None = None) -> DatabaseKey:
    """The key that opens the encrypted database at ``path``, or an error saying what was tried
    and what to do."""
    sqlcipher()
    keys = candidate_keys(path, also)
    for key in keys:
        if _opens(path, key):
            return key
    if _prompt is not None:
        typed = _prompt(f"Passphrase for {path.name}: ")
        if typed:
            key = passphrase_key(typed, "the passphrase typed")
            if _opens(path, key):
                return key
            keys.append(key)
    if keys:
        tried = ", ".join(k.source for k in keys)
        raise EncryptionError(f"{path}: the database is encrypted and the key from {tried} does "
                              f"not open it (or the file is not a database)")
    where = f"the OS keyring ({keyring_backend()}) has no key for it" if keyring_backend() \
        else "there is no OS keyring on this computer"
    raise EncryptionError(f"{path}: the database is encrypted (or the file is not a database) "
                          f"and {where}; set {PASSPHRASE_ENV} to its passphrase")


def connect(path: Path | str, key: DatabaseKey | None = None, *, cipher: bool = False,
            **kwargs):
    """A DB-API connection to a database file: sqlcipher3 with ``key`` for an encrypted one,
    the standard sqlite3 for a plain one (sqlcipher3 without a key with ``cipher``: it opens a
    plain file too, and has ``sqlcipher_export``)."""
    if key is None and not cipher:
        return sqlite3.connect(str(path), **kwargs)
    return _open_with(Path(path), key, **kwargs)


def engine_options(url: str) -> dict:
    """``create_engine`` keywords for a URL: none for a plain or new database; for an encrypted
    SQLite file, sqlcipher3 as the DB-API module (so its errors are SQLAlchemy's) and a creator
    that gives each new connection the key before anything else."""
    path = sqlite_path(url)
    if path is None or not is_encrypted(path):
        return {}
    try:
        key = key_for(path)
    except MissingDependency:
        raise EncryptionError(f"{path} is not a plain SQLite database: it is encrypted (pip "
                              f"install 'encoder-app[encrypt]' to open it) or damaged") from None
    return {"module": sqlcipher(),
            "creator": partial(_open_with, path, key, check_same_thread=False)}
