"""The progress report every long job yields, so a terminal bar or a dialog can show it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    done: int
    total: int  # 0 when the total is not known yet
    label: str = ""

    @property
    def fraction(self) -> float:
        return self.done / self.total if self.total else 0.0


@dataclass(frozen=True)
class Waiting(Progress):
    """Progress of a job that waits for another encoder-app to finish the same kind of write
    (data_lock.py)."""
