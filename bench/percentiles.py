"""The figures every bench prints: a percentile of timings (nearest rank), one way for all."""

from __future__ import annotations


def percentile(values: list[float], p: float) -> float:
    """The value at percentile ``p`` (0-100) of ``values``, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]
