"""Signing in to a database with practice accounts: the name, the password, and a line that
says what went wrong (never which of the two was wrong)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import Engine

from encoder_app.errors import EncoderError
from encoder_app.users.accounts import sign_in
from encoder_app.users.acting import SignedIn
from ui.practice.forms import StatusLine


class SignInDialog(QDialog):
    """Asks until the password is right or the user cancels; ``signed_in`` is the account."""

    def __init__(self, engine: Engine, name: str = "", where: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.engine = engine
        self.signed_in: SignedIn | None = None
        self.setWindowTitle("Sign in")
        intro = QLabel("This database is shared by the practice: sign in with your account."
                       + (f"\n{where}" if where else ""))
        intro.setWordWrap(True)
        self.name = QLineEdit(name)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("User name", self.name)
        form.addRow("Password", self.password)
        self.problem = StatusLine()  # the window's one red line (dark theme too)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Sign in")
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        (self.password if name else self.name).setFocus()
        self.setMinimumWidth(380)

    def try_sign_in(self) -> bool:
        try:
            self.signed_in = sign_in(self.engine, self.name.text(), self.password.text())
        except EncoderError as exc:
            self.problem.problem(str(exc).removeprefix("sign in: ").capitalize())
            self.password.clear()
            self.password.setFocus()
            return False
        self.accept()
        return True
