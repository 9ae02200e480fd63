"""Merging two versions of an encounter field by field: every field taken from theirs is
theirs, every other field is mine, and what the merge saves over theirs is audited as exactly
the fields that stayed mine."""

from __future__ import annotations

from encoder_app.encounters.merge import merge_documents
from encoder_app.encounters.serialize import encounter_to_json
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.encounters.store import audited_changes

BASE = {"date_of_service": "2026-05-04", "setting": "practitioner",
        "patient": {"name": "Ruth Calloway", "sex": "F", "birth_date": "1961-08-14"}}


def doc(**fields):
    return encounter_to_json(parse_encounter({**BASE, **fields}))


THEIRS = doc(patient={**BASE["patient"], "member_id": "XJ1"}, diagnoses=["E11.9", "I10"],
             procedures=[{"code": "99213", "modifiers": ["25"], "units": 1,
                          "diagnosis_pointers": [1], "charge": 120}])
MINE = doc(patient={**BASE["patient"], "name": "Ruth M. Calloway"},
           diagnoses=["E11.65", "I10", "Z79.84"],
           procedures=[{"code": "99214", "units": 1, "diagnosis_pointers": [1, 2]},
                       {"code": "82962", "units": 1, "diagnosis_pointers": [1]}])


def fields(theirs, mine) -> set[str]:
    return {f for f, _b, _a in audited_changes(parse_encounter(theirs), parse_encounter(mine))}


def test_taking_nothing_is_mine_and_taking_everything_is_theirs():
    every = fields(THEIRS, MINE)
    assert merge_documents(THEIRS, MINE, []) == MINE
    assert fields(THEIRS, merge_documents(THEIRS, MINE, every)) == set()


def test_each_field_taken_is_theirs_and_the_rest_stays_mine():
    take = {"patient.member_id", "diagnoses[1]", "procedures[1].modifiers",
            "procedures[2].code"}
    merged = merge_documents(THEIRS, MINE, take)
    snapshot = parse_encounter(merged)
    assert snapshot.patient.name == "Ruth M. Calloway"  # mine
    assert snapshot.patient.member_id == "XJ1"  # theirs
    assert snapshot.diagnoses == ("E11.9", "I10", "Z79.84")
    first = snapshot.procedures[0]
    assert (first.code, first.modifiers, first.diagnosis_pointers) == ("99214", ("25",), (1, 2))
    assert len(snapshot.procedures) == 1  # line 2 only I had: taking theirs leaves it out
    # What the merge would write over theirs: exactly the fields that stayed mine.
    assert fields(THEIRS, merged) == fields(THEIRS, MINE) - take - {
        "procedures[2].units", "procedures[2].diagnosis_pointers"}


def test_a_poa_indicator_is_taken_without_the_code():
    theirs = doc(setting="inpatient", admission_date="2026-05-01", discharge_date="2026-05-04",
                 diagnoses=[{"code": "J18.9", "poa": "Y"}])
    mine = doc(setting="inpatient", admission_date="2026-05-01", discharge_date="2026-05-04",
               diagnoses=[{"code": "J15.9", "poa": "N"}])
    merged = parse_encounter(merge_documents(theirs, mine, {"diagnoses[1].poa"}))
    assert merged.diagnoses == ("J15.9",) and merged.poa(0) == "Y"
