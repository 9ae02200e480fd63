"""Crosswalk tables: the CMS General Equivalence Mappings between ICD-9-CM and ICD-10-CM."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from encoder_app.codebook.base import Base


class GemMapping(Base):
    """One GEM line: a source code, one target (or none) and the flags that qualify the match.

    A combination entry (one source needing several targets together) spans several rows with
    the same scenario; within a scenario, the choice list says which targets are alternatives
    for the same part of the meaning.
    """

    __tablename__ = "gem_mappings"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(
        ForeignKey("releases.id", ondelete="CASCADE"), index=True)
    direction: Mapped[str] = mapped_column(String(5))  # "10to9" or "9to10"
    source: Mapped[str] = mapped_column(String(8))  # without the dot, as in the GEM file
    target: Mapped[str | None] = mapped_column(String(8), nullable=True)  # None: no map (NoDx)
    approximate: Mapped[bool] = mapped_column(Boolean)
    no_map: Mapped[bool] = mapped_column(Boolean)
    combination: Mapped[bool] = mapped_column(Boolean)
    scenario: Mapped[int] = mapped_column(Integer)
    choice_list: Mapped[int] = mapped_column(Integer)

    # A coder looks up one source code in the release in effect.
    __table_args__ = (Index("ix_gem_mappings_lookup", "source", "release_id"),)
