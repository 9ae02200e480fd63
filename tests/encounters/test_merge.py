"""Merging two versions of an encounter field by field: every field taken from theirs is
theirs, every other field is mine, and what the merge saves over theirs is audited as exactly
the fields that stayed mine."""

from __future__ import annotations

import pytest

from encoder_app.encounters.merge import MergeError, differences, merge_documents
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


def test_taking_their_code_keeps_my_poa_when_the_poa_row_says_mine():
    theirs = doc(setting="inpatient", admission_date="2026-05-01", discharge_date="2026-05-04",
                 diagnoses=[{"code": "J18.9", "poa": "Y"}])
    mine = doc(setting="inpatient", admission_date="2026-05-01", discharge_date="2026-05-04",
               diagnoses=[{"code": "J15.9", "poa": "N"}])
    merged = parse_encounter(merge_documents(theirs, mine, {"diagnoses[1]"}))
    assert merged.diagnoses == ("J18.9",) and merged.poa(0) == "N"


def test_removing_a_diagnosis_others_follow_is_refused_not_renumbered():
    theirs = doc(diagnoses=["E11.9"])
    mine = doc(diagnoses=["E11.9", "I10", "Z79.84"],
               procedures=[{"code": "99214", "diagnosis_pointers": [1, 3]}])
    with pytest.raises(MergeError, match=r"diagnoses\[2\]: taking theirs removes"):
        merge_documents(theirs, mine, {"diagnoses[2]"})
    # Taking theirs for every later one too is a plain removal from the end.
    merged = merge_documents(theirs, {**mine, "procedures": []},
                             {"diagnoses[2]", "diagnoses[3]"})
    assert parse_encounter(merged).diagnoses == ("E11.9",)


def test_the_visits_other_fields_are_offered_and_merged_too():
    theirs = doc(payer="Acme Health", amount_paid=25, diagnoses=["E11.9"])
    mine = doc(payer="Medicare", diagnoses=["I10"])
    fields = {f for f, _t, _m in differences(theirs, mine)}
    assert {"payer", "amount_paid", "diagnoses[1]"} <= fields
    merged = parse_encounter(merge_documents(theirs, mine, {"payer", "amount_paid"}))
    assert (merged.payer, str(merged.amount_paid)) == ("Acme Health", "25.00")
    assert merged.diagnoses == ("I10",)
