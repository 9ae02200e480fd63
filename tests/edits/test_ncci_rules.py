"""NCCI rules: PTP pairs and modifier indicators, out-of-date tables, MUE per line and per date
of service, add-on codes without their primary, and the note when no tables are loaded."""

from __future__ import annotations

import shutil

import pytest

from encoder_app.edits.check import check_encounter
from encoder_app.edits.registry import RULES
from encoder_app.edits.rules import ncci
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.importers import import_paths

FILES = ["ncci_ptp_practitioner_2024q3.csv", "ncci_ptp_outpatient_hospital_2024q3.csv",
         "mue_practitioner_2024q3.csv", "aoc_2024q3.csv"]
VISIT = "2024-08-15"  # inside the fixtures' quarter (2024Q3)


@pytest.fixture
def ncci_engine(engine, fixtures):
    import_paths([fixtures / "edits" / "ncci" / name for name in FILES], engine)
    return engine


def encounter(*lines, date=VISIT, setting="practitioner", diagnoses=("M17.11", "E11.9")):
    """An encounter from short line specs: "29880", ("29877", ["59"]), or a full dict."""
    procedures = []
    for spec in lines:
        if isinstance(spec, str):
            spec = {"code": spec}
        elif isinstance(spec, tuple):
            spec = {"code": spec[0], "modifiers": list(spec[1])}
        procedures.append({"diagnosis_pointers": [1], "charge": 100.0, **spec})
    return parse_encounter({"date_of_service": date, "setting": setting,
                            "diagnoses": list(diagnoses), "procedures": procedures})


def run(engine, enc, prefix: str = "ncci.") -> list:
    """The findings of the NCCI rules alone (other rule modules are tested on their own)."""
    view = CodebookView(engine, enc.date_of_service)
    out = []
    for registered in RULES:
        if registered.function.__module__ == ncci.__name__:
            out.extend(registered.function(enc, view))
    return [f for f in out if f.rule.startswith(prefix)]


# --- PTP ----------------------------------------------------------------------------------------


def test_indicator_1_pair_without_modifier_is_an_error_offering_59_on_column_2(ncci_engine):
    [finding] = run(ncci_engine, encounter("29880", "29877"))
    assert (finding.rule, finding.severity) == ("ncci.ptp", "error")
    assert finding.codes == ("29880", "29877")
    assert finding.source == ("NCCI PTP practitioner 2024Q3 (column 1 29880, column 2 29877, "
                              "modifier indicator 1)")
    assert "bundled into 29880" in finding.message and "line 2" in finding.message
    assert "Misuse of Column Two code" in finding.message
    assert finding.fix == {"action": "add_modifier", "line": 2, "modifier": "59",
                           "choices": ["59", "XU", "XS", "XE", "XP"]}


def test_column_2_line_found_whatever_the_order_on_the_claim(ncci_engine):
    [finding] = run(ncci_engine, encounter("29877", "29880"))
    assert finding.fix["line"] == 1


@pytest.mark.parametrize("first, second", [
    ((), ("59",)), (("59",), ()), ((), ("XS",)), ((), ("XU",)), ((), ("XE",)), ((), ("XP",)),
    (("RT",), ("LT",)), (("TA",), ("T1",)), (("78",), ())])
def test_indicator_1_pair_bypassed_by_an_ncci_modifier_is_silent(ncci_engine, first, second):
    assert run(ncci_engine, encounter(("29880", first), ("29877", second))) == []


@pytest.mark.parametrize("first, second, words", [
    (("RT",), ("RT",), "same anatomic modifier (RT)"),
    (("RT",), (), "Only one of the two"),
])
def test_anatomic_modifiers_bypass_only_for_different_sites(ncci_engine, first, second, words):
    [finding] = run(ncci_engine, encounter(("29880", first), ("29877", second)))
    assert finding.rule == "ncci.ptp" and words in finding.message


def test_e_m_column_2_is_bypassed_by_25_not_59(ncci_engine):
    [finding] = run(ncci_engine, encounter("20610", "99213"))
    assert finding.fix == {"action": "add_modifier", "line": 2, "modifier": "25",
                           "choices": ["25"]}
    assert "separately identifiable" in finding.message
    assert run(ncci_engine, encounter("20610", ("99213", ["25"]))) == []
    [finding] = run(ncci_engine, encounter("20610", ("99213", ["59"])))
    assert "59 does not bypass" in finding.message


def test_indicator_0_is_an_error_even_with_59(ncci_engine):
    [finding] = run(ncci_engine, encounter("36415", ("36416", ["59"])))
    assert (finding.rule, finding.severity) == ("ncci.ptp", "error")
    assert "indicator 0" in finding.message and "59 does not bypass" in finding.message
    assert finding.source.endswith("modifier indicator 0)")
    assert finding.fix == {"action": "remove_line", "line": 2, "code": "36416"}


def test_indicator_9_is_silent(ncci_engine):
    assert run(ncci_engine, encounter("99213", "81002")) == []


def test_deleted_edit_applies_only_up_to_its_deletion_date(ncci_engine):
    # 29881/29880 was deleted 2020-12-31: silent in 2024, an error for a 2020 visit.
    assert run(ncci_engine, encounter("29881", "29880")) == []
    [finding] = run(ncci_engine, encounter("29881", "29880", date="2020-06-01"))
    assert finding.codes == ("29881", "29880")


def test_edit_not_yet_effective_is_silent(ncci_engine):
    # 11042/97597 takes effect 2025-01-01 in the fixture.
    assert run(ncci_engine, encounter("11042", "97597"), "ncci.ptp") == []


def test_the_encounter_setting_selects_the_table(ncci_engine):
    assert run(ncci_engine, encounter("29880", "29877", setting="outpatient_hospital"),
               "ncci.ptp") == []
    [finding] = run(ncci_engine, encounter("36415", "36416", setting="outpatient_hospital"),
                    "ncci.ptp")
    assert finding.source.startswith("NCCI PTP outpatient hospital 2024Q3")


def test_same_code_twice_is_no_pair(ncci_engine):
    assert run(ncci_engine, encounter(("20610", ["RT"]), ("20610", ["LT"])), "ncci.ptp") == []


# --- out-of-date tables -------------------------------------------------------------------------


@pytest.mark.parametrize("date, warned", [("2024-07-01", False), ("2024-09-30", False),
                                           ("2024-10-01", True), ("2026-05-01", True)])
def test_one_warning_when_the_visit_is_after_the_newest_quarter(ncci_engine, date, warned):
    found = run(ncci_engine, encounter("29880", "29877", "36415", "36416", date=date))
    outdated = [f for f in found if f.rule == "ncci.outdated"]
    assert len(outdated) == (1 if warned else 0)
    if warned:
        assert outdated[0].severity == "warning"
        assert "NCCI PTP practitioner 2024Q3" in outdated[0].message
        assert "2024-09-30" in outdated[0].message
        # the newest tables still apply
        assert {f.codes for f in found if f.rule == "ncci.ptp"} == {("29880", "29877"),
                                                                    ("36415", "36416")}


# --- MUE ----------------------------------------------------------------------------------------


def test_mue_date_of_service_edit_sums_units_over_lines(ncci_engine):
    two_lines = encounter({"code": "36415", "units": 1}, {"code": "36415", "units": 2})
    [finding] = run(ncci_engine, two_lines)
    assert (finding.rule, finding.severity, finding.codes) == ("ncci.mue", "error", ("36415",))
    assert "3 units of 36415" in finding.message and "2 allowed per date of service" in \
        finding.message
    assert "rationale: CMS Policy" in finding.message
    assert finding.source == ("NCCI MUE practitioner 2024Q3 (36415: 2 units, adjudication "
                              "indicator 3 Date of Service Edit: Clinical, rationale CMS Policy)")
    assert finding.fix == {"action": "set_units", "line": 2, "units": 1}
    [finding] = run(ncci_engine, encounter({"code": "36415", "units": 3}))
    assert finding.fix == {"action": "set_units", "line": 1, "units": 2}


def test_mue_within_the_limit_is_silent(ncci_engine):
    assert run(ncci_engine, encounter({"code": "36415", "units": 2})) == []
    assert run(ncci_engine, encounter({"code": "20610", "modifiers": ["RT"]},
                                      {"code": "20610", "modifiers": ["LT"]})) == []


def test_mue_policy_edit_names_its_rationale(ncci_engine):
    [finding] = run(ncci_engine, encounter({"code": "29880", "units": 2}))
    assert "policy" in finding.message and "Anatomic Consideration" in finding.message


def test_mue_line_edit_checks_each_line_alone(ncci_engine):
    [finding] = run(ncci_engine, encounter({"code": "99486", "units": 5}))
    assert finding.rule == "ncci.mue" and "line edit" in finding.message
    assert finding.fix == {"action": "split_units", "line": 1, "units_per_line": 4}
    # 8 units split over two lines of 4: each line is within the line edit
    assert run(ncci_engine, encounter({"code": "99486", "units": 4},
                                      {"code": "99486", "units": 4, "modifiers": ["76"]})) == []


def test_mue_of_zero_is_a_warning_without_a_fix(ncci_engine):
    # Medicare does not cover an adult preventive visit; another payer may.
    [finding] = run(ncci_engine, encounter("99397"))
    assert (finding.rule, finding.severity) == ("ncci.mue", "warning")
    assert "Medicare MUE of 0 units" in finding.message
    assert finding.fix is None


def test_code_without_mue_is_silent(ncci_engine):
    assert run(ncci_engine, encounter({"code": "93000", "units": 9})) == []


# --- add-on codes -------------------------------------------------------------------------------


def test_add_on_code_without_its_primary_is_an_error(ncci_engine):
    [finding] = run(ncci_engine, encounter("99292"))
    assert (finding.rule, finding.severity, finding.codes) == ("ncci.addon", "error", ("99292",))
    assert "99291" in finding.message
    assert finding.source.startswith("NCCI add-on code edits 2024Q3 (add-on code 99292")


def test_add_on_code_with_its_primary_is_silent(ncci_engine):
    assert run(ncci_engine, encounter("99291", "99292")) == []
    assert run(ncci_engine, encounter("64483", "64484")) == []


def test_contractor_defined_primary_is_info_only(ncci_engine):
    [finding] = run(ncci_engine, encounter("0054T"))
    assert (finding.rule, finding.severity) == ("ncci.addon_contractor", "info")
    assert "CCCCC" in finding.source


# --- tables not loaded --------------------------------------------------------------------------


def test_no_tables_loaded_gives_one_info_naming_the_files(engine):
    [finding] = run(engine, encounter("29880", "29877", {"code": "36415", "units": 9}))
    assert (finding.rule, finding.severity) == ("ncci.not_loaded", "info")
    assert "PTP and MUE" in finding.message and "ncci_ptp_practitioner" in finding.message
    assert "MCR_MUE_PractitionerServices" in finding.message


def test_no_tables_and_no_procedures_is_silent(engine):
    assert run(engine, encounter()) == []


def test_only_the_missing_table_is_named(engine, fixtures, tmp_path):
    import_paths([fixtures / "edits" / "ncci" / "mue_practitioner_2024q3.csv"], engine)
    [finding] = run(engine, encounter("29880"), "ncci.not_loaded")
    assert "NCCI PTP edits were not checked" in finding.message


def test_clean_knee_injection_visit_has_no_ncci_finding(ncci_engine):
    clean = encounter(("99213", ["25"]), ("20610", ["RT"]), {"code": "36415", "units": 1},
                      "80053", "99291", "99292", ("29880", ["RT"]), ("29877", ["LT"]))
    assert run(ncci_engine, clean, "") == []


def test_registered_in_the_engine(ncci_engine):
    found = check_encounter(ncci_engine, encounter("29880", "29877"))
    assert "ncci.ptp" in {f.rule for f in found}


# --- the real practitioner tables ---------------------------------------------------------------


@pytest.fixture(scope="module")
def real_ncci_engine(_fy2026_template, shared_codebooks_dir, tmp_path_factory):
    """FY2026 codebook + the full 2024Q3 practitioner PTP (2.5M rows, ~15 s), MUE and add-ons."""
    from encoder_app.codebook.db import engine_for

    path = tmp_path_factory.mktemp("real_ncci") / "ncci.sqlite3"
    shutil.copy(_fy2026_template, path)
    engine = engine_for(f"sqlite:///{path}")
    folder = shared_codebooks_dir / "ncci-2024q3"
    import_paths([folder / "ncci_ptp_practitioner_2024q3.csv.gz",
                  folder / "mue_practitioner_2024q3.csv", folder / "aoc_2024q3.csv"], engine)
    yield engine
    engine.dispose()


def _knee_visit(em_modifiers, injections=2):
    return parse_encounter({
        "date_of_service": VISIT, "setting": "practitioner",
        "patient": {"name": "Test Patient", "sex": "F", "birth_date": "1958-04-12"},
        "provider": {"name": "Test Provider", "npi": "1234567893"},
        "diagnoses": ["M17.11", "E11.9", "I10"],
        "procedures": [
            {"code": "99214", "modifiers": em_modifiers, "diagnosis_pointers": [2, 3],
             "charge": 160},
            {"code": "20610", "modifiers": ["RT"], "diagnosis_pointers": [1], "charge": 180},
            {"code": "J3301", "units": 4, "diagnosis_pointers": [1], "charge": 20},
            {"code": "36415", "diagnosis_pointers": [2], "charge": 10},
            {"code": "83036", "diagnosis_pointers": [2], "charge": 25},
            {"code": "20610", "modifiers": ["LT"], "units": injections - 1,
             "diagnosis_pointers": [1], "charge": 180},
        ]})


@pytest.mark.shared_data
def test_real_practitioner_tables_on_a_knee_injection_visit(real_ncci_engine):
    # 20610/99214 is a real 2024Q3 practitioner edit, modifier indicator 1.
    found = [f for f in check_encounter(real_ncci_engine, _knee_visit([]))
             if f.rule.startswith(("ncci.", "line.em"))]
    by_rule = {f.rule: f for f in found}
    assert set(by_rule) == {"ncci.ptp", "line.em_modifier_25"}, found
    ptp = by_rule["ncci.ptp"]
    assert ptp.codes == ("20610", "99214")
    assert ptp.source == ("NCCI PTP practitioner 2024Q3 (column 1 20610, column 2 99214, "
                          "modifier indicator 1)")
    assert ptp.fix["modifier"] == "25" and ptp.fix["line"] == 1
    assert by_rule["line.em_modifier_25"].fix == {"action": "add_modifier", "line": 1,
                                                  "modifier": "25"}
    # With 25 on the visit both are satisfied; three knee injections exceed the MUE of 2.
    assert [f for f in check_encounter(real_ncci_engine, _knee_visit(["25"]))
            if f.rule.startswith(("ncci.", "line.em"))] == []
    [mue] = [f for f in check_encounter(real_ncci_engine, _knee_visit(["25"], injections=3))
             if f.rule.startswith("ncci.")]
    assert mue.rule == "ncci.mue" and mue.codes == ("20610",)
    assert "NCCI MUE practitioner 2024Q3 (20610: 2 units" in mue.source
