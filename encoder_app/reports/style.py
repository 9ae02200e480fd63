"""The look shared by every report: colours, paragraph styles, and how money and dates print."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from encoder_app.reports.fonts import report_fonts

INK = colors.HexColor("#1b1f24")
MUTED = colors.HexColor("#5b6470")
ACCENT = colors.HexColor("#1f3a5f")  # practice name, report title, table headings
RULE = colors.HexColor("#9aa4ae")
HAIRLINE = colors.HexColor("#c9d0d7")
SHADE = colors.HexColor("#e6ebf1")  # table headings and section titles
BAND = colors.HexColor("#f4f6f9")  # the patient strip, every other day-sheet row
ALERT = colors.HexColor("#a4261d")
ALERT_FILL = colors.HexColor("#fcecea")

CENT = Decimal("0.01")


def money(amount: Decimal | None) -> str:
    """'1,234.50'; blank for no amount (a fee the practice has not set)."""
    if amount is None:
        return ""
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def dollars(amount: Decimal | None) -> str:
    """'$1,234.50' for totals; a negative balance (a credit) prints as '-$12.00'."""
    if amount is None:
        return ""
    text = money(abs(amount))
    return f"-${text}" if amount < 0 else f"${text}"


def us_date(day: dt.date | None) -> str:
    """Dates as US claim forms print them: 04/14/2026."""
    return f"{day:%m/%d/%Y}" if day else ""


@functools.cache
def styles() -> dict[str, ParagraphStyle]:
    """Named paragraph styles; built once, after the font family is registered."""
    f = report_fonts()
    base = ParagraphStyle("body", fontName=f.regular, fontSize=8.5, leading=10.5,
                          textColor=INK, alignment=TA_LEFT)

    def make(name: str, **changes) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **changes)

    return {
        "body": base,
        "small": make("small", fontSize=7.5, leading=9),
        "muted": make("muted", fontSize=7.5, leading=9, textColor=MUTED),
        "label": make("label", fontSize=6.5, leading=8, textColor=MUTED),
        "small_right": make("small_right", fontSize=7.5, leading=9, alignment=TA_RIGHT),
        "code": make("code", fontName=f.bold, fontSize=7.5, leading=9),
        "value": make("value", fontName=f.bold, fontSize=9, leading=11),
        "right": make("right", alignment=TA_RIGHT),
        "right_bold": make("right_bold", fontName=f.bold, alignment=TA_RIGHT),
        "bold": make("bold", fontName=f.bold),
        "th": make("th", fontName=f.bold, fontSize=7.5, leading=9, textColor=ACCENT),
        "th_right": make("th_right", fontName=f.bold, fontSize=7.5, leading=9,
                         textColor=ACCENT, alignment=TA_RIGHT),
        "practice": make("practice", fontName=f.bold, fontSize=13, leading=16,
                         textColor=ACCENT),
        "title": make("title", fontName=f.bold, fontSize=14, leading=17, textColor=ACCENT,
                      alignment=TA_RIGHT),
        "section": make("section", fontName=f.bold, fontSize=9.5, leading=12,
                        textColor=ACCENT, spaceBefore=8, spaceAfter=3),
        "alert_title": make("alert_title", fontName=f.bold, fontSize=9, leading=11,
                            textColor=ALERT),
        "alert": make("alert", fontSize=7.5, leading=9.5),
        "note": make("note", fontName=f.italic, fontSize=7.5, leading=9, textColor=ALERT),
    }


def para(text: str, style: str = "body") -> Paragraph:
    """A paragraph of plain text: names like "O'Brien & Sons <LLC>" are escaped, not markup."""
    return Paragraph(escape(text), styles()[style])


def markup(text: str, style: str = "body") -> Paragraph:
    """A paragraph whose text already holds <b>/<font> markup (callers escape the values)."""
    return Paragraph(text, styles()[style])
