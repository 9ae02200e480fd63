"""The shipped fictional sample practice (``codebooks/sample_practice.json``, read by
``sample_file.py``): its set-up, and loading it whole, set-up, fee schedule and pick list, into
a database on request. Its fee schedule and pick list are ``fee_schedule.sample_fee_schedule``
and ``pick_lists.sample_pick_list``.
"""

from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from encoder_app.practice.fee_schedule import (
    has_fees,
    load_fee_schedule,
    sample_fee_schedule,
    write_fee_schedule,
)
from encoder_app.practice.pick_lists import name_key, sample_pick_list, write_pick_list
from encoder_app.practice.sample_file import sample_document
from encoder_app.practice.set_up_versions import (
    FEE_SCHEDULE,
    PRACTICE,
    bump,
    pick_list_part,
)
from encoder_app.practice.set_up_versions import current as part_version
from encoder_app.practice.setup import (
    PracticeError,
    checked_practice,
    load_practice,
    write_practice,
)
from encoder_app.practice.types import Payer, Practice, PracticeProvider
from encoder_app.users.acting import Who, require
from encoder_app.users.roles import CHANGE_FEES, CHANGE_PRACTICE


def sample_practice() -> Practice:
    """The fictional practice of the shipped sample (not saved anywhere by this call)."""
    p = sample_document()["practice"]
    return checked_practice(Practice(
        p["name"], tuple(p.get("address_lines", ())), p.get("phone", ""), p.get("tax_id", ""),
        p.get("group_npi", ""),
        tuple(PracticeProvider(v["name"], v.get("credentials", ""), v.get("npi", ""))
              for v in p.get("providers", ())),
        tuple(Payer(v["name"], v.get("payer_id", "")) for v in p.get("payers", ()))))


def load_sample_practice(engine: Engine, replace: bool = False, who: Who = None) -> None:
    """Save the sample practice, its fee schedule and its pick list; one transaction.

    Refused (PracticeError) when the database holds a set-up or fees other than the sample's
    (loading it again over an untouched sample is harmless), unless ``replace``: the sample then
    replaces the set-up and the whole fee schedule. Other pick lists are kept."""
    practice = sample_practice()
    # The versions the checks below are made on, read first: a set-up saved by another
    # workstation between the checks and the write is a conflict, not overwritten unseen.
    seen = {part: None if replace else part_version(engine, part).version
            for part in (PRACTICE, FEE_SCHEDULE)}
    current = load_practice(engine)
    if not replace and current is not None and current.name != practice.name:
        raise PracticeError("practice", f"this database is set up for {current.name}; loading "
                                        f"the sample would replace its set-up and fee schedule")
    if not replace and has_fees(engine) and (
            set(load_fee_schedule(engine).entries) != set(sample_fee_schedule().entries)):
        raise PracticeError("fee schedule", "this database already has its own fees; loading "
                                            "the sample would replace them")
    if not replace and current is not None and checked_practice(current) != checked_practice(
            practice):
        raise PracticeError("practice", f"this database is set up for {current.name} with "
                                        "changes of its own; loading the sample would replace "
                                        "them")
    with Session(engine) as session, session.begin():
        user = require(session, who, CHANGE_PRACTICE, CHANGE_FEES)
        for part, what in ((PRACTICE, "practice set-up"), (FEE_SCHEDULE, "fee schedule"),
                           (pick_list_part(name_key(sample_pick_list().name)), "pick list")):
            bump(session, part, what, user, seen.get(part))
        write_practice(session, practice, user)
        write_fee_schedule(session, sample_fee_schedule(), user)
        write_pick_list(session, sample_pick_list(), user)
