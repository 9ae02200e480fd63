"""Fixes change exactly what they say, keep pointers right, and refuse when they no longer fit."""

import pytest

from encoder_app.edits.fixes import FixNotApplicable, apply_fix

DOC = {"diagnoses": ["W54.0A", "E11.9", "I10"],
       "procedures": [{"code": "99213", "modifiers": [], "units": 1, "diagnosis_pointers": [2, 3]},
                      {"code": "J3301", "modifiers": ["RT"], "units": 60,
                       "diagnosis_pointers": [3]}],
       "payer": "kept"}


def test_replace_diagnosis_with_the_offered_code_or_a_choice():
    assert apply_fix(DOC, {"action": "replace_diagnosis", "index": 0, "code": "W54.0XXA"}) \
        ["diagnoses"][0] == "W54.0XXA"
    fix = {"action": "replace_diagnosis", "index": 1, "choices": ["E11.65", "E11.69"]}
    assert apply_fix(DOC, fix, choice="E11.69")["diagnoses"][1] == "E11.69"
    assert DOC["diagnoses"][0] == "W54.0A"  # the input is left alone


def test_removing_a_diagnosis_renumbers_pointers():
    doc = apply_fix(DOC, {"action": "remove_diagnosis", "index": 1})
    assert doc["diagnoses"] == ["W54.0A", "I10"]
    assert [p["diagnosis_pointers"] for p in doc["procedures"]] == [[2], [2]]
    assert doc["payer"] == "kept"


def test_moving_a_diagnosis_keeps_pointers_on_the_same_codes():
    doc = apply_fix(DOC, {"action": "move_diagnosis", "from": 2, "to": 0})
    assert doc["diagnoses"] == ["I10", "W54.0A", "E11.9"]
    assert doc["procedures"][0]["diagnosis_pointers"] == [3, 1]


def test_modifier_fixes():
    doc = apply_fix(DOC, {"action": "add_modifier", "line": 1, "modifier": "25"})
    assert doc["procedures"][0]["modifiers"] == ["25"]
    assert apply_fix(doc, {"action": "add_modifier", "line": 1, "modifier": "25"}) == doc
    doc = apply_fix(DOC, {"action": "remove_modifier", "line": 2, "modifier": "RT"})
    assert doc["procedures"][1]["modifiers"] == []


def test_units_and_split():
    assert apply_fix(DOC, {"action": "set_units", "line": 2, "units": 16}) \
        ["procedures"][1]["units"] == 16
    doc = apply_fix(DOC, {"action": "split_units", "line": 2, "units_per_line": 25})
    assert [p["units"] for p in doc["procedures"][1:]] == [25, 25, 10]


def test_pointers_and_remove_line():
    doc = apply_fix(DOC, {"action": "set_pointers", "line": 1, "pointers": [1]})
    assert doc["procedures"][0]["diagnosis_pointers"] == [1]
    assert [p["code"] for p in apply_fix(DOC, {"action": "remove_line", "line": 1})
            ["procedures"]] == ["J3301"]


def test_a_fix_that_no_longer_fits_is_refused():
    with pytest.raises(FixNotApplicable, match="line 5"):
        apply_fix(DOC, {"action": "set_units", "line": 5, "units": 1})
    with pytest.raises(FixNotApplicable, match="unknown"):
        apply_fix(DOC, {"action": "launch_rocket"})


def test_combining_diagnoses_into_one_code_repoints_lines():
    doc = {"diagnoses": ["I10", "E11.9", "I12.9", "N18.31"],
           "procedures": [{"code": "99214", "diagnosis_pointers": [1, 3, 4]},
                          {"code": "82565", "diagnosis_pointers": [3]}]}
    combined = apply_fix(doc, {"action": "combine_diagnoses", "indexes": [0, 2],
                               "code": "I12.9"})
    assert combined["diagnoses"] == ["I12.9", "E11.9", "N18.31"]
    assert [p["diagnosis_pointers"] for p in combined["procedures"]] == [[1, 3], [1]]
    with pytest.raises(FixNotApplicable, match="diagnosis 9"):
        apply_fix(doc, {"action": "combine_diagnoses", "indexes": [0, 8], "code": "I12.9"})


def test_adding_a_diagnosis_keeps_pointers_on_the_same_codes():
    doc = apply_fix(DOC, {"action": "add_diagnosis", "index": 2, "code": "E11.22"})
    assert doc["diagnoses"] == ["W54.0A", "E11.9", "E11.22", "I10"]
    assert [p["diagnosis_pointers"] for p in doc["procedures"]] == [[2, 4], [4]]
    assert apply_fix(DOC, {"action": "add_diagnosis", "code": "Z79.4"})["diagnoses"][-1] \
        == "Z79.4"


def test_a_recoded_inpatient_diagnosis_keeps_its_poa():
    stay = {"diagnoses": [{"code": "I50.9", "poa": "Y"}, {"code": "I10", "poa": "Y", "n": 1},
                          "N18.30"], "procedures": []}
    doc = apply_fix(stay, {"action": "replace_diagnosis", "index": 0, "code": "I50.23"})
    assert doc["diagnoses"][0] == {"code": "I50.23", "poa": "Y"}
    doc = apply_fix(stay, {"action": "combine_diagnoses", "indexes": [1, 2], "code": "I12.9"})
    assert doc["diagnoses"] == [{"code": "I50.9", "poa": "Y"},
                                {"code": "I12.9", "poa": "Y", "n": 1}]
