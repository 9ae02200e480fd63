"""Pick lists: the practice's named check-off lists, edited as a tree of sections and their
codes, and exchanged as JSON files. The shipped sample can be edited too; saving it stores the
practice's own copy under a name the coder gives, and the sample itself stays as shipped.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from encoder_app.errors import EncoderError
from encoder_app.practice.pick_lists import (
    PickListFormatError,
    checked_pick_list,
    delete_pick_list,
    export_pick_list,
    get_pick_list,
    list_pick_lists,
    load_pick_list_file,
    name_key,
    pick_list_version,
    rename_pick_list,
    sample_pick_list,
    save_pick_list,
    save_pick_list_version,
)
from encoder_app.practice.set_up_versions import SetUpConflict
from encoder_app.practice.types import PickList
from encoder_app.users.acting import Who
from ui.practice.forms import (
    StatusLine,
    ask_to_save,
    editor_buttons,
    plain_button,
    save_over_theirs,
)
from ui.practice.pick_list_tree import PickListTree


class PickListDialog(QDialog):
    """The pick list names on the left; the chosen list, editable, on the right."""

    saved = Signal()

    def __init__(self, engine: Engine, parent: QWidget | None = None, who: Who = None):
        super().__init__(parent)
        self.who = who  # who saves: checked and named in the practice trail
        self.engine = engine
        self.current: PickList | None = None
        self.version = 0  # the shown list's version as opened (0: not saved yet)
        self.showing_sample = False  # the shipped sample, not a saved list
        self.dirty = False
        self.setWindowTitle("Pick lists")
        self._build()
        self.refresh_names()
        self.resize(980, 640)

    # -- layout ----------------------------------------------------------------------------
    def _build(self) -> None:
        self.names = QListWidget()
        self.names.currentRowChanged.connect(self._name_chosen)

        button = plain_button
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        left_layout.addWidget(QLabel("<b>Pick lists</b>"))
        left_layout.addWidget(self.names, 1)
        self.new_button = button("New…", self.new_list)
        self.rename_button = button("Rename…", self.rename_list)
        self.delete_button = button("Delete", self.delete_list)
        self.import_button = button("Import JSON…", self.import_json,
                                    "Save a pick list file (encoder-app-pick-list/1)")
        self.export_button = button("Export JSON…", self.export_json,
                                    "Write the list as shown to a pick list file")
        for row in ((self.new_button, self.rename_button, self.delete_button),
                    (self.import_button, self.export_button)):
            line = QHBoxLayout()
            for b in row:
                line.addWidget(b)
            left_layout.addLayout(line)

        self.heading = QLabel()
        heading_font = QFont(self.font())
        heading_font.setPointSizeF(heading_font.pointSizeF() * 1.25)
        heading_font.setBold(True)
        self.heading.setFont(heading_font)
        self.sample_note = QLabel("Shipped sample: edit it freely; Save keeps your copy under "
                                  "a name you choose.")
        self.sample_note.setWordWrap(True)
        self.sample_note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.tree = PickListTree()
        self.tree.edited.connect(self._edited)
        self.add_section_button = button("Add section", self.tree.add_section)
        self.add_item_button = button("Add item", self.tree.add_item,
                                      "Add a code after the selected one")
        self.remove_button = button("Remove", self.tree.remove_selected,
                                    "Remove the selected section or code (Delete)")
        self.up_button = button("Move up", lambda: self.tree.move(-1), "Ctrl+Up")
        self.down_button = button("Move down", lambda: self.tree.move(1), "Ctrl+Down")
        edits = QHBoxLayout()
        for b in (self.add_section_button, self.add_item_button, self.remove_button,
                  self.up_button, self.down_button):
            edits.addWidget(b)
        edits.addStretch(1)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.sample_note)
        right_layout.addWidget(self.tree, 1)
        right_layout.addLayout(edits)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 730])
        splitter.setChildrenCollapsible(False)

        self.status = StatusLine()
        self.buttons, self.save_button = editor_buttons(self)
        self.save_button.clicked.connect(lambda: self.save())
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def _edited(self) -> None:
        self.dirty = True

    # -- which list ------------------------------------------------------------------------
    def refresh_names(self, select: str | None = None) -> None:
        """List the names again and show ``select`` (else the list shown, else the first)."""
        wanted = name_key(select or (self.current.name if self.current else ""))
        sample = sample_pick_list()
        self.names.blockSignals(True)
        self.names.clear()
        row = 0
        for i, name in enumerate(list_pick_lists(self.engine)):
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            if name_key(name) == name_key(sample.name) and self._is_sample(name):
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
                item.setToolTip("Shipped sample: not saved in this database")
            self.names.addItem(item)
            if name_key(name) == wanted:
                row = i
        self.names.blockSignals(False)
        self.names.setCurrentRow(row)
        self._show(self.names.item(row).data(Qt.ItemDataRole.UserRole))

    def _is_sample(self, name: str) -> bool:
        # A saved list shadows the sample of its name; unchanged, it is the sample still.
        sample = sample_pick_list()
        return (name_key(name) == name_key(sample.name)
                and get_pick_list(self.engine, name) == sample)

    def _show(self, name: str) -> None:
        try:
            self.version = pick_list_version(self.engine, name)  # before the list: as opened
            pick_list = get_pick_list(self.engine, name)
        except EncoderError as exc:
            self.status.problem(exc)
            return
        self.current = pick_list
        self.showing_sample = self._is_sample(name)
        self.heading.setText(pick_list.name)
        self.sample_note.setVisible(self.showing_sample)
        self.tree.show_list(pick_list)
        self.dirty = False

    def _name_chosen(self, row: int) -> None:
        item = self.names.item(row)
        if item is None or (self.current and item.data(Qt.ItemDataRole.UserRole)
                            == self.current.name):
            return
        if not self._settle():
            self._select_current()
            return
        self.status.note("")
        self._show(item.data(Qt.ItemDataRole.UserRole))

    def _select_current(self) -> None:
        self.names.blockSignals(True)
        for row in range(self.names.count()):
            if self.current and self.names.item(row).data(Qt.ItemDataRole.UserRole) \
                    == self.current.name:
                self.names.setCurrentRow(row)
        self.names.blockSignals(False)

    def _settle(self) -> bool:
        """Unsaved edits are saved or dropped, as the coder says; False means stay put."""
        if not self.dirty:
            return True
        answer = ask_to_save(self, "Pick lists", f"“{self.current.name}”")
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def _taken(self, name: str) -> bool:
        return name_key(name) in {name_key(n) for n in list_pick_lists(self.engine)}

    def _ask_name(self, title: str, label: str, text: str = "") -> str | None:
        name, ok = QInputDialog.getText(self, title, label, text=text)
        name = " ".join(name.split())
        return name if ok and name else None

    # -- actions ---------------------------------------------------------------------------
    def save(self, as_name: str | None = None) -> bool:
        """Save the list as shown. The shipped sample is saved as a copy under ``as_name``
        (asked for when not given)."""
        if self.current is None:
            return False
        name = self.current.name
        if self.showing_sample:
            name = as_name or self._ask_name("Save your copy of the sample",
                                             "Name of your pick list:", "Family practice")
            if not name:
                return False
            if name_key(name) != name_key(self.current.name) and self._taken(name) and \
                    QMessageBox.question(self, "Pick lists",
                                         f"Replace the pick list “{name}”?") \
                    != QMessageBox.StandardButton.Yes:
                return False
        # The version opened, when saving the list opened under its own name; a copy of the
        # sample saved under another name replaces that list knowingly (asked above).
        same = not self.showing_sample and name_key(name) == name_key(self.current.name)
        try:
            pick_list = self.tree.pick_list(name)
            try:
                stored, self.version = save_pick_list_version(
                    self.engine, pick_list, self.who, self.version if same else None)
            except SetUpConflict as conflict:
                if not save_over_theirs(self, conflict):
                    raise
                stored, self.version = save_pick_list_version(self.engine, pick_list, self.who)
        except PickListFormatError as exc:
            self.status.problem(f"Not saved: {self.tree.describe(exc)}")
            self.tree.focus_path(exc.path)
            return False
        except EncoderError as exc:
            self.status.problem(f"Not saved: {exc}")
            return False
        self.dirty = False
        self.current = stored
        self.refresh_names(stored.name)
        self.status.note(f"Saved “{stored.name}”.")
        self.saved.emit()
        return True

    def new_list(self, name: str | None = None) -> bool:
        """Save an empty list of that name and show it, ready for its first section."""
        if not self._settle():
            return False
        name = name or self._ask_name("New pick list", "Name of the new pick list:")
        if not name:
            return False
        if self._taken(name):
            self.status.problem(f"A pick list named “{name}” already exists.")
            return False
        try:
            save_pick_list(self.engine, PickList(name), self.who)
        except EncoderError as exc:
            self.status.problem(exc)
            return False
        self.refresh_names(name)
        self.status.note(f"Created “{name}”: add a section, then its codes.")
        return True

    def rename_list(self, new: str | None = None) -> bool:
        """Rename the list shown (renaming the sample saves a copy under the new name)."""
        if self.current is None or not self._settle():
            return False
        new = new or self._ask_name("Rename pick list", "New name:", self.current.name)
        if not new:
            return False
        try:
            renamed = rename_pick_list(self.engine, self.current.name, new, self.who)
        except EncoderError as exc:
            self.status.problem(exc)
            return False
        was_sample, self.current = self.showing_sample, renamed
        self.refresh_names(renamed.name)
        self.status.note(f"Saved a copy of the sample as “{renamed.name}”." if was_sample
                         else f"Renamed to “{renamed.name}”.")
        self.saved.emit()
        return True

    def delete_list(self, confirm: bool = True) -> bool:
        """Delete the saved list shown; the core refuses the shipped sample and says why."""
        if self.current is None:
            return False
        name = self.current.name
        # Asking "delete?" first only to be refused would waste the coder's click.
        if confirm and not self.showing_sample and QMessageBox.question(
                self, "Delete pick list", f"Delete the pick list “{name}”?") \
                != QMessageBox.StandardButton.Yes:
            return False
        try:
            delete_pick_list(self.engine, name, self.who)
        except EncoderError as exc:  # a list that is not saved, or not this user's to change
            self.status.problem(exc)
            return False
        self.current, self.dirty = None, False
        self.refresh_names()
        self.status.note(f"Deleted “{name}”.")
        self.saved.emit()
        return True

    def import_json(self, path: str | Path | None = None) -> bool:
        """Save a pick list file's list (asking before it replaces one of the same name)."""
        if not self._settle():
            return False
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self, "Import pick list", str(Path.home()),
                                                  "Pick list (*.json);;All files (*)")
        if not path:
            return False
        try:
            pick_list = load_pick_list_file(path)
            if self._taken(pick_list.name) and not self._is_sample(pick_list.name) and \
                    QMessageBox.question(self, "Import pick list",
                                         f"Replace the pick list “{pick_list.name}” with the "
                                         f"one in {Path(path).name}?") \
                    != QMessageBox.StandardButton.Yes:
                return False
            stored = save_pick_list(self.engine, pick_list, self.who)
        except (EncoderError, OSError) as exc:
            self.status.problem(f"Nothing imported: {exc}")
            return False
        self.refresh_names(stored.name)
        self.status.note(f"Imported “{stored.name}” from {Path(path).name}.")
        self.saved.emit()
        return True

    def export_json(self, path: str | Path | None = None) -> bool:
        """Write the list as shown (saved or not) to a pick list file."""
        if self.current is None:
            return False
        try:
            pick_list = checked_pick_list(self.tree.pick_list(self.current.name))
        except PickListFormatError as exc:
            self.status.problem(f"Not exported: {self.tree.describe(exc)}")
            self.tree.focus_path(exc.path)
            return False
        if path is None:
            stem = re.sub(r"[^\w]+", "-", pick_list.name.casefold()).strip("-") or "pick-list"
            path, _ = QFileDialog.getSaveFileName(self, "Export pick list",
                                                  str(Path.home() / f"{stem}.json"),
                                                  "Pick list (*.json)")
        if not path:
            return False
        try:
            export_pick_list(pick_list, path)
        except (EncoderError, OSError) as exc:
            self.status.problem(f"Not exported: {exc}")
            return False
        self.status.note(f"Exported “{pick_list.name}” to {path}.")
        return True

    def reject(self) -> None:
        if self.isVisible() and not self._settle():
            return
        super().reject()
