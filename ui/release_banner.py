"""The one banner that says the date of service is past the newest loaded release.

A coder in December 2026 is in FY2027 while the default codebook is FY2026: every code is then
judged by the newest release loaded, which the coder must know once, plainly, with what to do.
The banner says it above the panes and nothing else repeats it (not each code's validity, not
each finding)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel
from sqlalchemy import Engine

from encoder_app.codebook.releases import release_caveat
from encoder_app.codes import ICD10CM
from encoder_app.errors import EncoderError


class ReleaseBanner(QLabel):
    def __init__(self, engine: Engine):
        super().__init__()
        self.engine = engine
        self.setWordWrap(True)
        self.setStyleSheet("QLabel { background: #fff8c5; color: #1f2328; padding: 4px 8px;"
                           " border-bottom: 1px solid #d4a72c; }")
        self.hide()

    def follow(self, day: dt.date) -> None:
        """Shown when no loaded ICD-10-CM release covers the date of service."""
        try:
            caveat = release_caveat(self.engine, ICD10CM, day)
        except EncoderError:
            caveat = ""
        if caveat and "after the newest" in caveat:
            caveat += ". File > Import release files loads the newer release's files"
        self.setText(caveat[:1].upper() + caveat[1:] + ("." if caveat else ""))
        self.setVisible(bool(caveat))
