"""Practice > Accounts: the admin's list of who may sign in, with their roles; add an
account, change a role, set a new password, switch an account off or on. Every change goes
through the core (checked there for the admin's right, written to the practice trail)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from encoder_app.errors import EncoderError
from encoder_app.users.accounts import add_user, list_users, set_active, set_password, set_role
from encoder_app.users.acting import Who
from encoder_app.users.roles import ROLES
from ui.practice.forms import StatusLine, plain_button

COLUMNS = ("Name", "Role", "Status", "Added")


class UsersDialog(QDialog):
    def __init__(self, engine: Engine, parent: QWidget | None = None, who: Who = None):
        super().__init__(parent)
        self.engine, self.who = engine, who
        self.setWindowTitle("Accounts")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button = plain_button("Add…", lambda: self.add())
        self.role_button = plain_button("Change role…", lambda: self.change_role())
        self.password_button = plain_button("New password…", lambda: self.new_password())
        self.switch_button = plain_button("Switch off / on", lambda: self.switch())
        side = QVBoxLayout()
        for b in (self.add_button, self.role_button, self.password_button, self.switch_button):
            side.addWidget(b)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.table, 1)
        row.addLayout(side)
        self.status = StatusLine()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.resize(560, 320)
        self.refresh()

    def refresh(self) -> None:
        accounts = list_users(self.engine)
        self.table.setRowCount(len(accounts))
        for r, a in enumerate(accounts):
            for c, text in enumerate((a.name, a.role, "active" if a.active else "switched off",
                                      f"{a.created_at:%Y-%m-%d}")):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def chosen(self) -> str | None:
        row = self.table.currentRow()
        if row < 0:
            self.status.problem("Choose an account in the list first.")
            return None
        return self.table.item(row, 0).text()

    def _do(self, change, done: str) -> bool:
        try:
            change()
        except EncoderError as exc:
            self.status.problem(exc)
            return False
        self.refresh()
        self.status.note(done)
        return True

    # Each action takes its answers as arguments (tests, scripts) or asks for them.
    def add(self, name: str | None = None, role: str | None = None,
            password: str | None = None) -> bool:
        if name is None:
            name, ok = QInputDialog.getText(self, "Add an account", "User name:")
            if not ok:
                return False
        if role is None:
            role, ok = QInputDialog.getItem(self, "Add an account", f"Role of {name}:",
                                            list(ROLES), 1, False)
            if not ok:
                return False
        if password is None:
            password = self._ask_password(name)
            if password is None:
                return False
        return self._do(lambda: add_user(self.engine, name, role, password, self.who),
                        f"Added {name} ({role}).")

    def change_role(self, role: str | None = None) -> bool:
        name = self.chosen()
        if name is None:
            return False
        if role is None:
            current = self.table.item(self.table.currentRow(), 1).text()
            role, ok = QInputDialog.getItem(self, "Change role", f"Role of {name}:",
                                            list(ROLES), ROLES.index(current), False)
            if not ok:
                return False
        return self._do(lambda: set_role(self.engine, name, role, self.who),
                        f"{name} is now {role}.")

    def new_password(self, password: str | None = None) -> bool:
        name = self.chosen()
        if name is None:
            return False
        if password is None:
            password = self._ask_password(name)
            if password is None:
                return False
        return self._do(lambda: set_password(self.engine, name, password, self.who),
                        f"The password of {name} is changed.")

    def switch(self) -> bool:
        name = self.chosen()
        if name is None:
            return False
        active = self.table.item(self.table.currentRow(), 2).text() != "active"
        return self._do(lambda: set_active(self.engine, name, active, self.who),
                        f"{name} is {'active' if active else 'switched off'}.")

    def _ask_password(self, name: str) -> str | None:
        first, ok = QInputDialog.getText(self, "Password", f"New password for {name}:",
                                         QLineEdit.EchoMode.Password)
        if not ok:
            return None
        again, ok = QInputDialog.getText(self, "Password", "The same password again:",
                                         QLineEdit.EchoMode.Password)
        if not ok:
            return None
        if again != first:
            self.status.problem("The two passwords differ; nothing was changed.")
            return None
        return first
