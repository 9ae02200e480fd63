"""The practice set-up a superbill prints in its header: name, address, tax id, NPIs, providers
and payers; one practice per database. (The shipped fictional sample is ``sample.py``.)

Values are checked before anything is written: an EIN must be NN-NNNNNNN (nine digits are
accepted and written with the dash), every NPI must be 10 digits passing the NPI check digit.
"""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Engine, delete, select
from sqlalchemy.orm import Session

from encoder_app.edits.rules.claim import npi_check_digit
from encoder_app.errors import LocatedError
from encoder_app.practice.models import PayerRecord, PracticeProviderRecord, PracticeRecord
from encoder_app.practice.set_up_versions import PRACTICE, bump
from encoder_app.practice.types import Payer, Practice, PracticeProvider
from encoder_app.users.acting import Who, require
from encoder_app.users.roles import CHANGE_PRACTICE
from encoder_app.users.trail import record_changes

_EIN = re.compile(r"(\d{2})-?(\d{7})")


class PracticeError(LocatedError):
    """A practice value is missing or malformed; ``field`` names it as the set-up form does."""

    def __init__(self, field: str, problem: str):
        self.field = field
        super().__init__(None, field, problem)


def npi_problem(npi: str) -> str | None:
    """Why an NPI cannot be billed (None when it can): the claim edit's check, said briefly."""
    if len(npi) != 10 or not npi.isdigit():
        return f"NPI {npi!r} is not 10 digits"
    expected = npi_check_digit(npi)
    if int(npi[9]) != expected:
        return (f"NPI {npi} fails its check digit (with these first 9 digits the last must be "
                f"{expected}); check it against NPPES")
    if npi[0] not in "12":
        return f"NPI {npi} starts with {npi[0]}; NPIs start with 1 or 2"
    return None


def _ein(text: str) -> str:
    match = _EIN.fullmatch(text)
    if not match:
        raise PracticeError("tax id", f"{text!r} is not an EIN; write NN-NNNNNNN or 9 digits")
    return f"{match[1]}-{match[2]}"


def _clean(value: str) -> str:
    return " ".join((value or "").split())


def checked_practice(practice: Practice) -> Practice:
    """The practice as it is stored: spaces tidied, the EIN with its dash, blank lines dropped.
    Raises PracticeError naming the first bad field."""
    name = _clean(practice.name)
    if not name:
        raise PracticeError("practice name", "is required")
    tax_id = _clean(practice.tax_id).replace(" ", "")
    group_npi = _clean(practice.group_npi).replace(" ", "")
    if group_npi and (problem := npi_problem(group_npi)):
        raise PracticeError("group NPI", problem)
    providers, seen_npis = [], {}
    for i, p in enumerate(practice.providers, start=1):
        p_name, npi = _clean(p.name), _clean(p.npi).replace(" ", "")
        where = f"provider {i} ({p_name})" if p_name else f"provider {i}"
        if not p_name:
            raise PracticeError(where, "name is required")
        if npi and (problem := npi_problem(npi)):
            raise PracticeError(where, problem)
        if npi in seen_npis:
            raise PracticeError(where, f"NPI {npi} is also provider {seen_npis[npi]}'s")
        if npi:
            seen_npis[npi] = i
        providers.append(PracticeProvider(p_name, _clean(p.credentials), npi))
    payers, seen_payers = [], {}
    for i, p in enumerate(practice.payers, start=1):
        p_name = _clean(p.name)
        if not p_name:
            raise PracticeError(f"payer {i}", "name is required")
        if p_name.casefold() in seen_payers:
            raise PracticeError(f"payer {i} ({p_name})",
                                f"is listed twice (also payer {seen_payers[p_name.casefold()]})")
        seen_payers[p_name.casefold()] = i
        payers.append(Payer(p_name, _clean(p.payer_id)))
    return Practice(name, tuple(line for line in map(_clean, practice.address_lines) if line),
                    _clean(practice.phone), _ein(tax_id) if tax_id else "", group_npi,
                    tuple(providers), tuple(payers))


def validate_practice(practice: Practice) -> None:
    """Raise PracticeError naming the first field a superbill or claim could not use."""
    checked_practice(practice)


def load_practice(engine: Engine) -> Practice | None:
    """The database's practice, or None when none is set up yet."""
    with Session(engine) as session:
        return _read_practice(session)


def _read_practice(session: Session) -> Practice | None:
    row = session.scalars(select(PracticeRecord).order_by(PracticeRecord.id)).first()
    if row is None:
        return None
    providers = session.scalars(select(PracticeProviderRecord)
                                .where(PracticeProviderRecord.practice_id == row.id)
                                .order_by(PracticeProviderRecord.seq)).all()
    payers = session.scalars(select(PayerRecord).where(PayerRecord.practice_id == row.id)
                             .order_by(PayerRecord.seq)).all()
    return Practice(row.name, tuple(row.address.splitlines()) if row.address else (),
                    row.phone, row.tax_id, row.group_npi,
                    tuple(PracticeProvider(p.name, p.credentials, p.npi) for p in providers),
                    tuple(Payer(p.name, p.payer_id) for p in payers))


def _trail_values(practice: Practice | None) -> dict[str, str | None]:
    """The practice as its trail entries read: one value per field, providers and payers as
    one line each."""
    if practice is None:
        return {}
    return {
        "name": practice.name, "address": ", ".join(practice.address_lines) or None,
        "phone": practice.phone or None, "tax_id": practice.tax_id or None,
        "group_npi": practice.group_npi or None,
        "providers": "; ".join(f"{p.name}{', ' + p.credentials if p.credentials else ''} "
                               f"NPI {p.npi or '-'}" for p in practice.providers) or None,
        "payers": "; ".join(p.name + (f" ({p.payer_id})" if p.payer_id else "")
                            for p in practice.payers) or None,
    }


def write_practice(session: Session, practice: Practice, user: str | None = None) -> None:
    """Replace the practice inside the caller's transaction (it is checked first); with a
    ``user``, each field that changed goes to the practice trail under their name."""
    practice = checked_practice(practice)
    if user is not None:
        before, after = _trail_values(_read_practice(session)), _trail_values(practice)
        record_changes(session, user, ((f"practice.{k}", before.get(k), after[k])
                                       for k in after))
    for table in (PracticeProviderRecord, PayerRecord, PracticeRecord):
        session.execute(delete(table))
    row = PracticeRecord(name=practice.name, address="\n".join(practice.address_lines),
                         phone=practice.phone, tax_id=practice.tax_id,
                         group_npi=practice.group_npi, updated_at=dt.datetime.now())
    session.add(row)
    session.flush()
    session.add_all(PracticeProviderRecord(practice_id=row.id, seq=i, name=p.name,
                                           credentials=p.credentials, npi=p.npi)
                    for i, p in enumerate(practice.providers))
    session.add_all(PayerRecord(practice_id=row.id, seq=i, name=p.name, payer_id=p.payer_id)
                    for i, p in enumerate(practice.payers))


def save_practice(engine: Engine, practice: Practice, who: Who = None,
                  if_version: int | None = None) -> int:
    """Check and store the practice, replacing the one saved before; one transaction; the
    set-up's new version. ``who`` must be allowed to change the practice on a database with
    accounts; with ``if_version`` (the version the editor opened), a newer save by someone
    else is refused (SetUpConflict) and nothing is written."""
    practice = checked_practice(practice)  # a bad field is named before any conflict
    with Session(engine) as session, session.begin():
        user = require(session, who, CHANGE_PRACTICE)
        version = bump(session, PRACTICE, "practice set-up", user, if_version)
        write_practice(session, practice, user)
        return version
