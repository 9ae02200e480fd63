"""The one font family every report prints with: a TrueType font that covers accented names.

ReportLab's built-in Helvetica is Latin-1 only, so a patient named "Łukasz" or "Dvořák" would
print as boxes. DejaVu Sans (most Linux systems) covers far more than Vera, which ReportLab
ships itself and is always there (only Latin-1 + a little more). Registering a TrueType font
parses the file, so it happens once per process; a missing or broken font falls back to the
next choice and, at worst, to Helvetica, never to an error.
"""

from __future__ import annotations

import functools
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

REGULAR, BOLD, ITALIC = "ReportSans", "ReportSans-Bold", "ReportSans-Oblique"


@dataclass(frozen=True)
class FontFamily:
    regular: str
    bold: str
    italic: str
    source: str  # which files were registered, for the bench and bug reports


def _font_dirs() -> list[Path]:
    dirs = [Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"),
            Path("/usr/share/fonts/TTF"), Path("/usr/local/share/fonts"),
            Path.home() / ".local/share/fonts", Path.home() / "Library/Fonts",
            Path("/Library/Fonts")]
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        dirs.insert(0, windir / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.insert(0, Path(local) / "Microsoft/Windows/Fonts")
    return dirs


def _dejavu() -> tuple[Path, Path, Path] | None:
    """DejaVu Sans regular, bold and oblique. Debian's fonts-dejavu-core has no oblique file
    (fonts-dejavu-extra has): there the regular face prints what would be italic, rather than
    every name falling back to Vera, which has no ř, Б or α."""
    for folder in _font_dirs():
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        oblique = folder / "DejaVuSans-Oblique.ttf"
        if regular.is_file() and bold.is_file():
            return regular, bold, oblique if oblique.is_file() else regular
    return None


def _vera() -> tuple[Path, Path, Path]:
    import reportlab

    folder = Path(reportlab.__file__).parent / "fonts"
    return folder / "Vera.ttf", folder / "VeraBd.ttf", folder / "VeraIt.ttf"


def _register(files: tuple[Path, Path, Path]) -> bool:
    try:
        fonts = [TTFont(name, str(path)) for name, path in zip((REGULAR, BOLD, ITALIC), files,
                                                              strict=True)]
    except (OSError, TTFError):
        return False
    for font in fonts:
        pdfmetrics.registerFont(font)
    # <b> and <i> in a Paragraph find the bold and italic faces through this mapping.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, ITALIC)
    addMapping(REGULAR, 1, 1, BOLD)
    return True


@functools.cache
def report_fonts() -> FontFamily:
    """The registered family: DejaVu Sans if installed, else ReportLab's Vera, else Helvetica."""
    for files in (_dejavu(), _vera()):
        if files and _register(files):
            return FontFamily(REGULAR, BOLD, ITALIC, str(files[0]))
    return FontFamily("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica (built in)")
