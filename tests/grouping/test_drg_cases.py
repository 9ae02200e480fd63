"""Real grouper results for stays a hospital coder codes every day, by the version of the
discharge date. Each expected DRG is reasoned from the CMS MS-DRG definitions of that version
(the comment says why), not copied from what the package returned."""

from __future__ import annotations

import pytest

from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.grouping import group_encounter

FY2023 = "2022-11-15"  # v40.0
FY2025 = "2024-12-10"  # v42.0
FY2025_APRIL = "2025-06-15"  # v42.1
FY2026 = "2026-05-01"  # v43.1
FY2027 = "2026-11-20"  # v44.0


def stay(diagnoses, procedures=(), discharged=FY2026, admitted=None, sex="M",
         birth="1950-03-10", status="01"):
    """An inpatient stay: diagnoses as "CODE" (POA Y) or ("CODE", "N"); the principal first."""
    dx = [{"code": d, "poa": "Y"} if isinstance(d, str) else {"code": d[0], "poa": d[1]}
          for d in diagnoses]
    return parse_encounter({
        "setting": "inpatient", "admission_date": admitted or discharged,
        "discharge_date": discharged, "discharge_status": status,
        "patient": {"name": "Test Patient", "sex": sex, "birth_date": birth},
        "diagnoses": dx, "procedures": [{"code": p, "date": discharged} for p in procedures]})


def drg(diagnoses, procedures=(), discharged=FY2026, **kw) -> int:
    return group_encounter(stay(diagnoses, procedures, discharged, **kw)).drg


# --- surgical: laparoscopic appendectomy (0DTJ4ZZ, resection of appendix, percutaneous
# endoscopic) --------------------------------------------------------------------------------

def test_appendectomy_fy2023_without_complicated_principal_is_343():
    # v40: MS-DRGs 338-343 split appendectomy on a "complicated principal diagnosis"
    # (perforation, peritonitis, abscess). K35.80 (acute appendicitis without them) is not
    # complicated; no secondary diagnosis: 343, without CC/MCC.
    assert drg(["K35.80"], ["0DTJ4ZZ"], FY2023) == 343
    # J96.01 (acute respiratory failure with hypoxia) is an MCC: 341; E87.1 a CC: 342.
    assert drg(["K35.80", "J96.01"], ["0DTJ4ZZ"], FY2023) == 341
    assert drg(["K35.80", "E87.1"], ["0DTJ4ZZ"], FY2023) == 342
    # K35.32 (perforation with localized peritonitis) is a complicated principal: 340.
    assert drg(["K35.32"], ["0DTJ4ZZ"], FY2023) == 340


def test_appendectomy_from_fy2024_is_appendix_procedures_397_to_399():
    # CMS deleted 338-343 in v41 (FY2024) for 397-399, "Appendix Procedures" with MCC / with
    # CC / without CC/MCC, no longer split on the principal; so in v43 the complicated K35.32
    # and the simple K35.80 both give 399 alone. (A 343 expected here would be v40's DRG.)
    assert drg(["K35.80"], ["0DTJ4ZZ"]) == 399
    assert drg(["K35.32"], ["0DTJ4ZZ"]) == 399
    assert drg(["K35.80", "E87.1"], ["0DTJ4ZZ"]) == 398
    assert drg(["K35.80", "J96.01"], ["0DTJ4ZZ"]) == 397


def test_the_appendectomy_result_in_full():
    result = group_encounter(stay(["K35.80", "J96.01", "E11.9"], ["0DTJ4ZZ"]))
    assert (result.drg, result.mdc, result.grouper_version, result.fiscal_year) == \
        (397, 6, "43.1", 2026)
    assert result.title == "Appendix Procedures with MCC"
    assert result.mdc_title == "Diseases and Disorders of the Digestive System"
    assert result.severity == "MCC" and result.ok
    principal, mcc, plain = result.diagnoses
    assert principal.principal and principal.drove_drg
    assert (mcc.code, mcc.level, mcc.drove_drg, mcc.excluded) == ("J96.01", "MCC", True, False)
    # E11.9 (type 2 diabetes without complications) is neither a CC nor an MCC.
    assert (plain.level, plain.drove_drg) == ("none", False)
    (appendectomy,) = result.procedures
    assert appendectomy.affected_drg and appendectomy.date.isoformat() == FY2026


# --- medical: heart failure, pneumonia, COPD --------------------------------------------------

@pytest.mark.parametrize("secondary,expected,severity", [
    ([], 293, "none"),  # I50.9 alone: Heart Failure and Shock without CC/MCC
    (["E87.1"], 292, "CC"),  # hyposmolality and hyponatremia is a CC: with CC
    (["J96.01"], 291, "MCC"),  # acute respiratory failure with hypoxia is an MCC: with MCC
    (["E87.1", "J96.01"], 291, "MCC"),  # the MCC wins over the CC
])
def test_heart_failure_291_292_293(secondary, expected, severity):
    result = group_encounter(stay(["I50.9", *secondary]))
    assert (result.drg, result.mdc, result.severity) == (expected, 5, severity)


def test_hypertensive_heart_disease_with_acute_on_chronic_systolic_failure_is_291():
    # I11.0 is a principal of the heart failure DRGs; I50.23 (acute on chronic systolic heart
    # failure), coded with it as the guidelines require, is an MCC not on I11.0's exclusion
    # list: 291.
    result = group_encounter(stay(["I11.0", "I50.23"]))
    assert result.drg == 291 and result.diagnoses[1].level == "MCC"


@pytest.mark.parametrize("secondary,expected", [
    ([], 195), (["E87.1"], 194), (["J96.01"], 193)])
def test_simple_pneumonia_193_194_195(secondary, expected):
    # J18.9 (pneumonia, unspecified organism): MDC 4, Simple Pneumonia and Pleurisy.
    assert drg(["J18.9", *secondary]) == expected


@pytest.mark.parametrize("secondary,expected", [
    ([], 192), (["E87.1"], 191), (["J96.01"], 190)])
def test_copd_190_191_192(secondary, expected):
    # J44.1 (COPD with acute exacerbation): MDC 4, Chronic Obstructive Pulmonary Disease;
    # J96.01 is not excluded by it (COPD with acute respiratory failure secondary is 190).
    assert drg(["J44.1", *secondary]) == expected


# --- sepsis: a secondary MCC the principal excludes --------------------------------------------

def test_sepsis_principal_excludes_another_sepsis_code_as_mcc():
    # A41.51 (E. coli sepsis) is an MCC, but the CC exclusion list drops it when the principal
    # is A41.9 (sepsis, unspecified organism): no MCC counts, 872 (without MCC).
    result = group_encounter(stay(["A41.9", "A41.51"]))
    assert (result.drg, result.mdc, result.severity) == (872, 18, "none")
    excluded = result.diagnoses[1]
    assert (excluded.level, excluded.excluded, excluded.drove_drg) == ("MCC", True, False)
    # A further MCC the principal does not exclude (acute respiratory failure) gives 871.
    assert drg(["A41.9", "A41.51", "J96.01"]) == 871


def test_severe_sepsis_is_no_mcc_for_a_sepsis_principal_but_is_for_heart_failure():
    # R65.20 (severe sepsis without septic shock) is an MCC excluded with a sepsis principal
    # (871 needs an organ dysfunction or other MCC), not with heart failure.
    assert drg(["A41.9", "R65.20"]) == 872
    assert drg(["I50.9", "R65.20"]) == 291


# --- hospital-acquired conditions ---------------------------------------------------------------

def test_a_pressure_ulcer_not_present_on_admission_does_not_count():
    # L89.154 (sacral pressure ulcer, stage 4) is an MCC and HAC 04: present on admission it
    # gives 291; acquired in the hospital (POA N), its MCC is disregarded for the final DRG.
    assert drg(["I50.9", ("L89.154", "Y")]) == 291
    result = group_encounter(stay(["I50.9", ("L89.154", "N")]))
    assert (result.initial_drg, result.drg) == (291, 293)
    ulcer = result.diagnoses[1]
    assert ulcer.hacs == ("HAC04",) and not ulcer.drove_drg


# --- the version of the discharge date -----------------------------------------------------------

@pytest.mark.parametrize("discharged,version,fiscal_year", [
    (FY2023, "40.0", 2023), (FY2025, "42.0", 2025), (FY2025_APRIL, "42.1", 2025),
    ("2025-10-01", "43.0", 2026), ("2026-03-31", "43.0", 2026), ("2026-04-01", "43.1", 2026),
    (FY2027, "44.0", 2027)])
def test_each_fiscal_year_groups_with_its_own_version(discharged, version, fiscal_year):
    # Heart failure with an MCC is 291 in every one of these versions.
    result = group_encounter(stay(["I50.9", "J96.01"], discharged=discharged))
    assert (result.drg, result.grouper_version, result.fiscal_year) == \
        (291, version, fiscal_year)


def test_pneumonia_with_cc_in_fy2027():
    assert group_encounter(stay(["J18.9", "E87.1"], discharged=FY2027)).drg == 194


def test_a_code_new_in_fy2026_groups_only_from_october_1_2025():
    # E11.A (type 2 diabetes without complications, in remission) took effect 2025-10-01: the
    # FY2025 grouper does not know it (DRG 999, invalid principal); v43 puts it in the
    # diabetes DRGs 637-639 (with E87.1, a CC: 638).
    before = group_encounter(stay(["E11.A", "E87.1"], discharged="2025-09-30"))
    assert (before.drg, before.return_code, before.ok) == (999, "INVALID_PDX", False)
    assert "principal diagnosis is not a valid" in before.problem
    assert drg(["E11.A", "E87.1"], discharged="2025-10-01") == 638


def test_discharge_status_expired_changes_the_ami_drg():
    # Acute MI (I21.9) DRGs split on the discharge: 282 alive without CC/MCC, 285 expired.
    assert drg(["I21.9"], status="01") == 282
    assert drg(["I21.9"], status="20") == 285


# --- surgical: hip replacement (0SR9019, replacement of right hip joint with a metal
# synthetic substitute, cemented, open) ----------------------------------------------------

@pytest.mark.parametrize("discharged", [FY2023, FY2025, FY2026, FY2027])
def test_hip_replacement_is_469_470_or_521_522_for_a_hip_fracture(discharged):
    # Osteoarthritis of the right hip (M16.11) replaced: MDC 8, "Major Hip and Knee Joint
    # Replacement or Reattachment of Lower Extremity", 470 without MCC, 469 with an MCC
    # (I50.23, acute on chronic systolic heart failure). A hip fracture principal (S72.001A)
    # goes to "Hip Replacement with Principal Diagnosis of Hip Fracture", 521/522, split out of
    # 469/470 in v39 (FY2022), so in every version the package covers.
    assert drg(["M16.11"], ["0SR9019"], discharged, sex="F") == 470
    assert drg(["M16.11", "I50.23"], ["0SR9019"], discharged, sex="F") == 469
    assert drg(["S72.001A"], ["0SR9019"], discharged, sex="F") == 522
    assert drg(["S72.001A", "I50.23"], ["0SR9019"], discharged, sex="F") == 521
