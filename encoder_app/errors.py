"""Typed errors the core raises, each with a message a coder can act on.

An error that is about a place in something the user gave (a release file, an encounter file, a
pick list, a fee schedule row, a field of the practice form) is a ``LocatedError``: it carries
the source, the location inside it and the problem, and ``render`` is the one place that turns
those into the words a user reads, on the terminal and in a dialog alike.

A location inside a JSON file is kept as its JSON path (``$.procedures[0].code``), the key a
program uses to find the field; a user reads it in words (``procedure line 1, code``), from the
field names of the error's own file format (``path_words``). ``$`` alone is the file as a whole.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import ClassVar, Literal

#: How a rendered error is laid out: one line for a terminal or a log, the source on a line of
#: its own for a message box, where a long file name would otherwise wrap mid-sentence, or only
#: the field and the problem, for a line about the form the user is typing in.
Style = Literal["terminal", "dialog", "field"]

#: One step of a JSON path: .name, [3], or ["a key that is not a plain name"].
_STEP = re.compile(r'\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')


def path_words(path: str, fields: Mapping[str, str] = {}, entries: Mapping[str, str] = {}
               ) -> str | None:
    """A JSON path in the words of the file's format, None for the file as a whole ("$").

    ``fields`` names a key in words (date_of_service: "date of service"; a key not listed is
    shown as its name, as the file spells it); ``entries`` names one entry of a list, counted
    from 1 (procedures: "procedure line", so ``$.procedures[0].code`` reads "procedure line 1,
    code"). An entry of a list not listed is "NAME item N". Anything that is not a JSON path
    comes back as it is."""
    if not path.startswith("$"):
        return path
    steps, at = [], 1
    while at < len(path):
        step = _STEP.match(path, at)
        if step is None:
            return path
        steps.append(step.groups())
        at = step.end()
    words: list[str] = []
    for i, (key, index, odd) in enumerate(steps):
        name = fields.get(key, key) if key else odd
        entry = steps[i + 1][1] if i + 1 < len(steps) else None
        if index is not None:
            if i == 0 or steps[i - 1][1] is not None:  # an entry of an entry, or of the file
                words.append(f"item {int(index) + 1}")
        elif entry is None:
            words.append(name)
        else:  # a list and which of its entries: "procedure line 1"
            words.append(f"{entries.get(key) or f'{name} item'} {int(entry) + 1}")
    return ", ".join(words) or None


class EncoderError(Exception):
    """Base of every error the app reports to a user instead of a traceback."""


class LocatedError(EncoderError):
    """An error at a place the user can go and fix.

    ``source`` is what was being read (a file name, "fee schedule", None when the caller adds
    it later); ``location`` is where inside it ("row 12", "line 3, column 7", a JSON path such as
    ``$.diagnoses[2].code``, a form's field name, None for the whole source); ``problem`` says
    what is wrong, written to follow the place ("is not a fiscal year", "no such file").

    A subclass whose locations are JSON paths names its format's fields in ``FIELD_WORDS`` and
    its lists' entries in ``ENTRY_WORDS`` (see ``path_words``); ``place`` is the location in
    those words, which is what a user reads.
    """

    FIELD_WORDS: ClassVar[Mapping[str, str]] = {}
    ENTRY_WORDS: ClassVar[Mapping[str, str]] = {}

    def __init__(self, source: str | None, location: str | None, problem: str):
        self.source, self.location, self.problem = source, location, problem
        super().__init__(render(self))

    def __str__(self) -> str:  # the parts may be set again (a caller adds the source)
        return render(self)

    @property
    def place(self) -> str | None:
        """The location as a user reads it: a JSON path in the format's words, None for the
        source as a whole; any other location ("row 12") as it is."""
        if not self.location:
            return None
        return path_words(self.location, self.FIELD_WORDS, self.ENTRY_WORDS)


def render(error: BaseException, style: Style = "terminal") -> str:
    """The words a user reads for an error: ``source: place: problem`` on a terminal; the
    source on its own line, then ``place: problem``, in a dialog; ``place: problem`` alone for
    the field style (the form being typed is the source)."""
    if not isinstance(error, LocatedError):
        return str(error)
    place = f"{error.place}: " if error.place else ""
    if not error.source or style == "field":
        return place + error.problem
    if style == "dialog":
        return f"{error.source}\n{place}{error.problem}"
    return f"{error.source}: {place}{error.problem}"


class ManyErrors(EncoderError):
    """Every problem found in one file, in file order, so it is fixed in one pass."""

    def __init__(self, problems: list[LocatedError]):
        self.problems = problems
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(render(p) for p in self.problems)


class ImportFailed(LocatedError):
    """A release file could not be imported; nothing from it was written."""

    @property
    def where(self) -> str | None:
        return self.location


class BadRecord(LocatedError):
    """Raised inside an importer for one bad row, line or element; the runner adds the file name."""

    def __init__(self, where: str, problem: str):
        super().__init__(None, where, problem)

    @property
    def where(self) -> str:
        return self.location or ""


class UnknownCode(EncoderError):
    """A code that no loaded release knows."""


class NoRelease(EncoderError):
    """No release of a code system is loaded."""


class MissingDependency(EncoderError):
    """A required package or data file is not installed."""


class SchemaMismatch(EncoderError):
    """The database was written by a version of the app with a different table layout."""
