"""`encoder-app study ...` as a student and an instructor use it, on the real study codebook."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest

from encoder_app.cli.main import main

DATA = Path(__file__).parent / "data"
pytestmark = pytest.mark.shared_data


@pytest.fixture
def cli_data(_study_template, isolated_data_dir, monkeypatch):
    """The app's data folder holding the study codebook, as a user's would after imports."""
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(_study_template, isolated_data_dir / "codebook.sqlite3")
    monkeypatch.setenv("ENCODER_APP_USER", "student one")
    return isolated_data_dir


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_grade_prints_the_verdicts_as_json(cli_data, capsys):
    code, out, _ = run(capsys, "study", "grade", str(DATA / "fracture_set.json"),
                       str(DATA / "answers.json"), "--json")
    assert code == 0
    result = json.loads(out)
    assert result["score"] == pytest.approx((0.75 + 0.25 + 0.5 + 0.5) / 4)
    by_id = {c["id"]: c for c in result["cases"]}
    assert [c["verdict"] for c in by_id["ckd"]["codes"]] == ["correct", "sequencing", "optional"]
    wrist = by_id["wrist"]
    assert wrist["codes"][0] == {"entered": "S52.521D", "verdict": "partial", "key": "S52.521A",
                                 "reason": "7th character: entered D, the key has A",
                                 "points": 0.5}
    assert wrist["codes"][1]["verdict"] == "not-billable" and wrist["missing"] == ["W19.XXXA"]
    assert by_id["brace"]["codes"][0]["reason"] == "modifier: entered LT, the key has RT"
    assert by_id["eye"]["codes"][0]["reason"] == "laterality: entered left, the key has right"


def test_grade_record_stores_attempts_that_progress_and_export_read(cli_data, capsys, tmp_path):
    assert run(capsys, "study", "grade", str(DATA / "fracture_set.json"),
               str(DATA / "answers.json"), "--record")[0] == 0
    code, out, _ = run(capsys, "study", "progress", "--json")
    progress = json.loads(out)
    assert code == 0 and progress["user"] == "student one" and progress["attempts"] == 4
    chapters = {t["name"]: t for t in progress["by_chapter"]}
    assert chapters["ICD-10-CM Chapter 19: Injury, poisoning and certain other consequences of "
                    "external causes (S00-T88)"]["accuracy"] == 0.25
    assert "HCPCS Level II L: Orthotic and prosthetic procedures and devices" in chapters
    assert progress["cards"] == 4  # every case was missed somewhere
    target = tmp_path / "attempts.csv"
    assert run(capsys, "study", "export", "-o", str(target))[0] == 0
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert [r["item"] for r in rows] == ["case:fracture_set/ckd", "case:fracture_set/wrist",
                                         "case:fracture_set/brace", "case:fracture_set/eye"]
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    # A broken set or answers file afterwards is refused and loses none of them
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "encoder-app/exercise-set", "version": 1, "cases": [')
    assert run(capsys, "study", "import", str(bad))[0] == 1
    assert run(capsys, "study", "grade", str(DATA / "fracture_set.json"), str(bad),
               "--record")[0] == 1
    code, out, _ = run(capsys, "study", "progress", "--json")
    assert json.loads(out)["attempts"] == 4


def test_validate_names_every_case_and_key_code_not_billable(cli_data, capsys, tmp_path):
    broken = json.loads((DATA / "fracture_set.json").read_text())
    broken["cases"][0]["answer"]["codes"] = ["E11.2", "N18.31"]  # a header
    broken["cases"][1]["answer"]["codes"] = ["S52.521A", "W19.XXXA", "S52.52"]
    broken["cases"][2]["answer"]["codes"] = ["J1030"]  # HCPCS code terminated before 2026
    broken["cases"][3]["date_of_service"] = "2026-02-30"
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken))
    code, _, err = run(capsys, "study", "validate", str(path))
    assert code == 1
    assert "error: broken.json: case eye: date_of_service: 2026-02-30 is not a date" in err
    path.write_text(json.dumps(dict(broken, cases=broken["cases"][:3])))
    code, _, err = run(capsys, "study", "validate", str(path))
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert code == 1 and len(lines) == 3
    assert lines[0].startswith("error: broken.json: case ckd: answer.codes[0]: E11.2 is not "
                               "billable on 2026-05-01")
    assert lines[1].startswith("error: broken.json: case wrist: answer.codes[2]: S52.52 is not")
    assert lines[2].startswith("error: broken.json: case brace: answer.codes[0]: J1030 is not "
                               "billable on 2026-05-01: terminated")
    assert err.splitlines()[-1].endswith("broken.json: 3 problems")
    assert run(capsys, "study", "validate", str(DATA / "fracture_set.json"))[0] == 0


def test_import_lists_the_set_and_refuses_a_broken_one_keeping_the_old(cli_data, capsys,
                                                                       tmp_path):
    mine = tmp_path / "my-class.json"
    shutil.copy(DATA / "fracture_set.json", mine)
    assert run(capsys, "study", "import", str(mine))[0] == 0
    code, out, _ = run(capsys, "study", "sets", "--json")
    sets = {s["name"]: s for s in json.loads(out)}
    assert sets["my-class"] == {"name": "my-class", "title": "Test set: grading rules",
                                "cases": 4, "origin": "imported"}
    code, _, err = run(capsys, "study", "import", str(mine))
    assert code == 1 and "already imported" in err and "--replace" in err
    broken = json.loads(mine.read_text())
    broken["cases"][0]["answer"]["codes"] = ["E11.2"]
    mine.write_text(json.dumps(broken))
    code, _, err = run(capsys, "study", "import", str(mine), "--replace")
    assert code == 1 and "case ckd: answer.codes[0]: E11.2 is not billable" in err
    # the imported set is still the good one, graded by name
    code, out, _ = run(capsys, "study", "grade", "my-class", str(DATA / "answers.json"), "--json")
    assert code == 0 and json.loads(out)["set"] == "my-class"


def test_bad_answers_file_is_one_clear_error_per_problem(cli_data, capsys, tmp_path):
    answers = tmp_path / "answers.json"
    answers.write_text('{"ckd": "E11.22", "nope": []}')
    code, _, err = run(capsys, "study", "grade", str(DATA / "fracture_set.json"), str(answers))
    assert code == 1
    assert "answers.json: case ckd: must be a list of codes (texts)" in err
    assert "answers.json: case nope: is not a case of set 'fracture_set'" in err
    assert "Traceback" not in err


def test_drill_json_has_kind_prompt_answer_and_source(cli_data, capsys):
    code, out, _ = run(capsys, "study", "drill", "--kind", "seventh-character", "--count", "5",
                       "--seed", "42", "--date", "2026-05-01", "--json")
    questions = json.loads(out)
    assert code == 0 and len(questions) == 5
    assert all(set(q["source"]) == {"at", "kind", "text"} for q in questions)
    code, out2, _ = run(capsys, "study", "drill", "--kind", "seventh-character", "--count", "5",
                        "--seed", "43", "--date", "2026-05-01", "--json")
    assert json.loads(out2) != questions


def test_progress_with_no_attempts_says_so(cli_data, capsys):
    code, out, _ = run(capsys, "study", "progress")
    assert code == 0 and out == "student one: no study attempts yet\n"


def test_validate_names_an_index_path_its_book_lacks(cli_data, capsys, tmp_path):
    broken = json.loads((DATA / "fracture_set.json").read_text())
    broken["cases"][0]["rationale"]["index"] = [
        "Diabetes, diabetic > type 2 > with > chronic kidney disease",  # there: no problem
        "Diabetes, diabetic > type 7",
        {"book": "drug", "path": "Ibuprofen", "column": "Poisoning Accidental (unintentional)"},
        {"book": "drug", "path": "Ibuprofen", "column": "Poisoning Sideways"}]
    path = tmp_path / "paths.json"
    path.write_text(json.dumps(broken))
    code, _, err = run(capsys, "study", "validate", str(path))
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert code == 1 and lines == [
        "error: paths.json: case ckd: rationale.index[1]: Diabetes, diabetic > type 7 is not in "
        "the ICD-10-CM Alphabetic Index",
        "error: paths.json: case ckd: rationale.index[3]: Ibuprofen [Poisoning Sideways] is not "
        "in the ICD-10-CM Table of Drugs and Chemicals"]
