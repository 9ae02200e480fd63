"""Saving encounters in the database: versions, an audit entry per changed code, listing,
soft delete, clear errors, and a failed save that leaves the saved version whole."""

import dataclasses
import datetime as dt
import itertools
from decimal import Decimal

import pytest
from sqlalchemy import event

from encoder_app.encounters import store
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.encounters.store import (
    AuditLine,
    EncounterNotFound,
    audit_trail,
    code_changes,
    delete_encounter,
    encounters_between,
    list_encounters,
    load_encounter_record,
    save_encounter,
)
from encoder_app.errors import EncoderError

DOC = {
    "date_of_service": "2026-05-01", "setting": "practitioner", "place_of_service": "11",
    "patient": {"name": "Zoë Müller", "sex": "F", "birth_date": "1980-02-03", "member_id": "X1"},
    "provider": {"name": "A. Smith, MD", "npi": "1234567893"},
    "diagnoses": ["I10", "E11.9"],
    "procedures": [{"code": "99213", "modifiers": [], "units": 1, "diagnosis_pointers": [1, 2],
                    "charge": 120.0, "ndc": "kept"},
                   {"code": "82947", "units": 1, "diagnosis_pointers": [2], "charge": 15}],
    "payer": "Acme",
}


def visit(**changes):
    return parse_encounter({**DOC, **changes})


@pytest.fixture
def clock(monkeypatch):
    """Saves one minute apart, so 'newest first' does not depend on the machine's speed."""
    ticks = (dt.datetime(2026, 5, 1, 9, 0) + dt.timedelta(minutes=i) for i in itertools.count())
    monkeypatch.setattr(store, "_now", lambda: next(ticks))


def fields(lines):
    return [(a.field, a.before, a.after) for a in lines]


def test_save_creates_and_reads_back_whole(engine, clock):
    snapshot = visit()
    new_id = save_encounter(engine, snapshot, user="maria")
    stored = load_encounter_record(engine, new_id)
    assert stored.id == new_id and stored.label == "Zoë Müller"
    assert stored.snapshot == snapshot
    assert (stored.snapshot.payer, stored.snapshot.patient.member_id) == ("Acme", "X1")
    assert stored.snapshot.procedures[0].extra == {"ndc": "kept"}
    assert stored.created_at == stored.updated_at == dt.datetime(2026, 5, 1, 9, 0)


def test_creation_audits_every_assigned_code_with_nothing_before(engine, clock):
    new_id = save_encounter(engine, visit(), user="maria")
    trail = audit_trail(engine, new_id)
    assert {a.user for a in trail} == {"maria"}
    assert {a.at for a in trail} == {dt.datetime(2026, 5, 1, 9, 0)}  # one save, one moment
    assert all(a.before is None for a in trail)
    assert fields(trail) == [
        ("date_of_service", None, "2026-05-01"),
        ("patient.name", None, "Zoë Müller"),
        ("patient.sex", None, "F"),
        ("patient.birth_date", None, "1980-02-03"),
        ("patient.member_id", None, "X1"),
        ("diagnoses[1]", None, "I10"),
        ("diagnoses[2]", None, "E11.9"),
        ("procedures[1].code", None, "99213"),
        ("procedures[1].units", None, "1"),
        ("procedures[1].diagnosis_pointers", None, "1,2"),
        ("procedures[1].charge", None, "120.00"),
        ("procedures[2].code", None, "82947"),
        ("procedures[2].units", None, "1"),
        ("procedures[2].diagnosis_pointers", None, "2"),
        ("procedures[2].charge", None, "15.00"),
    ]


def test_saving_again_updates_and_audits_only_what_changed(engine, clock):
    new_id = save_encounter(engine, visit(), user="maria")
    created = len(audit_trail(engine, new_id))
    changed = visit(diagnoses=["I10", "E11.65"], procedures=[
        {**DOC["procedures"][0], "modifiers": ["25"]}, DOC["procedures"][1]])
    assert save_encounter(engine, changed, new_id, user="lee") == new_id
    stored = load_encounter_record(engine, new_id)
    assert stored.snapshot == changed
    assert stored.created_at < stored.updated_at
    later = audit_trail(engine, new_id)[created:]
    assert later == [
        AuditLine(dt.datetime(2026, 5, 1, 9, 1), "lee", "diagnoses[2]", "E11.9", "E11.65"),
        AuditLine(dt.datetime(2026, 5, 1, 9, 1), "lee", "procedures[1].modifiers", None, "25"),
    ]


def test_units_pointers_charge_and_removed_lines_are_audited(engine, clock):
    new_id = save_encounter(engine, visit())
    created = len(audit_trail(engine, new_id))
    line = {**DOC["procedures"][0], "units": 2, "diagnosis_pointers": [2], "charge": 99.5}
    save_encounter(engine, visit(diagnoses=["I10"], procedures=[line]), new_id)
    assert fields(audit_trail(engine, new_id)[created:]) == [
        ("diagnoses[2]", "E11.9", None),
        ("procedures[1].units", "1", "2"),
        ("procedures[1].diagnosis_pointers", "1,2", "2"),
        ("procedures[1].charge", "120.00", "99.50"),
        ("procedures[2].code", "82947", None),
        ("procedures[2].units", "1", None),
        ("procedures[2].diagnosis_pointers", "2", None),
        ("procedures[2].charge", "15.00", None),
    ]


def test_patient_changes_are_audited_and_unchanged_saves_write_nothing(engine, clock):
    new_id = save_encounter(engine, visit())
    trail = audit_trail(engine, new_id)
    renamed = visit(patient={**DOC["patient"], "name": "Zoë Müller-Ortiz", "member_id": None},
                    date_of_service="2026-05-02", payer="Other plan")
    save_encounter(engine, renamed, new_id, user="lee")
    assert load_encounter_record(engine, new_id).label == "Zoë Müller-Ortiz"
    assert fields(audit_trail(engine, new_id)[len(trail):]) == [
        ("date_of_service", "2026-05-01", "2026-05-02"),
        ("patient.name", "Zoë Müller", "Zoë Müller-Ortiz"),
        ("patient.member_id", "X1", None),
    ]
    trail = audit_trail(engine, new_id)
    before = load_encounter_record(engine, new_id).updated_at
    save_encounter(engine, renamed, new_id)  # autosave with nothing new
    assert load_encounter_record(engine, new_id).updated_at == before


def test_the_same_code_written_differently_is_not_a_change():
    old = visit()
    new = visit(diagnoses=["i10", "E119"])
    assert list(code_changes(old, new)) == []


def test_reordering_diagnoses_is_audited_by_position():
    assert list(code_changes(visit(), visit(diagnoses=["E11.9", "I10"]))) == [
        ("diagnoses[1]", "I10", "E11.9"), ("diagnoses[2]", "E11.9", "I10")]


def test_listing_is_newest_first_with_counts(engine, clock):
    first = save_encounter(engine, visit())
    second = save_encounter(engine, visit(patient={"name": "Íñigo Núñez"}, diagnoses=["J20.9"],
                                          procedures=[], date_of_service="2026-05-02"))
    listed = list_encounters(engine)
    assert [e.id for e in listed] == [second, first]
    assert (listed[0].label, listed[0].date_of_service, listed[0].diagnosis_count,
            listed[0].procedure_count) == ("Íñigo Núñez", dt.date(2026, 5, 2), 1, 0)
    assert (listed[1].diagnosis_count, listed[1].procedure_count) == (2, 2)
    save_encounter(engine, visit(diagnoses=["I10"]), first)  # saving again moves it up
    assert [e.id for e in list_encounters(engine)] == [first, second]
    assert [e.id for e in list_encounters(engine, limit=1)] == [first]


def test_listing_filters_on_patient_name_ignoring_case_and_accents(engine, clock):
    zoe = save_encounter(engine, visit())
    inigo = save_encounter(engine, visit(patient={"name": "Íñigo Núñez"}))
    save_encounter(engine, visit(patient={"name": "100% Sure_Name"}))
    assert [e.id for e in list_encounters(engine, search="müller")] == [zoe]
    assert [e.id for e in list_encounters(engine, search="MULLER zoe")] == [zoe]
    assert [e.id for e in list_encounters(engine, search="nunez")] == [inigo]
    assert [e.id for e in list_encounters(engine, search="  ")] != []
    assert list_encounters(engine, search="smith") == []
    assert [e.label for e in list_encounters(engine, search="0%")] == ["100% Sure_Name"]
    assert list_encounters(engine, search="o_n") == []  # _ and % are not wildcards


def test_delete_hides_it_but_keeps_its_trail(engine, clock):
    kept = save_encounter(engine, visit())
    gone = save_encounter(engine, visit(patient={"name": "Ana Peña"}))
    delete_encounter(engine, gone, user="lee")
    assert [e.id for e in list_encounters(engine)] == [kept]
    with pytest.raises(EncounterNotFound, match=rf"encounter #{gone} was deleted"):
        load_encounter_record(engine, gone)
    assert load_encounter_record(engine, gone, include_deleted=True).label == "Ana Peña"
    assert fields(audit_trail(engine, gone))[-1] == ("deleted", "no", "yes")
    assert audit_trail(engine, gone)[-1].user == "lee"
    delete_encounter(engine, gone)  # again: nothing more to do
    assert fields(audit_trail(engine, gone)).count(("deleted", "no", "yes")) == 1
    with pytest.raises(EncounterNotFound):
        save_encounter(engine, visit(), gone)


def test_unknown_ids_fail_clearly(engine):
    for call in (lambda: load_encounter_record(engine, 12),
                 lambda: save_encounter(engine, visit(), 12),
                 lambda: delete_encounter(engine, 12),
                 lambda: audit_trail(engine, 12)):
        with pytest.raises(EncounterNotFound, match=r"^encounter #12 does not exist$") as err:
            call()
        assert isinstance(err.value, EncoderError) and err.value.encounter_id == 12
    assert list_encounters(engine) == []


def test_encounters_between_for_a_day_sheet(engine, clock):
    may1 = save_encounter(engine, visit())
    may3 = save_encounter(engine, visit(date_of_service="2026-05-03"))
    may2 = save_encounter(engine, visit(date_of_service="2026-05-02"))
    save_encounter(engine, visit(date_of_service="2026-05-04"))
    save_encounter(engine, visit(date_of_service=None))
    delete_encounter(engine, save_encounter(engine, visit(date_of_service="2026-05-02")))
    day_sheet = encounters_between(engine, dt.date(2026, 5, 1), dt.date(2026, 5, 3))
    assert [e.id for e in day_sheet] == [may1, may2, may3]
    assert day_sheet[1].snapshot.date_of_service == dt.date(2026, 5, 2)
    assert encounters_between(engine, dt.date(2026, 6, 1), dt.date(2026, 6, 30)) == []


def _assert_still_first_version(engine, encounter_id, snapshot, trail):
    stored = load_encounter_record(engine, encounter_id)
    assert stored.snapshot == snapshot
    assert [e.diagnosis_count for e in list_encounters(engine)] == [2]
    assert audit_trail(engine, encounter_id) == trail


def test_a_save_failing_midway_leaves_the_saved_version_intact(engine, clock, monkeypatch):
    snapshot = visit()
    new_id = save_encounter(engine, snapshot)
    trail = audit_trail(engine, new_id)

    def broken(*args, **kwargs):  # the encounter row is already updated when this runs
        raise OSError("disk full")

    monkeypatch.setattr(store, "_write_audit", broken)
    with pytest.raises(OSError, match="disk full"):
        save_encounter(engine, visit(diagnoses=["I10", "E11.65", "Z79.4"]), new_id)
    _assert_still_first_version(engine, new_id, snapshot, trail)


def test_a_database_error_on_the_audit_insert_rolls_the_update_back(engine, clock):
    snapshot = visit()
    new_id = save_encounter(engine, snapshot)
    trail = audit_trail(engine, new_id)
    seen = []

    def fail_on_audit(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement.split()[0].upper())
        if statement.lstrip().upper().startswith("INSERT INTO AUDIT_LOG"):
            raise RuntimeError("the database went away")

    event.listen(engine, "before_cursor_execute", fail_on_audit)
    try:
        with pytest.raises(RuntimeError, match="went away"):
            save_encounter(engine, visit(diagnoses=["I10", "E11.65"]), new_id)
    finally:
        event.remove(engine, "before_cursor_execute", fail_on_audit)
    assert "UPDATE" in seen  # the failure really came after the row was written
    _assert_still_first_version(engine, new_id, snapshot, trail)


def test_a_failed_first_save_leaves_nothing_behind(engine, monkeypatch):
    monkeypatch.setattr(store, "_write_audit", lambda *a, **k: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        save_encounter(engine, visit())
    assert list_encounters(engine) == []


def test_results_are_plain_frozen_objects(engine, clock):
    new_id = save_encounter(engine, visit())
    for obj in (load_encounter_record(engine, new_id), list_encounters(engine)[0],
                audit_trail(engine, new_id)[0], encounters_between(
                    engine, dt.date(2026, 5, 1), dt.date(2026, 5, 1))[0]):
        assert dataclasses.is_dataclass(obj)
        with pytest.raises(dataclasses.FrozenInstanceError):
            obj.id = 99  # type: ignore[misc]
    engine.dispose()  # no session outlives the call: the objects still read fine
    line = load_encounter_record(engine, new_id).snapshot.procedures[0]
    assert line.charge == Decimal("120.00")


def test_an_inpatient_stays_dates_status_poa_and_procedure_dates_are_audited(engine, clock):
    """What decides the DRG is on the trail: the stay's dates and status, each diagnosis's POA
    (a CC not present on admission may not count), each procedure's date."""
    stay = {"setting": "inpatient", "admission_date": "2026-04-27",
            "discharge_date": "2026-04-30", "discharge_status": "01",
            "diagnoses": [{"code": "I11.0", "poa": "Y"}, {"code": "N17.9", "poa": "Y"}],
            "procedures": [{"code": "5A1955Z", "date": "2026-04-28"}]}
    new_id = save_encounter(engine, parse_encounter(stay), user="maria")
    created = fields(audit_trail(engine, new_id))
    assert ("discharge_status", None, "01") in created
    assert ("diagnoses[2].poa", None, "Y") in created
    assert ("procedures[1].date", None, "2026-04-28") in created
    changed = {**stay, "discharge_status": "03",
               "diagnoses": [{"code": "I11.0", "poa": "Y"}, {"code": "N17.9", "poa": "N"}],
               "procedures": [{"code": "5A1955Z", "date": "2026-04-29"}]}
    save_encounter(engine, parse_encounter(changed), new_id, user="lee")
    later = fields(audit_trail(engine, new_id))[len(created):]
    assert later == [("discharge_status", "01", "03"), ("diagnoses[2].poa", "Y", "N"),
                     ("procedures[1].date", "2026-04-28", "2026-04-29")]
