"""The shared set-up follows the encounters' rule, on SQLite and on PostgreSQL: an editor
that saves the fee schedule, a pick list or the practice over someone else's newer save is
refused with who and when, nothing of theirs is overwritten; racing saves write once."""

from __future__ import annotations

import threading
from dataclasses import replace
from decimal import Decimal

import pytest

from encoder_app.practice.fee_schedule import load_fee_schedule, save_fee_schedule, set_fee
from encoder_app.practice.pick_lists import (
    get_pick_list,
    pick_list_version,
    save_pick_list_version,
)
from encoder_app.practice.sample import sample_practice
from encoder_app.practice.set_up_versions import FEE_SCHEDULE, PRACTICE, SetUpConflict, current
from encoder_app.practice.setup import load_practice, save_practice
from encoder_app.practice.types import FeeEntry, FeeSchedule, PickItem, PickList, PickSection


def fees(*pairs) -> FeeSchedule:
    return FeeSchedule(tuple(FeeEntry(code, Decimal(fee)) for code, fee in pairs))


def test_a_fee_schedule_saved_over_a_newer_one_is_refused_and_says_who(backend):
    assert current(backend, FEE_SCHEDULE).version == 0
    first = save_fee_schedule(backend, fees(("99213", "80.00")), "Ann", if_version=0)
    assert first == 1
    # The biller and the admin both open version 1; the biller saves first.
    save_fee_schedule(backend, fees(("99213", "85.00")), "Biller", if_version=1)
    with pytest.raises(SetUpConflict) as refused:
        save_fee_schedule(backend, fees(("99213", "90.00")), "Ann", if_version=1)
    assert "changed by Biller at" in str(refused.value) and "not saved" in str(refused.value)
    assert refused.value.theirs.version == 2
    assert load_fee_schedule(backend).fee_for("99213") == Decimal("85.00")
    # One fee set from the command line counts as a save too.
    set_fee(backend, "99214", Decimal("120.00"), who="Biller")
    assert current(backend, FEE_SCHEDULE).version == 3
    with pytest.raises(SetUpConflict):
        save_fee_schedule(backend, fees(("99213", "90.00")), "Ann", if_version=2)
    assert save_fee_schedule(backend, fees(("99213", "90.00")), "Ann", if_version=None) == 4


def test_a_pick_list_and_the_practice_follow_the_same_rule(backend):
    visits = PickList("Visits", (PickSection("Office", (PickItem("99213", "Est. visit", "CPT"),)),))
    more = PickList("Visits", (PickSection("Office", (PickItem("99213", "Est. visit", "CPT"),
                                                      PickItem("99214", "Est. visit", "CPT"))),))
    assert pick_list_version(backend, "visits") == 0
    _, version = save_pick_list_version(backend, visits, "Ann", if_version=0)
    with pytest.raises(SetUpConflict, match="pick list 'Visits' was changed by Ann"):
        save_pick_list_version(backend, more, "Mary", if_version=0)  # made it new, meanwhile
    assert len(get_pick_list(backend, "Visits").sections[0].items) == 1
    assert save_pick_list_version(backend, more, "Mary", if_version=version)[1] == 2
    assert save_practice(backend, sample_practice(), "Ann", if_version=0) == 1
    with pytest.raises(SetUpConflict, match="practice set-up was changed by Ann"):
        save_practice(backend, replace(sample_practice(), phone="555-0100"), "Mary",
                      if_version=0)
    assert current(backend, PRACTICE).updated_by == "Ann"
    assert load_practice(backend).phone == sample_practice().phone


def test_two_editors_racing_from_one_version_write_once(backend):
    save_fee_schedule(backend, fees(("99213", "80.00")), "Ann")
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def editor(name: str, fee: str) -> None:
        start.wait()
        try:
            save_fee_schedule(backend, fees(("99213", fee)), name, if_version=1)
            outcomes.append(f"saved {name}")
        except SetUpConflict:
            outcomes.append(f"refused {name}")

    threads = [threading.Thread(target=editor, args=a) for a in (("Ann", "81.00"),
                                                                  ("Mary", "82.00"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.split()[0] for o in outcomes) == ["refused", "saved"], outcomes
    winner = next(o.split()[1] for o in outcomes if o.startswith("saved"))
    assert current(backend, FEE_SCHEDULE).version == 2
    assert load_fee_schedule(backend).fee_for("99213") == Decimal(
        "81.00" if winner == "Ann" else "82.00")


@pytest.mark.parametrize("if_version", [None, 0])
def test_two_first_saves_racing(backend, if_version):
    """Two workstations set the first fee of a new practice at once: saving regardless, both
    are written one after the other; saving on version 0, one is refused."""
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def editor(name: str, fee: str) -> None:
        start.wait()
        try:
            save_fee_schedule(backend, fees(("99213", fee)), name, if_version=if_version)
            outcomes.append("saved")
        except SetUpConflict:
            outcomes.append("refused")

    threads = [threading.Thread(target=editor, args=a) for a in (("Ann", "81.00"),
                                                                  ("Mary", "82.00"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if if_version is None:
        assert outcomes == ["saved", "saved"] and current(backend, FEE_SCHEDULE).version == 2
    else:
        assert sorted(outcomes) == ["refused", "saved"]
        assert current(backend, FEE_SCHEDULE).version == 1
