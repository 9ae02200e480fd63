"""The practice's fee schedule: its charge for each code, and for a code with one modifier where
that is priced apart (a bilateral 50, a professional-component 26). Stored, edited one fee at
a time, and read from or written to a CSV file.

The CSV has a header row; its columns are found by name, so a schedule exported from a billing
system or kept in a spreadsheet reads as it is:

* code: ``code``, ``CPT``, ``HCPCS``, ``CPT/HCPCS``, ``procedure code``, ``service code``, ...
* modifier (optional): ``modifier``, ``mod``; a code written ``69210-50`` carries it too
* fee: ``fee``, ``charge``, ``amount``, ``price``, ``rate``, ...; written ``120``, ``$120.00``
  or ``1,200.00``

Other columns (a description) are ignored. Codes are stored without dots in upper case,
modifiers upper case, fees as non-negative amounts in cents. Importing replaces the whole
schedule in one transaction, after every row has been read: a bad file changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from encoder_app.codes import MODIFIER_SHAPE, normalize
from encoder_app.edits.codes import procedure_system
from encoder_app.errors import LocatedError
from encoder_app.files import write_text_atomically
from encoder_app.importers.base import numbered_rows
from encoder_app.money import parse_amount
from encoder_app.practice.models import FeeRecord
from encoder_app.practice.sample_file import SAMPLE_FILE, sample_document
from encoder_app.practice.set_up_versions import FEE_SCHEDULE, bump
from encoder_app.practice.types import FeeEntry, FeeSchedule
from encoder_app.users.acting import Who, require
from encoder_app.users.roles import CHANGE_FEES
from encoder_app.users.trail import record_changes

CENT = Decimal("0.01")
COLUMNS = {
    "code": {"code", "cpt", "hcpcs", "cpt hcpcs", "hcpcs cpt", "cpt code", "hcpcs code",
             "cpt hcpcs code", "procedure", "procedure code", "service code", "billing code"},
    "modifier": {"modifier", "mod", "modifier 1", "mod 1"},
    "fee": {"fee", "fees", "charge", "charges", "amount", "price", "rate", "fee amount",
            "charge amount", "standard fee", "standard charge", "usual fee", "billed amount"},
}
#: How an error names the columns it looked for.
_COLUMN_HINTS = {"code": "code, CPT, HCPCS or CPT/HCPCS", "fee": "fee, charge, amount or price"}


class FeeScheduleError(LocatedError):
    """A fee is malformed; names the file (or "fee schedule"), the CSV row and the column."""

    def __init__(self, source: str, problem: str, row: int | None = None,
                 column: str | None = None):
        # The column moves the cursor in the fee table; the row is what the message names.
        self.row, self.column = row, column
        super().__init__(source, f"row {row}" if row else None, problem)


# --- one fee ------------------------------------------------------------------------------

def _code(code: str) -> str:
    """The stored code, or ValueError with the reason."""
    text = normalize(code or "")
    if not text:
        raise ValueError("is empty")
    if procedure_system(text) not in ("cpt", "hcpcs"):
        raise ValueError("is not a CPT or HCPCS code")
    return text


def _modifier(modifier: str) -> str:
    text = (modifier or "").strip().upper()
    if text and not MODIFIER_SHAPE.fullmatch(text):
        raise ValueError("is not a modifier (two letters or digits)")
    return text


def _problem(column: str, value: object, exc: ValueError) -> str:
    """ "fee 'abc' is not an amount", or "fee is empty" when there is nothing to quote."""
    return f"{column} {exc}" if value in ("", None) else f"{column} '{value}' {exc}"


def _entry(entry: FeeEntry, source: str) -> FeeEntry:
    for column, check, value in (("code", _code, entry.code),
                                 ("modifier", _modifier, entry.modifier),
                                 ("fee", parse_amount, entry.fee)):
        try:
            check(value)
        except ValueError as exc:
            raise FeeScheduleError(source, _problem(column, value, exc), column=column) from None
    return FeeEntry(_code(entry.code), parse_amount(entry.fee), _modifier(entry.modifier))


def _key_text(code: str, modifier: str) -> str:
    return f"{code}-{modifier}" if modifier else code


def checked_schedule(entries: Iterable[FeeEntry], source: str = "fee schedule") -> FeeSchedule:
    """The schedule as stored (codes normalised, fees in cents), sorted by code then modifier.
    Raises FeeScheduleError for a bad entry or a code priced twice."""
    seen: dict[tuple[str, str], FeeEntry] = {}
    for entry in entries:
        entry = _entry(entry, source)
        key = (entry.code, entry.modifier)
        if key in seen:
            raise FeeScheduleError(source, f"{_key_text(*key)} has two fees "
                                           f"({seen[key].fee} and {entry.fee})")
        seen[key] = entry
    return FeeSchedule(tuple(seen[k] for k in sorted(seen)))


# --- the database -------------------------------------------------------------------------

def load_fee_schedule(engine: Engine) -> FeeSchedule:
    """Every fee of the practice, by code then modifier; an empty schedule when none is set."""
    with engine.connect() as conn:
        rows = conn.execute(select(FeeRecord.code, FeeRecord.modifier, FeeRecord.fee_cents)
                            .order_by(FeeRecord.code, FeeRecord.modifier)).all()
    return FeeSchedule(tuple(FeeEntry(r.code, Decimal(r.fee_cents).scaleb(-2), r.modifier)
                             for r in rows))


def has_fees(engine: Engine) -> bool:
    with engine.connect() as conn:
        return conn.execute(select(FeeRecord.id).limit(1)).first() is not None


def _cents(fee: Decimal) -> int:
    return int(fee * 100)


def _fee_subject(code: str, modifier: str) -> str:
    return f"fee {_key_text(code, modifier)}"


def _money(cents: int | None) -> str | None:
    return None if cents is None else f"{Decimal(cents).scaleb(-2):.2f}"


def write_fee_schedule(session: Session, schedule: FeeSchedule, user: str | None = None) -> int:
    """Replace every fee inside the caller's transaction; the number of fees written. With a
    ``user``, every fee added, changed or removed goes to the practice trail."""
    schedule = checked_schedule(schedule.entries)
    if user is not None:
        old = {(r.code, r.modifier): r.fee_cents for r in session.execute(
            select(FeeRecord.code, FeeRecord.modifier, FeeRecord.fee_cents))}
        new = {(e.code, e.modifier): _cents(e.fee) for e in schedule.entries}
        record_changes(session, user, ((_fee_subject(*key), _money(old.get(key)),
                                        _money(new.get(key)))
                                       for key in sorted(old.keys() | new.keys())))
    session.execute(delete(FeeRecord))
    session.add_all(FeeRecord(code=e.code, modifier=e.modifier, fee_cents=_cents(e.fee))
                    for e in schedule.entries)
    return len(schedule.entries)


def save_fee_schedule(engine: Engine, schedule: FeeSchedule, who: Who = None,
                      if_version: int | None = None) -> int:
    """Replace the whole schedule (the table editor's Save); one transaction; the schedule's
    new version. With ``if_version`` (the version the editor opened), a newer save by someone
    else is refused (SetUpConflict) and nothing is written."""
    schedule = checked_schedule(schedule.entries)  # a bad row is named before any conflict
    with Session(engine) as session, session.begin():
        user = require(session, who, CHANGE_FEES)
        version = bump(session, FEE_SCHEDULE, "fee schedule", user, if_version)
        write_fee_schedule(session, schedule, user)
        return version


def set_fee(engine: Engine, code: str, fee: Decimal, modifier: str = "",
            who: Who = None) -> FeeEntry:
    """Set one fee, adding it or changing the one there; returns the fee as stored."""
    entry = _entry(FeeEntry(code, fee, modifier), "fee schedule")
    with Session(engine) as session, session.begin():
        user = require(session, who, CHANGE_FEES)
        bump(session, FEE_SCHEDULE, "fee schedule", user, None)
        row = session.scalars(select(FeeRecord).where(FeeRecord.code == entry.code,
                                                      FeeRecord.modifier == entry.modifier)).first()
        record_changes(session, user, [(_fee_subject(entry.code, entry.modifier),
                                        _money(row.fee_cents if row else None),
                                        _money(_cents(entry.fee)))])
        if row is None:
            session.add(FeeRecord(code=entry.code, modifier=entry.modifier,
                                  fee_cents=_cents(entry.fee)))
        else:
            row.fee_cents = _cents(entry.fee)
    return entry


def remove_fee(engine: Engine, code: str, modifier: str = "", who: Who = None) -> bool:
    """Remove one fee; True if there was one. The code's own fee and its modifier fees are
    separate: removing 69210 keeps 69210-50."""
    code, modifier = normalize(code or ""), (modifier or "").strip().upper()
    with Session(engine) as session, session.begin():
        user = require(session, who, CHANGE_FEES)
        cents = session.scalar(select(FeeRecord.fee_cents).where(FeeRecord.code == code,
                                                                 FeeRecord.modifier == modifier))
        if cents is None:
            return False
        bump(session, FEE_SCHEDULE, "fee schedule", user, None)
        session.execute(delete(FeeRecord).where(FeeRecord.code == code,
                                                FeeRecord.modifier == modifier))
        record_changes(session, user, [(_fee_subject(code, modifier), _money(cents), None)])
        return True


# --- CSV ----------------------------------------------------------------------------------

def _header_key(name: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.replace("\ufeff", "").lower()).split())


def _decode(data: bytes, source: str) -> str:
    """UTF-8, else Windows-1252: the two encodings a CSV saved from Excel arrives in; UTF-16
    with its byte-order mark is Excel's "Unicode Text". Anything else is not a CSV."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FeeScheduleError(source, f"is not a text CSV file (byte {exc.start + 1} cannot be "
                                       "read as UTF-8 or Windows-1252); save it from the "
                                       "spreadsheet as CSV") from None


def _columns(header: list[str], source: str) -> dict[str, int]:
    keys = [_header_key(h) for h in header]
    found = {}
    for field, names in COLUMNS.items():
        at = next((i for i, k in enumerate(keys) if k in names), None)
        if at is not None:
            found[field] = at
    for field in ("code", "fee"):
        if field not in found:
            raise FeeScheduleError(source, f"no {field} column; the first row must name the "
                                           f"columns, with one called {_COLUMN_HINTS[field]}",
                                   1, field)
    return found


def read_fee_csv(path: Path | str) -> FeeSchedule:
    """The fee schedule in a CSV file; FeeScheduleError names the file, row and column."""
    path = Path(path)
    source = path.name
    try:
        text = _decode(path.read_bytes(), source)
    except FileNotFoundError:
        raise FeeScheduleError(source, "no such file") from None
    first = text.split("\n", 1)[0]
    delimiter = max("\t,;", key=first.count)  # a semicolon where Excel's locale uses decimal commas
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = next(reader, None)
    if not header or not any(h.strip() for h in header):
        raise FeeScheduleError(source, "is empty; the first row must name the columns "
                                       "(code, modifier, fee)")
    columns = _columns(header, source)
    entries, rows = [], {}
    for number, _cells, cell in numbered_rows(reader, columns):
        code, modifier, fee = cell("code"), cell("modifier"), cell("fee")
        if "-" in code and not modifier:
            code, _, modifier = code.partition("-")
        values = {}
        for field, check, value in (("code", _code, code), ("modifier", _modifier, modifier),
                                    ("fee", parse_amount, fee)):
            try:
                values[field] = check(value)
            except ValueError as exc:
                name = header[columns[field]].strip() if field in columns else field
                raise FeeScheduleError(source, _problem(name, value, exc), number,
                                       field) from None
        key = (values["code"], values["modifier"])
        if key in rows:
            raise FeeScheduleError(source, f"{_key_text(*key)} already has a fee on row "
                                           f"{rows[key]}", number, "code")
        rows[key] = number
        entries.append(FeeEntry(values["code"], values["fee"], values["modifier"]))
    return checked_schedule(entries, source)


def import_fee_csv(engine: Engine, path: Path | str, who: Who = None) -> int:
    """Replace the fee schedule with the file's; the number of fees. A bad file changes
    nothing: every row is read before the one transaction that writes them."""
    schedule = read_fee_csv(path)
    with Session(engine) as session, session.begin():
        user = require(session, who, CHANGE_FEES)
        bump(session, FEE_SCHEDULE, "fee schedule", user, None)
        return write_fee_schedule(session, schedule, user)


def fee_csv_text(schedule: FeeSchedule) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # what spreadsheets write and expect
    writer.writerow(["code", "modifier", "fee"])
    for e in schedule.entries:
        writer.writerow([e.code, e.modifier, f"{e.fee:.2f}"])
    return out.getvalue()


def export_fee_csv(engine_or_schedule: Engine | FeeSchedule, path: Path | str) -> int:
    """Write the schedule (the database's, or the one given) as CSV readable by
    ``read_fee_csv``; the number of fees written."""
    schedule = (engine_or_schedule if isinstance(engine_or_schedule, FeeSchedule)
                else load_fee_schedule(engine_or_schedule))
    write_text_atomically(path, fee_csv_text(schedule))
    return len(schedule.entries)


def sample_fee_schedule() -> FeeSchedule:
    """The fictional sample practice's fees (not saved anywhere by this call)."""
    return checked_schedule((FeeEntry(e["code"], Decimal(e["fee"]), e.get("modifier", ""))
                             for e in sample_document()["fee_schedule"]), SAMPLE_FILE)
