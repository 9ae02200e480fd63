"""The day sheet on paper: encounters grouped by day with day totals, totals per provider and
per day, the grand total, and a bar chart of charges per day."""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from encoder_app.reports.daysheet import DaySheet, Subtotal
from encoder_app.reports.fonts import report_fonts
from encoder_app.reports.page import WIDTH, PrintedPdf, build_pdf, practice_block, stacked
from encoder_app.reports.style import (
    ACCENT,
    BAND,
    HAIRLINE,
    INK,
    MUTED,
    RULE,
    SHADE,
    dollars,
    markup,
    money,
    para,
    us_date,
)

# Date, patient, provider, diagnoses, services, charges.
ROW_WIDTHS = [0.8 * inch, 1.35 * inch, 1.7 * inch, 1.05 * inch, 1.75 * inch]
ROW_WIDTHS.append(WIDTH - sum(ROW_WIDTHS))


def _range(sheet: DaySheet) -> str:
    if sheet.start == sheet.end:
        return us_date(sheet.start)
    return f"{us_date(sheet.start)} \u2013 {us_date(sheet.end)}"


def range_strip(sheet: DaySheet) -> Table:
    count = len(sheet.rows)
    text = (f"Dates of service <b>{_range(sheet)}</b> \u00b7 {count} encounter"
            f"{'s' if count != 1 else ''} \u00b7 charges <b>{dollars(sheet.grand_total)}</b>")
    table = Table([[markup(text)]], colWidths=[WIDTH])
    table.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), BAND),
                               ("BOX", (0, 0), (-1, -1), 0.6, RULE),
                               ("TOPPADDING", (0, 0), (-1, -1), 4),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return table


def encounter_table(sheet: DaySheet) -> Table:
    heads = ["Date", "Patient", "Provider", "Diagnoses", "Services", "Charges"]
    rows = [[para(h, "th_right" if h == "Charges" else "th") for h in heads]]
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT), ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    for day in sheet.days:
        for r in (r for r in sheet.rows if r.date_of_service == day):
            charges = money(r.charges) + (" *" if r.unpriced_lines else "")
            rows.append([para(us_date(day)), para(r.patient), para(r.provider, "small"),
                         para(", ".join(r.diagnoses), "small"),
                         para(", ".join(r.services), "small"), para(charges, "right")])
            style.append(("LINEBELOW", (0, len(rows) - 1), (-1, len(rows) - 1), 0.3, HAIRLINE))
        total = sheet.day_total(day)
        rows.append([para(f"Total for {us_date(day)} ({_count(total)})", "bold"), "", "", "",
                     "", para(money(total.charges), "right_bold")])
        at = len(rows) - 1
        style += [("SPAN", (0, at), (4, at)), ("BACKGROUND", (0, at), (-1, at), BAND),
                  ("LINEBELOW", (0, at), (-1, at), 0.6, RULE)]
    table = Table(rows, colWidths=ROW_WIDTHS, repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _count(subtotal: Subtotal) -> str:
    n = subtotal.encounters
    return f"{n} encounter{'s' if n != 1 else ''}"


def subtotal_table(title: str, subtotals: list[Subtotal], grand_total) -> Table:
    rows = [[para(title, "th"), para("Encounters", "th_right"), para("Charges", "th_right")]]
    for s in subtotals:
        rows.append([para(s.label), para(str(s.encounters), "right"),
                     para(money(s.charges), "right")])
    rows.append([para("All", "bold"), para(str(sum(s.encounters for s in subtotals)),
                                           "right_bold"),
                 para(money(grand_total), "right_bold")])
    table = Table(rows, colWidths=[2.05 * inch, 0.82 * inch, 0.78 * inch], repeatRows=1,
                  hAlign="LEFT")
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT), ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("LINEBELOW", (0, 1), (-1, -2), 0.3, HAIRLINE),
        ("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT), ("BACKGROUND", (0, -1), (-1, -1), BAND),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def charges_chart(sheet: DaySheet) -> Drawing:
    """Charges per day, a bar for every day of the range that had encounters."""
    fonts = report_fonts()
    days = sheet.by_day
    drawing = Drawing(WIDTH, 2.3 * inch)
    chart = VerticalBarChart()
    chart.x, chart.y = 52, 34
    chart.width, chart.height = WIDTH - 62, 2.3 * inch - 58
    chart.data = [[float(d.charges) for d in days]]
    chart.categoryAxis.categoryNames = [f"{d:%a} {d:%m/%d}" for d in sheet.days]
    many = len(days) > 10
    chart.categoryAxis.labels.angle = 45 if many else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if many else "n"
    chart.categoryAxis.labels.dy = -3
    chart.categoryAxis.labels.fontName = fonts.regular
    chart.categoryAxis.labels.fontSize = 6.5 if many else 7
    chart.categoryAxis.strokeColor = RULE
    chart.valueAxis.valueMin = 0
    # Headroom over the tallest bar for its amount label.
    chart.valueAxis.valueMax = max(1.0, max(chart.data[0]) * 1.15)
    chart.valueAxis.labels.fontName = fonts.regular
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.labelTextFormat = lambda v: f"${v:,.0f}"
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.gridStrokeColor = HAIRLINE
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.valueAxis.visibleGrid = True
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barWidth = 10
    chart.groupSpacing = 10
    if len(days) <= 16:  # room for the amount above each bar
        chart.barLabelFormat = lambda v: f"{v:,.2f}"
        chart.barLabels.fontName = fonts.regular
        chart.barLabels.fontSize = 6.5
        chart.barLabels.fillColor = INK
        chart.barLabels.nudge = 6
    drawing.add(chart)
    drawing.add(String(0, 2.3 * inch - 10, "Charges per day of service", fontName=fonts.bold,
                       fontSize=9, fillColor=ACCENT))
    if len(days) == 1:
        chart.categoryAxis.labels.fillColor = MUTED
    return drawing


def render_daysheet(sheet: DaySheet) -> PrintedPdf:
    """The day sheet as a Letter PDF; an empty range prints a page saying so."""
    def header() -> Flowable:
        return stacked([practice_block(sheet.practice, "DAY SHEET"), range_strip(sheet)])

    if not sheet.rows:
        story: list[Flowable] = [Spacer(1, 24), para(
            f"No encounters with a date of service from {us_date(sheet.start)} to "
            f"{us_date(sheet.end)}.", "section")]
    else:
        story = [encounter_table(sheet)]
        if sheet.unpriced_lines:
            story.append(para(f"* {sheet.unpriced_lines} service line"
                              f"{'s have' if sheet.unpriced_lines != 1 else ' has'} no charge "
                              f"and no fee in the fee schedule; counted as 0.00.", "muted"))
        by_provider = subtotal_table("Provider", sheet.by_provider, sheet.grand_total)
        by_day = subtotal_table("Day of service",
                                [Subtotal(us_date(d), s.encounters, s.charges)
                                 for d, s in zip(sheet.days, sheet.by_day, strict=True)],
                                sheet.grand_total)
        if max(len(sheet.by_provider), len(sheet.days)) <= 20:
            totals: list[Flowable] = [Table([[by_provider, by_day]], colWidths=[WIDTH / 2] * 2,
                                            style=[("VALIGN", (0, 0), (-1, -1), "TOP"),
                                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)])]
        else:  # a side-by-side pair cannot split across pages; long lists go one after another
            totals = [by_provider, Spacer(1, 8), by_day]
        grand = markup(f"Grand total for {escape(_range(sheet))}: "
                       f"<b>{dollars(sheet.grand_total)}</b>", "section")
        story += [CondPageBreak(1.5 * inch), para("Totals", "section"), *totals, grand,
                  Spacer(1, 6), KeepTogether([charges_chart(sheet)])]
    title = f"Day sheet {_range(sheet)}"
    return build_pdf(story, title=title, footer=title, header=header)
