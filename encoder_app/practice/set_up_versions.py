"""Optimistic saves for the shared set-up: the practice, the fee schedule and each pick list
carry a version, as an encounter does.

An editor remembers the version it opened (``current``) and saves with ``if_version``: when
another workstation saved in between, SetUpConflict says who and when and nothing is written
(the editor keeps what was typed). The bump is an UPDATE ... WHERE version = the one read, in
the save's own transaction, so two saves racing from one version cannot both be written, on
SQLite or on a server. Version 0 is "never saved".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select, update

from encoder_app.errors import EncoderError
from encoder_app.practice.models import SetUpVersion

PRACTICE = "practice"
FEE_SCHEDULE = "fee schedule"


def pick_list_part(key: str) -> str:
    """The part name of a pick list, by its name key (case and spacing ignored)."""
    return f"pick list {key}"[:250]


@dataclass(frozen=True)
class PartVersion:
    version: int
    updated_at: dt.datetime | None = None
    updated_by: str = ""


class SetUpConflict(EncoderError):
    """Saved by someone else since the editor opened it: nothing was written."""

    def __init__(self, what: str, yours: int, theirs: PartVersion):
        self.what, self.yours, self.theirs = what, yours, theirs
        when = f" at {theirs.updated_at:%Y-%m-%d %H:%M:%S}" if theirs.updated_at else ""
        super().__init__(
            f"the {what} was changed by {theirs.updated_by or 'another user'}{when} (now "
            f"version {theirs.version}) after you opened "
            f"{'it' if yours == 0 else f'version {yours}'}: your changes were not saved, so "
            f"nothing of theirs was overwritten")


def _read(conn, part: str) -> PartVersion:
    row = conn.execute(select(SetUpVersion.version, SetUpVersion.updated_at,
                              SetUpVersion.updated_by).where(SetUpVersion.name == part)).first()
    return PartVersion(row.version, row.updated_at, row.updated_by) if row else PartVersion(0)


def current(engine: Engine, part: str) -> PartVersion:
    with engine.connect() as conn:
        return _read(conn, part)


def _insert_for(session):
    """The INSERT with ON CONFLICT of the database's dialect (SQLite and PostgreSQL both have
    it; SQLAlchemy spells it per dialect)."""
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


def bump(session, part: str, what: str, user: str, if_version: int | None) -> int:
    """In the save's transaction: refuse (SetUpConflict) when the part is no longer at
    ``if_version`` (None: save regardless), else count this save; the new version."""
    now = dt.datetime.now()
    for _attempt in range(3):
        seen = _read(session, part)
        if if_version is not None and seen.version != if_version:
            raise SetUpConflict(what, if_version, seen)
        if seen.version == 0:
            # ON CONFLICT DO NOTHING rather than an IntegrityError, which would spoil the
            # transaction on a server: another workstation's first save won the race.
            table = SetUpVersion.__table__
            first = _insert_for(session)(table).values(
                name=part, version=1, updated_at=now, updated_by=user)
            # RETURNING says whether the row was written (psycopg reports no rowcount here).
            if session.execute(first.on_conflict_do_nothing(index_elements=["name"])
                               .returning(table.c.name)).first() is not None:
                return 1
            if if_version is not None:
                raise SetUpConflict(what, if_version, _read(session, part))
            continue  # saving regardless: over their first save, read now
        changed = session.execute(update(SetUpVersion).where(
            SetUpVersion.name == part, SetUpVersion.version == seen.version).values(
            version=seen.version + 1, updated_at=now, updated_by=user)).rowcount
        if changed == 1:
            return seen.version + 1
        if if_version is not None:  # saved by another between the read and the write
            raise SetUpConflict(what, if_version, _read(session, part))
    raise SetUpConflict(what, seen.version, _read(session, part))
