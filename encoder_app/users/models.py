"""Tables for practice accounts and the practice's own audit trail.

They share ``Base`` with the codebook, registered by ``encoder_app.codebook.models`` at its
bottom. Accounts are read and written only by ``accounts.py``; the practice trail only by
``trail.py``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from encoder_app.codebook.base import Base


class UserAccount(Base):
    """Someone who signs in: a name unique regardless of case, a role and an argon2 hash of
    the password (never the password). Switched off rather than deleted, so the trail's names
    keep meaning someone."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))  # as typed when added
    name_key: Mapped[str] = mapped_column(String(100))  # casefolded: "Mary" signs in as "mary"
    role: Mapped[str] = mapped_column(String(20))  # roles.ROLES
    password_hash: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (Index("ix_users_name_key", "name_key", unique=True),)


class PracticeAuditEntry(Base):
    """One change to what the practice shares rather than to an encounter: the practice
    set-up, a fee, a pick list, an account. ``subject`` names it as an admin reads it
    ("fee 99213", "practice.phone", "pick list 'Family medicine'", "user mary.role")."""

    __tablename__ = "practice_audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(100))
    workstation: Mapped[str | None] = mapped_column(String(100), nullable=True)
    subject: Mapped[str] = mapped_column(String(200))
    before: Mapped[str | None] = mapped_column(Text, nullable=True)  # None: there was nothing
    after: Mapped[str | None] = mapped_column(Text, nullable=True)  # None: it was removed

    __table_args__ = (Index("ix_practice_audit_at", "at"),)
