"""Where the app keeps its data: the data folder and database URL, with environment overrides."""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

import platformdirs

from encoder_app.file_modes import private_folder

APP_NAME = "encoder-app"

#: Folder for the database, the search index and user files.
DATA_DIR_ENV = "ENCODER_APP_DATA"
#: Full SQLAlchemy URL; wins over the data folder for the database only.
DB_URL_ENV = "ENCODER_APP_DB_URL"


def data_dir() -> Path:
    """The folder the app writes to, created on first use. It holds patient data (encounters in
    the database, printouts), so it is 0700: an existing folder others may read is tightened."""
    override = os.environ.get(DATA_DIR_ENV)
    folder = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, False))
    return private_folder(folder)


def database_url() -> str:
    """The database the app opens: ENCODER_APP_DB_URL, else the practice server this
    workstation was connected to (File > Connect to server), else codebook.sqlite3 in the data
    folder."""
    override = os.environ.get(DB_URL_ENV)
    if override:
        return override
    return remembered_server_url() or desk_database_url()


#: The practice server a workstation was connected to (server_connection.py writes it).
SERVER_FILE = "server.json"
#: Its password, in libpq's own password file format (never in SERVER_FILE).
PASSWORD_FILE = "pgpass"


def remembered_server_url() -> str | None:
    """The remembered server's URL, without its password: libpq reads that from the password
    file, named to it here with PGPASSFILE (unless the user names their own). None without a
    remembered server, or when its file is damaged (File > Connect sets it again)."""
    folder = data_dir()
    try:
        data = json.loads((folder / SERVER_FILE).read_text(encoding="utf-8"))
        user, host, port, database = (str(data["user"]), str(data["host"]), int(data["port"]),
                                      str(data["database"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if (folder / PASSWORD_FILE).exists() and not os.environ.get("PGPASSFILE"):
        os.environ["PGPASSFILE"] = str(folder / PASSWORD_FILE)
    host = f"[{host}]" if ":" in host else host  # an IPv6 address
    return f"postgresql+psycopg://{quote(user, safe='')}@{host}:{port}/{quote(database, safe='')}"


def desk_database_url() -> str:
    """This desk's own database: codebook.sqlite3 in the data folder."""
    return f"sqlite:///{data_dir() / 'codebook.sqlite3'}"
