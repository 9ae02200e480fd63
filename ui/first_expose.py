"""Run something once a shown window has been put on screen (its first expose, after which Qt
paints it), or after a short wait should the window system never say so (a window started
minimised). Qt paints a new window only when it is exposed, and on X11 that comes some event
loop turns after show(), so a zero timer alone would not wait for it."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 500


def after_first_paint(window: QWidget, then: Callable[[], None]) -> None:
    """`then` now when the window is hidden or already on screen, else after its first paint."""
    handle = window.windowHandle()
    if window.isVisible() and not (handle is not None and handle.isExposed()):
        FirstExpose(window, then)  # kept alive by its parent, the window, until it has run
    else:
        then()


class FirstExpose(QObject):
    def __init__(self, window: QWidget, then: Callable[[], None]):
        super().__init__(window)
        self._then: Callable[[], None] | None = then
        self._handle = window.windowHandle()
        if self._handle is not None:
            self._handle.installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self, self._run)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt name)
        if event.type() == QEvent.Type.Expose and self._handle is not None \
                and self._handle.isExposed():
            # The paint follows this event's handling; the zero timer runs after both.
            QTimer.singleShot(0, self, self._run)
        return False

    def _run(self) -> None:
        then, self._then = self._then, None
        if then is None:
            return
        try:
            if self._handle is not None and shiboken6.isValid(self._handle):
                self._handle.removeEventFilter(self)
        finally:
            then()  # whatever became of the window handle, the work starts
            self.deleteLater()
