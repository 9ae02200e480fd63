"""Laying a report out on Letter pages: the header repeated on every page, "Page N of M" in the
footer, and the practice block that heads superbills and day sheets."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import LETTER
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from encoder_app.errors import EncoderError
from encoder_app.practice.types import Practice
from encoder_app.reports.fonts import report_fonts
from encoder_app.reports.style import HAIRLINE, MUTED, RULE, markup, para

MARGIN = 0.5 * inch
#: The width between the margins of a Letter page: every report's tables span it.
WIDTH = LETTER[0] - 2 * MARGIN
HEADER_GAP = 8  # points between the repeated header and the page's content
FOOTER_BASELINE = 0.38 * inch


class ReportDoesNotFit(EncoderError):
    """A block of a report (one table row, the page header) is taller than a page.

    The readers keep every field short enough that this does not happen; it is here so that a
    field they missed ends in this message, not in ReportLab's traceback."""


@dataclass(frozen=True)
class PrintedPdf:
    """A finished PDF and how many pages it has (the CLI says "wrote visit.pdf (2 pages)")."""

    data: bytes
    pages: int


def _numbered_canvas(footer: str, counted: list[int]) -> type[Canvas]:
    """A canvas that holds every page until the end, so each footer can say "of M"."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self):  # noqa: N802 (ReportLab's name)
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._held)
            counted.append(total)
            for state in self._held:
                self.__dict__.update(state)
                self._footer(total)
                super().showPage()
            super().save()

        def _footer(self, total: int) -> None:
            width, _ = self._pagesize
            fonts = report_fonts()
            self.saveState()
            self.setStrokeColor(HAIRLINE)
            self.setLineWidth(0.5)
            self.line(MARGIN, FOOTER_BASELINE + 10, width - MARGIN, FOOTER_BASELINE + 10)
            self.setFillColor(MUTED)
            self.setFont(fonts.regular, 7)
            self.drawString(MARGIN, FOOTER_BASELINE, footer)
            self.drawRightString(width - MARGIN, FOOTER_BASELINE,
                                 f"Page {self._pageNumber} of {total}")
            self.restoreState()

    return NumberedCanvas


def build_pdf(story: Sequence[Flowable], *, title: str, footer: str,
              header: Callable[[], Flowable] | None = None, pagesize=LETTER) -> PrintedPdf:
    """Lay the story out; ``header`` makes the block drawn at the top of every page (called
    per page: a flowable is laid out for one place at a time)."""
    width, height = pagesize
    frame_width = width - 2 * MARGIN
    header_height = 0.0
    if header is not None:
        _, header_height = header().wrap(frame_width, height)
        header_height += HEADER_GAP

    def draw_header(canvas: Canvas, _doc) -> None:
        if header is None:
            return
        block = header()
        _, used = block.wrapOn(canvas, frame_width, height)
        block.drawOn(canvas, MARGIN, height - MARGIN - used)

    out = io.BytesIO()
    doc = BaseDocTemplate(
        out, pagesize=pagesize, leftMargin=MARGIN, rightMargin=MARGIN,
        topMargin=MARGIN + header_height, bottomMargin=MARGIN + 0.2 * inch,
        title=title, author="encoder-app", creator="encoder-app",
        invariant=1)  # no timestamp or random id: the same encounter prints the same bytes
    # No frame padding: tables are as wide as the header above them, edges aligned.
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=draw_header)])
    counted: list[int] = []
    try:
        doc.build(list(story), canvasmaker=_numbered_canvas(footer, counted))
    except LayoutError:
        raise ReportDoesNotFit("does not fit on a Letter page: a field is too long to print "
                               "(a table row or the page header is taller than the page)") \
            from None
    return PrintedPdf(out.getvalue(), counted[-1])


def practice_block(practice: Practice | None, title: str, stand_in: str = "",
                   width: float = WIDTH) -> Table:
    """The practice's name, address and phone on the left, the report title with tax id and
    group NPI on the right. Without practice details it prints ``stand_in`` (the encounter's
    provider) and says the details are missing, rather than inventing a practice."""
    if practice is not None:
        left = [para(practice.name, "practice")]
        left += [para(line, "small") for line in practice.address_lines if line]
        if practice.phone:
            left.append(para(f"Phone {practice.phone}", "small"))
        right = [para(title, "title")]
        if practice.tax_id:
            right.append(markup(f"Tax ID <b>{escape(practice.tax_id)}</b>", "right"))
        if practice.group_npi:
            right.append(markup(f"Group NPI <b>{escape(practice.group_npi)}</b>", "right"))
    else:
        left = [para(stand_in, "practice")] if stand_in else []
        left.append(para("Practice details not set up: no address, tax id or group NPI to "
                         "print.", "note"))
        right = [para(title, "title")]
    table = Table([[left, right]], colWidths=[width * 0.62, width * 0.38])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, RULE),
    ]))
    return table


def stacked(blocks: Sequence[Flowable], width: float = WIDTH,
            gap: float = 4) -> Table:
    """Blocks one above the other as one flowable (a page header is drawn as a single piece)."""
    table = Table([[b] for b in blocks], colWidths=[width])
    table.setStyle(TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), gap),
    ]))
    return table
