"""Typed errors the core raises, each with a message a coder can act on.

An error that is about a place in something the user gave (a release file, an encounter file, a
pick list, a fee schedule row, a field of the practice form) is a ``LocatedError``: it carries
the source, the location inside it and the problem, and ``render`` is the one place that turns
those into the words a user reads, on the terminal and in a dialog alike.
"""

from __future__ import annotations

from typing import Literal

#: How a rendered error is laid out: one line for a terminal or a log, or the source on a line
#: of its own for a message box, where a long file name would otherwise wrap mid-sentence.
Style = Literal["terminal", "dialog"]


class EncoderError(Exception):
    """Base of every error the app reports to a user instead of a traceback."""


class LocatedError(EncoderError):
    """An error at a place the user can go and fix.

    ``source`` is what was being read (a file name, "fee schedule", None when the caller adds
    it later); ``location`` is where inside it ("row 12", "line 3, column 7", a JSON path such as
    ``$.diagnoses[2].code``, a form's field name, None for the whole source); ``problem`` says
    what is wrong, written to follow the place ("is not a fiscal year", "no such file").
    """

    def __init__(self, source: str | None, location: str | None, problem: str):
        self.source, self.location, self.problem = source, location, problem
        super().__init__(render(self))

    def __str__(self) -> str:  # the parts may be set again (a caller adds the source)
        return render(self)


def render(error: BaseException, style: Style = "terminal") -> str:
    """The words a user reads for an error: ``source: location: problem`` on a terminal;
    the source on its own line, then ``location: problem``, in a dialog."""
    if not isinstance(error, LocatedError):
        return str(error)
    place = f"{error.location}: " if error.location else ""
    if not error.source:
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
