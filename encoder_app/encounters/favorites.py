"""Favorite codes: a coder stars a code from anywhere and finds it again in their own list.

Codes are stored without the dot, per user and code system, and listed with the title the
newest loaded release of that system gives them (a code deleted since keeps its last title).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, case, delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from encoder_app.codebook.models import Code, Release
from encoder_app.codes import dotted, normalize
from encoder_app.encounters.models import Favorite
from encoder_app.errors import EncoderError

#: Book headings that share a name with a code (block B20 holds category B20): prefer the code.
_HEADINGS = ("chapter", "block", "section", "body_system", "table")


@dataclass(frozen=True)
class FavoriteCode:
    system: str
    code: str  # as a coder reads it (dotted for ICD-10-CM)
    title: str | None  # None when no loaded release knows the code
    added_at: dt.datetime


def _key(system: str, code: str) -> tuple[str, str]:
    system, code = (system or "").strip().lower(), normalize(code or "")
    if not system or not code:
        raise EncoderError("a favorite needs a code system and a code")
    return system, code


def _now() -> dt.datetime:
    return dt.datetime.now()


def _where(user: str, system: str, code: str):
    return (Favorite.user == user, Favorite.system == system, Favorite.code == code)


def add_favorite(engine: Engine, system: str, code: str, user: str = "coder") -> bool:
    """Star a code for a user; True if it was added, False if it was already a favorite."""
    system, code = _key(system, code)
    try:
        with Session(engine) as session, session.begin():
            if session.execute(select(Favorite.id).where(*_where(user, system, code))).first():
                return False
            session.add(Favorite(user=user, system=system, code=code, added_at=_now()))
    except IntegrityError:  # starred at the same moment elsewhere: still a favorite
        return False
    return True


def remove_favorite(engine: Engine, system: str, code: str, user: str = "coder") -> bool:
    """Unstar a code; True if it was a favorite."""
    system, code = _key(system, code)
    with engine.begin() as conn:
        return conn.execute(delete(Favorite).where(*_where(user, system, code))).rowcount > 0


def is_favorite(engine: Engine, system: str, code: str, user: str = "coder") -> bool:
    system, code = _key(system, code)
    with engine.connect() as conn:
        return conn.execute(select(Favorite.id).where(*_where(user, system, code))).first() \
            is not None


def favorite_keys(engine: Engine, user: str = "coder") -> set[tuple[str, str]]:
    """(system, code without dot) of every favorite, for drawing stars in long lists."""
    with engine.connect() as conn:
        return {(s, c) for s, c in conn.execute(
            select(Favorite.system, Favorite.code).where(Favorite.user == user))}


_TITLE = (select(Code.title)
          .join(Release, Release.id == Code.release_id)
          .order_by(Release.effective_from.desc(), Release.id.desc(),
                    case((Code.level.in_(_HEADINGS), 1), else_=0))
          .limit(1))


def _title(conn: Connection, system: str, code: str) -> str | None:
    """The code's title in the newest release that carries it."""
    return conn.execute(_TITLE.where(Code.system == system, Code.code == code)).scalar()


def list_favorites(engine: Engine, user: str = "coder") -> list[FavoriteCode]:
    """A user's favorites, most recently starred first, with their current titles."""
    with engine.connect() as conn:
        rows = conn.execute(select(Favorite.system, Favorite.code, Favorite.added_at)
                            .where(Favorite.user == user)
                            .order_by(Favorite.added_at.desc(), Favorite.id.desc())).all()
        return [FavoriteCode(r.system, dotted(r.code, r.system), _title(conn, r.system, r.code),
                             r.added_at) for r in rows]
