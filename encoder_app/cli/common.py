"""What subcommands share: opening the database (building the default one on first use),
a terminal progress bar, date parsing, and writing to a stdout of any encoding."""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING

from encoder_app.progress import Progress, Waiting

if TYPE_CHECKING:
    from sqlalchemy import Engine


class TerminalProgress:
    """A one-line progress bar on stderr. When stderr is not a terminal the bar is silent, but a
    wait for another encoder-app is still printed once: a silent wait looks like a hang."""

    def __init__(self, stream=None, width: int = 30):
        self.stream = stream or sys.stderr  # looked up now: tests swap sys.stderr
        self.width = width
        self.live = self.stream.isatty()
        self._last = ""
        self._told: set[str] = set()

    def show(self, step: Progress) -> None:
        if not self.live:
            if isinstance(step, Waiting) and step.label not in self._told:
                self._told.add(step.label)
                print(step.label, file=self.stream, flush=True)
            return
        if step.total:
            filled = int(self.width * min(step.fraction, 1.0))
            bar = "#" * filled + "-" * (self.width - filled)
            line = f"\r[{bar}] {step.fraction:4.0%} {step.label[:60]}"
        else:
            line = f"\r{step.label[:90]}"
        if line != self._last:
            self.stream.write(line.ljust(len(self._last)))
            self.stream.flush()
            self._last = line

    def finish(self) -> None:
        if self.live and self._last:
            self.stream.write("\r" + " " * len(self._last) + "\r")
            self.stream.flush()
        self._last = ""

    def run(self, steps: Iterable[Progress]) -> None:
        try:
            for step in steps:
                self.show(step)
        finally:
            self.finish()


def ask_passphrase(prompt: str) -> str | None:
    """A terminal prompt for an encrypted database's passphrase; none without a terminal (a
    script gives ENCODER_APP_PASSPHRASE instead)."""
    if not sys.stdin.isatty():
        return None
    return getpass.getpass(prompt)


def open_codebook() -> Engine:
    """The user's database; the first run builds the default FY2026 codebook into it."""
    # Here, not at the top: a search that reads the database without SQLAlchemy (search_cmd)
    # shares this module and must not wait for it to load.
    from encoder_app.codebook.db import default_engine
    from encoder_app.codebook.default_build import build_default_codebook, needs_default_build

    engine = default_engine()
    if needs_default_build(engine):
        print("Building the default codebook (ICD-10-CM FY2026 Tabular List); this happens once.",
              file=sys.stderr)
        TerminalProgress().run(build_default_codebook(engine))
    return engine


def date_arg(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date; write YYYY-MM-DD") from None


def _stdout_is_unicode() -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower()
    return encoding.replace("_", "-").startswith("utf")


def print_json(value) -> None:
    # Readable names where stdout takes them; \u escapes (the same JSON) where it does not,
    # e.g. redirected to a file on Windows (cp1252), which has no emoji to write.
    json.dump(value, sys.stdout, indent=2, ensure_ascii=not _stdout_is_unicode(), default=str)
    sys.stdout.write("\n")


def print_text(text: str) -> None:
    """Text to stdout; a character its encoding lacks (an emoji code redirected to a file on
    Windows, a file name that is not UTF-8) is written as a backslash escape, as Python writes
    stderr, rather than ending the command in a traceback."""
    encoding = getattr(sys.stdout, "encoding", None) or "utf-8"
    sys.stdout.write(text.encode(encoding, "backslashreplace").decode(encoding))
