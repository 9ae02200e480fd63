"""Reading printed PDFs back as a coder would read the page, and a practice to print with."""

from __future__ import annotations

import io
import re
from decimal import Decimal

import pytest
from pypdf import PdfReader

from encoder_app.practice.types import (
    FeeEntry,
    FeeSchedule,
    Payer,
    Practice,
    PracticeProvider,
)


class PrintedPages:
    """The text of each page laid out as printed (pypdf's layout mode): a table row reads as
    one line, its cells separated by runs of spaces."""

    def __init__(self, data: bytes):
        assert data.startswith(b"%PDF-")
        self.reader = PdfReader(io.BytesIO(data))
        self.pages = [p.extract_text(extraction_mode="layout") for p in self.reader.pages]

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    def rows(self, page: int | None = None) -> list[list[str]]:
        """Every non-blank line split into cells (two or more spaces apart)."""
        pages = self.pages if page is None else [self.pages[page]]
        return [re.split(r"\s{2,}", line.strip()) for text in pages
                for line in text.splitlines() if line.strip()]

    def has_row(self, *cells: str, page: int | None = None) -> bool:
        """Whether a printed line holds these cells in this order, side by side."""
        wanted = list(cells)
        for row in self.rows(page):
            for start in range(len(row) - len(wanted) + 1):
                if row[start:start + len(wanted)] == wanted:
                    return True
        return False


@pytest.fixture
def read_pdf():
    return PrintedPages


@pytest.fixture
def practice() -> Practice:
    return Practice(
        name="Lakeside Family Medicine, P.C.",
        address_lines=("1200 N. Lake Shore Drive, Suite 300", "Chicago, IL 60610"),
        phone="(312) 555-0142", tax_id="36-1234567", group_npi="1588667638",
        providers=(PracticeProvider("Ana Pérez", "MD", "1234567893"),
                   PracticeProvider("Tomás Ibáñez", "DO", "1245319599")),
        payers=(Payer("Aetna", "60054"),))


@pytest.fixture
def fees() -> FeeSchedule:
    return FeeSchedule((
        FeeEntry("99213", Decimal("110.00")),
        FeeEntry("99214", Decimal("165.00")),
        FeeEntry("20610", Decimal("150.00")),
        FeeEntry("20610", Decimal("225.00"), "50"),  # bilateral is priced on its own
        FeeEntry("36415", Decimal("15.00")),
        FeeEntry("J3301", Decimal("3.35")),
    ))
