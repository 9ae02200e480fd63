"""The code detail pane: a code as a coder reads it in the book, every code reference a link."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from encoder_app.codebook.lookup import NOTE_HEADINGS, CodeDetail, SeventhChoice
from encoder_app.codes import ICD10CM_DOTTED_SHAPE, SYSTEM_NAMES, dotted, normalize

# Code references as the book prints them: E11.9, O24.4-, E08.-, P70-P74 (the first part links)
_CODE_IN_TEXT = re.compile(rf"\b({ICD10CM_DOTTED_SHAPE.pattern})(\.?-)?")


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
    if not d.validity.startswith(prefix):
        return d.validity
    reason = d.validity[len(prefix):].strip()
    # one pair of brackets around the release, not the release label's own: "(... update)"
    return reason[1:-1] if reason.startswith("(") and reason.endswith(")") else reason


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
    for other in d.also_in:  # J1100: ICD-10-CM J11.00 and HCPCS J1100, two different codes
        written = dotted(normalize(d.code), other)
        parts.append(f"<p>Also {html.escape(SYSTEM_NAMES.get(other, other))} "
                     f"{_link(written, other)}: a different code with the same characters</p>")
    if d.short_title:
        parts.append(f"<p>Short: {html.escape(d.short_title)}</p>")
    # Notes of one kind at one place share one heading ("Inclusion terms:" once, its terms
    # below it), as the book prints them; notes come grouped by place, then kind.
    groups: list[tuple[str, str, list[str]]] = []
    for note in d.notes:
        if not groups or groups[-1][:2] != (note.at, note.kind):
            groups.append((note.at, note.kind, []))
        groups[-1][2].append(linked_note(html.escape(note.text), d.system))
    at = None
    for where_at, kind, texts in groups:
        if where_at != at:
            if at is not None:
                parts.append("</ul>")
            at = where_at
            where = "this code" if where_at == d.code else where_at
            parts.append(f'<h4 style="margin:10px 0 2px 0">At {html.escape(where)}</h4><ul>')
        heading = NOTE_HEADINGS.get(kind, kind)
        if len(texts) == 1:
            parts.append(f"<li><i>{heading}:</i> {texts[0]}</li>")
        else:
            items = "".join(f"<li>{t}</li>" for t in texts)
            parts.append(f"<li><i>{heading}:</i><ul>{items}</ul></li>")
    if at is not None:
        parts.append("</ul>")
    if d.children:
        rows = "".join(f"<li>{_link(c.code, d.system)} {html.escape(c.title)}"
                       f"{'' if c.billable else ' <i>(header)</i>'}</li>" for c in d.children[:60])
        parts.append(f"<h4>Codes below {html.escape(d.code)}</h4><ul>{rows}</ul>")
    return "\n".join(parts)


# The words every 7th-character meaning of a category shares, shortened the way coders write
# them, so the part that tells two choices apart fits on a button (the tooltip has it whole).
_SHORTER = [("initial encounter for ", "initial "), ("initial encounter", "initial"),
            ("subsequent encounter for ", "subs "), ("subsequent encounter", "subsequent"),
            ("fracture", "fx"), ("with routine healing", "routine"),
            ("with delayed healing", "delayed"), ("with nonunion", "nonunion"),
            ("with malunion", "malunion"), ("type IIIA, IIIB, or IIIC", "IIIA-C"),
            ("type I or II", "I/II")]


def short_meaning(label: str) -> str:
    for long, short in _SHORTER:
        label = label.replace(long, short)
    return label


class ChoiceButton(QPushButton):
    """A button whose long label shortens with an ellipsis instead of widening the pane."""

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(text, parent)
        self.full_text = text
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(60)

    def text(self) -> str:  # the whole label, whatever fits on screen
        return self.full_text

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        room = max(20, self.width() - 12)
        super().setText(self.fontMetrics().elidedText(self.full_text, Qt.TextElideMode.ElideRight,
                                                      room))
        super().resizeEvent(event)


class SeventhCharacterBar(QGroupBox):
    """The 7th characters that complete the shown code as buttons: one click opens that full
    code, the one shown is pressed. Buttons, not links, because choosing the 7th character is
    the step a coder must not skip for an injury or fracture code. Which full codes exist is
    the core's answer (CodeDetail.seventh_choices): a header still short of its 6th character
    gets none."""

    chosen = Signal(str)  # the full dotted code

    COLUMNS = 2

    def __init__(self, parent: QWidget | None = None):
        super().__init__("7th character", parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(8, 4, 8, 6)
        self.grid.setHorizontalSpacing(6)
        self.grid.setVerticalSpacing(4)
        self.buttons: list[QPushButton] = []
        self.hide()

    def show_choices(self, choices: list[SeventhChoice], shown: str) -> None:
        for button in self.buttons:
            button.deleteLater()
        self.buttons = []
        for i, choice in enumerate(choices):
            button = ChoiceButton(f"{choice.char}  {short_meaning(choice.meaning)}")
            button.setCheckable(True)
            button.setChecked(choice.code == shown)
            button.setToolTip(f"{choice.code}: {choice.meaning}")
            button.setStyleSheet("text-align: left; padding: 3px 4px")
            button.clicked.connect(lambda _=False, c=choice.code: self._choose(c))
            self.grid.addWidget(button, i // self.COLUMNS, i % self.COLUMNS)
            self.buttons.append(button)
        self.setVisible(bool(choices))

    def _choose(self, code: str) -> None:
        for button in self.buttons:  # a click must not leave the shown code unpressed
            button.setChecked(button.toolTip().startswith(f"{code}:"))
        self.chosen.emit(code)


class DetailPane(QWidget):
    """Shows one code; clicking a code reference or a 7th character asks the window to open it."""

    code_link_clicked = Signal(str, str)  # system, code

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._follow)
        self.browser.setPlaceholderText("Search or browse, then pick a code to see it here.")
        self.seventh = SeventhCharacterBar()
        self.seventh.chosen.connect(
            lambda code: self.code_link_clicked.emit(self.current.system if self.current
                                                     else "icd10cm", code))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.seventh)
        layout.addWidget(self.browser, 1)
        self.anchorClicked = self.browser.anchorClicked  # as a QTextBrowser offers it
        self.current: CodeDetail | None = None

    def toPlainText(self) -> str:  # noqa: N802 (the QTextBrowser name callers know)
        """The pane's text as a reader sees it, the 7th-character buttons included."""
        buttons = "\n".join(b.toolTip() for b in self.seventh.buttons
                            if self.seventh.isVisibleTo(self))
        return (f"7th character\n{buttons}\n" if buttons else "") + self.browser.toPlainText()

    def show_detail(self, detail: CodeDetail) -> None:
        self.current = detail
        self.browser.setHtml(render_detail(detail))
        self.seventh.show_choices(detail.seventh_choices, detail.code)

    def show_message(self, text: str) -> None:
        self.current = None
        self.browser.setHtml(f"<p>{html.escape(text)}</p>")
        self.seventh.show_choices([], "")

    def _follow(self, url: QUrl) -> None:
        if url.scheme() == "code":
            system, _, code = url.path().partition(":")
            self.code_link_clicked.emit(system, code)
