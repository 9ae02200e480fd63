"""Where the app keeps its data: the data folder and database URL, with environment overrides."""

from __future__ import annotations

import os
from pathlib import Path

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
    from encoder_app.server_connection import saved_server_url  # it reads this module

    return saved_server_url() or desk_database_url()


def desk_database_url() -> str:
    """This desk's own database: codebook.sqlite3 in the data folder."""
    return f"sqlite:///{data_dir() / 'codebook.sqlite3'}"
