"""Day sheets from the database: the saved encounters of a date range, priced with the
practice's fee schedule."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import Engine, select

from encoder_app.encounters.models import EncounterRecord
from encoder_app.encounters.store import encounters_between
from encoder_app.errors import EncoderError
from encoder_app.practice.fee_schedule import load_fee_schedule
from encoder_app.practice.set_up_versions import FEE_SCHEDULE, PRACTICE, current
from encoder_app.practice.setup import load_practice
from encoder_app.reports.daysheet import DaySheet, daysheet_from
from encoder_app.reports.daysheet_layout import render_daysheet
from encoder_app.reports.page import PrintedPdf


class DateRangeError(EncoderError):
    """A day sheet asked for a range that ends before it starts."""

    def __init__(self, start: dt.date, end: dt.date):
        self.start, self.end = start, end
        super().__init__(f"the range starts on {start} but ends earlier, on {end}")


def compose_daysheet(engine: Engine, start: dt.date, end: dt.date) -> DaySheet:
    if start > end:
        raise DateRangeError(start, end)
    encounters = [stored.snapshot for stored in encounters_between(engine, start, end)]
    return daysheet_from(encounters, start, end, load_fee_schedule(engine), load_practice(engine))


@dataclass(frozen=True)
class DaySheetStamp:
    """What a day sheet was made from: each encounter of its range at its version, and the
    fee schedule's and practice's versions. A sheet shown on screen is printed only while the
    stamp is the same: the same rule as saving over someone else's newer save."""

    encounters: frozenset[tuple[int, int, bool]]  # (id, version, deleted)
    fee_schedule: int
    practice: int
    last_change: str = field(default="", compare=False)  # who and when, for the message


def daysheet_stamp(engine: Engine, start: dt.date, end: dt.date) -> DaySheetStamp:
    with engine.connect() as conn:
        rows = conn.execute(select(EncounterRecord.id, EncounterRecord.version,
                                   EncounterRecord.deleted, EncounterRecord.updated_by,
                                   EncounterRecord.updated_at)
                            .where(EncounterRecord.date_of_service.between(start, end))).all()
    last = max(rows, key=lambda r: r.updated_at, default=None)
    return DaySheetStamp(frozenset((r.id, r.version, bool(r.deleted)) for r in rows),
                         current(engine, FEE_SCHEDULE).version,
                         current(engine, PRACTICE).version,
                         f"encounter #{last.id} saved by {last.updated_by or 'someone'} at "
                         f"{last.updated_at:%H:%M:%S}" if last else "")


def daysheet_document(engine: Engine, start: dt.date, end: dt.date) -> PrintedPdf:
    """The day sheet and its page count; an empty range prints a page saying so."""
    return render_daysheet(compose_daysheet(engine, start, end))


def daysheet_pdf(engine: Engine, start: dt.date, end: dt.date) -> bytes:
    """The day sheet of the encounters seen from start to end (inclusive), as PDF bytes."""
    return daysheet_document(engine, start, end).data
