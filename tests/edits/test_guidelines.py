"""Rules of the ICD-10-CM Official Guidelines: each family fires on what the guidelines forbid,
offers the fix they determine, cites its section, and stays silent on correct coding."""

import re

import pytest

from encoder_app.edits.check import check_encounter
from encoder_app.edits.fixes import apply_fix
from encoder_app.encounters.snapshot import parse_encounter

ADULT_F = {"sex": "F", "birth_date": "1980-02-03"}
OLDER_M = {"sex": "M", "birth_date": "1959-01-01"}  # 67 on the date of service


def check(engine, diagnoses, patient=None, procedures=()):
    data = {"date_of_service": "2026-05-01", "provider": {"npi": "1234567893"},
            "patient": patient or ADULT_F, "diagnoses": diagnoses,
            "procedures": list(procedures)}
    return check_encounter(engine, parse_encounter(data))


def guideline(findings, rule=None):
    return [f for f in findings if f.rule.startswith("guideline.")
            and (rule is None or f.rule == rule)]


def one(findings, rule):
    found = [f for f in findings if f.rule == rule]
    assert len(found) == 1, [(f.rule, f.codes, f.message) for f in findings]
    return found[0]


def fixed(diagnoses, finding):
    return apply_fix({"diagnoses": list(diagnoses), "procedures": []}, finding.fix)["diagnoses"]


def quiet(engine, diagnoses, patient=None):
    """No guideline finding above info, and none of the families' warnings or errors."""
    loud = [f for f in guideline(check(engine, diagnoses, patient)) if f.severity != "info"]
    assert loud == [], [(f.rule, f.message) for f in loud]


SECTION = re.compile(r"ICD-10-CM Official Guidelines FY2026, I\.[A-C](\.[0-9a-z]+)*")


# --- hypertension (I.C.9.a) -----------------------------------------------------------------

def test_hypertension_and_ckd_become_i12_9_the_coders_case(fy2026_engine):
    """A 67-year-old with type 2 diabetes, CKD stage 3a and hypertension coded I10 + N18.31."""
    diagnoses = ["E11.22", "I10", "N18.31", "Z79.84"]
    found = check(fy2026_engine, diagnoses, OLDER_M)
    combination = one(found, "guideline.hypertension_combination")
    assert combination.severity == "warning"
    assert combination.source == "ICD-10-CM Official Guidelines FY2026, I.C.9.a.2"
    assert "presumed linked" in combination.message and "I12.9" in combination.message
    assert fixed(diagnoses, combination) == ["E11.22", "I12.9", "N18.31", "Z79.84"]
    # the fixed coding is silent, and I12.9 is not called "unspecified" (I12.0 is stage 5)
    after = check(fy2026_engine, ["E11.22", "I12.9", "N18.31", "Z79.84"], OLDER_M)
    assert guideline(after) == [] and "icd.unspecified" not in [f.rule for f in after]


@pytest.mark.parametrize("diagnoses, expected", [
    (["I10", "I50.32"], "I11.0"),
    (["I10", "I51.7"], "I11.9"),
    (["I10", "N18.6"], "I12.0"),
    (["I10", "I50.9", "N18.4"], "I13.0"),
    (["I10", "I51.89", "N18.2"], "I13.10"),
    (["I10", "I51.9", "N18.5"], "I13.11"),
    (["I10", "I50.22", "N18.6"], "I13.2"),
])
def test_i10_with_heart_disease_or_ckd_takes_the_combination_code(fy2026_engine, diagnoses,
                                                                  expected):
    combination = one(check(fy2026_engine, diagnoses), "guideline.hypertension_combination")
    assert combination.fix == {"action": "replace_diagnosis", "index": 0, "code": expected}
    assert SECTION.fullmatch(combination.source)


def test_combination_code_must_agree_with_the_ckd_stage(fy2026_engine):
    stage = one(check(fy2026_engine, ["I12.9", "N18.6"]), "guideline.hypertension_ckd_stage")
    assert stage.severity == "error" and "stage 5 CKD or ESRD" in stage.message
    assert stage.fix["code"] == "I12.0"
    stage = one(check(fy2026_engine, ["I13.11", "N18.31"]), "guideline.hypertension_ckd_stage")
    assert stage.fix["code"] == "I13.10"
    quiet(fy2026_engine, ["I12.0", "N18.6", "Z99.2"])
    quiet(fy2026_engine, ["I13.2", "I50.22", "N18.5"])


def test_heart_failure_must_agree_with_the_combination_code(fy2026_engine):
    found = one(check(fy2026_engine, ["I11.9", "I50.22"]), "guideline.hypertension_combination")
    assert "without heart failure" in found.message and found.fix["code"] == "I11.0"


def test_i11_and_i12_together_become_i13(fy2026_engine):
    diagnoses = ["I11.9", "I12.9", "N18.4"]
    found = one(check(fy2026_engine, diagnoses), "guideline.hypertension_combination")
    assert found.source.endswith("I.C.9.a.3")
    assert fixed(diagnoses, found) == ["I13.10", "N18.4"]
    diagnoses = ["I10", "I12.9", "N18.2"]
    found = one(check(fy2026_engine, diagnoses), "guideline.hypertension_combination")
    assert "included in I12.9" in found.message
    assert fixed(diagnoses, found) == ["I12.9", "N18.2"]


def test_the_n18_and_i50_codes_are_still_added(fy2026_engine):
    missing = guideline(check(fy2026_engine, ["I13.0"]), "guideline.hypertension_additional")
    assert sorted(f.message.split(" needs ")[1][:10] for f in missing) == [
        "a code fro", "a code fro"]
    assert {"I50" in f.message or "N18" in f.message for f in missing} == {True}
    assert len(guideline(check(fy2026_engine, ["I12.9"]),
                         "guideline.hypertension_additional")) == 1
    # the Tabular's own reminder for the same N18 code is not shown twice
    assert not [f for f in check(fy2026_engine, ["I12.9"])
                if f.rule == "icd.use_additional_code" and "N18" in f.message]
    quiet(fy2026_engine, ["I11.0", "I50.32"])
    quiet(fy2026_engine, ["I13.0", "I50.9", "N18.4"])


def test_hypertension_alone_or_with_unrelated_conditions_is_silent(fy2026_engine):
    quiet(fy2026_engine, ["I10"])
    quiet(fy2026_engine, ["I10", "E78.5", "I48.0", "Z79.01"])
    quiet(fy2026_engine, ["I12.9", "N18.31"])
    quiet(fy2026_engine, ["I11.9"])


# --- diabetes (I.A.15, I.C.4.a) -------------------------------------------------------------

def test_without_complications_contradicts_a_complication_code(fy2026_engine):
    diagnoses = ["E11.9", "E11.65", "Z79.4"]
    found = one(check(fy2026_engine, diagnoses), "guideline.diabetes_without_complications")
    assert found.severity == "error" and found.source.endswith("I.C.4.a")
    assert fixed(diagnoses, found) == ["E11.65", "Z79.4"]
    found = one(check(fy2026_engine, ["E13.9", "E13.22", "N18.4", "Z79.4"]),
                "guideline.diabetes_without_complications")
    assert found.codes == ("E13.9", "E13.22")
    quiet(fy2026_engine, ["E11.42", "E11.65", "Z79.4", "Z79.84"])


def test_a_condition_under_with_takes_the_combination_code(fy2026_engine):
    diagnoses = ["E11.9", "N18.31", "Z79.84"]
    found = one(check(fy2026_engine, diagnoses), "guideline.diabetes_with")
    assert found.source == "ICD-10-CM Official Guidelines FY2026, I.A.15"
    assert fixed(diagnoses, found) == ["E11.22", "N18.31", "Z79.84"]
    # with another complication already coded, the combination code is added
    diagnoses = ["E11.65", "N18.4", "Z79.4"]
    found = one(check(fy2026_engine, diagnoses), "guideline.diabetes_with")
    assert fixed(diagnoses, found) == ["E11.65", "E11.22", "N18.4", "Z79.4"]
    # peripheral angiopathy is included in E11.51: the I73.9 goes
    diagnoses = ["E11.9", "I73.9", "Z79.84"]
    found = one(check(fy2026_engine, diagnoses), "guideline.diabetes_with")
    assert fixed(diagnoses, found) == ["E11.51", "Z79.84"]
    quiet(fy2026_engine, ["E11.22", "N18.31", "Z79.84"])
    quiet(fy2026_engine, ["E11.621", "L97.512", "Z79.84"])


def test_drug_therapy_reminder_stays_when_another_note_is_answered(fy2026_engine):
    """The insulin/oral/injectable reminder must not disappear because N18 answers E11.22's
    CKD-stage note."""
    found = one(check(fy2026_engine, ["E11.22", "N18.31"]), "guideline.diabetes_drug_therapy")
    assert found.severity == "info" and found.source.endswith("I.C.4.a.3")
    assert all(code in found.message for code in ("Z79.4", "Z79.84", "Z79.85"))
    for drug in ("Z79.4", "Z79.84", "Z79.85"):
        assert not guideline(check(fy2026_engine, ["E11.22", "N18.31", drug]),
                             "guideline.diabetes_drug_therapy")
    # type 1 diabetes is controlled with insulin by definition
    assert not guideline(check(fy2026_engine, ["E10.9"]), "guideline.diabetes_drug_therapy")


# --- CKD (I.C.14.a.1) -----------------------------------------------------------------------

def test_one_stage_of_ckd_per_claim(fy2026_engine):
    diagnoses = ["I12.9", "N18.4", "N18.9"]
    found = one(check(fy2026_engine, diagnoses), "guideline.ckd_stage_redundant")
    assert fixed(diagnoses, found) == ["I12.9", "N18.4"]
    conflict = one(check(fy2026_engine, ["I12.9", "N18.4", "N18.31"]),
                   "guideline.ckd_stage_conflict")
    assert conflict.severity == "error" and conflict.fix is None
    # ESRD with a stage: N18.6 only, and the Excludes1 pair is not reported a second time
    found = check(fy2026_engine, ["I12.0", "N18.5", "N18.6"])
    esrd = one(found, "guideline.ckd_stage_esrd")
    assert fixed(["I12.0", "N18.5", "N18.6"], esrd) == ["I12.0", "N18.6"]
    assert "icd.excludes1" not in [f.rule for f in found]
    quiet(fy2026_engine, ["I12.9", "N18.32"])


# --- injuries and external causes (I.C.19, I.C.20) ------------------------------------------

def test_external_cause_is_never_first_listed(fy2026_engine):
    diagnoses = ["W01.0XXA", "S93.401A", "Y92.480"]
    found = one(check(fy2026_engine, diagnoses), "guideline.external_cause_first")
    assert found.severity == "error" and found.source.endswith("I.C.20")
    assert fixed(diagnoses, found) == ["S93.401A", "W01.0XXA", "Y92.480"]
    quiet(fy2026_engine, ["S93.401A", "W01.0XXA", "Y92.480", "Y93.01", "Y99.8"])


def test_place_activity_and_status_only_at_the_initial_encounter(fy2026_engine):
    diagnoses = ["S52.521D", "W09.8XXD", "Y92.830", "Y93.44", "Y99.8"]
    found = guideline(check(fy2026_engine, diagnoses), "guideline.external_cause_once")
    assert [f.codes for f in found] == [("Y92.830",), ("Y93.44",), ("Y99.8",)]
    assert [f.source[-8:] for f in found] == ["I.C.20.b", "I.C.20.c", "I.C.20.k"]
    twice = one(check(fy2026_engine, ["S61.412A", "W26.0XXA", "Y92.010", "Y92.480"]),
                "guideline.external_cause_once")
    assert twice.fix == {"action": "remove_diagnosis", "index": 3}
    quiet(fy2026_engine, ["S52.521D", "W09.8XXD"])


def test_external_cause_carries_its_injurys_seventh_character(fy2026_engine):
    diagnoses = ["S52.521D", "W09.8XXA"]
    found = one(check(fy2026_engine, diagnoses), "guideline.external_cause_encounter")
    assert found.source.endswith("I.C.20.a.2")
    assert fixed(diagnoses, found) == ["S52.521D", "W09.8XXD"]
    quiet(fy2026_engine, ["S52.521S", "W09.8XXS"])
    # a healing fracture (D) and a new laceration (A) may each have their cause
    quiet(fy2026_engine, ["S52.521D", "S61.412A", "W09.8XXD", "W26.0XXA", "Y92.010"])


def test_injury_without_external_cause_is_a_reminder_only(fy2026_engine):
    found = one(check(fy2026_engine, ["S93.401A"]), "guideline.external_cause_missing")
    assert found.severity == "info" and "no national requirement" in found.message
    # a poisoning carries its own intent: no external cause code is asked for
    assert not guideline(check(fy2026_engine, ["T39.011A"]), "guideline.external_cause_missing")


def test_unspecified_place_is_not_reported(fy2026_engine):
    found = one(check(fy2026_engine, ["S93.401A", "W01.0XXA", "Y92.9"]),
                "guideline.external_cause_unspecified")
    assert found.codes == ("Y92.9",) and found.fix["action"] == "remove_diagnosis"


# --- Z codes (I.C.21.c.16, I.B.14) ----------------------------------------------------------

def test_first_listed_only_z_codes(fy2026_engine):
    diagnoses = ["Z23", "Z00.129"]
    found = one(check(fy2026_engine, diagnoses, {"sex": "F", "birth_date": "2024-01-01"}),
                "guideline.z_code_first_listed")
    assert found.source.endswith("I.C.21.c.16")
    assert fixed(diagnoses, found) == ["Z00.129", "Z23"]
    # Z01.81- pre-procedural examinations are the list's exception
    quiet(fy2026_engine, ["M17.11", "Z01.818"])
    quiet(fy2026_engine, ["Z00.129", "Z23"], {"sex": "F", "birth_date": "2024-01-01"})
    quiet(fy2026_engine, ["Z51.11", "C50.911"])


def test_secondary_only_codes_are_flagged_when_first(fy2026_engine):
    diagnoses = ["Z68.41", "E66.01", "I10"]
    found = one(check(fy2026_engine, diagnoses), "guideline.z_code_secondary")
    assert found.severity == "error" and found.source.endswith("I.B.14")
    assert fixed(diagnoses, found) == ["E66.01", "Z68.41", "I10"]
    quiet(fy2026_engine, ["E66.01", "Z68.41", "I10"])


# --- perinatal and obstetric (I.C.15, I.C.16) -----------------------------------------------

def test_perinatal_codes_on_a_maternal_record_or_an_adult(fy2026_engine):
    found = one(check(fy2026_engine, ["O80", "Z3A.39", "Z37.0", "P07.30"]),
                "guideline.newborn_code_maternal_record")
    assert found.severity == "warning" and found.source.endswith("I.C.16.a.1")
    adult = one(check(fy2026_engine, ["P27.1"]), "guideline.newborn_code_adult")
    assert adult.severity == "warning" and "at any age" in adult.message
    newborn = {"sex": "M", "birth_date": "2026-04-26"}
    quiet(fy2026_engine, ["Z38.00", "P59.9"], newborn)
    quiet(fy2026_engine, ["Z00.110", "P59.9"], newborn)


def test_pregnancy_codes_need_weeks_of_gestation_where_the_tabular_asks(fy2026_engine):
    found = one(check(fy2026_engine, ["O21.0"]), "guideline.weeks_of_gestation")
    assert "Z3A" in found.message
    quiet(fy2026_engine, ["O21.0", "Z3A.10"])
    quiet(fy2026_engine, ["O03.9"])  # an abortive outcome takes no weeks of gestation
    alone = one(check(fy2026_engine, ["Z3A.22"]), "guideline.weeks_without_pregnancy")
    assert alone.severity == "warning"


def test_pregnancy_codes_past_childbearing_age(fy2026_engine):
    found = check(fy2026_engine, ["O21.0", "Z3A.10"], {"sex": "F", "birth_date": "1955-01-01"})
    conflict = one(found, "icd.age_conflict")
    assert "9-64" in conflict.message and "maternity" in conflict.source.lower()
    assert "icd.age_conflict" not in [f.rule for f in check(fy2026_engine, ["O21.0", "Z3A.10"])]


# --- sepsis (I.C.1.d) -----------------------------------------------------------------------

def test_severe_sepsis_follows_its_infection(fy2026_engine):
    diagnoses = ["R65.20", "A41.51", "N17.9"]
    found = one(check(fy2026_engine, diagnoses), "guideline.sepsis_sequence")
    assert found.severity == "error" and found.source.endswith("I.C.1.d.1.b")
    assert fixed(diagnoses, found) == ["A41.51", "R65.20", "N17.9"]
    missing = one(check(fy2026_engine, ["J18.9", "R65.20"]), "guideline.sepsis_infection_missing")
    assert "A41.9" in missing.message
    quiet(fy2026_engine, ["A41.51", "R65.20", "N17.9", "J18.9"])


def test_septic_shock_follows_the_same_pattern(fy2026_engine):
    found = check(fy2026_engine, ["R65.21", "A41.9", "N17.9"])
    sequence = one(found, "guideline.sepsis_sequence")
    assert sequence.source.endswith("I.C.1.d.2")
    assert "icd.code_first_order" not in [f.rule for f in found]  # said once, by the guideline
    shock = one(check(fy2026_engine, ["A41.9", "R65.20", "R65.21"]), "guideline.sepsis_shock")
    assert fixed(["A41.9", "R65.20", "R65.21"], shock) == ["A41.9", "R65.21"]
    quiet(fy2026_engine, ["A41.9", "R65.21", "N17.9"])


# --- unspecified that is not ----------------------------------------------------------------

def test_unspecified_only_for_the_true_unspecified_member(fy2026_engine):
    def notice(diagnoses):
        return [f for f in check(fy2026_engine, diagnoses) if f.rule == "icd.unspecified"]

    assert notice(["I12.9", "N18.31"]) == []  # "... or unspecified CKD" is an alternative
    assert notice(["I13.10", "N18.4"]) == []
    [fracture] = notice(["S72.009A", "W19.XXXA"])  # compared at its 6th character
    assert "S72.001A" in fracture.message and "S72.002A" in fracture.message
    [ear] = notice(["H66.90"])
    assert "H66.91" in ear.message
    assert notice(["J45.909"]) == []  # its siblings say "unspecified asthma" too


# --- every rule ------------------------------------------------------------------------------

def test_every_guideline_finding_cites_its_section(fy2026_engine):
    cases = [["I10", "N18.31"], ["E11.9", "E11.65"], ["N18.4", "N18.31"], ["W19.XXXA"],
             ["Z68.41", "E66.01"], ["O21.0"], ["R65.20", "A41.51"], ["S93.401A"]]
    found = [f for case in cases for f in guideline(check(fy2026_engine, case))]
    assert len({f.rule for f in found}) >= 8
    for f in found:
        assert SECTION.match(f.source), (f.rule, f.source)
