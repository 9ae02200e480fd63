"""Reference tables imported beside the code sets: GEMs, MCE lists, PCS definitions, NCCI and MUE.

Every row hangs off its release (``release_id`` with ON DELETE CASCADE), so replacing or deleting a
release removes its rows; each table has an index that starts with ``release_id`` so that cascade
does not scan the table. Lookup indexes are chosen for the questions the edits engine asks
(encoder_app/codebook/edit_tables.py), and no more: every extra index costs import time on the
2.5-million-row PTP files.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from encoder_app.codebook.base import Base

_RELEASE_FK = "releases.id"


def _release_id() -> Mapped[int]:
    return mapped_column(ForeignKey(_RELEASE_FK, ondelete="CASCADE"))


# --- ICD-10-PCS definitions -----------------------------------------------------------------


class PcsDefinition(Base):
    """One term of the ICD-10-PCS Definitions: a root operation, approach, device, body part..."""

    __tablename__ = "pcs_definitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = _release_id()
    section: Mapped[str] = mapped_column(String(1))  # "0" Medical and Surgical, "B" Imaging...
    section_title: Mapped[str] = mapped_column(String(100))
    axis_pos: Mapped[int] = mapped_column(SmallInteger)  # 3 = operation/type, 4 = body part...
    axis_title: Mapped[str] = mapped_column(String(60))
    term: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str | None] = mapped_column(Text, nullable=True)
    explanation: Mapped[str | None] = mapped_column(Text, nullable=True)
    includes: Mapped[str | None] = mapped_column(Text, nullable=True)  # joined with "; "

    __table_args__ = (
        Index("ix_pcs_definitions_release", "release_id", "section", "axis_pos"),
    )


class PcsDeviceAggregate(Base):
    """A row of the PCS Device Aggregation Table: a specific device coded as a general value."""

    __tablename__ = "pcs_device_aggregates"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = _release_id()
    device: Mapped[str] = mapped_column(String(200))  # "Autologous Arterial Tissue"
    operations: Mapped[str] = mapped_column(Text)  # "All applicable", or operations joined "; "
    body_systems: Mapped[str] = mapped_column(Text)  # joined with "; "
    parent_value: Mapped[str] = mapped_column(String(1))  # the 6th-character value coded: "7"
    parent_label: Mapped[str] = mapped_column(String(200))  # "Autologous Tissue Substitute"

    __table_args__ = (Index("ix_pcs_device_aggregates_release", "release_id"),)


# --- Medicare Code Editor -------------------------------------------------------------------


class MceEdit(Base):
    """A diagnosis on an MCE list: age or sex conflict, or a manifestation code."""

    __tablename__ = "mce_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = _release_id()
    code: Mapped[str] = mapped_column(String(8))  # ICD-10-CM without the dot
    description: Mapped[str] = mapped_column(Text)
    edit_group: Mapped[str] = mapped_column(String(20))  # age | sex | manifestation
    # newborn | pediatric | maternity | adult | female | male | manifestation
    category: Mapped[str] = mapped_column(String(20))
    rule: Mapped[str] = mapped_column(Text)  # as printed: "Maternity (Ages 9-64)"
    sex: Mapped[str | None] = mapped_column(String(1), nullable=True)  # F | M, sex edits only
    age_min: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)  # age edits only
    age_max: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)

    __table_args__ = (Index("ix_mce_edits_release_code", "release_id", "code"),)


class PoaExemptCode(Base):
    """A diagnosis on CMS's list of codes exempt from present-on-admission reporting."""

    __tablename__ = "poa_exempt_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = _release_id()
    code: Mapped[str] = mapped_column(String(8))  # ICD-10-CM without the dot

    __table_args__ = (Index("ix_poa_exempt_codes_release_code", "release_id", "code"),)


# --- NCCI -----------------------------------------------------------------------------------


class PtpRationale(Base):
    """A distinct PTP edit rationale of one release; ptp_edits points here to stay compact."""

    __tablename__ = "ptp_rationales"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = _release_id()
    text: Mapped[str] = mapped_column(String(200))

    __table_args__ = (Index("ix_ptp_rationales_release", "release_id"),)


class PtpEdit(Base):
    """An NCCI procedure-to-procedure edit: column 2 is not paid with column 1 on the same day.

    The setting (practitioner or outpatient hospital) is the release's kind.
    """

    __tablename__ = "ptp_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = _release_id()
    column1: Mapped[str] = mapped_column(String(5))
    column2: Mapped[str] = mapped_column(String(5))
    # None: in effect since before this file's quarter (the source leaves it empty).
    effective: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    # None: not deleted ('*' in the file). Otherwise the last date of service the edit applies to.
    deletion: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    modifier_indicator: Mapped[int] = mapped_column(SmallInteger)  # 0 not allowed, 1 allowed, 9 n/a
    # ptp_rationales.id. Deliberately no foreign key: with one, deleting the dozen rationale
    # rows of a replaced release would make SQLite scan millions of edits for each of them.
    rationale_id: Mapped[int | None] = mapped_column(Integer, nullable=True)

    # The only index: the edits lookup (release, column 1, column 2); release_id leads, so it
    # also serves the cascade when a release is replaced.
    __table_args__ = (Index("ix_ptp_edits_lookup", "release_id", "column1", "column2"),)


class MueLimit(Base):
    """A Medically Unlikely Edit: the most units of a code one patient gets on one date."""

    __tablename__ = "mue_limits"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = _release_id()
    code: Mapped[str] = mapped_column(String(5))
    units: Mapped[int] = mapped_column(Integer)
    # 1 = line edit, 2 = date-of-service edit (policy), 3 = date-of-service edit (clinical)
    adjudication: Mapped[int] = mapped_column(SmallInteger)
    adjudication_text: Mapped[str] = mapped_column(String(60))
    rationale: Mapped[str] = mapped_column(String(100))

    __table_args__ = (Index("ix_mue_limits_release_code", "release_id", "code"),)


class AddOnEdit(Base):
    """An add-on code and one primary code it may be billed with (or CCCCC: contractor decides)."""

    __tablename__ = "addon_edits"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = _release_id()
    addon: Mapped[str] = mapped_column(String(5))
    primary_code: Mapped[str] = mapped_column(String(5))  # "CCCCC": defined by the contractor
    edit_type: Mapped[int] = mapped_column(SmallInteger)  # AOC edit type 1, 2 or 3
    # Only in the CMS flat file's full layout; the short three-column form has neither.
    effective: Mapped[dt.date | None] = mapped_column(Date, nullable=True)
    deletion: Mapped[dt.date | None] = mapped_column(Date, nullable=True)

    __table_args__ = (Index("ix_addon_edits_release_addon", "release_id", "addon"),)
