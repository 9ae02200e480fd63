"""Who is doing something, and whether they may.

``Who`` is what every function that changes shared data takes: a ``SignedIn`` user (from
accounts.sign_in), or on a single desk without accounts a plain name for the trail (None: the
name chosen in the app). ``require`` is called inside the change's own transaction, so the
role it checks is the one stored now: an account switched off or demoted by an admin on
another workstation stops working at its next change, not at its next sign-in.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from encoder_app.users.models import UserAccount
from encoder_app.users.roles import ADMIN, RIGHTS, PermissionDenied, may


@dataclass(frozen=True)
class SignedIn:
    """A user who gave their password: the account's id, name and role at sign-in."""

    user_id: int
    name: str
    role: str

    def __str__(self) -> str:
        return self.name


Who = SignedIn | str | None


def acting_name(who: Who) -> str:
    """The name the trail records for ``who``."""
    if isinstance(who, SignedIn):
        return who.name
    if who:
        return str(who)
    from encoder_app import preferences  # here: preferences reads the data folder

    return preferences.user_name()


def has_accounts(conn) -> bool:
    """Whether the database has any account (a Session or a Connection)."""
    return conn.execute(select(UserAccount.id).limit(1)).first() is not None


def require(conn, who: Who, *rights: str) -> str:
    """Raise PermissionDenied unless ``who`` may do every one of ``rights`` (roles.py) on
    this database; return the name to record in the trail. ``conn`` is the change's own
    Session or Connection; one query, whatever the number of rights (a save runs it)."""
    if not isinstance(who, SignedIn):
        if has_accounts(conn):
            raise PermissionDenied(f"this database has user accounts: sign in to {rights[0]}")
        return acting_name(who)
    row = conn.execute(select(UserAccount.role, UserAccount.active)
                       .where(UserAccount.id == who.user_id)).first()
    if row is None or not row.active:
        raise PermissionDenied(f"the account {who.name!r} has been switched off; "
                               f"nothing was changed")
    for right in rights:
        if not may(row.role, right):
            raise PermissionDenied(f"{who.name} ({row.role}) may not {right}; nothing was "
                                   f"changed. Ask an admin")
    return who.name


def rights(engine, who: Who) -> frozenset[str]:
    """Everything ``who`` may do now, in one query (for greying out what they may not):
    everything on a single desk, nothing for someone not signed in to a database with
    accounts or switched off."""
    with engine.connect() as conn:
        if not isinstance(who, SignedIn):
            return frozenset() if has_accounts(conn) else RIGHTS[ADMIN]
        row = conn.execute(select(UserAccount.role, UserAccount.active)
                           .where(UserAccount.id == who.user_id)).first()
    return RIGHTS.get(row.role, frozenset()) if row is not None and row.active else frozenset()


def allowed(engine, who: Who, right: str) -> bool:
    """Whether ``who`` may do ``right`` now."""
    return right in rights(engine, who)
