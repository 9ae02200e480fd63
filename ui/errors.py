"""The one way the window shows an error, so a user sees every error alike and a developer
finds them all here.

Three places, by how much the error stops the user:
- ``show_error``: a message box, for an action that did not happen (open, export, print);
- ``StatusLine.problem`` (ui/practice/forms.py): the red line under a form, for a field to fix; it
  takes the error itself and renders it here;
- the status bar, for a background save that failed (``one_line``), or a field of the encounter
  being typed that keeps it from being saved or checked (``field_line``).

The words come from the core's ``errors.render``: a located error names its file, row or field
the same way on the terminal and in the window.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from encoder_app.errors import render

log = logging.getLogger("encoder_app.window")  # under the app's logger: in its log file


def dialog_text(error: BaseException | str) -> str:
    """An error laid out for a message box: the file on a line of its own."""
    return error if isinstance(error, str) else render(error, "dialog")


def one_line(error: BaseException | str) -> str:
    """An error on one line, for the status bar or a form's status line."""
    return error if isinstance(error, str) else render(error, "terminal")


def field_line(error: BaseException | str) -> str:
    """An error about the form being typed, for a finding or a status line: the field in the
    user's words and the problem ("date of service: ... is not a date"), without the source."""
    return error if isinstance(error, str) else render(error, "field")


def show_error(parent: QWidget | None, title: str, error: BaseException | str,
               fatal: bool = False) -> None:
    """A message box for an action that did not happen. The log gets the kind of error only:
    its text may quote a patient's field."""
    if not isinstance(error, str):
        log.info("%s: shown to the user: %s", title, type(error).__name__)
    box = QMessageBox.critical if fatal else QMessageBox.warning
    box(parent, title, dialog_text(error))
