"""The study pane: the case or question being answered, the student's codes, and (in a study
session, at once; in an exam, at the end) the verdicts, key and rationale.

Codes arrive the way a coder assigns them (Enter on a search result, a browser row, a
7th-character button's code then Add) or typed in the box below the list. The pane only shows
and collects: grading and storing run in the study controller, off the UI thread.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from encoder_app.study.session import EXAM, Item, ItemResult, Session

VERDICT_COLOURS = {"correct": "#1e7b34", "partial": "#a15c00", "sequencing": "#a15c00",
                   "optional": "#5b6470", "not-billable": "#a4261d", "extra": "#a4261d"}


def _percent(score: float) -> str:
    return f"{score * 100:.0f}%"


def feedback_html(item: Item, result: ItemResult) -> str:
    """The verdicts, the key and the rationale, with links that open the index path and the
    tabular codes in the encoder's own panes."""
    rows = []
    for code in result.codes:
        colour = VERDICT_COLOURS[code.verdict]
        rows.append(f"<tr><td><b>{escape(code.entered)}</b></td>"
                    f"<td style='color:{colour}'><b>{escape(code.verdict)}</b></td>"
                    f"<td>{_code_link(code.key) if code.key else ''}</td>"
                    f"<td>{escape(code.reason)}</td></tr>")
    for missing in result.missing:
        rows.append(f"<tr><td><i>(none)</i></td><td style='color:#a4261d'><b>missing</b></td>"
                    f"<td>{_code_link(missing)}</td><td>not entered</td></tr>")
    table = ("<table cellspacing=0 cellpadding=3 border=1 style='border-color:#c9d0d7'>"
             "<tr><th align=left>Entered</th><th align=left>Verdict</th><th align=left>Key</th>"
             f"<th align=left>Why</th></tr>{''.join(rows)}</table>") if rows else \
        "<p><i>No answer given.</i></p>"
    key = ", ".join(_code_link(k) for k in item.key)
    if item.optional:
        key += " &nbsp;<span style='color:#5b6470'>optional: " + \
               ", ".join(_code_link(k) for k in item.optional) + "</span>"
    r = item.rationale
    parts = [f"<h3>Score {_percent(result.score)}</h3>", table, f"<p><b>Key:</b> {key}</p>"]
    if r.index:
        links = "<br>".join(
            f"<a href='index:{escape(p.book)}:{escape(' > '.join(p.path))}'>"
            f"{escape(p.book_name)}: {escape(str(p))}</a>" for p in r.index)
        parts.append(f"<p><b>Index path:</b><br>{links}</p>")
    if r.tabular:
        parts.append("<p><b>Tabular notes:</b> " +
                     ", ".join(_code_link(c) for c in r.tabular) + "</p>")
    if r.guideline:
        parts.append(f"<p><b>Guideline:</b> {escape(r.guideline)}</p>")
    parts.append(f"<p>{escape(r.text)}</p>")
    return "".join(parts)


def _code_link(code: str) -> str:
    bare = code.split("-")[0] if not code.endswith("-") else code.rstrip("-")
    return f"<a href='code:{escape(bare)}'>{escape(code)}</a>"


class StudyPane(QWidget):
    check_requested = Signal()  # grade the current item (study session)
    move_requested = Signal(int)  # -1 previous, +1 next
    finish_requested = Signal()  # end the exam / session now
    code_link_clicked = Signal(str)  # a code in the feedback: open it in the detail pane
    index_link_clicked = Signal(str, str)  # book, path: open it in the index tab
    leave_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.session: Session | None = None
        self.index = 0
        self.title = QLabel()
        self.title.setStyleSheet("font-weight: bold; font-size: 14px")
        self.position = QLabel()
        self.clock = QLabel()
        self.clock.setStyleSheet("font-weight: bold")
        self.prompt = QTextBrowser()
        self.prompt.setMaximumHeight(140)
        self.day = QLabel()
        self.answers = QListWidget()
        self.answers.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.answers.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.answers.setToolTip("Your codes, in the order you sequence them. Double-click to "
                                "edit (add a modifier: L3908-RT); Delete removes; drag to "
                                "reorder")
        self.answers.setMaximumHeight(150)
        self.typed = QLineEdit()
        self.typed.setPlaceholderText("Type a code and press Enter, or press Enter on a "
                                      "search result or a browser row")
        self.typed.returnPressed.connect(self._add_typed)
        self.choice_row = QHBoxLayout()
        self.remove = QPushButton("Remove")
        self.remove.clicked.connect(self.remove_current)
        self.up = QPushButton("Up")
        self.up.clicked.connect(lambda: self._move_answer(-1))
        self.down = QPushButton("Down")
        self.down.clicked.connect(lambda: self._move_answer(1))
        self.check = QPushButton("Check answer")
        self.check.setShortcut(QKeySequence("Ctrl+Return"))
        self.check.clicked.connect(self.check_requested)
        self.previous = QPushButton("Previous")
        self.previous.clicked.connect(lambda: self.move_requested.emit(-1))
        self.next = QPushButton("Next")
        self.next.clicked.connect(lambda: self.move_requested.emit(1))
        self.finish = QPushButton("Finish")
        self.finish.clicked.connect(self.finish_requested)
        self.leave = QPushButton("Back to the chart")
        self.leave.clicked.connect(self.leave_requested)
        self.feedback = QTextBrowser()
        self.feedback.setOpenLinks(False)
        self.feedback.anchorClicked.connect(self._follow)
        delete = QShortcut(QKeySequence.StandardKey.Delete, self.answers)
        delete.setContext(Qt.ShortcutContext.WidgetShortcut)
        delete.activated.connect(self.remove_current)

        head = QHBoxLayout()
        head.addWidget(self.title, 1)
        head.addWidget(self.clock)
        edit_row = QHBoxLayout()
        for button in (self.remove, self.up, self.down):
            edit_row.addWidget(button)
        edit_row.addStretch(1)
        actions = QHBoxLayout()
        for button in (self.previous, self.next, self.check, self.finish):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.leave)
        layout = QVBoxLayout(self)
        layout.addLayout(head)
        layout.addWidget(self.position)
        layout.addWidget(self.prompt)
        layout.addWidget(self.day)
        layout.addWidget(QLabel("Your codes (first-listed first):"))
        layout.addWidget(self.answers)
        layout.addLayout(self.choice_row)
        layout.addWidget(self.typed)
        layout.addLayout(edit_row)
        layout.addLayout(actions)
        layout.addWidget(self.feedback, 1)

    # -- showing ---------------------------------------------------------------------------
    def show_session(self, session: Session) -> None:
        self.session = session
        self.title.setText(session.title)
        exam = session.mode == EXAM
        self.check.setVisible(not exam)
        self.finish.setText("Finish exam" if exam else "End session")
        self.show_item(0)

    def show_item(self, index: int) -> None:
        session = self.session
        self.index = index
        item = session.items[index]
        mode = "Exam" if session.mode == EXAM else "Study"
        self.position.setText(f"{mode} · item {index + 1} of {len(session.items)} · "
                              f"{item.kind}")
        self.prompt.setPlainText(item.prompt)
        self.day.setText(f"Date of service: {item.date_of_service:%m/%d/%Y}")
        self.answers.clear()
        self.answers.addItems(session.answers.get(index, []))
        for row in range(self.answers.count()):
            self.answers.item(row).setFlags(self.answers.item(row).flags()
                                            | Qt.ItemFlag.ItemIsEditable)
        self._show_choices(item)
        self.previous.setEnabled(index > 0)
        self.next.setEnabled(index < len(session.items) - 1)
        done = session.finished_at is not None
        for widget in (self.answers, self.typed, self.check, self.remove, self.up, self.down):
            widget.setEnabled(not done)
        for button in self._choice_buttons():
            button.setEnabled(not done)
        self.finish.setEnabled(not done)
        result = session.results.get(index)
        if result is not None and (session.mode != EXAM or done):
            self.feedback.setHtml(feedback_html(item, result))
        elif session.mode == EXAM:
            self.feedback.setHtml("<p style='color:#5b6470'>Exam: no feedback until the end."
                                  "</p>")
        else:
            self.feedback.setHtml("<p style='color:#5b6470'>Look the condition up in the "
                                  "Index, verify it in the Tabular List, then add the codes "
                                  "and press <b>Check answer</b> (Ctrl+Return).</p>")

    def _choice_buttons(self) -> list[QPushButton]:
        return [self.choice_row.itemAt(i).widget() for i in range(self.choice_row.count())
                if isinstance(self.choice_row.itemAt(i).widget(), QPushButton)]

    def _show_choices(self, item: Item) -> None:
        for button in self._choice_buttons():
            self.choice_row.removeWidget(button)
            button.deleteLater()
        for choice in item.choices:
            button = QPushButton(choice)
            button.clicked.connect(lambda _=False, c=choice: self.set_answer([c]))
            self.choice_row.addWidget(button)

    # -- answering -------------------------------------------------------------------------
    def entered(self) -> list[str]:
        return [self.answers.item(r).text() for r in range(self.answers.count())]

    def set_answer(self, codes: list[str]) -> None:
        self.answers.clear()
        for code in codes:
            self.add_code(code)

    def add_code(self, code: str) -> None:
        code = code.strip()
        if not code or code.upper() in (c.upper() for c in self.entered()):
            return
        if self.session and self.session.items[self.index].choices:
            self.answers.clear()  # one answer to a choice
        self.answers.addItem(code)
        item = self.answers.item(self.answers.count() - 1)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)

    def _add_typed(self) -> None:
        self.add_code(self.typed.text())
        self.typed.clear()

    def remove_current(self) -> None:
        row = self.answers.currentRow()
        if row >= 0:
            self.answers.takeItem(row)

    def _move_answer(self, step: int) -> None:
        row = self.answers.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.answers.count():
            return
        self.answers.insertItem(target, self.answers.takeItem(row))
        self.answers.setCurrentRow(target)

    def show_clock(self, text: str) -> None:
        self.clock.setText(text)

    def _follow(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("code:"):
            self.code_link_clicked.emit(text[5:])
        elif text.startswith("index:"):
            book, _, path = text[6:].partition(":")
            self.index_link_clicked.emit(book, path)
