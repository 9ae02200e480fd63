"""A student's progress, figured from their stored attempts: accuracy overall, by chapter (the
area of the book), by drill kind and by day, their weakest areas, and how many missed items are
due again. The window's progress pane and `encoder-app study progress` print these same figures.
An instructor exports the attempts themselves as CSV.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from encoder_app.files import write_text_atomically
from encoder_app.study.attempts import Attempt, attempts, card_count, due_items

#: An area needs this many attempts before it can be called weak: one miss is not a pattern.
MIN_FOR_WEAKEST = 3
#: Below this accuracy an area is listed as weak.
WEAK_BELOW = 0.8
CSV_COLUMNS = ("user", "answered_at", "mode", "kind", "set", "item", "area", "score", "entered",
               "seconds")


@dataclass(frozen=True)
class Tally:
    name: str
    attempts: int
    accuracy: float  # mean score, 0 to 1

    def to_json(self) -> dict:
        return {"name": self.name, "attempts": self.attempts,
                "accuracy": round(self.accuracy, 4)}


@dataclass(frozen=True)
class Progress:
    user: str
    attempts: int
    accuracy: float
    by_area: tuple[Tally, ...]
    by_kind: tuple[Tally, ...]
    by_day: tuple[Tally, ...]  # name: YYYY-MM-DD, oldest first
    weakest: tuple[Tally, ...]
    due_now: int
    cards: int

    def to_json(self) -> dict:
        return {"user": self.user, "attempts": self.attempts,
                "accuracy": round(self.accuracy, 4),
                "by_chapter": [t.to_json() for t in self.by_area],
                "by_kind": [t.to_json() for t in self.by_kind],
                "by_day": [t.to_json() for t in self.by_day],
                "weakest": [t.to_json() for t in self.weakest],
                "due_now": self.due_now, "cards": self.cards}


def _tallies(groups: dict[str, list[float]]) -> list[Tally]:
    return [Tally(name, len(scores), sum(scores) / len(scores))
            for name, scores in groups.items()]


def figures(user: str, history: Iterable[Attempt], due_now: int = 0, cards: int = 0) -> Progress:
    """The figures for a list of attempts (pure: the database is read by ``progress``)."""
    by_area: dict[str, list[float]] = defaultdict(list)
    by_kind: dict[str, list[float]] = defaultdict(list)
    by_day: dict[str, list[float]] = defaultdict(list)
    scores = []
    for a in history:
        scores.append(a.score)
        by_area[a.area].append(a.score)
        by_kind[a.kind].append(a.score)
        by_day[a.answered_at.date().isoformat()].append(a.score)
    areas = sorted(_tallies(by_area), key=lambda t: t.name)
    weakest = sorted((t for t in areas if t.attempts >= MIN_FOR_WEAKEST and
                      t.accuracy < WEAK_BELOW), key=lambda t: (t.accuracy, -t.attempts))[:5]
    return Progress(user, len(scores), sum(scores) / len(scores) if scores else 0.0,
                    tuple(areas), tuple(sorted(_tallies(by_kind), key=lambda t: t.name)),
                    tuple(sorted(_tallies(by_day), key=lambda t: t.name)), tuple(weakest),
                    due_now, cards)


def progress(engine: Engine, user: str, now: dt.datetime | None = None) -> Progress:
    return figures(user, attempts(engine, user), len(due_items(engine, user, now, limit=10_000)),
                   card_count(engine, user))


def attempts_csv(engine: Engine, user: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for a in attempts(engine, user):
        writer.writerow([a.user, a.answered_at.isoformat(timespec="seconds"), a.mode, a.kind,
                         a.set_name or "", a.item, a.area, f"{a.score:.2f}",
                         " ".join(a.entered), "" if a.seconds is None else a.seconds])
    return out.getvalue()


def export_attempts(engine: Engine, user: str, path: Path | str) -> int:
    """Write a user's attempts as CSV (owner-only, atomically); returns the number of rows."""
    text = attempts_csv(engine, user)
    write_text_atomically(path, text)
    return text.count("\n") - 1
