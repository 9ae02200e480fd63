"""Writing the files a user asked for (PDFs, exports) so a failure never leaves half a file.

Every export may hold patient data (a superbill, a day sheet, an encounter, a fee schedule with
a practice's rates), so each is written readable by its owner only: file_modes.write_private.
"""

from __future__ import annotations

from pathlib import Path

from encoder_app.file_modes import write_private, write_private_text


def write_atomically(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` 0600 through a temporary file in the same folder, then replace:
    a full disk or a crash leaves any previous file whole. Errors name the file."""
    return write_private(path, data)


def write_text_atomically(path: Path | str, text: str) -> Path:
    """``write_atomically`` for text files the app exports (UTF-8, line endings as given)."""
    return write_private_text(path, text)
