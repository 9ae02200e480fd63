"""Handing a finished PDF to the operating system's print spooler.

The window asks for the printer and copies in the system print dialog; Qt cannot draw a PDF it
did not make (QtPdf is not part of PySide6-Essentials), so the PDF ReportLab wrote goes to the
spooler as it is: CUPS ``lp`` on Linux and macOS, the shell's "printto" verb on Windows. Local
only: a printer queue, never the network by this app.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from encoder_app.errors import EncoderError


class PrintFailed(EncoderError):
    """The spooler is missing or refused the job; the message says which and how to recover."""


def print_command(path: Path, printer: str | None, copies: int = 1) -> list[str]:
    """The ``lp`` command line for a PDF (CUPS prints PDF natively)."""
    command = ["lp"]
    if printer:
        command += ["-d", printer]
    if copies > 1:
        command += ["-n", str(copies)]
    return [*command, "--", str(path)]


def send_to_printer(path: Path | str, printer: str | None = None, copies: int = 1) -> str:
    """Queue the PDF; returns what the spooler said (the job id on CUPS)."""
    path = Path(path)
    if sys.platform.startswith("win"):
        for _ in range(max(1, copies)):
            os.startfile(str(path), "printto" if printer else "print",  # type: ignore[attr-defined]
                         f'"{printer}"' if printer else None)
        return f"sent {path.name} to {printer or 'the default printer'}"
    if shutil.which("lp") is None:
        raise PrintFailed(f"no print spooler (lp) on this computer; {path.name} was saved at "
                          f"{path.parent} to print from a PDF viewer")
    done = subprocess.run(print_command(path, printer, copies), capture_output=True, text=True,
                          timeout=60, check=False)
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip() or f"exit status {done.returncode}"
        raise PrintFailed(f"the printer queue refused {path.name}: {reason}")
    return done.stdout.strip() or f"sent {path.name} to {printer or 'the default printer'}"
