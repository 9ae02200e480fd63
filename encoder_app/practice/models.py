"""Tables for the practice set-up a superbill prints: the practice with its providers and
payers, its fee schedule, and its pick lists (check-off lists of codes).

They share ``Base`` with the codebook, registered by ``encoder_app.codebook.models`` at its
bottom. The rows are read and written only by ``setup.py``, ``fee_schedule.py`` and
``pick_lists.py``, which hand out the frozen values of ``types.py``.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from encoder_app.codebook.base import Base


class PracticeRecord(Base):
    """The billing practice; a database holds at most one (a practice tool for one office)."""

    __tablename__ = "practice"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")  # the address lines joined by "\n"
    phone: Mapped[str] = mapped_column(String(40), default="")
    tax_id: Mapped[str] = mapped_column(String(10), default="")  # "12-3456789"
    group_npi: Mapped[str] = mapped_column(String(10), default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class PracticeProviderRecord(Base):
    """A rendering provider, in the order the practice lists them."""

    __tablename__ = "practice_providers"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    credentials: Mapped[str] = mapped_column(String(40), default="")
    npi: Mapped[str] = mapped_column(String(10), default="")


class PayerRecord(Base):
    """An insurer the practice bills, in the order the practice lists them."""

    __tablename__ = "practice_payers"

    id: Mapped[int] = mapped_column(primary_key=True)
    practice_id: Mapped[int] = mapped_column(ForeignKey("practice.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(200))
    payer_id: Mapped[str] = mapped_column(String(40), default="")


class FeeRecord(Base):
    """The practice's charge for a code, or for the code with one modifier ("" for none)."""

    __tablename__ = "fee_schedule"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20))  # normalised: "99213", "J1100"
    modifier: Mapped[str] = mapped_column(String(2), default="")
    # Whole cents: SQLite has no decimal type, and a float would turn 0.10 into 0.1000000001.
    fee_cents: Mapped[int] = mapped_column(Integer)

    __table_args__ = (UniqueConstraint("code", "modifier", name="uq_fee_schedule_code"),)


class PickListRecord(Base):
    """A named check-off list; names are unique whatever their case."""

    __tablename__ = "pick_lists"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100), unique=True)  # casefolded, spaces single
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)


class PickSectionRecord(Base):
    """A titled section of a pick list; a section may be empty while a list is being built."""

    __tablename__ = "pick_list_sections"

    id: Mapped[int] = mapped_column(primary_key=True)
    pick_list_id: Mapped[int] = mapped_column(ForeignKey("pick_lists.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(100))

    __table_args__ = (Index("ix_pick_list_sections_list", "pick_list_id", "seq"),)


class PickItemRecord(Base):
    """One check-off line of a section."""

    __tablename__ = "pick_list_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    section_id: Mapped[int] = mapped_column(
        ForeignKey("pick_list_sections.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(Integer)
    system: Mapped[str] = mapped_column(String(12))  # "CPT", "HCPCS" or "ICD-10-CM"
    code: Mapped[str] = mapped_column(String(20))  # normalised, no dot
    modifier: Mapped[str] = mapped_column(String(2), default="")
    label: Mapped[str] = mapped_column(String(200))

    __table_args__ = (Index("ix_pick_list_items_section", "section_id", "seq"),)


class SetUpVersion(Base):
    """How many times a shared part of the set-up was saved, when and by whom: ``name`` is
    "practice", "fee schedule" or "pick list <name key>" (set_up_versions.py)."""

    __tablename__ = "set_up_versions"

    name: Mapped[str] = mapped_column(String(250), primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))
