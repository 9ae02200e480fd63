"""Two people, one encounter, on SQLite and on PostgreSQL: a save made on an older version is
refused with who saved it and when, nothing of theirs is overwritten and nothing of yours is
lost (you still hold it); two saves racing from one version write once."""

from __future__ import annotations

import threading

import pytest

from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.encounters.store import (
    EncounterConflict,
    audit_trail,
    load_encounter_record,
    save_encounter_version,
)

VISIT = {"date_of_service": "2026-05-04", "patient": {"name": "Ruth Calloway"},
         "diagnoses": ["E11.9"], "procedures": [{"code": "99213"}]}


def visit(*diagnoses: str):
    return parse_encounter({**VISIT, "diagnoses": list(diagnoses)})


def test_a_save_on_an_older_version_is_refused_and_says_who(backend):
    first = save_encounter_version(backend, visit("E11.9"), user="front desk")
    assert (first.version, first.written) == (1, True)
    # The coder and the biller both open version 1; the biller saves first.
    biller = save_encounter_version(backend, visit("E11.9", "I10"), first.id, "biller",
                                    if_version=1)
    assert biller.version == 2
    with pytest.raises(EncounterConflict) as refused:
        save_encounter_version(backend, visit("E11.65"), first.id, "coder", if_version=1)
    conflict = refused.value
    assert (conflict.yours, conflict.theirs.version, conflict.theirs.updated_by) == (1, 2, "biller")
    assert conflict.theirs.snapshot.diagnoses == ("E11.9", "I10")
    assert "was changed by biller at" in str(conflict) and "not written" in str(conflict)
    stored = load_encounter_record(backend, first.id)
    assert (stored.version, stored.snapshot.diagnoses) == (2, ("E11.9", "I10"))
    assert {a.user for a in audit_trail(backend, first.id)} == {"front desk", "biller"}
    # Merged on version 2, the coder's save goes through.
    merged = save_encounter_version(backend, visit("E11.65", "I10"), first.id, "coder",
                                    if_version=2)
    assert merged.version == 3


def test_saving_what_is_already_saved_is_no_conflict(backend):
    first = save_encounter_version(backend, visit("E11.9"))
    save_encounter_version(backend, visit("I10"), first.id, "biller", if_version=1)
    same = save_encounter_version(backend, visit("I10"), first.id, "coder", if_version=1)
    assert (same.version, same.written) == (2, False)  # nothing to lose, nothing written


def test_every_change_names_the_workstation(backend):
    from sqlalchemy import text

    from encoder_app.encounters.store import workstation_name

    save_encounter_version(backend, visit("E11.9"), user="coder")
    with backend.connect() as conn:
        assert {r[0] for r in conn.execute(text("SELECT workstation FROM audit_log"))} == \
            {workstation_name()}


def test_two_saves_racing_from_one_version_write_once(backend):
    first = save_encounter_version(backend, visit("E11.9"))
    start = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def save(user: str, code: str) -> None:
        start.wait()
        try:
            outcomes[user] = save_encounter_version(backend, visit(code), first.id, user,
                                                    if_version=1)
        except EncounterConflict as exc:
            outcomes[user] = exc

    threads = [threading.Thread(target=save, args=a) for a in (("ann", "I10"), ("bob", "J45.909"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    written = [u for u, o in outcomes.items() if not isinstance(o, EncounterConflict)]
    refused = [u for u, o in outcomes.items() if isinstance(o, EncounterConflict)]
    assert len(written) == 1 and len(refused) == 1, outcomes
    stored = load_encounter_record(backend, first.id)
    assert stored.version == 2 and stored.updated_by == written[0]
