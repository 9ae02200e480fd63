"""Storing a student's attempts and the spaced-repetition cards of the items they missed.

Each answer is one transaction: the attempt row and its card move together or not at all, so a
crash mid-session keeps every answer that was recorded and never a card without its attempt.
Rows are per user (``preferences.user_name()``: who is working on this machine).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from encoder_app.study import schedule
from encoder_app.study.models import StudyAttempt, StudyCard

MODES = ("study", "exam")


@dataclass(frozen=True)
class Attempt:
    """One graded answer, as stored and as progress reads it back."""

    user: str
    item: str  # "case:SET/ID" or "drill:KIND:..."
    kind: str  # "case" or the drill kind
    area: str  # the chapter (ICD-10-CM) or section (HCPCS) the item drills
    score: float
    entered: tuple[str, ...]
    mode: str = "study"
    set_name: str | None = None
    answered_at: dt.datetime = field(default_factory=dt.datetime.now)
    seconds: int | None = None


def case_item(set_name: str, case_id: str) -> str:
    return f"case:{set_name}/{case_id}"


def record(engine: Engine, attempt: Attempt, question: dict) -> dt.datetime | None:
    """Store the attempt and move the item's card; returns when the item is due again (None
    when it has no card: answered right and never missed)."""
    if attempt.mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    with Session(engine) as session, session.begin():
        session.add(StudyAttempt(
            user=attempt.user, item=attempt.item[:200], kind=attempt.kind,
            set_name=attempt.set_name, area=attempt.area[:200], mode=attempt.mode,
            score=attempt.score, entered=json.dumps(list(attempt.entered), ensure_ascii=False),
            answered_at=attempt.answered_at, seconds=attempt.seconds))
        card = session.execute(select(StudyCard).where(
            StudyCard.user == attempt.user, StudyCard.item == attempt.item[:200])).scalar()
        if card is None and not schedule.needs_card(attempt.score):
            return None
        when = attempt.answered_at.astimezone(dt.UTC)
        card_json, due = schedule.reviewed(card.card if card else None, attempt.score, when)
        if card is None:
            session.add(StudyCard(user=attempt.user, item=attempt.item[:200],
                                  question=json.dumps(question, ensure_ascii=False),
                                  card=card_json, due=due))
        else:
            card.card, card.due = card_json, due
        return due


def attempts(engine: Engine, user: str) -> list[Attempt]:
    """Every attempt of a user, oldest first."""
    with engine.connect() as conn:
        rows = conn.execute(select(StudyAttempt).where(StudyAttempt.user == user)
                            .order_by(StudyAttempt.answered_at, StudyAttempt.id)).all()
    return [Attempt(r.user, r.item, r.kind, r.area, r.score, tuple(json.loads(r.entered)),
                    r.mode, r.set_name, r.answered_at, r.seconds) for r in rows]


@dataclass(frozen=True)
class DueItem:
    item: str
    question: dict
    due: dt.datetime  # UTC


def due_items(engine: Engine, user: str, now: dt.datetime | None = None,
              limit: int = 50) -> list[DueItem]:
    """The items whose card is due, most overdue first."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(tzinfo=None)
    with engine.connect() as conn:
        rows = conn.execute(select(StudyCard.item, StudyCard.question, StudyCard.due)
                            .where(StudyCard.user == user, StudyCard.due <= now)
                            .order_by(StudyCard.due).limit(limit)).all()
    return [DueItem(r.item, json.loads(r.question), r.due) for r in rows]


def card_count(engine: Engine, user: str) -> int:
    with engine.connect() as conn:
        return len(conn.execute(select(StudyCard.id).where(StudyCard.user == user)).all())
