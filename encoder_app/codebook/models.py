"""Core codebook tables: releases, codes, instructional notes and 7th characters.

Every row belongs to one release, so releases live side by side and a date of service picks the
release in effect. Tables for the index, crosswalks and edit lists live in their own modules and
are imported at the bottom so that ``Base.metadata`` knows every table.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from encoder_app.codebook.base import Base

# The version (raise it when a table or column changes) is kept in its own module; read here too.
from encoder_app.codebook.schema_version import ADDITIVE_UPGRADES as ADDITIVE_UPGRADES
from encoder_app.codebook.schema_version import SCHEMA_VERSION as SCHEMA_VERSION


class SchemaInfo(Base):
    """One row: the schema version this database was created with."""

    __tablename__ = "schema_info"

    version: Mapped[int] = mapped_column(Integer, primary_key=True)


class Release(Base):
    """One imported release file: a code system's version with its effective date."""

    __tablename__ = "releases"

    id: Mapped[int] = mapped_column(primary_key=True)
    system: Mapped[str] = mapped_column(String(20))  # icd10cm, icd10pcs, hcpcs, cpt, ...
    kind: Mapped[str] = mapped_column(String(30))  # tabular, index, eindex, neoplasm, drug, ...
    version: Mapped[str] = mapped_column(String(40))
    label: Mapped[str] = mapped_column(String(200))
    effective_from: Mapped[dt.date] = mapped_column(Date)
    # Set only when the source says when the release ends; otherwise the next release ends it.
    effective_to: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    source_file: Mapped[str] = mapped_column(String(400))
    sha256: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    counts_json: Mapped[str] = mapped_column(Text, default="{}")

    __table_args__ = (Index("ix_releases_system_kind", "system", "kind", "effective_from"),)


class Code(Base):
    """A code or a heading of a code system as one release states it."""

    __tablename__ = "codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"))
    system: Mapped[str] = mapped_column(String(20))
    code: Mapped[str] = mapped_column(String(20))  # stored without the dot
    # chapter, block, category, subcategory, code (7th-character expansions), table, modifier, ...
    level: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    short_title: Mapped[str | None] = mapped_column(Text, nullable=True)
    billable: Mapped[bool] = mapped_column(Boolean, default=False)
    # A header whose codes take a 7th character (S72.001 needs A, B, C, ...).
    needs_seventh: Mapped[bool] = mapped_column(Boolean, default=False)
    # The heading this row sits under in the same release (block, chapter, table...).
    parent_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)  # order in the book
    # Per-code dates where the source keeps them (HCPCS ADD DT, ACT EFF DT, TERM DT).
    added_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    effective_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    terminated_on: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    extra_json: Mapped[str | None] = mapped_column(Text, nullable=True)

    __table_args__ = (
        Index("ix_codes_code_system", "code", "system"),
        # "does this release carry codes of this system" (release timelines, browsing)
        Index("ix_codes_system_release", "system", "release_id"),
        Index("ix_codes_release_code", "release_id", "code"),
        Index("ix_codes_parent", "parent_id"),
    )


class Note(Base):
    """An instructional note printed at a code in the Tabular List (Excludes1, code first, ...)."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"), index=True)
    # includes, inclusion_term, excludes1, excludes2, code_first, use_additional_code,
    # code_also, notes, seventh_character_note
    kind: Mapped[str] = mapped_column(String(30))
    seq: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class SeventhCharacter(Base):
    """A 7th-character choice defined at a category or subcategory and inherited below it."""

    __tablename__ = "seventh_characters"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="CASCADE"), index=True)
    char: Mapped[str] = mapped_column(String(1))
    label: Mapped[str] = mapped_column(Text)


# Register the tables defined elsewhere (index, crosswalks, edit lists, encounters, practice
# set-up, study, accounts) with Base.metadata.
from encoder_app.codebook import (  # noqa: E402, F401
    crosswalk_models,
    index_models,
    reference_models,
)
from encoder_app.encounters import models as encounter_models  # noqa: E402, F401
from encoder_app.practice import models as practice_models  # noqa: E402, F401
from encoder_app.study import models as study_models  # noqa: E402, F401
from encoder_app.users import models as user_models  # noqa: E402, F401
