"""Reading a JSON file a user hands the app (an encounter, an exercise set, a student's answers)
into plain values, with every way it can be broken reported as a located error of the caller's
kind: no such file, not text, not JSON, nested past what Python reads.

The caller passes its own ``LocatedError`` subclass so the error names the file and says where in
it, the same way the rest of that reader's errors do.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from encoder_app.errors import LocatedError


def decoded(data: bytes, source: str, error: type[LocatedError]) -> str:
    """The file's text in any of the encodings JSON allows, told apart as JSON does (by the BOM,
    or by where the NULs of its first characters fall): UTF-8 with or without the BOM Notepad
    writes, UTF-16 (Notepad's "Unicode"), UTF-32. Anything else is refused, not guessed: a
    Windows-1252 file read as UTF-8 would put a wrong patient name on the claim."""
    encoding = json.detect_encoding(data)
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        before = data[:exc.start].decode(encoding, "replace")
        line, column = before.count("\n") + 1, len(before) - before.rfind("\n")
        name = encoding.upper().replace("-SIG", "").replace("-LE", "").replace("-BE", "")
        raise error(source, f"line {line}, column {column}",
                    f"is not {name} text (byte 0x{data[exc.start]:02X}); save the file as "
                    "UTF-8") from None


def parsed(text: str, source: str, error: type[LocatedError], max_depth: int) -> Any:
    """The JSON value of ``text``; ``max_depth`` is only the number the message quotes when the
    document is nested past what Python's reader can follow."""
    if text.startswith("\ufeff"):  # the decoder took one byte-order mark; this is another
        raise error(source, "line 1, column 1", "is not valid JSON (a second byte-order mark)")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        # "Unterminated string starting at": the position is given before the message
        problem = re.sub(r"( starting)? at$", "", exc.msg)
        raise error(source, f"line {exc.lineno}, column {exc.colno}",
                    f"is not valid JSON ({problem})") from None
    except RecursionError:
        raise error(source, "$", f"is nested more than {max_depth} levels deep") from None
    except ValueError:  # Python reads no integer of more than 4,300 digits (CVE-2020-10735)
        long = re.search(r"\d{4301}", text)
        at = long.start() if long else 0
        line, column = text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1
        raise error(source, f"line {line}, column {column}",
                    "has a number of more than 4,300 digits") from None


def read_json_file(path: Path | str, error: type[LocatedError], max_depth: int = 64,
                   max_bytes: int | None = None) -> Any:
    """The decoded JSON value of the file at ``path``; every failure is ``error`` naming it."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if max_bytes is not None and size > max_bytes:
            raise error(path.name, "$", f"is {size:,} bytes; a file of this kind is at most "
                                        f"{max_bytes:,}")
        data = path.read_bytes()
    except FileNotFoundError:
        raise error(path.name, "$", "no such file") from None
    except OSError as exc:  # a folder, no permission, a device that fails to read
        raise error(path.name, "$", f"could not be read ({exc.strerror or exc})") from None
    return parsed(decoded(data, path.name, error), path.name, error, max_depth)
