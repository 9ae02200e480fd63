"""The shipped sample file, ``codebooks/sample_practice.json``: a fictional practice, its fee
schedule and its pick list. Read here only; ``sample.py``, ``fee_schedule.py`` and
``pick_lists.py`` each take their part of it.

The sample is only ever loaded on request, so its fictional names cannot end up on a real
practice's bills.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from encoder_app.practice.setup import PracticeError

SAMPLE_FILE = "sample_practice.json"
SAMPLE_FORMAT = "encoder-app-sample-practice/1"


def sample_path() -> Path:
    """The sample in a checkout's ``codebooks/``, or its installed copy (encoder_app.codebooks)."""
    in_checkout = Path(__file__).resolve().parents[2] / "codebooks" / SAMPLE_FILE
    if in_checkout.is_file():
        return in_checkout
    return Path(str(resources.files("encoder_app.codebooks").joinpath(SAMPLE_FILE)))


@lru_cache(maxsize=1)
def _sample_text() -> str:
    return sample_path().read_text(encoding="utf-8")


def sample_document() -> dict[str, Any]:
    """The decoded sample file (a fresh copy each call: callers may not share mutable state)."""
    data = json.loads(_sample_text())
    if data.get("format") != SAMPLE_FORMAT:
        raise PracticeError(SAMPLE_FILE, f"its format is not {SAMPLE_FORMAT!r}")
    return data
