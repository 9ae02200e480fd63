"""Pausing Python's cycle collector while millions of objects are built (an import, the search
index). Each full collection walks every live object while holding the interpreter lock, and as
the heap grows they come again and again: 0.3-0.7 s each, a frozen window while the work runs
on the background worker. Reference counting still frees what the work drops; cycles made
meanwhile wait for the next collection after the pause."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
