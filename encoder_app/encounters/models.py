"""Tables for the coder's own work: saved encounters, their audit log and favorite codes.

They share ``Base`` with the codebook so one database (and one ``create_all``) holds both;
``encoder_app.codebook.models`` imports this module at its bottom to register the tables.

An encounter is stored as its encounter JSON document (the file format, unknown fields kept),
with a few columns copied out of it for listing and searching without decoding every document.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from encoder_app.codebook.base import Base


class EncounterRecord(Base):
    """One saved encounter; soft-deleted so its audit trail stays readable."""

    __tablename__ = "encounters"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(200), default="")  # the patient's name as typed
    # Casefolded, accents stripped: a search for "muller" finds "Müller" on any database.
    label_key: Mapped[str] = mapped_column(String(200), default="")
    date_of_service: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    setting: Mapped[str] = mapped_column(String(30), default="practitioner")
    diagnosis_count: Mapped[int] = mapped_column(Integer, default=0)
    procedure_count: Mapped[int] = mapped_column(Integer, default=0)
    document: Mapped[str] = mapped_column(Text)  # the encounter JSON, as the file holds it
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    # Optimistic saves: each save of a changed encounter makes version + 1, and a save that
    # started from an older version is refused (store.EncounterConflict) instead of
    # overwriting what another workstation saved in between.
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_by: Mapped[str] = mapped_column(String(100), default="", server_default="")
    # Made by the workstation when the encounter is new: a save retried after the server went
    # away mid-save finds the row it may already have written instead of writing a second.
    client_key: Mapped[str | None] = mapped_column(String(36), nullable=True)

    __table_args__ = (
        Index("ix_encounters_updated", "deleted", "updated_at"),
        Index("ix_encounters_date", "deleted", "date_of_service"),
        Index("ix_encounters_client_key", "client_key", unique=True),
    )
    # The ORM writes every change as UPDATE ... WHERE id = ? AND version = ? and bumps the
    # version: a row another workstation saved in between matches nothing (StaleDataError).
    __mapper_args__ = {"version_id_col": version}


class AuditEntry(Base):
    """One change to an assigned code, modifier, units, pointer or charge: who, when, before,
    after. ``field`` names the place 1-based as a coder reads it: ``diagnoses[2]`` is the second
    diagnosis, ``procedures[1].modifiers`` the modifiers of claim line 1."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    encounter_id: Mapped[int] = mapped_column(ForeignKey("encounters.id", ondelete="CASCADE"))
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    user: Mapped[str] = mapped_column(String(100))
    field: Mapped[str] = mapped_column(String(100))
    before: Mapped[str | None] = mapped_column(Text, nullable=True)  # None: there was nothing
    after: Mapped[str | None] = mapped_column(Text, nullable=True)  # None: it was removed
    workstation: Mapped[str | None] = mapped_column(String(100), nullable=True)  # host name

    __table_args__ = (Index("ix_audit_log_encounter", "encounter_id", "id"),)


class Favorite(Base):
    """A code a user starred; one row per user, system and code."""

    __tablename__ = "favorites"

    id: Mapped[int] = mapped_column(primary_key=True)
    user: Mapped[str] = mapped_column(String(100))
    system: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(20))  # stored without the dot
    added_at: Mapped[dt.datetime] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("user", "system", "code", name="uq_favorites_user_code"),)
