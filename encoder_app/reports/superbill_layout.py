"""The filled superbill on paper: practice and patient header on every page, the visit, open
edit findings, lettered diagnoses, priced service lines, totals and the signature lines."""

from __future__ import annotations

from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table, TableStyle

from encoder_app.edits.finding import Finding
from encoder_app.reports.page import WIDTH, PrintedPdf, build_pdf, practice_block, stacked
from encoder_app.reports.style import (
    ACCENT,
    ALERT,
    ALERT_FILL,
    BAND,
    HAIRLINE,
    RULE,
    SHADE,
    dollars,
    markup,
    money,
    para,
    us_date,
)
from encoder_app.reports.superbill import Superbill

SETTINGS = {"practitioner": "Practitioner", "outpatient_hospital": "Outpatient hospital"}
SEXES = {"F": "Female", "M": "Male", "U": "Unknown"}

# Service columns: line, code, modifiers, description, units, dx pointer, fee, line total.
_FIXED = [0.4 * inch, 0.62 * inch, 0.72 * inch, None, 0.45 * inch, 0.8 * inch, 0.8 * inch,
          0.85 * inch]
SERVICE_WIDTHS = [w if w is not None else WIDTH - sum(x for x in _FIXED if x) for w in _FIXED]
DIAGNOSIS_WIDTHS = [0.32 * inch, 0.8 * inch, WIDTH - 1.12 * inch]


def _field(label: str, value: str) -> list[Flowable]:
    return [para(label.upper(), "label"), para(value or "\u2014", "value")]


def _strip(cells: list[list[Flowable]], widths: list[float], shaded: bool) -> Table:
    table = Table([cells], colWidths=widths)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 5), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("LINEAFTER", (0, 0), (-2, -1), 0.4, HAIRLINE),
    ]
    if shaded:
        style += [("BACKGROUND", (0, 0), (-1, -1), BAND), ("BOX", (0, 0), (-1, -1), 0.6, RULE)]
    else:  # unboxed: the first value lines up with the section titles below it
        style += [("LINEBELOW", (0, 0), (-1, -1), 0.6, RULE), ("LEFTPADDING", (0, 0), (0, -1), 0)]
    table.setStyle(TableStyle(style))
    return table


def patient_strip(bill: Superbill) -> Table:
    e = bill.encounter
    p = e.patient
    widths = [0.25, 0.13, 0.09, 0.17, 0.22, 0.14]
    return _strip([_field("Patient", p.name), _field("Date of birth", us_date(p.birth_date)),
                   _field("Sex", SEXES.get(p.sex or "", "")), _field("Member ID", p.member_id),
                   _field("Payer", e.payer or ""),
                   _field("Date of service", us_date(e.date_of_service))],
                  [w * WIDTH for w in widths], shaded=True)


def visit_strip(bill: Superbill) -> Table:
    provider = bill.provider_name
    if bill.provider_credentials:
        provider = f"{provider}, {bill.provider_credentials}"
    widths = [0.36, 0.16, 0.28, 0.20]
    return _strip([_field("Rendering provider", provider), _field("Provider NPI",
                                                                  bill.provider_npi),
                   _field("Place of service", bill.place_of_service),
                   _field("Setting", SETTINGS.get(bill.encounter.setting,
                                                  bill.encounter.setting))],
                  [w * WIDTH for w in widths], shaded=False)


def _grid(rows: list[list], widths: list[float], right_from: int | None = None) -> Table:
    """A table with a shaded heading row repeated on every page and hairlines between rows."""
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, HAIRLINE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if right_from is not None:
        style.append(("ALIGN", (right_from, 0), (-1, -1), "RIGHT"))
    table.setStyle(TableStyle(style))
    return table


def diagnosis_table(bill: Superbill) -> Table:
    rows = [[para("", "th"), para("ICD-10-CM", "th"), para("Diagnosis", "th")]]
    for dx in bill.diagnoses:
        rows.append([para(dx.letter, "bold"), para(dx.code, "bold"), para(dx.title)])
    return _grid(rows, DIAGNOSIS_WIDTHS)


KEPT_WITH_TOTALS = 2  # service lines that never leave the totals alone on a page


def service_table(bill: Superbill) -> Table:
    """The service lines with the totals and signature as the table's last rows: a page
    break may fall between lines, but the last lines, the totals and the signature stay
    together, under the repeated column headings."""
    heads = ["Line", "Code", "Modifiers", "Service", "Units", "Dx pointer", "Fee", "Line total"]
    rows = [[para(h, "th_right" if i in (4, 6, 7) else "th") for i, h in enumerate(heads)]]
    for line in bill.lines:
        rows.append([
            para(str(line.line)), para(line.code, "bold"), para(", ".join(line.modifiers)),
            para(line.description), para(str(line.units), "right"),
            para("".join(line.pointers)), para(money(line.fee), "right"),
            para(money(line.total), "right"),
        ])
    last_line = len(rows) - 1
    for label, amount, bold in (("Total charges", bill.total_charges, False),
                                ("Payment received", bill.amount_paid, False),
                                ("Balance due", bill.balance_due, True)):
        rows.append(["", "", "", "", "", para(label, "bold" if bold else "body"), "",
                     para(dollars(amount), "right_bold" if bold else "right")])
    rows.append([signature_block()] + [""] * 7)
    balance, signature = len(rows) - 2, len(rows) - 1
    table = Table(rows, colWidths=SERVICE_WIDTHS, repeatRows=1)
    style = [
        # NOSPLIT (unlike rowSplitRange) still holds in the part carried to the next page.
        ("NOSPLIT", (0, max(1, last_line + 1 - KEPT_WITH_TOTALS)), (-1, -1)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("LINEBELOW", (0, 1), (-1, last_line), 0.3, HAIRLINE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, last_line + 1), (-1, last_line + 1), 8),
        ("LINEABOVE", (5, balance), (-1, balance), 0.8, ACCENT),
        ("BACKGROUND", (5, balance), (-1, balance), SHADE),
        ("SPAN", (0, signature), (-1, signature)),
        ("TOPPADDING", (0, signature), (-1, signature), 10),
        ("LEFTPADDING", (0, signature), (-1, signature), 0),
    ]
    style += [("SPAN", (5, r), (6, r)) for r in range(last_line + 1, signature)]
    table.setStyle(TableStyle(style))
    return table


def totals_block(bill: Superbill) -> Table:
    """Totals on their own, for an encounter with no service line yet."""
    rows = [[para("Total charges"), "", para(dollars(bill.total_charges), "right")],
            [para("Payment received"), "", para(dollars(bill.amount_paid), "right")],
            [para("Balance due", "bold"), "", para(dollars(bill.balance_due), "right_bold")]]
    table = Table(rows, colWidths=SERVICE_WIDTHS[-3:], hAlign="RIGHT")
    table.setStyle(TableStyle([
        ("SPAN", (0, 0), (1, 0)), ("SPAN", (0, 1), (1, 1)), ("SPAN", (0, 2), (1, 2)),
        ("LINEABOVE", (0, 2), (-1, 2), 0.8, ACCENT),
        ("BACKGROUND", (0, 2), (-1, 2), SHADE),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]))
    return table


def signature_block() -> Table:
    rows = [["", "", ""], [para("Provider signature", "label"), "", para("Date", "label")]]
    table = Table(rows, colWidths=[3.6 * inch, 0.4 * inch, 1.6 * inch],
                  rowHeights=[0.35 * inch, None], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LINEBELOW", (0, 0), (0, 0), 0.6, RULE), ("LINEBELOW", (2, 0), (2, 0), 0.6, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
    ]))
    return table


#: How much of one finding the box prints. A row of a table cannot break across pages, so a
#: finding about 99 long codes would not fit one; the box is the reminder, `encoder-app check`
#: and the encoder's findings list say it all.
BOX_CODES = 6
BOX_MESSAGE = 400  # characters


def _finding_line(f: Finding) -> list[Flowable]:
    codes = ", ".join(f.codes[:BOX_CODES])
    if len(f.codes) > BOX_CODES:
        codes += f" and {len(f.codes) - BOX_CODES} more"
    message = f.message if len(f.message) <= BOX_MESSAGE else \
        f.message[:BOX_MESSAGE - 1].rstrip() + "\u2026"
    return [markup(f"<b>{f.severity.upper()}</b>", "alert"), para(f.rule, "alert"),
            para(f"{codes}: {message}" if codes else message, "alert")]


def findings_box(bill: Superbill) -> Table | None:
    """The open edit findings, boxed in red, only when an error remains on the encounter."""
    shown = bill.findings_to_print
    if not shown:
        return None
    errors = len(bill.open_errors)
    title = (f"Review before billing: {errors} edit error{'s' if errors != 1 else ''} "
             f"still open on this encounter")
    rows = [[para(title, "alert_title"), "", ""]] + [_finding_line(f) for f in shown]
    if bill.findings_not_printed:
        more = bill.findings_not_printed
        rows.append(["", "", para(f"…and {more} more warning{'s' if more != 1 else ''}: "
                                  "see the encoder's findings list.", "alert")])
    table = Table(rows, colWidths=[0.85 * inch, 1.5 * inch, WIDTH - 2.35 * inch])
    table.setStyle(TableStyle([
        ("SPAN", (0, 0), (-1, 0)),
        ("BOX", (0, 0), (-1, -1), 1, ALERT),
        ("BACKGROUND", (0, 0), (-1, -1), ALERT_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("TOPPADDING", (0, 0), (-1, 0), 5), ("BOTTOMPADDING", (0, -1), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
    ]))
    return table


def _section(title: str) -> list[Flowable]:
    # A section title never sits alone at the foot of a page: start a new page unless the
    # title and a few rows of its table fit.
    return [CondPageBreak(1.1 * inch), para(title, "section")]


FOOTER_NAME = 40  # characters: the footer is one line shared with "Page N of M"


def footer_name(name: str) -> str:
    """The patient's name as the footer prints it: cut short, the header shows it whole."""
    return name if len(name) <= FOOTER_NAME else name[:FOOTER_NAME - 1].rstrip() + "\u2026"


def render_superbill(bill: Superbill) -> PrintedPdf:
    """The superbill as a Letter PDF; more pages, each with the header, when it is long."""
    def header() -> Flowable:
        stand_in = bill.provider_name
        return stacked([practice_block(bill.practice, "SUPERBILL", stand_in),
                        patient_strip(bill)])

    story: list[Flowable] = [visit_strip(bill)]
    box = findings_box(bill)
    if box is not None:
        story += [Spacer(1, 8), box]
    story += _section(f"Diagnoses ({len(bill.diagnoses)})")
    story += [diagnosis_table(bill)] if bill.diagnoses else [para("No diagnosis coded.", "muted")]
    story += _section(f"Services ({len(bill.lines)})")
    if bill.lines:
        story.append(service_table(bill))
        unpriced = [str(line.line) for line in bill.lines if line.fee is None]
        if unpriced:  # a blank fee must not read as a free service
            story += [Spacer(1, 4), para(
                f"Line{'s' if len(unpriced) > 1 else ''} {', '.join(unpriced)}: no charge "
                "entered and no fee on the practice's schedule; not included in the total "
                "charges.", "muted")]
    else:
        story += [para("No service coded.", "muted"), KeepTogether([
            totals_block(bill), Spacer(1, 10), signature_block()])]
    e = bill.encounter
    parts = ["Superbill", footer_name(e.patient.name),
             f"date of service {us_date(e.date_of_service)}" if e.date_of_service else ""]
    footer = " \u00b7 ".join(part for part in parts if part)
    return build_pdf(story, title=f"Superbill {e.patient.name}", footer=footer,
                     header=header)
