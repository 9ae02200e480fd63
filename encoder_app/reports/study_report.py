"""The score report of a study session or exam, as a Letter PDF a student keeps or hands in: the
score and time, then per item what was entered, the key, each verdict and the rationale (index
path, tabular notes, guideline)."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape

from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from encoder_app.reports.page import WIDTH, PrintedPdf, build_pdf, stacked
from encoder_app.reports.style import (
    ALERT,
    BAND,
    HAIRLINE,
    RULE,
    SHADE,
    markup,
    para,
)
from encoder_app.study.session import EXAM, Session

#: What each verdict is called on paper.
VERDICT_WORDS = {"correct": "Correct", "partial": "Partial credit", "sequencing": "Sequencing",
                 "optional": "Optional (no effect)", "not-billable": "Not billable",
                 "extra": "Extra"}


def _percent(score: float) -> str:
    return f"{score * 100:.0f}%"


def _duration(session: Session) -> str:
    end = session.finished_at or dt.datetime.now()
    minutes, seconds = divmod(int((end - session.started_at).total_seconds()), 60)
    return f"{minutes} min {seconds:02d} s"


def _head(session: Session, student: str) -> Table:
    kind = "Exam score report" if session.mode == EXAM else "Study session report"
    left = [para(session.title, "practice"),
            para(f"{student} · {session.started_at:%m/%d/%Y %H:%M} · {_duration(session)}"
                 + (" · book only (no search)" if session.book_only else ""), "small")]
    right = [para(kind.upper(), "title"),
             markup(f"Score <b>{_percent(session.score)}</b> over {len(session.items)} "
                    f"item{'s' if len(session.items) != 1 else ''}", "right")]
    table = Table([[left, right]], colWidths=[WIDTH * 0.62, WIDTH * 0.38])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4), ("LINEBELOW", (0, 0), (-1, 0), 1.2, RULE)]))
    return table


def _verdict_table(session: Session, index: int) -> Table:
    result = session.results.get(index)
    rows = [[para("Entered", "th"), para("Verdict", "th"), para("Key code", "th"),
             para("Why", "th")]]
    for code in (result.codes if result else ()):
        rows.append([para(code.entered, "code"), para(VERDICT_WORDS[code.verdict], "small"),
                     para(code.key or "", "small"), para(code.reason, "small")])
    for missing in (result.missing if result else ()):
        rows.append([para("(none)", "muted"), para("Missing", "small"), para(missing, "code"),
                     para("not entered", "small")])
    if len(rows) == 1:
        rows.append([para("(no answer)", "muted"), para("", "small"), para("", "small"),
                     para("", "small")])
    table = Table(rows, colWidths=[WIDTH * 0.16, WIDTH * 0.16, WIDTH * 0.16, WIDTH * 0.52],
                  repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.4, HAIRLINE), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
             ("VALIGN", (0, 0), (-1, -1), "TOP")]
    for row, code in enumerate(result.codes if result else (), start=1):
        if code.verdict in ("extra", "not-billable"):
            style.append(("TEXTCOLOR", (1, row), (1, row), ALERT))
    table.setStyle(TableStyle(style))
    return table


def _item_block(session: Session, index: int) -> list[Flowable]:
    item = session.items[index]
    result = session.results.get(index)
    score = _percent(result.score) if result else "not graded"
    title = markup(f"<b>{index + 1}. {escape(item.label)}</b> · {escape(item.kind)} · "
                   f"date of service {item.date_of_service:%m/%d/%Y} · <b>{score}</b>",
                   "section")
    blocks: list[Flowable] = [title, para(item.prompt, "body"), Spacer(1, 3),
                              _verdict_table(session, index)]
    key = ", ".join(item.key) + (f"; optional: {', '.join(item.optional)}"
                                 if item.optional else "")
    lines = [markup(f"<b>Key:</b> {escape(key)}", "small")]
    rationale = item.rationale
    if rationale.index:
        paths = "; ".join(f"{p.book_name}: {p}" for p in rationale.index)
        lines.append(markup(f"<b>Index:</b> {escape(paths)}", "small"))
    if rationale.tabular:
        lines.append(markup(f"<b>Tabular:</b> {escape(', '.join(rationale.tabular))}", "small"))
    if rationale.guideline:
        lines.append(markup(f"<b>Guideline:</b> {escape(rationale.guideline)}", "small"))
    lines.append(para(rationale.text, "small"))
    note = Table([[lines]], colWidths=[WIDTH])
    note.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), BAND),
                              ("LEFTPADDING", (0, 0), (-1, -1), 6),
                              ("TOPPADDING", (0, 0), (-1, -1), 4),
                              ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    blocks += [Spacer(1, 3), note, Spacer(1, 8)]
    return [KeepTogether(blocks[:4]), *blocks[4:]]


def render_study_report(session: Session, student: str) -> PrintedPdf:
    """The report of a finished (or abandoned) session: every item, graded or not."""
    def header() -> Flowable:
        return stacked([_head(session, student)])

    story: list[Flowable] = []
    for i in range(len(session.items)):
        story += _item_block(session, i)
    title = f"{session.title} — {student}"
    return build_pdf(story, title=title, footer=f"{title} · encoder-app study mode",
                     header=header)
