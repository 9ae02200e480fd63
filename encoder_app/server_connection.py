"""The practice server a workstation connects to (File > Connect to server), remembered in
the data folder so the window and every command open it next time.

``server.json`` holds the address (host, port, database, login role), never the password.
The password goes where PostgreSQL's own client library looks for it: a password file in
libpq's ``.pgpass`` format (``host:port:database:user:password``, readable by this user
only), named to libpq with PGPASSFILE. ENCODER_APP_DB_URL, when set, still wins over both.

SQLAlchemy is imported only where a URL is made: a search's fast start (cli/search_cmd.py)
reads this module on every run.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from encoder_app.errors import EncoderError
from encoder_app.files import write_text_atomically
from encoder_app.settings import PASSWORD_FILE, SERVER_FILE, data_dir, remembered_server_url

DRIVER = "postgresql+psycopg"


@dataclass(frozen=True)
class ServerAddress:
    host: str
    database: str
    user: str
    port: int = 5432

    def url(self, password: str | None = None) -> str:
        from sqlalchemy import URL  # here: a search's fast start reads server.json only

        return URL.create(DRIVER, username=self.user, password=password or None,
                          host=self.host, port=self.port,
                          database=self.database).render_as_string(hide_password=False)

    def shown(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.database}"


def checked_address(host: str, port: str | int, database: str, user: str) -> ServerAddress:
    """The address typed in; EncoderError naming the field that is missing or malformed."""
    host, database, user = (host or "").strip(), (database or "").strip(), (user or "").strip()
    for name, value in (("server", host), ("database", database), ("user", user)):
        if not value:
            raise EncoderError(f"{name}: must not be empty")
    try:
        number = int(str(port).strip() or "5432")
    except ValueError:
        raise EncoderError(f"port: {port!r} is not a number (PostgreSQL's is 5432)") from None
    if not 0 < number < 65536:
        raise EncoderError(f"port: {number} is not a port (1 to 65535)")
    return ServerAddress(host, database, user, number)


def _server_file() -> Path:
    return data_dir() / SERVER_FILE


def password_file() -> Path:
    return data_dir() / PASSWORD_FILE


def saved_server() -> ServerAddress | None:
    """The server this workstation was connected to, or None (its own desk database). A
    damaged file is None too: the desk database opens and File > Connect can set it again."""
    try:
        data = json.loads(_server_file().read_text(encoding="utf-8"))
        return ServerAddress(data["host"], data["database"], data["user"], int(data["port"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _pgpass_field(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def remember_server(address: ServerAddress, password: str | None) -> None:
    """Open this server from now on, in the window and on the command line."""
    if password:
        entry = ":".join(_pgpass_field(v) for v in (address.host, str(address.port),
                                                     address.database, address.user, password))
        path = password_file()
        prefix = ":".join(_pgpass_field(v) for v in (address.host, str(address.port),
                                                      address.database, address.user)) + ":"
        try:
            kept = [line for line in path.read_text(encoding="utf-8").splitlines()
                    if line and not line.startswith(prefix)]
        except OSError:
            kept = []
        write_text_atomically(path, "\n".join([*kept, entry]) + "\n")
        os.chmod(path, 0o600)  # libpq ignores a password file others may read
    write_text_atomically(_server_file(), json.dumps(
        {"host": address.host, "port": address.port, "database": address.database,
         "user": address.user}, indent=2) + "\n")


def forget_server() -> None:
    """Back to this desk's own database (the password file is kept for a later connect)."""
    _server_file().unlink(missing_ok=True)


def saved_server_url() -> str | None:
    """The remembered server's URL (no password: libpq reads it from the password file)."""
    return remembered_server_url()


def check_server(address: ServerAddress, password: str | None):
    """Connect once and say where its schema stands (migrate.SchemaStatus), changing nothing;
    ServerUnavailable (naming the server, the password hidden) when it cannot be reached or
    refuses the login."""
    from encoder_app.codebook.migrate import status_at

    options: dict = {"connect_timeout": 5}
    if not password and password_file().exists():  # the one kept when it was last connected
        options["passfile"] = str(password_file())
    return status_at(address.url(password), **options)
