"""Signing in on the command line, for a database with practice accounts.

Who: ENCODER_APP_USER, else the name chosen in the app (preferences.user_name()). The
password: ENCODER_APP_PASSWORD for a script, else asked on the terminal. Without either the
command stops before touching anything and says how to sign in. A database without accounts
(a single desk) asks nothing: the name is recorded in the trail as before.
"""

from __future__ import annotations

import getpass
import os
import sys

from encoder_app import preferences
from encoder_app.errors import EncoderError
from encoder_app.users.acting import Who, require

PASSWORD_ENV = "ENCODER_APP_PASSWORD"


def acting_user(engine) -> Who:
    """The signed-in user on a database with accounts, else the desk's user name."""
    from encoder_app.users.accounts import database_has_accounts, sign_in

    name = preferences.user_name()
    if not database_has_accounts(engine):
        return name
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        if not sys.stdin.isatty():
            raise EncoderError(
                f"this database has user accounts: sign in as {name} by setting "
                f"{PASSWORD_ENV} (and {preferences.USER_ENV} for another name), or run the "
                f"command in a terminal to be asked for the password")
        password = getpass.getpass(f"Password for {name}: ")
    return sign_in(engine, name, password)


def signed_in_for(engine, right: str) -> Who:
    """acting_user, refused (PermissionDenied) unless their role allows ``right``: for
    commands that read patients' encounters, where nothing is written to check it on."""
    who = acting_user(engine)
    with engine.connect() as conn:
        require(conn, who, right)
    return who
