"""The dates of a stay's ICD-10-PCS procedures (UB-04 FL 74): missing, after discharge, or
before admission beyond the 3-day payment window; silent on correctly dated procedures."""

import pytest

from encoder_app.edits.check import check_encounter
from encoder_app.edits.fixes import apply_fix
from encoder_app.encounters.snapshot import parse_encounter

STAY = {"setting": "inpatient", "admission_date": "2026-04-27", "discharge_date": "2026-04-30",
        "discharge_status": "01", "patient": {"sex": "F", "birth_date": "1988-09-02"},
        "diagnoses": [{"code": "K35.80", "poa": "Y"}]}


def dated(engine, document) -> list:
    return [f for f in check_encounter(engine, parse_encounter(document))
            if f.rule.startswith("stay.")]


def test_silent_on_procedures_dated_within_the_stay_and_the_window(fy2026_engine):
    document = {**STAY, "procedures": [
        {"code": "0DTJ4ZZ", "date": "2026-04-27"}, {"code": "30233N1", "date": "2026-04-30"},
        {"code": "BW25ZZZ", "date": "2026-04-24"}]}  # a CT 3 days before: inside the window
    assert dated(fy2026_engine, document) == []


@pytest.mark.parametrize("date,rule,severity,words", [
    (None, "stay.procedure_date_missing", "warning", "line 1: 0DTJ4ZZ has no procedure date"),
    ("2026-05-01", "stay.procedure_after_discharge", "error",
     "after the discharge date 2026-04-30"),
    ("2026-04-23", "stay.procedure_before_admission", "warning",
     "4 days before admission (2026-04-27): outside the 3-day payment window"),
])
def test_a_wrong_or_missing_date_is_said(fy2026_engine, date, rule, severity, words):
    line = {"code": "0DTJ4ZZ", **({"date": date} if date else {})}
    [finding] = dated(fy2026_engine, {**STAY, "procedures": [line]})
    assert (finding.rule, finding.severity, finding.codes) == (rule, severity, ("0DTJ4ZZ",))
    assert words in finding.message


def test_a_same_day_stay_offers_its_day_as_the_fix(fy2026_engine):
    document = {**STAY, "discharge_date": "2026-04-27", "procedures": [{"code": "0DTJ4ZZ"}]}
    [finding] = dated(fy2026_engine, document)
    fixed = apply_fix(document, finding.fix)
    assert fixed["procedures"][0]["date"] == "2026-04-27"
    assert dated(fy2026_engine, fixed) == []


def test_a_longer_stay_offers_no_guess(fy2026_engine):
    [finding] = dated(fy2026_engine, {**STAY, "procedures": [{"code": "0DTJ4ZZ"}]})
    assert finding.fix is None


def test_an_office_visit_has_no_procedure_dates_to_check(fy2026_engine):
    visit = {"date_of_service": "2026-05-01", "diagnoses": ["K35.80"],
             "procedures": [{"code": "99213"}]}
    assert dated(fy2026_engine, visit) == []
