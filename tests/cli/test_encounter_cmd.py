"""`encoder-app encounter list|show|export|save|audit|delete`: saved encounters from the terminal,
through the store and audit trail the window uses; a bad id or file saves nothing."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from encoder_app.cli.main import main
from encoder_app.encounters.store import audit_trail, list_encounters

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"
VISIT = EXAMPLES / "visit.json"
ORTEGA = EXAMPLES / "week" / "2026-05-01-ortega.json"


@pytest.fixture
def db(fy2026_engine, monkeypatch):
    """The FY2026 codebook as the user's database, coded by "alice"."""
    monkeypatch.setenv("ENCODER_APP_DB_URL", str(fy2026_engine.url))
    monkeypatch.setenv("ENCODER_APP_USER", "alice")
    return fy2026_engine


def saved(db) -> list[int]:
    return sorted(s.id for s in list_encounters(db))


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_save_two_files_then_list_shows_both(db, capsys):
    code, out, _ = run(capsys, "encounter", "save", VISIT, ORTEGA)
    assert code == 0
    assert out.splitlines() == [f"saved {VISIT} as encounter #1 (Ruth Calloway, 2026-05-01)",
                                f"saved {ORTEGA} as encounter #2 (Luis Ortega, 2026-05-01)"]
    code, out, _ = run(capsys, "encounter", "list")
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "Date", "of", "service", "Patient", "Provider",
                                "Diagnoses", "Services"]
    assert lines[1].split()[:5] == ["1", "2026-05-01", "Ruth", "Calloway", "Dana"]
    assert lines[1].endswith("E11.9, Z79.84, I10  99214, 82962")
    assert lines[2].split()[:4] == ["2", "2026-05-01", "Luis", "Ortega"]
    assert "Marcus Oyelaran, DO" in lines[2]
    assert lines[2].split()[-3:] == ["J02.0", "99213,", "87880"]
    assert lines[-1] == "2 encounters"
    code, out, _ = run(capsys, "encounter", "list", "--json")
    listed = json.loads(out)["encounters"]
    assert [(e["id"], e["patient"], e["diagnoses"]) for e in listed] == [
        (1, "Ruth Calloway", ["E11.9", "Z79.84", "I10"]), (2, "Luis Ortega", ["J02.0"])]
    assert listed[0]["provider"] == {"name": "Dana Whitfield, MD", "npi": "1234567893"}
    assert listed[0]["procedures"][0] == {"code": "99214", "modifiers": [], "units": 1}


def test_list_by_date_range_and_patient_name(db, capsys):
    week = sorted((EXAMPLES / "week").glob("*.json"))
    assert run(capsys, "encounter", "save", VISIT, *week)[0] == 0
    code, out, _ = run(capsys, "encounter", "list", "--from", "2026-05-04", "--to", "2026-05-06",
                       "--json")
    assert [e["date_of_service"] for e in json.loads(out)["encounters"]] == [
        "2026-05-04", "2026-05-05", "2026-05-06"]
    code, out, _ = run(capsys, "encounter", "list", "--search", "KOWALCZYK helena", "--json")
    assert [e["patient"] for e in json.loads(out)["encounters"]] == ["Helena Kowalczyk"]
    code, out, _ = run(capsys, "encounter", "list", "--from", "2027-01-01")
    assert out.startswith("No saved encounter matches from 2027-01-01.")
    code, out, err = run(capsys, "encounter", "list", "--limit", "2")
    assert code == 0 and out.splitlines()[-1].startswith("2 encounters: the 2 most recently saved")


def test_show_json_and_export_round_trip_the_saved_file(db, capsys, tmp_path):
    original = json.loads(VISIT.read_text(encoding="utf-8"))
    original["referral"] = {"from": "Dr. Example", "visits": 3}  # unknown fields are kept
    source = tmp_path / "visit.json"
    source.write_text(json.dumps(original), encoding="utf-8")
    assert run(capsys, "encounter", "save", source)[0] == 0
    code, out, _ = run(capsys, "encounter", "show", "1", "--json")
    assert code == 0 and json.loads(out) == original
    exported = tmp_path / "out" / "one.json"
    exported.parent.mkdir()
    code, out, _ = run(capsys, "encounter", "export", "#1", "-o", exported)
    assert code == 0 and out == f"wrote {exported} (encounter #1: Ruth Calloway, 2026-05-01)\n"
    assert json.loads(exported.read_text(encoding="utf-8")) == original
    if os.name == "posix":
        assert stat.S_IMODE(exported.stat().st_mode) == 0o600
    # what was exported is an encounter file `check` reads
    assert run(capsys, "check", exported)[0] == 0


def test_show_reads_as_a_coder_reads_it(db, capsys, tmp_path):
    from encoder_app.practice.sample import load_sample_practice

    load_sample_practice(db)
    data = json.loads(VISIT.read_text(encoding="utf-8"))
    del data["procedures"][1]["charge"]  # billed at the fee schedule's 12.00
    visit = tmp_path / "nocharge.json"
    visit.write_text(json.dumps(data), encoding="utf-8")
    run(capsys, "encounter", "save", visit)
    code, out, _ = run(capsys, "encounter", "show", "1")
    assert code == 0
    assert "Patient           Ruth Calloway, female, born 1961-08-14 (age 64 on the date of " \
           "service), member id EXH448201" in out
    assert "Provider          Dana Whitfield, MD, NPI 1234567893" in out
    assert "  A  E11.9     Type 2 diabetes mellitus without complications" in out
    assert "  C  I10       Essential (primary) hypertension" in out
    assert [line.split() for line in out.splitlines() if line.startswith(("   1 ", "   2 "))] == [
        ["1", "99214", "1", "A,B,C", "225.00", "225.00"],
        ["2", "82962", "1", "A", "12.00", "12.00", "(fee", "schedule)"]]
    assert "Balance due         212.00" in out


def test_save_over_an_encounter_is_audited_as_the_user_coding(db, capsys, tmp_path):
    assert run(capsys, "encounter", "save", VISIT, ORTEGA)[0] == 0
    data = json.loads(VISIT.read_text(encoding="utf-8"))
    data["diagnoses"] = ["E11.9", "Z79.84", "I12.9", "N18.31"]
    data["procedures"][0]["modifiers"] = ["25"]
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(data), encoding="utf-8")
    code, out, _ = run(capsys, "encounter", "save", edited, "--id", "1")
    assert code == 0
    assert out.splitlines() == [
        f"saved {edited} over encounter #1 (now version 2): 3 changes recorded in the audit "
        f"trail as alice",
        "  diagnoses[3]: I10 -> I12.9", "  diagnoses[4]: (none) -> N18.31",
        "  procedures[1].modifiers: (none) -> 25"]
    assert saved(db) == [1, 2]  # over #1, not a new one
    assert json.loads(run(capsys, "encounter", "show", "1", "--json")[1]) == data
    trail = audit_trail(db, 1)
    assert {(a.user, a.field, a.before, a.after) for a in trail} >= {
        ("alice", "diagnoses[3]", "I10", "I12.9"), ("alice", "diagnoses[4]", None, "N18.31")}
    code, out, _ = run(capsys, "encounter", "audit", "1")
    assert out.splitlines()[0] == "Audit trail of encounter #1 (Ruth Calloway, 2026-05-01)"
    assert out.splitlines()[-1].endswith("alice  procedures[1].modifiers: (none) -> 25")
    # saved again unchanged: nothing written
    code, out, _ = run(capsys, "encounter", "save", edited, "--id", "1")
    assert out == f"encounter #1 already holds what {edited} says: nothing saved\n"
    assert len(audit_trail(db, 1)) == len(trail)


@pytest.mark.parametrize("argv", [["show", "9"], ["show", "9", "--json"], ["audit", "9"],
                                  ["export", "9", "-o", "OUT"], ["save", "VISIT", "--id", "9"],
                                  ["delete", "9"]])
def test_an_unknown_id_is_one_line_exit_1_and_nothing_changes(db, capsys, tmp_path, argv):
    assert run(capsys, "encounter", "save", ORTEGA)[0] == 0
    argv = [{"OUT": tmp_path / "out.json", "VISIT": VISIT}.get(a, a) for a in argv]
    code, out, err = run(capsys, "encounter", *argv)
    assert code == 1 and out == ""
    assert err == ("error: encounter #9 does not exist; `encoder-app encounter list` shows the "
                   "saved ones\n")
    assert saved(db) == [1] and not (tmp_path / "out.json").exists()
    assert [a.field for a in audit_trail(db, 1)].count("deleted") == 0


@pytest.mark.parametrize("content,message", [
    ('{"date_of_service": "2026-05-01", "diagnoses": ["E11.9", {"code": "I10", "poa": "X"}]}',
     'bad.json: diagnosis 2, POA: "X" is not a present-on-admission indicator: Y, N, U, W or 1'),
    ('{"date_of_service": "2026-02-30"}',
     'bad.json: date of service: "2026-02-30" is not a date (day is out of range for month)'),
    ('{"patient": {"name": "A"}, "procedures": [{"code": "99213", "units": -1}]}',
     "bad.json: procedure line 1, units: must be at least 0, not -1"),
    ('{"date_of_service": "2026-05-01",', "bad.json: line 1, column 34: is not valid JSON"),
    ('{"format": "encoder-app-pick-list/1", "name": "x", "sections": []}',
     "bad.json: holds none of an encounter's fields"),
])
def test_a_malformed_file_names_its_field_and_saves_nothing(db, capsys, tmp_path, content,
                                                            message):
    assert run(capsys, "encounter", "save", ORTEGA)[0] == 0
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    # the good file first: it is not saved either, since every file is read before any save
    code, out, err = run(capsys, "encounter", "save", VISIT, bad)
    assert code == 1 and out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"error: {message}"), err
    code, _, err = run(capsys, "encounter", "save", bad, "--id", "1")
    assert code == 1 and err.startswith(f"error: {message}")
    assert saved(db) == [1]
    assert json.loads(run(capsys, "encounter", "show", "1", "--json")[1]) == \
        json.loads(ORTEGA.read_text(encoding="utf-8"))


def test_a_missing_file_and_a_pattern_matching_nothing(db, capsys, tmp_path):
    code, _, err = run(capsys, "encounter", "save", tmp_path / "nope.json")
    assert code == 1 and err == "error: nope.json: no such file\n"
    code, _, err = run(capsys, "encounter", "save", tmp_path / "none-*.json")
    assert code == 1 and err == f"error: {tmp_path / 'none-*.json'}: no file matches\n"
    assert saved(db) == []


def test_a_pattern_is_expanded_where_the_shell_does_not(db, capsys):
    code, out, _ = run(capsys, "encounter", "save", EXAMPLES / "week" / "*.json")
    assert code == 0 and len(out.splitlines()) == len(list((EXAMPLES / "week").glob("*.json")))


def test_an_id_must_be_a_number(db, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["encounter", "show", "abc"])
    assert exit_.value.code == 2
    assert "'abc' is not an encounter number" in capsys.readouterr().err


def test_saving_the_same_visit_twice_says_so_and_delete_removes_the_copy(db, capsys):
    run(capsys, "encounter", "save", VISIT)
    code, out, err = run(capsys, "encounter", "save", VISIT)
    assert code == 0 and "as encounter #2" in out
    assert err.startswith("note: encounter #1 already held this same visit")
    assert "`encoder-app encounter delete 2`" in err
    code, out, _ = run(capsys, "encounter", "delete", "2")
    assert code == 0 and out.startswith("deleted encounter #2 (Ruth Calloway, 2026-05-01)")
    assert saved(db) == [1]
    assert audit_trail(db, 2)[-1].field == "deleted" and audit_trail(db, 2)[-1].user == "alice"
    code, _, err = run(capsys, "encounter", "show", "2")
    assert code == 1 and err.startswith("error: encounter #2 was deleted")


def test_without_encoder_app_user_the_window_s_user_is_named(db, capsys, monkeypatch):
    from encoder_app import preferences

    monkeypatch.delenv("ENCODER_APP_USER")
    preferences.set_user_name("Bea Coder")  # File > Switch user
    run(capsys, "encounter", "save", VISIT)
    assert {a.user for a in audit_trail(db, 1)} == {"Bea Coder"}


def test_an_empty_database_lists_nothing_and_says_how_to_save(db, capsys):
    code, out, _ = run(capsys, "encounter", "list")
    assert code == 0
    assert out == "No saved encounters yet. `encoder-app encounter save FILE.json` saves one.\n"
    assert json.loads(run(capsys, "encounter", "list", "--json")[1]) == {"encounters": []}


SAMPLES = [VISIT, *sorted((EXAMPLES / "week").glob("*.json"))]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_the_sample_visits_pass_check_and_belong_to_the_sample_practice(db, capsys, path):
    from encoder_app.practice.sample import sample_practice

    code, out, _ = run(capsys, "check", path)
    assert code == 0 and "ERROR" not in out and "WARNING" not in out, out
    data = json.loads(path.read_text(encoding="utf-8"))
    practice = sample_practice()
    providers = {p.npi: f"{p.name}, {p.credentials}" for p in practice.providers}
    assert providers[data["provider"]["npi"]] == data["provider"]["name"]
    assert data["payer"] in {p.name for p in practice.payers}
    assert "2026-05-01" <= data["date_of_service"] <= "2026-05-07"


def test_the_flawed_sample_visit_exits_1_with_its_findings(db, capsys):
    code, out, _ = run(capsys, "check", EXAMPLES / "visit-with-errors.json")
    assert code == 1
    assert "guideline.diabetes_without_complications" in out
    assert "guideline.hypertension_combination" in out and "line.em_modifier_25" in out


def test_save_if_version_refuses_a_file_made_on_an_older_version(db, capsys, tmp_path,
                                                                 monkeypatch):
    assert run(capsys, "encounter", "save", VISIT)[0] == 0
    assert "Encounter #1, version 1, saved" in run(capsys, "encounter", "show", "1")[1]
    data = json.loads(VISIT.read_text(encoding="utf-8"))
    mine, theirs = tmp_path / "mine.json", tmp_path / "theirs.json"
    mine.write_text(json.dumps({**data, "diagnoses": ["E11.65"]}), encoding="utf-8")
    theirs.write_text(json.dumps({**data, "diagnoses": ["E11.9", "I10", "Z79.84"]}),
                      encoding="utf-8")
    monkeypatch.setenv("ENCODER_APP_USER", "biller")
    assert run(capsys, "encounter", "save", theirs, "--id", "1", "--if-version", "1")[0] == 0
    monkeypatch.setenv("ENCODER_APP_USER", "coder")
    code, out, err = run(capsys, "encounter", "save", mine, "--id", "1", "--if-version", "1")
    assert code == 1 and out == ""
    assert "encounter #1 was changed by biller at" in err
    assert "(now version 2) after you opened version 1: your save was not written" in err
    shown = json.loads(run(capsys, "encounter", "show", "1", "--json")[1])
    assert shown["diagnoses"] == ["E11.9", "I10", "Z79.84"]  # the biller's save stands
    with pytest.raises(SystemExit) as usage:
        run(capsys, "encounter", "save", mine, "--if-version", "1")
    assert usage.value.code == 2 and "--if-version needs --id N" in capsys.readouterr().err
