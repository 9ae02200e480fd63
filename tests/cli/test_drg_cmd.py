"""`encoder-app drg FILE [--json]`: the MS-DRG of an inpatient encounter file; bad input is an
error naming the field, exit 1, never a traceback."""

from __future__ import annotations

import json

import pytest

from encoder_app.cli.main import main

STAY = {"setting": "inpatient", "admission_date": "2026-04-27", "discharge_date": "2026-05-01",
        "discharge_status": "01",
        "patient": {"name": "Ana Ortega", "sex": "F", "birth_date": "1950-04-28"},
        "diagnoses": [{"code": "K35.80", "poa": "Y"}, {"code": "J96.01", "poa": "Y"},
                      {"code": "E11.9", "poa": "Y"}],
        "procedures": [{"code": "0DTJ4ZZ", "date": "2026-04-28"}]}


def run(capsys, tmp_path, doc, *options) -> tuple[int, str, str]:
    path = tmp_path / "stay.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code = main(["drg", str(path), *options])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_names_the_drg_its_version_and_each_code(capsys, tmp_path):
    code, out, err = run(capsys, tmp_path, STAY)
    assert (code, err) == (0, "")
    assert out.splitlines()[:4] == [
        "MS-DRG 397  Appendix Procedures with MCC",
        "MDC 06  Diseases and Disorders of the Digestive System",
        "Severity: MCC. Grouper v43.1 (FY2026), discharged 2026-05-01, age 75 at admission.",
        "Discharge status 01 (home or self care, routine discharge)."]
    assert "   2  J96.01    POA Y  MCC   drove the DRG" in out
    assert "   1  0DTJ4ZZ   2026-04-28  O.R.     affected the DRG" in out
    assert out.endswith("Medicare Code Editor v43.1: no edits\n")


def test_json_has_the_drg_and_every_code(capsys, tmp_path):
    code, out, _ = run(capsys, tmp_path, STAY, "--json")
    data = json.loads(out)
    assert code == 0
    assert {k: data[k] for k in ("drg", "title", "mdc", "mdc_title", "grouper_version",
                                 "severity")} == {
        "drg": 397, "title": "Appendix Procedures with MCC", "mdc": 6,
        "mdc_title": "Diseases and Disorders of the Digestive System",
        "grouper_version": "43.1", "severity": "MCC"}
    assert [(d["code"], d["level"], d["drove_drg"], d["excluded"]) for d in data["diagnoses"]] \
        == [("K35.80", "CC", True, False), ("J96.01", "MCC", True, False),
            ("E11.9", "none", False, False)]
    assert data["procedures"] == [{"line": 1, "code": "0DTJ4ZZ", "date": "2026-04-28",
                                   "operating_room": True, "affected_drg": True}]
    assert data["mce"] == {"version": "43.1", "edits": []}


def test_an_excluded_mcc_is_said(capsys, tmp_path):
    doc = {**STAY, "diagnoses": ["A41.9", "A41.51"], "procedures": []}
    code, out, _ = run(capsys, tmp_path, doc)
    assert code == 0 and out.startswith("MS-DRG 872  Septicemia or Severe Sepsis without MV")
    assert "   2  A41.51    POA -  MCC   MCC excluded by the principal diagnosis" in out


@pytest.mark.parametrize("changes,message", [
    ({"setting": "practitioner", "date_of_service": "2026-05-01"},
     'stay.json: setting: is "practitioner": the MS-DRG grouper groups inpatient stays only'),
    ({"discharge_date": None}, "stay.json: discharge date: is required to group"),
    ({"discharge_date": "2027-06-01"}, "stay.json: discharge date: 2027-06-01 is outside the "
                                       "discharge dates the installed MS-DRG grouper covers"),
    ({"patient": {"birth_date": "1950-04-28"}}, "stay.json: patient, sex: is required"),
    ({"patient": {"sex": "F", "birth_date": "1890-01-01"}},
     "stay.json: patient, birth date: makes the patient 136 at admission"),
    ({"discharge_status": "09"}, 'stay.json: discharge status: "09" is not a UB-04 patient '
                                 "discharge status of an inpatient stay (01-07, 20, 21, 30, "),
    ({"diagnoses": ["K35.8"]}, "stay.json: diagnosis 1: cannot be grouped (INVALID_PDX): the "
                               "principal diagnosis is not a valid ICD-10-CM code"),
])
def test_bad_input_names_the_field_and_exits_1(capsys, tmp_path, changes, message):
    doc = {k: v for k, v in {**STAY, **changes}.items() if v is not None}
    code, out, err = run(capsys, tmp_path, doc)
    assert (code, out) == (1, "")
    assert err.startswith(f"error: {message}")
    assert "Traceback" not in err
