"""Reference tables imported beside the code sets: GEMs, MCE lists, PCS definitions, NCCI and MUE."""

from __future__ import annotations
