"""The printed check-off superbill: patient and visit fields to fill by hand, the practice's
pick list in columns (a box to tick, the code, the practice's label, its fee), write-in lines for
diagnoses and other services, totals and the provider's signature."""

from __future__ import annotations

from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BalancedColumns,
    CondPageBreak,
    Flowable,
    KeepTogether,
    Spacer,
    Table,
    TableStyle,
)

from encoder_app.practice.types import FeeSchedule, PickItem, PickList, Practice
from encoder_app.reports.page import WIDTH, PrintedPdf, build_pdf, practice_block
from encoder_app.reports.style import ACCENT, HAIRLINE, INK, RULE, SHADE, money, para, styles

COLUMN_GAP = 8
DIAGNOSIS_LETTERS = "ABCDEFGHIJKL"  # the twelve the claim form has room for


class CheckBox(Flowable):
    """An empty square to tick with a pen."""

    def __init__(self, size: float = 7.5):
        super().__init__()
        self.size = size

    def wrap(self, available_width, available_height):
        return self.size, self.size

    def draw(self):
        self.canv.setStrokeColor(INK)
        self.canv.setLineWidth(0.6)
        self.canv.rect(0, 0, self.size, self.size)


def item_code(item: PickItem) -> str:
    """What the form prints for an item: '20610-RT' when the practice bills it with a modifier."""
    return f"{item.code}-{item.modifier}" if item.modifier else item.code


def item_fee(item: PickItem, fees: FeeSchedule):
    """The fee printed beside an item; diagnoses carry none."""
    if item.system == "ICD-10-CM":
        return None
    return fees.fee_for(item.code, (item.modifier,) if item.modifier else ())


def _fill_in(label: str) -> list[Flowable]:
    return [para(label.upper(), "label"), Spacer(1, 9)]


def visit_fields() -> Table:
    """The boxes the front desk fills in: who the patient is, who pays, when and where."""
    rows = [[_fill_in("Patient name"), "", _fill_in("Date of birth"), _fill_in("Sex   F / M"),
             _fill_in("Member ID"), ""],
            [_fill_in("Payer"), _fill_in("Date of service"), _fill_in("Rendering provider"), "",
             _fill_in("Place of service"), _fill_in("Payment received  $")]]
    widths = (0.19, 0.17, 0.17, 0.13, 0.16, 0.18)
    table = Table(rows, colWidths=[w * WIDTH for w in widths])
    table.setStyle(TableStyle([
        ("SPAN", (0, 0), (1, 0)), ("SPAN", (4, 0), (5, 0)), ("SPAN", (2, 1), (3, 1)),
        ("LINEBELOW", (0, 0), (-1, -1), 0.6, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
        ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return table


def fee_width(pick_list: PickList, fees: FeeSchedule) -> float:
    """The fee column wide enough for the widest fee on the list ("32,450.00" on one line)."""
    style = styles()["small_right"]
    widest = max((stringWidth(money(item_fee(item, fees)), style.fontName, style.fontSize)
                  for section in pick_list.sections for item in section.items), default=0)
    return max(32, widest + 5)  # the cell's padding


def _item_widths(width: float, fee: float = 32) -> list[float]:
    """Box, code, label, fee columns of one pick-list column ``width`` wide."""
    return [12, 46, width - 12 - 46 - fee, fee]


def section_table(title: str, items: tuple[PickItem, ...], fees: FeeSchedule,
                  width: float, fee: float = 32) -> Table:
    """One pick-list section: a shaded title (repeated if the section runs into the next
    column), then a row per item."""
    rows = [[para(title, "th"), "", "", ""]]
    for item in items:
        rows.append([CheckBox(), para(item_code(item), "code"), para(item.label, "small"),
                     para(money(item_fee(item, fees)), "small_right")])
    table = Table(rows, colWidths=_item_widths(width, fee), repeatRows=1, spaceAfter=4)
    table.setStyle(TableStyle([
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, HAIRLINE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("TOPPADDING", (0, 1), (0, -1), 2),  # the box sits on the text's baseline
        ("LEFTPADDING", (0, 0), (-1, -1), 2), ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _column_width(columns: int) -> float:
    return (WIDTH - (columns - 1) * COLUMN_GAP) / columns


def column_count(pick_list: PickList, fees: FeeSchedule | None = None) -> int:
    """Three columns, the classic form, when every label fits one line there; else two, so
    long labels do not wrap into rows twice as tall."""
    style = styles()["small"]
    fee = fee_width(pick_list, fees or FeeSchedule())
    room = _item_widths(_column_width(3), fee)[2] - 4  # less the cell's padding
    longest = max((stringWidth(item.label, style.fontName, style.fontSize)
                   for section in pick_list.sections for item in section.items), default=0)
    return 3 if longest <= room else 2


def pick_columns(pick_list: PickList, fees: FeeSchedule) -> Flowable:
    """The sections flowed through balanced columns; long lists continue on the next page."""
    columns = column_count(pick_list, fees)
    width = _column_width(columns)
    fee = fee_width(pick_list, fees)
    tables: list[Flowable] = [section_table(section.title, section.items, fees, width, fee)
                              for section in pick_list.sections if section.items]
    if not tables:  # BalancedColumns cannot lay out nothing
        return para(f"The pick list \u201c{pick_list.name}\u201d has no items yet; write the "
                    f"services below.", "muted")
    return BalancedColumns(tables, nCols=columns, innerPadding=COLUMN_GAP, leftPadding=0,
                           rightPadding=0, topPadding=0, bottomPadding=0)


def diagnosis_lines() -> Table:
    """A-L write-in lines: the order is the claim's, and services point to the letters."""
    rows, row = [], []
    for letter in DIAGNOSIS_LETTERS:
        row += [para(letter, "bold"), ""]
        if len(row) == 8:
            rows.append(row)
            row = []
    cell = (WIDTH - 4 * 12) / 4
    table = Table(rows, colWidths=[12, cell] * 4, rowHeights=[17] * len(rows))
    style = [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]
    style += [("LINEBELOW", (c, 0), (c, -1), 0.6, RULE) for c in (1, 3, 5, 7)]
    style += [("RIGHTPADDING", (c, 0), (c, -1), 10) for c in (1, 3, 5, 7)]
    table.setStyle(TableStyle(style))
    return table


def other_services(lines: int = 2) -> Table:
    heads = ["", "Code", "Modifiers", "Service", "Units", "Dx pointer", "Fee"]
    widths = [16, 60, 60, None, 40, 60, 60]
    widths[3] = WIDTH - sum(w for w in widths if w)
    rows = [[para(h, "th") for h in heads]] + [[CheckBox()] + [""] * 6 for _ in range(lines)]
    table = Table(rows, colWidths=widths, rowHeights=[None] + [17] * lines)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), SHADE), ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 1), (-1, -1), 0.6, RULE),
        ("LINEAFTER", (1, 1), (-2, -1), 0.3, HAIRLINE),
        ("VALIGN", (0, 1), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return table


def totals_and_signature() -> Table:
    """Signature and date lines on the left, the three money lines on the right."""
    rows = [["", "", "", para("Total charges", "bold"), para("$", "right")],
            ["", "", "", para("Payment received"), para("$", "right")],
            [para("Provider signature", "label"), "", para("Date", "label"),
             para("Balance due", "bold"), para("$", "right")]]
    widths = [3.0 * inch, 0.25 * inch, 1.2 * inch, 1.35 * inch]
    table = Table(rows, colWidths=widths + [WIDTH - sum(widths)], rowHeights=[18, 18, 18])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
        ("LINEBELOW", (0, 1), (0, 1), 0.6, RULE), ("LINEBELOW", (2, 1), (2, 1), 0.6, RULE),
        ("LINEBELOW", (4, 0), (4, -1), 0.6, RULE),
        ("LEFTPADDING", (0, 0), (2, -1), 0),
        ("LEFTPADDING", (3, 0), (-1, -1), 14),
    ]))
    return table


def render_blank_superbill(pick_list: PickList, practice: Practice | None = None,
                           fee_schedule: FeeSchedule | None = None) -> PrintedPdf:
    """The check-off form of a pick list, one page where it fits."""
    fees = fee_schedule or FeeSchedule()

    def header() -> Flowable:
        return practice_block(practice, "SUPERBILL")

    story: list[Flowable] = [visit_fields(), Spacer(1, 8), pick_columns(pick_list, fees)]
    story += [CondPageBreak(1.3 * inch), para("Diagnoses (ICD-10-CM) in the order billed; "
                                              "point each service to its letters", "section"),
              diagnosis_lines()]
    story += [KeepTogether([para("Other services", "section"), other_services()])]
    story += [Spacer(1, 8), KeepTogether(totals_and_signature())]
    footer = f"Superbill (check-off form) \u00b7 {pick_list.name}"
    return build_pdf(story, title=f"Superbill form {pick_list.name}", footer=footer,
                     header=header)
