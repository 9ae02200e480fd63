"""When a missed item comes back: the FSRS scheduler (the ``fsrs`` package, the one Anki uses,
MIT), not one of our own. A grade becomes an FSRS rating: a full score is Good, a partial one
Hard, less than half Again. An item answered right the first time gets no card; one missed gets
a card, and every later answer to it moves the card on.
"""

from __future__ import annotations

import datetime as dt
import json

from fsrs import Card, Rating, Scheduler

# Fuzzing spreads due dates randomly; a student's queue (and a test) should not depend on luck.
_SCHEDULER = Scheduler(enable_fuzzing=False)


def rating_for(score: float) -> Rating:
    if score >= 1.0:
        return Rating.Good
    if score >= 0.5:
        return Rating.Hard
    return Rating.Again


def needs_card(score: float) -> bool:
    """An item enters the schedule when it was missed (anything short of a full score)."""
    return score < 1.0


def _aware(when: dt.datetime) -> dt.datetime:
    return when if when.tzinfo else when.astimezone(dt.UTC)


def reviewed(card_json: str | None, score: float, when: dt.datetime) -> tuple[str, dt.datetime]:
    """The card after this answer, as stored JSON, and when the item is due again (UTC, naive,
    as the database keeps it)."""
    card = Card.from_dict(json.loads(card_json)) if card_json else Card()
    card, _log = _SCHEDULER.review_card(card, rating_for(score), _aware(when))
    due = card.due.astimezone(dt.UTC).replace(tzinfo=None)
    return json.dumps(card.to_dict()), due
