"""Tables of study mode: the exercise sets an instructor imported, every attempt a student made,
and each item's spaced-repetition card. They share ``Base`` with the codebook (one database, one
``create_all``); ``encoder_app.codebook.models`` imports this module to register them.

Attempts are only ever added, never rewritten, so a bad file or a crash mid-session cannot take
away a student's history: progress and the CSV export read them as they were stored.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Float, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from encoder_app.codebook.base import Base


class StudySet(Base):
    """An exercise set imported by an instructor, kept as its JSON document."""

    __tablename__ = "study_sets"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    document: Mapped[str] = mapped_column(Text)
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)


class StudyAttempt(Base):
    """One answer to one case or drill question, graded when it was given."""

    __tablename__ = "study_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    user: Mapped[str] = mapped_column(String(100))
    item: Mapped[str] = mapped_column(String(200))  # "case:diabetes/diabetes-01", "drill:..."
    kind: Mapped[str] = mapped_column(String(30))  # "case" or a drill kind
    set_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    area: Mapped[str] = mapped_column(String(200))  # the chapter or HCPCS section it drills
    mode: Mapped[str] = mapped_column(String(10))  # "study" (graded at once) or "exam"
    score: Mapped[float] = mapped_column(Float)  # 0 to 1
    entered: Mapped[str] = mapped_column(Text)  # JSON list of the codes or answer given
    answered_at: Mapped[dt.datetime] = mapped_column(DateTime)
    seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)

    __table_args__ = (Index("ix_study_attempts_user_time", "user", "answered_at"),)


class StudyCard(Base):
    """An item a student missed, on its FSRS schedule; the question is kept so a generated drill
    question comes back exactly as it was asked."""

    __tablename__ = "study_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    user: Mapped[str] = mapped_column(String(100))
    item: Mapped[str] = mapped_column(String(200))
    question: Mapped[str] = mapped_column(Text)  # JSON: what to ask again
    card: Mapped[str] = mapped_column(Text)  # JSON: fsrs.Card.to_dict()
    due: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("user", "item", name="uq_study_cards_user_item"),
                      Index("ix_study_cards_user_due", "user", "due"))
