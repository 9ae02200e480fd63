"""Big heaps on the background worker without a frozen window: millions of objects built (an
import, the search index) and dropped again, while the window's thread waits for the
interpreter lock.

Building: the cycle collector is paused. Each full collection walks every live object while
holding the interpreter lock, and as the heap grows they come again and again: 0.3-0.7 s each.
Reference counting still frees what the work drops; cycles made meanwhile wait for the next
collection after the pause.

Dropping: letting the last reference to a big list or dict go frees every item in one C call
that holds the lock (a search-index build's documents: 370 ms); drop_in_pieces frees it a
piece at a time, and the window gets the lock between pieces."""

from __future__ import annotations

import gc
from collections.abc import Iterator, MutableMapping, MutableSequence
from contextlib import contextmanager
from typing import Any

PIECE = 4096  # items dropped at a time by drop_in_pieces


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def drop_in_pieces(items: MutableSequence[Any] | MutableMapping[Any, Any]) -> None:
    """Empty a big list or dict ``PIECE`` items at a time: one ``clear()`` (or the last
    reference let go) frees them all in a single call. Anything else holding the items must
    be dropped first, or this frees nothing."""
    if isinstance(items, MutableMapping):
        keys = list(items)
        while keys:
            for key in keys[-PIECE:]:
                del items[key]
            del keys[-PIECE:]
        return
    while items:
        del items[-PIECE:]
