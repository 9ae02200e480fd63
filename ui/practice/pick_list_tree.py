"""The tree a pick list is edited in: sections and their codes, each cell with the editor its
column needs (a code, the practice's label, the code system, a modifier), and the JSON path of
a core error turned into the cell to fix."""

from __future__ import annotations

import re

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from encoder_app.practice.pick_lists import SHAPES, PickListFormatError
from encoder_app.practice.types import PickItem, PickList, PickSection
from ui.errors import field_line

COLUMNS = ["Code", "Label", "System", "Modifier"]
SYSTEMS = list(SHAPES)  # CPT, HCPCS, ICD-10-CM: what the core reads
HINTS = {0: "99213 or E11.9", 1: "The practice's own words", 3: "50, 26, …"}
#: "$.sections[2].items[0].code" -> section 2, item 0, field code.
_JSON_PATH = re.compile(r"\$\.sections\[(\d+)\](?:\.items\[(\d+)\])?(?:\.(\w+))?")
_FIELD_COLUMN = {"code": 0, "label": 1, "system": 2, "modifier": 3, "title": 0}


class PickListDelegate(QStyledItemDelegate):
    """A system picker in the System column, hints in the others, and a section title edited
    across the whole row rather than squeezed into the Code column."""

    def createEditor(self, parent, option, index: QModelIndex):  # noqa: N802 (Qt's names)
        if index.parent().isValid() and index.column() == 2:
            box = QComboBox(parent)
            box.addItems(SYSTEMS)
            return box
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            editor.setPlaceholderText("Section title" if not index.parent().isValid()
                                      else HINTS.get(index.column(), ""))
        return editor

    def setEditorData(self, editor, index: QModelIndex) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            editor.setCurrentText(index.data() or SYSTEMS[0])
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor, model, index: QModelIndex) -> None:  # noqa: N802
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText())
        else:
            super().setModelData(editor, model, index)

    def sizeHint(self, option, index: QModelIndex):  # noqa: N802
        size = super().sizeHint(option, index)
        size.setHeight(size.height() + 8)  # room for an editor, and easier to read down
        return size

    def updateEditorGeometry(self, editor, option, index: QModelIndex) -> None:  # noqa: N802
        super().updateEditorGeometry(editor, option, index)
        if not index.parent().isValid():
            rect = editor.geometry()
            rect.setRight(editor.parentWidget().width() - 4)
            editor.setGeometry(rect)


class PickListTree(QTreeWidget):
    """One pick list as sections (top level) and their items (Code, Label, System, Modifier)."""

    edited = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels(COLUMNS)
        self.setItemDelegate(PickListDelegate(self))
        self.setAlternatingRowColors(True)
        self.setUniformRowHeights(True)
        self.setEditTriggers(QTreeWidget.EditTrigger.DoubleClicked
                             | QTreeWidget.EditTrigger.EditKeyPressed
                             | QTreeWidget.EditTrigger.AnyKeyPressed)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 130), (2, 110), (3, 80)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.setColumnWidth(column, width)
        self._loading = False
        self.itemChanged.connect(self._item_changed)
        shortcuts = {QKeySequence.StandardKey.Delete: self.remove_selected,
                     QKeySequence("Ctrl+Up"): lambda: self.move(-1),
                     QKeySequence("Ctrl+Down"): lambda: self.move(1)}
        for keys, slot in shortcuts.items():
            QShortcut(keys, self, slot, context=Qt.ShortcutContext.WidgetShortcut)

    def _item_changed(self, *_args) -> None:
        if not self._loading:
            self.edited.emit()

    # -- building --------------------------------------------------------------------------
    def _section_item(self, title: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([title])
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        font = QFont(self.font())
        font.setBold(True)
        item.setFont(0, font)
        return item

    def _show_section(self, item: QTreeWidgetItem) -> None:
        """Span and expansion belong to the view's row, so a moved section needs them again."""
        item.setFirstColumnSpanned(True)
        item.setExpanded(True)

    @staticmethod
    def _item(values: list[str]) -> QTreeWidgetItem:
        item = QTreeWidgetItem(values)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable
                       | Qt.ItemFlag.ItemNeverHasChildren)
        return item

    def show_list(self, pick_list: PickList) -> None:
        self._loading = True
        try:
            self.clear()
            for section in pick_list.sections:
                top = self._section_item(section.title)
                top.addChildren([self._item([i.code, i.label, i.system, i.modifier])
                                 for i in section.items])
                self.addTopLevelItem(top)
                self._show_section(top)
        finally:
            self._loading = False

    def _filled(self) -> list[tuple[QTreeWidgetItem, list[QTreeWidgetItem]]]:
        """Sections with their items, leaving out what was added and left blank (so the
        core's JSON path indexes count the same rows)."""
        out = []
        for s in range(self.topLevelItemCount()):
            top = self.topLevelItem(s)
            children = [top.child(i) for i in range(top.childCount())]
            filled = [c for c in children
                      if any(c.text(col).strip() for col in (0, 1, 3))]
            if top.text(0).strip() or filled:
                out.append((top, filled))
        return out

    def pick_list(self, name: str) -> PickList:
        """The list as shown, not yet checked."""
        return PickList(name, tuple(
            PickSection(top.text(0).strip(), tuple(
                PickItem(c.text(0).strip(), c.text(1).strip(), c.text(2).strip() or SYSTEMS[0],
                         c.text(3).strip()) for c in children))
            for top, children in self._filled()))

    def _at(self, path: str) -> tuple[QTreeWidgetItem, int, str] | None:
        """The tree item and column a core error's JSON path names, with those in words."""
        match = _JSON_PATH.match(path)
        filled = self._filled()
        if not match or int(match[1]) >= len(filled):
            return None
        top, children = filled[int(match[1])]
        title = top.text(0).strip()
        words = f"section {int(match[1]) + 1}" + (f" “{title}”" if title else "")
        if match[2] is None or int(match[2]) >= len(children):
            return top, 0, words
        item = children[int(match[2])]
        words += f", line {int(match[2]) + 1}" + (f" ({item.text(0)})" if item.text(0) else "")
        return item, _FIELD_COLUMN.get(match[3] or "", 0), words

    def describe(self, exc: PickListFormatError) -> str:
        """The core's problem, placed in the coder's words: "section 2 “Established
        patient”, line 3 (9921): '9921' is not a CPT code"."""
        at = self._at(exc.path)
        return f"{at[2]}: {exc.problem}" if at else field_line(exc)

    def focus_path(self, path: str) -> None:
        """Select the cell a core error's JSON path names."""
        at = self._at(path)
        if at is None:
            return
        item, column, _words = at
        self.setCurrentItem(item, column)
        self.scrollToItem(item)
        self.setFocus()

    # -- editing ---------------------------------------------------------------------------
    def _current_section(self) -> QTreeWidgetItem | None:
        item = self.currentItem()
        if item is None:
            return None
        return item if item.parent() is None else item.parent()

    def add_section(self, title: str = "New section") -> QTreeWidgetItem:
        current = self._current_section()
        at = self.indexOfTopLevelItem(current) + 1 if current else self.topLevelItemCount()
        top = self._section_item(title)
        self.insertTopLevelItem(at, top)
        self._show_section(top)
        self.setCurrentItem(top, 0)
        self.editItem(top, 0)
        self.edited.emit()
        return top

    def add_item(self, values: list[str] | None = None) -> QTreeWidgetItem:
        """A new line after the selected one (or at the end of the selected section)."""
        current = self.currentItem()
        section = self._current_section() or (
            self.topLevelItem(self.topLevelItemCount() - 1) if self.topLevelItemCount()
            else None)
        if section is None:
            section = self.add_section()
        at = section.indexOfChild(current) + 1 if current and current.parent() else None
        item = self._item(values or ["", "", SYSTEMS[0], ""])
        section.insertChild(section.childCount() if at is None else at, item)
        section.setExpanded(True)
        self.setCurrentItem(item, 0)
        if values is None:
            self.editItem(item, 0)
        self.edited.emit()
        return item

    def remove_selected(self) -> None:
        item = self.currentItem()
        if item is None:
            return
        if item.parent() is None:
            self.takeTopLevelItem(self.indexOfTopLevelItem(item))
        else:
            item.parent().removeChild(item)
        self.edited.emit()

    def move(self, step: int) -> None:
        """Move the selected section among sections, or the selected item within its section
        and on into the next one at either end."""
        item = self.currentItem()
        if item is None:
            return
        parent = item.parent()
        if parent is None:
            at = self.indexOfTopLevelItem(item)
            if not 0 <= at + step < self.topLevelItemCount():
                return
            self.takeTopLevelItem(at)
            self.insertTopLevelItem(at + step, item)
            self._show_section(item)
        else:
            at = parent.indexOfChild(item)
            if 0 <= at + step < parent.childCount():
                parent.takeChild(at)
                parent.insertChild(at + step, item)
            else:
                sections = self.indexOfTopLevelItem(parent) + step
                if not 0 <= sections < self.topLevelItemCount():
                    return
                target = self.topLevelItem(sections)
                parent.takeChild(at)
                target.insertChild(target.childCount() if step < 0 else 0, item)
                target.setExpanded(True)
        self.setCurrentItem(item, 0)
        self.edited.emit()
