"""Procedure-line rules: modifiers, diagnosis pointers, E/M with a same-day procedure (25),
units and charges."""

from __future__ import annotations

import pytest

from encoder_app.edits.registry import RULES
from encoder_app.edits.rules import lines
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.importers import import_paths

VISIT = "2024-08-15"


@pytest.fixture
def modifier_engine(engine, fixtures):
    """A database with a (fixture) HCPCS Level II modifier list: LT, RT, XU, XS, GA, KX, ..."""
    import_paths([fixtures / "edits" / "ncci" / "level2_modifiers.csv"], engine)
    return engine


def encounter(*procedures, diagnoses=("M17.11", "E11.9", "I10")):
    full = [{"diagnosis_pointers": [1], "charge": 100.0, **p} for p in procedures]
    return parse_encounter({"date_of_service": VISIT, "diagnoses": list(diagnoses),
                            "procedures": full})


def run(engine, enc, prefix: str = "line.") -> list:
    view = CodebookView(engine, enc.date_of_service)
    out = []
    for registered in RULES:
        if registered.function.__module__ == lines.__name__:
            out.extend(registered.function(enc, view))
    return [f for f in out if f.rule.startswith(prefix)]


# --- modifiers ----------------------------------------------------------------------------------


@pytest.mark.parametrize("modifier", ["25", "59", "76", "91", "LT", "RT", "XU", "GA", "KX", "1P"])
def test_known_modifiers_are_silent(modifier_engine, modifier):
    assert run(modifier_engine, encounter({"code": "20610", "modifiers": [modifier]})) == []


@pytest.mark.parametrize("modifier, words", [
    ("ZZ", "not a CPT or HCPCS Level II modifier"),
    ("11", "not a CPT modifier"),
    ("5", "not two letters or digits"),
    ("LTX", "not two letters or digits"),
])
def test_invalid_modifier_is_an_error_offering_to_remove_it(modifier_engine, modifier, words):
    [finding] = run(modifier_engine, encounter({"code": "20610"},
                                               {"code": "20610", "modifiers": ["RT", modifier]}))
    assert (finding.rule, finding.severity, finding.codes) == ("line.modifier_invalid", "error",
                                                               ("20610",))
    assert words in finding.message and finding.message.startswith("Line 2")
    assert finding.fix == {"action": "remove_modifier", "line": 2, "modifier": modifier}


def test_level_ii_modifiers_unchecked_without_a_list_says_so_once(engine):
    found = run(engine, encounter({"code": "20610", "modifiers": ["RT"]},
                                  {"code": "20610", "modifiers": ["LT", "25"]},
                                  {"code": "99213", "modifiers": ["RT"]}), "line.modifier")
    [finding] = found
    assert (finding.rule, finding.severity) == ("line.modifier_not_checked", "info")
    assert "RT, LT" in finding.message
    # CPT modifiers are checked from the fixed list even without a Level II list
    [finding] = run(engine, encounter({"code": "20610", "modifiers": ["11"]}))
    assert finding.rule == "line.modifier_invalid"


def test_duplicate_modifier_is_an_error(modifier_engine):
    [finding] = run(modifier_engine, encounter({"code": "29880", "modifiers": ["RT", "RT"]}))
    assert (finding.rule, finding.severity) == ("line.modifier_duplicate", "error")
    assert finding.fix == {"action": "remove_modifier", "line": 1, "modifier": "RT"}


def test_more_than_four_modifiers_is_an_error(modifier_engine):
    four = ["RT", "59", "GA", "KX"]
    assert run(modifier_engine, encounter({"code": "29880", "modifiers": four})) == []
    [finding] = run(modifier_engine, encounter({"code": "29880", "modifiers": four + ["XU"]}))
    assert (finding.rule, finding.severity) == ("line.modifier_count", "error")
    assert "5 modifiers" in finding.message


# --- diagnosis pointers -------------------------------------------------------------------------


def test_line_without_pointer_is_an_error_pointing_to_the_first_diagnosis(engine):
    [finding] = run(engine, encounter({"code": "93000", "diagnosis_pointers": []}))
    assert (finding.rule, finding.severity) == ("line.pointer_missing", "error")
    assert finding.fix == {"action": "set_pointers", "line": 1, "pointers": [1]}


def test_line_without_pointer_and_no_diagnosis_has_no_fix(engine):
    [finding] = run(engine, encounter({"code": "93000", "diagnosis_pointers": []},
                                      diagnoses=()))
    assert finding.rule == "line.pointer_missing" and finding.fix is None
    assert "no diagnosis either" in finding.message


def test_pointer_past_the_diagnosis_list_is_an_error(engine):
    [finding] = run(engine, encounter({"code": "93000", "diagnosis_pointers": [2, 4]}))
    assert (finding.rule, finding.severity) == ("line.pointer_invalid", "error")
    assert "diagnosis 4" in finding.message and "3 diagnoses" in finding.message
    assert finding.fix == {"action": "set_pointers", "line": 1, "pointers": [2]}
    [finding] = run(engine, encounter({"code": "93000", "diagnosis_pointers": [7]}))
    assert finding.fix == {"action": "set_pointers", "line": 1, "pointers": [1]}


def test_more_than_four_pointers_is_a_warning(engine):
    many = ("E11.9", "I10", "N18.3", "E78.5", "Z79.4")
    assert run(engine, encounter({"code": "99214", "diagnosis_pointers": [1, 2, 3, 4]},
                                 diagnoses=many)) == []
    [finding] = run(engine, encounter({"code": "99214", "diagnosis_pointers": [1, 2, 3, 4, 5]},
                                      diagnoses=many))
    assert (finding.rule, finding.severity) == ("line.pointer_count", "warning")
    assert finding.fix == {"action": "set_pointers", "line": 1, "pointers": [1, 2, 3, 4]}


# --- E/M with a same-day procedure ----------------------------------------------------------------


@pytest.mark.parametrize("procedure", ["20610", "11721", "96372", "17110"])
def test_e_m_with_a_same_day_procedure_needs_25(engine, procedure):
    [finding] = run(engine, encounter({"code": "99213"}, {"code": procedure}))
    assert (finding.rule, finding.severity) == ("line.em_modifier_25", "warning")
    assert finding.codes == ("99213", procedure)
    assert finding.fix == {"action": "add_modifier", "line": 1, "modifier": "25"}


@pytest.mark.parametrize("modifier", ["25", "57"])
def test_e_m_with_25_or_57_is_silent(engine, modifier):
    assert run(engine, encounter({"code": "99213", "modifiers": [modifier]},
                                 {"code": "20610"})) == []


def test_e_m_with_labs_ecg_venipuncture_and_vaccines_is_silent(engine):
    assert run(engine, encounter({"code": "99214"}, {"code": "36415"}, {"code": "80053"},
                                 {"code": "83036"}, {"code": "93000"}, {"code": "90471"},
                                 {"code": "90686"}, {"code": "J3301"})) == []


def test_procedure_or_e_m_alone_is_silent(engine):
    assert run(engine, encounter({"code": "20610"})) == []
    assert run(engine, encounter({"code": "99213"})) == []


# --- units and charges --------------------------------------------------------------------------


def test_zero_units_is_an_error_offering_one(engine):
    [finding] = run(engine, encounter({"code": "93000", "units": 0}))
    assert (finding.rule, finding.severity) == ("line.units_zero", "error")
    assert finding.fix == {"action": "set_units", "line": 1, "units": 1}


def test_negative_charge_is_an_error_and_missing_charge_a_warning(engine):
    [negative] = run(engine, encounter({"code": "93000", "charge": -25}))
    assert (negative.rule, negative.severity) == ("line.charge_negative", "error")
    assert "-25.00" in negative.message
    [missing] = run(engine, encounter({"code": "93000", "charge": None}))
    assert (missing.rule, missing.severity) == ("line.charge_missing", "warning")


def test_zero_charge_is_silent(engine):
    assert run(engine, encounter({"code": "99024", "charge": 0})) == []


def test_clean_lines_are_silent(modifier_engine):
    clean = encounter({"code": "99214", "modifiers": ["25"], "diagnosis_pointers": [2, 3]},
                      {"code": "20610", "modifiers": ["RT"], "diagnosis_pointers": [1]},
                      {"code": "J3301", "units": 4, "diagnosis_pointers": [1]},
                      {"code": "36415", "diagnosis_pointers": [2]},
                      {"code": "83036", "diagnosis_pointers": [2]})
    assert run(modifier_engine, clean, "") == []


def test_codes_of_a_code_set_not_loaded_are_named_together_with_how_to_load_it(engine):
    """No CPT file is loaded (the app ships none): one finding names every CPT line it leaves
    unchecked and says CPT is licensed, where to read how to import it; HCPCS says CMS."""
    from encoder_app.edits.rules import validity

    enc = encounter({"code": "99214"}, {"code": "82962"}, {"code": "99214"}, {"code": "J1885"})
    view = CodebookView(engine, enc.date_of_service)
    found = [f for f in validity.procedure_validity(enc, view)
             if f.rule == "code.system_not_loaded"]
    cpt, hcpcs = found
    assert cpt.codes == ("99214", "82962") and cpt.severity == "info"
    assert "these codes are not checked" in cpt.message
    assert "CPT file your practice licenses" in cpt.message and "docs/cpt-import.md" in cpt.message
    assert hcpcs.codes == ("J1885",) and "this code is not checked" in hcpcs.message
    assert "files CMS publishes" in hcpcs.message
