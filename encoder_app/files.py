"""Writing the files a user asked for (PDFs, exports) so a failure never leaves half a file."""

from __future__ import annotations

import os
from pathlib import Path

from encoder_app.errors import EncoderError


def write_atomically(path: Path | str, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same folder, then replace:
    a full disk or a crash leaves any previous file whole. Errors name the file."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise EncoderError(f"{path}: could not write ({exc.strerror or exc})") from None
    return path


def write_text_atomically(path: Path | str, text: str) -> Path:
    """``write_atomically`` for text files the app exports (UTF-8, line endings as given)."""
    return write_atomically(path, text.encode("utf-8"))
