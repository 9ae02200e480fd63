"""The code detail pane: a code as a coder reads it in the book, every code reference a link."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QUrl, Signal
from PySide6.QtWidgets import QTextBrowser, QWidget

from encoder_app.codebook.lookup import NOTE_HEADINGS, CodeDetail

# Code references as the book prints them: E11.9, O24.4-, E08.-, P70-P74 (the first part links)
_CODE_IN_TEXT = re.compile(r"\b([A-Z]\d[0-9A-Z](?:\.[0-9A-Z]{1,4})?)(\.?-)?")


def _link(code: str, system: str = "icd10cm", label: str | None = None) -> str:
    return f'<a href="code:{system}:{html.escape(code)}">{html.escape(label or code)}</a>'


def linked_note(text: str, system: str = "icd10cm") -> str:
    """Note text with each code reference inside parentheses or brackets made a link."""
    def in_group(match: re.Match) -> str:
        inner = _CODE_IN_TEXT.sub(lambda m: _link(m.group(1).rstrip("."), system, m.group(0)),
                                  html.escape(match.group(2)))
        return f"{match.group(1)}{inner}{match.group(3)}"
    return re.sub(r"([(\[])([^)\]]*)([)\]])", in_group, text)


def _reason(d: CodeDetail) -> str:
    """The validity reason without repeating 'valid for DATE' the badge already says."""
    prefix = f"valid for {d.date_of_service} "
    return d.validity[len(prefix):].strip("() ") if d.validity.startswith(prefix) else d.validity


def render_detail(d: CodeDetail) -> str:
    valid_color = "#1a7f37" if d.valid else "#cf222e"
    badge = "billable" if d.billable else ("header" if d.level != "code" else "code")
    crumbs = " › ".join(_link(p.code.replace("Chapter ", ""), d.system, p.code)
                        if p.level != "chapter" else html.escape(p.code) for p in d.parents)
    parts = [
        f'<div style="color:gray">{crumbs}</div>',
        f'<h2 style="margin:4px 0">{html.escape(d.code)} '
        f'<span style="font-weight:normal">{html.escape(d.title)}</span></h2>',
        f'<p><span style="background:{"#dafbe1" if d.billable else "#eaeef2"};color:#1f2328;'
        f'padding:1px 6px;border-radius:3px">{badge}</span> '
        f'<b style="color:{valid_color}">{"Valid" if d.valid else "Not valid"}</b> '
        f'on {d.date_of_service}: {html.escape(_reason(d))}</p>',
    ]
    if d.short_title:
        parts.append(f"<p>Short: {html.escape(d.short_title)}</p>")
    if d.seventh_characters:
        rows = []
        # For a header, its 7th-character codes; for a full code, its siblings.
        base = d.code.replace(".", "")
        base = base[:-1] if d.level == "code" else base
        for char, label in d.seventh_characters:
            target = f"{base.ljust(6, 'X')}{char}"
            target = f"{target[:3]}.{target[3:]}"
            choice = html.escape(target) if target == d.code else _link(target, d.system)
            rows.append(f"<tr><td><b>{char}</b></td><td>{choice}</td>"
                        f"<td>{html.escape(label)}</td></tr>")
        parts.append("<h4 style='margin:10px 0 2px 0'>7th characters</h4>"
                     f"<table cellspacing='0' cellpadding='2'>{''.join(rows)}</table>")
    at = None
    for note in d.notes:
        if note.at != at:
            if at is not None:
                parts.append("</ul>")
            at = note.at
            where = "this code" if note.at == d.code else note.at
            parts.append(f'<h4 style="margin:10px 0 2px 0">At {html.escape(where)}</h4><ul>')
        heading = NOTE_HEADINGS.get(note.kind, note.kind)
        parts.append(f"<li><i>{heading}:</i> {linked_note(html.escape(note.text), d.system)}</li>")
    if at is not None:
        parts.append("</ul>")
    if d.children:
        rows = "".join(f"<li>{_link(c.code, d.system)} {html.escape(c.title)}"
                       f"{'' if c.billable else ' <i>(header)</i>'}</li>" for c in d.children[:60])
        parts.append(f"<h4>Codes below {html.escape(d.code)}</h4><ul>{rows}</ul>")
    return "\n".join(parts)


class DetailPane(QTextBrowser):
    """Shows one code; clicking a code reference asks the window to open it."""

    code_link_clicked = Signal(str, str)  # system, code

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._follow)
        self.setPlaceholderText("Search or browse, then pick a code to see it here.")
        self.current: CodeDetail | None = None

    def show_detail(self, detail: CodeDetail) -> None:
        self.current = detail
        self.setHtml(render_detail(detail))

    def show_message(self, text: str) -> None:
        self.current = None
        self.setHtml(f"<p>{html.escape(text)}</p>")

    def _follow(self, url: QUrl) -> None:
        if url.scheme() == "code":
            system, _, code = url.path().partition(":")
            self.code_link_clicked.emit(system, code)
