"""The user's own preferences, kept in ``preferences.json`` in the data folder.

Today that is who is coding: favorites are per user and every audited change names its user, so
a practice where two coders share a machine keeps their stars and their trail apart. The file is
small and rewritten whole; a damaged file falls back to the defaults rather than stopping the
app (the next change rewrites it).
"""

from __future__ import annotations

import getpass
import json
import os
from pathlib import Path

from encoder_app.errors import EncoderError
from encoder_app.files import write_text_atomically
from encoder_app.settings import data_dir

#: Overrides the stored user name (a shared login where each coder starts the app their way).
USER_ENV = "ENCODER_APP_USER"
_FILE = "preferences.json"
_MAX_USER = 100  # the user columns of the favorites and audit tables


def _path() -> Path:
    return data_dir() / _FILE


def _read() -> dict:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _write(data: dict) -> None:
    write_text_atomically(_path(), json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers): still someone
        return "coder"


def user_name() -> str:
    """Who is coding: ENCODER_APP_USER, else the name chosen in the app, else the login name."""
    name = os.environ.get(USER_ENV) or _read().get("user")
    return name.strip() if isinstance(name, str) and name.strip() else _login_name()


def clean_user_name(name: str) -> str:
    """The name as stored; raises EncoderError for an empty or too long one."""
    name = " ".join(name.split())
    if not name:
        raise EncoderError("user name: must not be empty")
    if len(name) > _MAX_USER:
        raise EncoderError(f"user name: at most {_MAX_USER} characters, not {len(name)}")
    return name


def set_user_name(name: str) -> str:
    """Remember who is coding on this machine; returns the name as stored."""
    name = clean_user_name(name)
    data = _read()
    data["user"] = name
    _write(data)
    return name


#: The themes a user may pick in View; "system" follows the desktop's colour scheme.
THEMES = ("light", "dark", "system")


def theme() -> str:
    """The theme chosen last (View menu), "system" until one is."""
    chosen = _read().get("theme")
    return chosen if chosen in THEMES else "system"


def set_theme(name: str) -> None:
    if name not in THEMES:
        raise EncoderError(f"theme: one of {', '.join(THEMES)}, not {name!r}")
    data = _read()
    data["theme"] = name
    _write(data)


def window_layout() -> dict[str, str]:
    """How the window was laid out when it last closed (opaque strings the window wrote)."""
    layout = _read().get("window")
    return {k: v for k, v in layout.items() if isinstance(v, str)} \
        if isinstance(layout, dict) else {}


def set_window_layout(layout: dict[str, str]) -> None:
    data = _read()
    data["window"] = dict(layout)
    _write(data)
