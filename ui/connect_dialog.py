"""File > Connect to server: the practice server's address and login, tried before anything
is remembered; or back to this desk's own database."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from encoder_app import server_connection as server
from encoder_app.errors import EncoderError
from ui.errors import one_line
from ui.practice.forms import StatusLine

#: What the dialog reports: "server" (connected, remembered) or "desk" (back to this desk).
SERVER, DESK = "server", "desk"


class ConnectDialog(QDialog):
    chosen = Signal(str, str)  # SERVER or DESK, and the URL to open (with the password)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Connect to server")
        saved = server.saved_server()
        intro = QLabel("A practice shares one PostgreSQL database: encounters, the practice "
                       "set-up, fees, pick lists and accounts. The connection is tried before "
                       "anything is remembered; the password is kept in a password file "
                       "only you can read.")
        intro.setWordWrap(True)
        self.host = QLineEdit(saved.host if saved else "")
        self.port = QLineEdit(str(saved.port) if saved else "5432")
        self.database = QLineEdit(saved.database if saved else "practice")
        self.user = QLineEdit(saved.user if saved else "encoder_app")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept from last time when left empty"
                                         if saved else "")
        form = QFormLayout()
        for label, field in (("Server", self.host), ("Port", self.port),
                             ("Database", self.database), ("User (login role)", self.user),
                             ("Password", self.password)):
            form.addRow(label, field)
        self.result = StatusLine()
        self.test_button = QPushButton("Test")
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(lambda: self.test())
        self.desk_button = QPushButton("Use this desk's own database")
        self.desk_button.setAutoDefault(False)
        self.desk_button.setEnabled(saved is not None)
        self.desk_button.clicked.connect(lambda: self.use_desk())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.connect_button = buttons.addButton("Connect",
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(lambda: self.connect_to())
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.desk_button, QDialogButtonBox.ButtonRole.ResetRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.result)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)

    def _say(self, text: str, problem: bool = False) -> None:
        (self.result.problem if problem else self.result.note)(text)

    def _tried(self):
        """(address, password, status) once the server answered; None after saying why not."""
        try:
            address = server.checked_address(self.host.text(), self.port.text(),
                                             self.database.text(), self.user.text())
            password = self.password.text() or None
            status = server.check_server(address, password)
        except EncoderError as exc:
            self._say(one_line(exc), problem=True)
            return None
        return address, password, status

    def test(self) -> bool:
        tried = self._tried()
        if tried is None:
            return False
        address, _password, status = tried
        self._say(f"{address.shown()} answers: {status.describe()}.",
                  problem=status.state == "newer")
        return status.state != "newer"

    def connect_to(self) -> bool:
        tried = self._tried()
        if tried is None:
            return False
        address, password, status = tried
        if status.state == "newer":
            self._say(f"Not connected: {status.describe()}.", problem=True)
            return False
        server.remember_server(address, password)
        # Without a password typed, libpq reads the kept one (saved_server_url names its file).
        self.chosen.emit(SERVER, address.url(password) if password
                         else server.saved_server_url() or address.url())
        self.accept()
        return True

    def use_desk(self) -> None:
        from encoder_app.settings import desk_database_url

        server.forget_server()
        self.chosen.emit(DESK, desk_database_url())
        self.accept()
