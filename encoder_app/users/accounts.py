"""Adding, listing and changing practice accounts, and signing in.

Every change is checked (acting.require: MANAGE_USERS, except a user changing their own
password) and written to the practice trail in the same transaction. The first account is
the exception that makes the rest possible: on a database with no accounts anyone at the
desk may add it, and it must be an admin, so there is always someone who can add the others.
The last active admin cannot be demoted or switched off, for the same reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from encoder_app.data_lock import busy_as_error
from encoder_app.errors import EncoderError
from encoder_app.preferences import clean_user_name  # the trail's names, checked alike
from encoder_app.users.acting import SignedIn, Who, acting_name, has_accounts, require
from encoder_app.users.models import UserAccount
from encoder_app.users.passwords import dummy_hash, hash_password, password_matches
from encoder_app.users.roles import ADMIN, MANAGE_USERS, PermissionDenied, check_role
from encoder_app.users.trail import record_changes


class SignInRefused(EncoderError):
    """Wrong name or password (which one is not said), or an account switched off."""


@dataclass(frozen=True)
class Account:
    """An account as listed: never its password hash."""

    name: str
    role: str
    active: bool
    created_at: dt.datetime


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _account(session: Session, name: str) -> UserAccount:
    row = session.scalars(select(UserAccount).where(
        UserAccount.name_key == name_key(name))).first()
    if row is None:
        known = session.scalars(select(UserAccount.name).order_by(UserAccount.name_key)).all()
        raise EncoderError(f"user {name!r}: no such account"
                           + (f" (accounts: {', '.join(known)})" if known else
                              " (this database has no accounts yet)"))
    return row


def _active_admins(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(UserAccount).where(
        UserAccount.role == ADMIN, UserAccount.active.is_(True)))


def _lock_admins(session: Session) -> None:
    """The active admins' rows locked to this transaction (on a server): two admins demoting
    each other at once take turns, and the second sees the first's change."""
    session.execute(select(UserAccount.id).where(
        UserAccount.role == ADMIN, UserAccount.active.is_(True)).with_for_update()).all()


def _an_admin_remains(session: Session, name: str) -> None:
    """Checked again after the change, inside its transaction (on SQLite the write lock is
    held by then): a race the first check missed is still refused, nothing written."""
    session.flush()
    if _active_admins(session) == 0:
        raise EncoderError(f"user {name!r} is the only admin; make another admin first, or "
                           f"nobody could manage the accounts")


def add_user(engine: Engine, name: str, role: str, password: str, who: Who = None) -> Account:
    """Add an account; the first one on a database must be an admin."""
    name, role = clean_user_name(name or ""), check_role(role)
    password_hash = hash_password(password)  # before the transaction: 0.1 s, no lock held
    now = dt.datetime.now()
    with busy_as_error(engine, "the account was not added"), Session(engine) as session, \
            session.begin():
        if has_accounts(session):
            by = require(session, who, MANAGE_USERS)
        elif role != ADMIN:
            raise EncoderError(f"the first account must be an admin (--role {ADMIN}), who "
                               f"then adds the others; {name!r} was not added")
        else:
            by = acting_name(who)
        taken = session.scalars(select(UserAccount.name).where(
            UserAccount.name_key == name_key(name))).first()
        if taken is not None:
            raise EncoderError(f"user {name!r}: an account named {taken!r} already exists")
        session.add(UserAccount(name=name, name_key=name_key(name), role=role,
                                password_hash=password_hash, active=True, created_at=now,
                                updated_at=now))
        record_changes(session, by, [(f"user {name}", None, f"added as {role}")])
    return Account(name, role, True, now)


def list_users(engine: Engine) -> list[Account]:
    with engine.connect() as conn:
        rows = conn.execute(select(UserAccount.name, UserAccount.role, UserAccount.active,
                                   UserAccount.created_at).order_by(UserAccount.name_key)).all()
    return [Account(r.name, r.role, r.active, r.created_at) for r in rows]


def set_role(engine: Engine, name: str, role: str, who: Who) -> Account:
    role = check_role(role)
    with busy_as_error(engine, "the role was not changed"), Session(engine) as session, \
            session.begin():
        by = require(session, who, MANAGE_USERS)
        _lock_admins(session)
        row = _account(session, name)
        if row.role == ADMIN and role != ADMIN and row.active and _active_admins(session) == 1:
            raise EncoderError(f"user {row.name!r} is the only admin; make another admin "
                               f"first, or nobody could manage the accounts")
        record_changes(session, by, [(f"user {row.name}.role", row.role, role)])
        row.role, row.updated_at = role, dt.datetime.now()
        _an_admin_remains(session, row.name)
        return Account(row.name, row.role, row.active, row.created_at)


def set_active(engine: Engine, name: str, active: bool, who: Who) -> Account:
    """Switch an account off (it can no longer sign in or change anything) or on again."""
    with busy_as_error(engine, "the account was not changed"), Session(engine) as session, \
            session.begin():
        by = require(session, who, MANAGE_USERS)
        _lock_admins(session)
        row = _account(session, name)
        if not active and row.active and row.role == ADMIN and _active_admins(session) == 1:
            raise EncoderError(f"user {row.name!r} is the only admin; make another admin "
                               f"first, or nobody could manage the accounts")
        record_changes(session, by, [(f"user {row.name}.active", "yes" if row.active else "no",
                                      "yes" if active else "no")])
        row.active, row.updated_at = active, dt.datetime.now()
        _an_admin_remains(session, row.name)
        return Account(row.name, row.role, row.active, row.created_at)


def set_password(engine: Engine, name: str, password: str, who: Who) -> None:
    """A new password: for one's own account, or any account by an admin."""
    password_hash = hash_password(password)
    with busy_as_error(engine, "the password was not changed"), Session(engine) as session, \
            session.begin():
        row = _account(session, name)
        if isinstance(who, SignedIn) and who.user_id == row.id:
            by = who.name  # anyone may change their own
            if not row.active:
                raise PermissionDenied(f"the account {row.name!r} has been switched off")
        else:
            by = require(session, who, MANAGE_USERS)
        row.password_hash, row.updated_at = password_hash, dt.datetime.now()
        record_changes(session, by, [(f"user {row.name}.password", None, "changed")])


def sign_in(engine: Engine, name: str, password: str) -> SignedIn:
    """The account, when the password is its own; SignInRefused otherwise."""
    with engine.connect() as conn:
        row = conn.execute(select(UserAccount.id, UserAccount.name, UserAccount.role,
                                  UserAccount.active, UserAccount.password_hash)
                           .where(UserAccount.name_key == name_key(name or ""))).first()
    if row is None:
        password_matches(dummy_hash(), password)
        raise SignInRefused("sign in: wrong user name or password")
    if not password_matches(row.password_hash, password):
        raise SignInRefused("sign in: wrong user name or password")
    if not row.active:
        raise SignInRefused(f"sign in: the account {row.name!r} has been switched off; "
                            f"ask an admin")
    return SignedIn(row.id, row.name, row.role)


def database_has_accounts(engine: Engine) -> bool:
    with engine.connect() as conn:
        return has_accounts(conn)
