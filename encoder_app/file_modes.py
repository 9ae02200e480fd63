"""Who may read what the app writes: its data folder 0700, patient-data files 0600 (POSIX).

Modes are set when a file is created (``os.open(..., 0o600)``), not left to the umask, so there is
no moment when another local user could open a new file. Windows has no POSIX modes: files there
inherit the folder's ACL (the user's profile is private by default) and every function here only
creates or writes, without touching permissions.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from encoder_app.errors import EncoderError

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
#: False on Windows, where chmod can only toggle the read-only flag.
POSIX_MODES = os.name == "posix"

#: The files SQLite keeps beside a database in WAL mode; they hold recent pages of it.
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")


def private_folder(path: Path | str) -> Path:
    """The folder, created 0700 if missing, and tightened to 0700 if group or others may read,
    write or enter it. Parents that did not exist are created with the usual mode."""
    path = Path(path)
    path.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    if POSIX_MODES:
        try:
            if stat.S_IMODE(path.stat().st_mode) & 0o077:
                path.chmod(PRIVATE_FOLDER)
        except OSError:
            pass  # not ours to change (a shared folder named by ENCODER_APP_DATA): leave it
    return path


def private_file(path: Path | str) -> Path:
    """Make an existing file 0600; a missing file is left missing."""
    path = Path(path)
    if POSIX_MODES:
        try:
            if stat.S_IMODE(path.stat().st_mode) != PRIVATE_FILE:
                path.chmod(PRIVATE_FILE)
        except FileNotFoundError:
            pass
    return path


def create_private(path: Path | str) -> Path:
    """Create an empty file 0600 (O_EXCL: fails if it exists), for a writer that opens by name,
    such as SQLite."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                 PRIVATE_FILE)
    os.close(fd)
    return private_file(path)  # a strict umask (0177) may have taken the owner's write bit


def temporary_name(path: Path) -> Path:
    """A hidden name beside ``path`` for writing it whole before a rename (".visit.pdf.<pid>.<hex>
    .tmp"): in the destination folder, never the system temp folder, so patient data stays where
    the coder put it and the rename cannot cross file systems."""
    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


def write_private(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` readable by the owner only: a 0600 temporary file in the same
    folder, flushed to disk, then renamed over ``path``. A full disk or a crash leaves any
    previous file whole; the error names the file."""
    path = Path(path)
    tmp = temporary_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     PRIVATE_FILE)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        private_file(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EncoderError(f"{path}: could not write ({exc.strerror or exc})") from None
    return path


def write_private_text(path: Path | str, text: str) -> Path:
    """``write_private`` for text exports (UTF-8, line endings as given)."""
    return write_private(path, text.encode("utf-8"))


def private_database(path: Path | str | None) -> None:
    """A SQLite database file 0600 from its creation, and its -wal/-shm/-journal companions 0600.

    Called before the first connection (SQLite then finds an empty 0600 file, a valid empty
    database, and gives the companions it creates the database file's mode) and again after it,
    for companions an older version or a crash left with a wider mode. ``None``, "" and
    ":memory:" are in-memory databases: nothing to do."""
    if not path or str(path) == ":memory:" or str(path).startswith("file:"):
        return
    path = Path(path)
    if not path.exists() and path.parent.is_dir():
        try:
            create_private(path)
        except FileExistsError:
            pass  # another process created it first; chmod below
    private_file(path)
    for suffix in SQLITE_COMPANIONS:
        private_file(path.with_name(path.name + suffix))
