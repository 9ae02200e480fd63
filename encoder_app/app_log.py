"""The app's log: a rotating file in the data folder, and the terminal with --verbose.

What is logged: imports (file, format, counts, seconds), search-index builds and their timings,
refusals and failures with their tracebacks. What is never logged: patient data. Log lines name
files, releases and counts, and an encounter only by its id; an encounter's name, birth date,
member id or codes never go into a log message. A test scans the log of a check and a superbill
of a named patient for the name.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import traceback
from pathlib import Path

from encoder_app import settings
from encoder_app.file_modes import create_private, private_file, private_folder

#: Everything the app logs is under this logger ("encoder_app.importers", ...).
ROOT = "encoder_app"
LOG_FOLDER = "logs"
LOG_FILE = "encoder-app.log"
#: Five files of 1 MB: months of imports, never a disk filled by a loop.
MAX_BYTES = 1 << 20
BACKUPS = 4
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

_handlers: list[logging.Handler] = []


class _PrivateRotatingFile(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file, the ones rollover starts too, is 0600."""

    def _open(self):
        stream = super()._open()
        private_file(self.baseFilename)
        return stream


def log_folder() -> Path:
    return settings.data_dir() / LOG_FOLDER


def log_file() -> Path:
    return log_folder() / LOG_FILE


def setup(verbose: bool = False) -> Path | None:
    """Log to the rotating file (0600, in a 0700 folder), and to stderr when verbose.

    Called once by the command line and by the window; calling it again replaces the handlers,
    so a test's or a second start's data folder is the one written to. Returns the log file,
    or None when the data folder cannot hold one."""
    logger = logging.getLogger(ROOT)
    for handler in _handlers:
        logger.removeHandler(handler)
        handler.close()
    _handlers.clear()
    path: Path | None = log_folder() / LOG_FILE
    try:
        private_folder(path.parent)
        if not path.exists():
            create_private(path)  # the handler would create it with the umask's mode
        file_handler = _PrivateRotatingFile(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                            encoding="utf-8")
    except OSError:  # a read-only data folder: the app still works, without a log file
        path = None
    else:
        file_handler.setFormatter(logging.Formatter(FORMAT))
        _handlers.append(file_handler)
    if verbose:
        terminal = logging.StreamHandler(sys.stderr)
        terminal.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        _handlers.append(terminal)
    for handler in _handlers:
        logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
    return path


def bug_report(exc: BaseException) -> str:
    """The traceback of an unexpected failure for the log: every frame, but not the exception's
    message, which may quote what it was working on (a patient's name)."""
    frames = "".join(traceback.format_tb(exc.__traceback__))
    return (f"Traceback (most recent call last):\n{frames}{type(exc).__name__} "
            f"(its message is left out: it may quote patient data)")
