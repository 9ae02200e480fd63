"""Typed errors the core raises, each with a message a coder can act on."""

from __future__ import annotations


class EncoderError(Exception):
    """Base of every error the app reports to a user instead of a traceback."""


class ImportFailed(EncoderError):
    """A release file could not be imported; nothing from it was written."""

    def __init__(self, source: str, where: str | None, problem: str):
        self.source = source
        self.where = where
        self.problem = problem
        place = f"{source}: {where}: " if where else f"{source}: "
        super().__init__(place + problem)


class BadRecord(EncoderError):
    """Raised inside an importer for one bad row, line or element; the runner adds the file name."""

    def __init__(self, where: str, problem: str):
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class UnknownCode(EncoderError):
    """A code that no loaded release knows."""


class NoRelease(EncoderError):
    """No release of a code system is loaded."""


class MissingDependency(EncoderError):
    """A required package or data file is not installed."""


class SchemaMismatch(EncoderError):
    """The database was written by a version of the app with a different table layout."""
