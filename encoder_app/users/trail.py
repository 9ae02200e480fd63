"""The practice's audit trail: every change to what workstations share besides encounters
(practice set-up, fees, pick lists, accounts), with who, where and when.

Written inside the change's own transaction, so a change and its entry land together or not
at all. The app only ever adds to it; on a server the login role cannot change or delete it
(docs/practice-server.md).
"""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Engine, insert, select

from encoder_app.users.models import PracticeAuditEntry


@dataclass(frozen=True)
class PracticeChange:
    at: dt.datetime
    user: str
    workstation: str
    subject: str
    before: str | None
    after: str | None


def workstation_name() -> str:
    """This computer as the trail names it."""
    return socket.gethostname()[:100] or "unknown"


def record_changes(session, user: str,
                   changes: Iterable[tuple[str, str | None, str | None]]) -> int:
    """Add (subject, before, after) entries to the trail in the caller's transaction; the
    number added. Unchanged values (before == after) are skipped."""
    now, where = dt.datetime.now(), workstation_name()
    rows = [{"at": now, "user": user, "workstation": where, "subject": subject[:200],
             "before": before, "after": after}
            for subject, before, after in changes if before != after]
    if rows:  # a Session or a Connection alike (an import writes on a Connection)
        session.execute(insert(PracticeAuditEntry), rows)
    return len(rows)


def practice_trail(engine: Engine, limit: int | None = None) -> list[PracticeChange]:
    """The trail, newest first."""
    query = select(PracticeAuditEntry).order_by(PracticeAuditEntry.at.desc(),
                                                PracticeAuditEntry.id.desc())
    if limit:
        query = query.limit(limit)
    with engine.connect() as conn:
        rows = conn.execute(query.with_only_columns(
            PracticeAuditEntry.at, PracticeAuditEntry.user, PracticeAuditEntry.workstation,
            PracticeAuditEntry.subject, PracticeAuditEntry.before,
            PracticeAuditEntry.after)).all()
    return [PracticeChange(r.at, r.user, r.workstation or "", r.subject, r.before, r.after)
            for r in rows]
