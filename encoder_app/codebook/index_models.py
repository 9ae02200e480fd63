"""Alphabetic Index tables: index terms (with their see/see-also) and table cells (Neoplasm, Drug).

One IndexTerm row per <mainTerm> or <term> of a CDC/CMS index book. The books of a release are
told apart by their Release row (kind index, eindex, neoplasm or drug; system icd10cm or
icd10pcs). Codes are kept exactly as the index prints them (dotted, trailing dashes kept:
"S72.9-", "C64-", "H65.-"), because the dash tells the coder that more characters are needed,
and "C64-" and "H65.-" cannot both be rebuilt from an undotted form.
"""

from __future__ import annotations

import re

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from encoder_app.codebook.base import Base

_APOSTROPHES = str.maketrans("", "", "'\u2019")
_NOT_WORD = re.compile(r"[\W_]+")


def title_key(text: str) -> str:
    """The form index titles are matched in: "Aarskog's syndrome" -> "aarskogs syndrome".

    Case folded, apostrophes dropped (a coder types "aarskog"), every other punctuation mark a
    word break, so "Fracture, traumatic", "fracture traumatic" and "FRACTURE-TRAUMATIC" agree.
    """
    return _NOT_WORD.sub(" ", text.casefold().translate(_APOSTROPHES)).strip()


class IndexTerm(Base):
    """A main term (level 0) or a subterm of an index book, with what it points the coder to."""

    __tablename__ = "index_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(
        ForeignKey("releases.id", ondelete="CASCADE"), index=True)
    # Plain integers, not foreign keys: the whole book is written and deleted together, and a
    # self-referencing cascade would only slow the delete of a replaced release.
    parent_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    main_term_id: Mapped[int] = mapped_column(Integer)  # a main term points at itself
    level: Mapped[int] = mapped_column(Integer)  # 0 = main term, 1.. = <term level=N>
    seq: Mapped[int] = mapped_column(Integer)  # order in the book
    # Printed title without its nonessential modifiers; for a title that is only a nemod
    # ("(somatoform)") the nemod itself. Empty for an ICD-10-PCS term that is only a see/use.
    title: Mapped[str] = mapped_column(Text)
    nemod: Mapped[str | None] = mapped_column(Text, nullable=True)  # "(-astasia) (hysterical)"
    # The title as printed, nemods in place: "Acid (corrosive) NEC".
    display: Mapped[str] = mapped_column(Text)
    # Lower-case title with punctuation folded to spaces ("fracture traumatic"): the column the
    # main-term prefix lookup walks, so case never matters and no LIKE is needed.
    title_key: Mapped[str] = mapped_column(Text)
    # Titles from the main term down, " > " between levels, for display and text search.
    path: Mapped[str] = mapped_column(Text)
    # title_key of the whole path, nonessential modifiers included ("fracture traumatic abduction
    # adduction separation femur femoral"): lets the database pick the subterms whose path holds
    # every word typed with a plain LIKE '% word%' per word, instead of walking subtrees in Python.
    path_key: Mapped[str] = mapped_column(Text)
    code: Mapped[str | None] = mapped_column(String(20), nullable=True)
    manif: Mapped[str | None] = mapped_column(String(40), nullable=True)  # code shown in brackets
    see: Mapped[str | None] = mapped_column(Text, nullable=True)
    see_also: Mapped[str | None] = mapped_column(Text, nullable=True)
    seecat: Mapped[str | None] = mapped_column(String(20), nullable=True)  # "see category T71"
    subcat: Mapped[str | None] = mapped_column(String(20), nullable=True)  # "see subcategory"
    # ICD-10-PCS only: "use" a body-part or device value, a table (0QB) or code prefix (0UT9).
    use: Mapped[str | None] = mapped_column(Text, nullable=True)
    tab: Mapped[str | None] = mapped_column(String(10), nullable=True)
    codes: Mapped[str | None] = mapped_column(String(10), nullable=True)

    __table_args__ = (
        # Main-term lookup: release + level 0 + a range on the key (case-insensitive prefix).
        Index("ix_index_terms_release_level_key", "release_id", "level", "title_key"),
        Index("ix_index_terms_parent", "parent_id"),
        Index("ix_index_terms_main_term", "main_term_id"),
    )


class TableCell(Base):
    """One cell of a Neoplasm or Drug table row: the code in column `col` (as printed, "-" none)."""

    __tablename__ = "index_table_cells"

    id: Mapped[int] = mapped_column(primary_key=True)
    term_id: Mapped[int] = mapped_column(
        ForeignKey("index_terms.id", ondelete="CASCADE"), index=True)
    col: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20))


class TableHeading(Base):
    """A column heading of a Neoplasm or Drug table ("Malignant Primary", "Adverse effect")."""

    __tablename__ = "index_table_headings"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(
        ForeignKey("releases.id", ondelete="CASCADE"), index=True)
    col: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text)
