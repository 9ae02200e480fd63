"""Text a command prints in columns, fitted to the terminal: a long title wraps under its own
column, no word cut and no line past the right edge. Piped or redirected, each entry stays
whole on one line, as it always has, so a script can grep it.

Only the standard library: `encoder-app search` imports this on its fast path.
"""

from __future__ import annotations

import shutil
import sys
import textwrap

#: The narrowest a wrapped column gets, however narrow the terminal: a word or two a line is
#: harder to read than a line the terminal folds.
MIN_COLUMN = 20


def terminal_width(stream=None) -> int | None:
    """The columns to fit output to when it goes to a terminal (``COLUMNS`` if set, else the
    terminal's own width, 80 when neither says); None when it is piped or redirected."""
    stream = stream or sys.stdout  # looked up now: tests swap sys.stdout
    try:
        if not stream.isatty():
            return None
    except (AttributeError, ValueError):  # no isatty, or a closed stream
        return None
    return shutil.get_terminal_size().columns


def hanging(lead: str, text: str, width: int | None, indent: int | None = None) -> str:
    """``lead`` (a code column, an indent) then ``text``, without a final newline. With a
    width, the text wraps so every line fits it, continuation lines starting under the text
    (at ``indent``, by default the lead's length); a word longer than the column is kept
    whole, never cut. Without one (piped), one line as given."""
    if width is None or not text:
        return lead + text
    indent = len(lead) if indent is None else indent
    return textwrap.fill(text, max(width, indent + MIN_COLUMN), initial_indent=lead,
                         subsequent_indent=" " * indent, break_long_words=False,
                         break_on_hyphens=False)
