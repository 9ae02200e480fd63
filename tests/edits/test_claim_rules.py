"""Claim completeness: date of service, NPI and its check digit, patient sex and birth date when
an MCE age or sex edit needs them."""

from __future__ import annotations

import pytest

from encoder_app.edits.registry import RULES
from encoder_app.edits.rules import claim
from encoder_app.edits.rules.claim import npi_check_digit
from encoder_app.edits.view import CodebookView
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.importers import import_paths

VALID_NPI = "1234567893"


@pytest.fixture
def mce_engine(engine, fixtures):
    """The MCE fixture: N40.0 male only, Z34.00 female and maternity, F03.90 adult, ..."""
    import_paths([fixtures / "mce" / "mce_v41_fixture.csv"], engine)
    return engine


def encounter(**fields):
    data = {"date_of_service": "2024-08-15",
            "patient": {"name": "Test Patient", "sex": "M", "birth_date": "1950-01-02"},
            "provider": {"name": "Test Provider", "npi": VALID_NPI},
            "diagnoses": ["E11.9", "I10"],
            "procedures": [{"code": "99213", "diagnosis_pointers": [1], "charge": 100}]}
    data.update(fields)
    return parse_encounter(data)


def run(engine, enc, prefix: str = "claim.") -> list:
    view = CodebookView(engine, enc.date_of_service)
    out = []
    for registered in RULES:
        if registered.function.__module__ == claim.__name__:
            out.extend(registered.function(enc, view))
    return [f for f in out if f.rule.startswith(prefix)]


def test_complete_claim_is_silent(mce_engine):
    assert run(mce_engine, encounter(diagnoses=["N40.0", "F03.90"])) == []


def test_missing_date_of_service_is_an_error(engine):
    [finding] = run(engine, encounter(date_of_service=None))
    assert (finding.rule, finding.severity) == ("claim.date_of_service_missing", "error")


# --- NPI ----------------------------------------------------------------------------------------


def test_npi_check_digit_is_luhn_with_prefix_80840():
    assert npi_check_digit("123456789") == 3
    assert npi_check_digit(VALID_NPI) == 3  # only the first 9 digits count
    assert npi_check_digit("124531959") == 9  # 1245319599, the CMS example


def test_missing_npi_is_a_warning(engine):
    [finding] = run(engine, encounter(provider={"name": "Test Provider"}))
    assert (finding.rule, finding.severity) == ("claim.npi_missing", "warning")


def test_npi_failing_the_check_digit_is_an_error_naming_the_expected_digit(engine):
    [finding] = run(engine, encounter(provider={"npi": "1234567890"}))
    assert (finding.rule, finding.severity) == ("claim.npi_invalid", "error")
    assert "must be 3, not 0" in finding.message
    assert "80840" in finding.source


@pytest.mark.parametrize("npi", ["123456789", "12345678931", "12345678A3", "1234 56789"])
def test_npi_not_ten_digits_is_an_error(engine, npi):
    [finding] = run(engine, encounter(provider={"npi": npi}))
    assert finding.rule == "claim.npi_invalid" and "10 digits" in finding.message


def test_npi_must_start_with_1_or_2(engine):
    body = "323456789"
    [finding] = run(engine, encounter(provider={"npi": body + str(npi_check_digit(body))}))
    assert finding.rule == "claim.npi_invalid" and "start with 1 or 2" in finding.message


# --- patient sex and birth date -------------------------------------------------------------------


def test_missing_sex_warns_when_a_diagnosis_is_on_an_mce_sex_list(mce_engine):
    patient = {"name": "Test Patient", "birth_date": "1950-01-02"}
    [finding] = run(mce_engine, encounter(patient=patient, diagnoses=["E11.9", "N40.0"]))
    assert (finding.rule, finding.severity, finding.codes) == ("claim.sex_missing", "warning",
                                                               ("N40.0",))
    assert "Male Only" in finding.message and "MCE" in finding.source


def test_missing_sex_is_silent_when_no_rule_needs_it(mce_engine):
    patient = {"name": "Test Patient", "birth_date": "1950-01-02"}
    assert run(mce_engine, encounter(patient=patient, diagnoses=["E11.9", "I10"])) == []


def test_without_mce_lists_nothing_needs_sex_or_birth_date(engine):
    assert run(engine, encounter(patient={}, diagnoses=["N40.0", "F03.90"])) == []


def test_missing_birth_date_warns_when_a_diagnosis_is_on_an_mce_age_list(mce_engine):
    patient = {"name": "Test Patient", "sex": "M"}
    [finding] = run(mce_engine, encounter(patient=patient, diagnoses=["F03.90", "I10"]))
    assert (finding.rule, finding.severity, finding.codes) == ("claim.birth_date_missing",
                                                               "warning", ("F03.90",))
    assert "Adult" in finding.message


def test_missing_birth_date_is_silent_when_no_rule_needs_it(mce_engine):
    patient = {"name": "Test Patient", "sex": "F"}
    assert run(mce_engine, encounter(patient=patient, diagnoses=["E11.9"])) == []
    assert run(mce_engine, encounter(patient=patient, diagnoses=[])) == []


def test_both_missing_gives_both_warnings(mce_engine):
    found = run(mce_engine, encounter(patient={}, diagnoses=["Z34.00"]))
    assert {f.rule for f in found} == {"claim.sex_missing", "claim.birth_date_missing"}


# --- diagnosis slots ----------------------------------------------------------------------------


def test_twelve_diagnoses_fit_a_claim(engine):
    twelve = [f"E11.{d}" for d in range(9)] + ["I10", "J45.909", "K21.9"]
    assert run(engine, encounter(diagnoses=twelve), "claim.diagnosis") == []


def test_a_thirteenth_diagnosis_and_a_pointer_past_l_are_an_error(engine):
    fourteen = [f"E11.{d}" for d in range(9)] + ["I10", "J45.909", "K21.9", "E78.5", "Z79.4"]
    lines = [{"code": "99213", "diagnosis_pointers": [13, 14, 1, 2], "charge": 100}]
    [finding] = run(engine, encounter(diagnoses=fourteen, procedures=lines), "claim.diagnosis")
    assert (finding.rule, finding.severity) == ("claim.diagnosis_count", "error")
    assert finding.codes == ("E78.5", "Z79.4")
    assert "14 diagnoses" in finding.message and "point at 13, 14" in finding.message
