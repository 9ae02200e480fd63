"""`encoder-app check FILE [--json]`: findings printed or as JSON, exit 1 on any error finding,
and a malformed file reported with its JSON path, never a traceback."""

from __future__ import annotations

import json

import pytest

from encoder_app.cli.main import main
from encoder_app.importers import import_paths

NCCI_FILES = ["ncci_ptp_practitioner_2024q3.csv", "mue_practitioner_2024q3.csv",
              "aoc_2024q3.csv", "level2_modifiers.csv"]


@pytest.fixture
def check_db(fy2026_engine, fixtures, monkeypatch):
    """The FY2026 codebook with the NCCI and modifier fixtures, as the user's database."""
    import_paths([fixtures / "edits" / "ncci" / name for name in NCCI_FILES], fy2026_engine)
    monkeypatch.setenv("ENCODER_APP_DB_URL", str(fy2026_engine.url))
    return fy2026_engine


def write(tmp_path, procedures, **fields):
    data = {"date_of_service": "2024-09-16", "setting": "practitioner", "place_of_service": "11",
            "patient": {"name": "Jane Doe", "sex": "F", "birth_date": "1960-02-03"},
            "provider": {"name": "A. Smith, MD", "npi": "1234567893"},
            "diagnoses": ["M17.11", "E11.9", "I10"], "procedures": procedures}
    data.update(fields)
    path = tmp_path / "encounter.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


CLEAN = [{"code": "99214", "modifiers": ["25"], "diagnosis_pointers": [2, 3], "charge": 160},
         {"code": "20610", "modifiers": ["RT"], "diagnosis_pointers": [1], "charge": 180},
         {"code": "36415", "diagnosis_pointers": [2], "charge": 10}]
UNBUNDLED = [{"code": "29880", "modifiers": ["RT"], "diagnosis_pointers": [1], "charge": 900},
             {"code": "29877", "diagnosis_pointers": [1], "charge": 500}]


def test_no_error_findings_exit_0(check_db, tmp_path, capsys):
    assert main(["check", str(write(tmp_path, CLEAN))]) == 0
    out = capsys.readouterr().out
    assert "ERROR" not in out and "0 errors" in out


def test_error_findings_exit_1_with_source_and_fix(check_db, tmp_path, capsys):
    assert main(["check", str(write(tmp_path, UNBUNDLED))]) == 1
    lines = capsys.readouterr().out.splitlines()
    i = next(i for i, line in enumerate(lines) if "ncci.ptp" in line)
    assert lines[i].startswith("ERROR") and "29880, 29877: " in lines[i]
    assert lines[i + 1].strip() == ("source: NCCI PTP practitioner 2024Q3 (column 1 29880, "
                                    "column 2 29877, modifier indicator 1)")
    assert lines[i + 2].strip().startswith("fix: {")
    assert json.loads(lines[i + 2].strip()[len("fix: "):])["modifier"] == "59"


def test_json_lists_findings_with_every_field(check_db, tmp_path, capsys):
    assert main(["check", str(write(tmp_path, UNBUNDLED)), "--json"]) == 1
    shown = json.loads(capsys.readouterr().out)
    assert set(shown) == {"findings"}
    assert all(set(f) == {"rule", "severity", "codes", "message", "source", "fix"}
               for f in shown["findings"])
    [ptp] = [f for f in shown["findings"] if f["rule"] == "ncci.ptp"]
    assert ptp["severity"] == "error" and ptp["codes"] == ["29880", "29877"]
    assert ptp["fix"] == {"action": "add_modifier", "line": 2, "modifier": "59",
                          "choices": ["59", "XU", "XS", "XE", "XP"]}
    # errors first
    severities = [f["severity"] for f in shown["findings"]]
    assert severities == sorted(severities, key=["error", "warning", "info"].index)


def test_json_of_a_clean_encounter_exits_0(check_db, tmp_path, capsys):
    assert main(["check", str(write(tmp_path, CLEAN)), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert not [f for f in shown["findings"] if f["severity"] == "error"]


def test_malformed_field_is_named_in_a_coders_words(check_db, tmp_path, capsys):
    path = write(tmp_path, [{"code": "99213", "units": "two"}])
    assert main(["check", str(path)]) == 1
    captured = capsys.readouterr()
    assert captured.err == ('error: encounter.json: procedure line 1, units: must be a whole '
                            'number, not "two"\n')
    assert "Traceback" not in captured.err and captured.out == ""


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_a_missing_code_says_which_procedure_line(check_db, tmp_path, capsys, json_flag):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"procedures": [{"units": "x"}]}), encoding="utf-8")
    assert main(["check", str(path), *json_flag]) == 1
    err = capsys.readouterr().err
    assert err == "error: bad.json: procedure line 1, code: is required\n"
    assert "$" not in err


def test_file_that_is_not_json_names_line_and_column(check_db, tmp_path, capsys):
    path = tmp_path / "broken.json"
    path.write_text('{"date_of_service": "2024-09-16",\n "diagnoses": [}', encoding="utf-8")
    assert main(["check", str(path)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: broken.json: line 2") and "not valid JSON" in err


def test_missing_file(check_db, tmp_path, capsys):
    assert main(["check", str(tmp_path / "nowhere.json")]) == 1
    assert "no such file" in capsys.readouterr().err


def test_an_inpatient_stay_is_checked_without_the_ncci_tables(check_db, tmp_path, capsys):
    # NCCI edits practitioner and outpatient hospital claims only: an inpatient stay's
    # ICD-10-PCS procedures are not looked up in them (nor is "not loaded" said of them).
    path = write(tmp_path, [{"code": "0DTJ4ZZ", "date": "2024-09-14"}],
                 setting="inpatient", date_of_service=None, admission_date="2024-09-13",
                 discharge_date="2024-09-16", discharge_status="01",
                 diagnoses=[{"code": "K35.80", "poa": "Y"}])
    code = main(["check", str(path), "--json"])
    shown = json.loads(capsys.readouterr().out)
    assert code in (0, 1)
    assert not [f for f in shown["findings"] if f["rule"].startswith("ncci.")]


def test_an_inpatient_stay_gets_no_professional_claim_line_edits(check_db, tmp_path, capsys):
    # No diagnosis pointers or per-line charges on an institutional claim, and more than 12
    # diagnoses are expected.
    path = write(tmp_path, [{"code": "0DTJ4ZZ", "date": "2024-09-14"}],
                 setting="inpatient", date_of_service=None, admission_date="2024-09-13",
                 discharge_date="2024-09-16", discharge_status="01",
                 diagnoses=["K35.80", "E11.9", "I10", "E78.5", "Z79.4", "E66.9", "Z68.30",
                            "F17.210", "I48.91", "Z79.01", "N18.30", "G47.33", "K21.9"])
    main(["check", str(path), "--json"])
    rules = {f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert not {r for r in rules if r.startswith(("line.pointer", "line.charge", "line.units",
                                                  "claim.diagnosis_count"))}
