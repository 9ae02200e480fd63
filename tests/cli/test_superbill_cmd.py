"""`encoder-app superbill`: an encounter file to a PDF, or a blank check-off form; the file is
written whole or not at all, and misuse is a usage error naming what to give."""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader

from encoder_app.cli.main import main


@pytest.fixture
def user_db(fy2026_engine, monkeypatch):
    monkeypatch.setenv("ENCODER_APP_DB_URL", str(fy2026_engine.url))
    return fy2026_engine


def write(tmp_path, diagnoses=("E11.9", "I10"), **fields):
    data = {"date_of_service": "2026-04-14", "place_of_service": "11",
            "patient": {"name": "Zoë Müller", "sex": "F", "birth_date": "1961-11-30"},
            "provider": {"name": "Ana Perez", "npi": "1234567893"},
            "diagnoses": list(diagnoses),
            "procedures": [{"code": "99214", "diagnosis_pointers": [1], "charge": 165}]}
    data.update(fields)
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def text_of(path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(p.extract_text() for p in reader.pages)


def test_writes_the_superbill_and_says_how_many_pages(user_db, tmp_path, capsys):
    out = tmp_path / "visit.pdf"
    assert main(["superbill", str(write(tmp_path)), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"wrote {out} (1 page)\n"
    assert captured.err == ""
    text = text_of(out)
    assert "Zoë Müller" in text and "Type 2 diabetes mellitus without complications" in text
    assert not list(tmp_path.glob(".*.tmp"))


def test_notes_errors_that_remain_but_still_prints(user_db, tmp_path, capsys):
    out = tmp_path / "visit.pdf"
    assert main(["superbill", str(write(tmp_path, ("E11", "Z99.999"))), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"wrote {out} (1 page)\n"
    assert "note: 2 edit errors remain on this encounter" in captured.err
    assert "Review before billing: 2 edit errors" in text_of(out)


def test_blank_form_from_a_pick_list(user_db, tmp_path, capsys):
    out = tmp_path / "form.pdf"
    assert main(["superbill", "--blank", "--picklist", "sample", "-o", str(out)]) == 0
    assert capsys.readouterr().out == f"wrote {out} (1 page)\n"
    text = text_of(out)
    assert "99213" in text and "PATIENT NAME" in text


def test_blank_form_defaults_to_the_shipped_sample(user_db, tmp_path, capsys):
    out = tmp_path / "form.pdf"
    assert main(["superbill", "--blank", "-o", str(out)]) == 0
    assert "Office visit, est., low complexity" in text_of(out)


def test_an_unknown_pick_list_is_an_error_and_writes_nothing(user_db, tmp_path, capsys):
    out = tmp_path / "form.pdf"
    assert main(["superbill", "--blank", "--picklist", "Nope", "-o", str(out)]) == 1
    assert "error:" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(("args", "message"), [
    (["visit.json", "--blank"], "give an ENCOUNTER.json or --blank, not both"),
    ([], "give the ENCOUNTER.json to print, or --blank for a check-off form"),
    (["visit.json", "--picklist", "sample"], "--picklist chooses the list of a --blank form"),
])
def test_misuse_is_a_usage_error(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as exit_:
        main(["superbill", *args, "-o", str(tmp_path / "x.pdf")])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "usage: encoder-app superbill" in err and message in err
    assert not (tmp_path / "x.pdf").exists()


def test_the_output_file_is_required(capsys):
    with pytest.raises(SystemExit):
        main(["superbill", "visit.json"])
    assert "-o/--output" in capsys.readouterr().err


def test_a_malformed_encounter_names_the_field_and_writes_nothing(user_db, tmp_path, capsys):
    out = tmp_path / "visit.pdf"
    bad = write(tmp_path, procedures=[{"code": "99214", "units": "two"}])
    assert main(["superbill", str(bad), "-o", str(out)]) == 1
    assert "error: visit.json: procedure line 1, units: must be a whole number" in \
        capsys.readouterr().err
    assert not out.exists()


def test_a_failed_write_keeps_the_previous_file_whole(user_db, tmp_path, capsys, monkeypatch):
    out = tmp_path / "visit.pdf"
    out.write_bytes(b"the superbill printed yesterday")

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", disk_full)
    assert main(["superbill", str(write(tmp_path)), "-o", str(out)]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert out.read_bytes() == b"the superbill printed yesterday"
    assert not [p.name for p in tmp_path.iterdir() if "visit.pdf" in p.name and p != out]


def test_a_typed_provider_replaced_by_the_name_on_file_is_noted(user_db, tmp_path, capsys):
    from encoder_app.practice.sample import load_sample_practice

    load_sample_practice(user_db)  # NPI 1234567893 is Dana Whitfield, MD
    out = tmp_path / "visit.pdf"
    visit = write(tmp_path, provider={"name": "Dr. A. Smith", "npi": "1234567893"})
    assert main(["superbill", str(visit), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.out == f"wrote {out} (1 page)\n"
    assert captured.err == ('note: provider "Dr. A. Smith" printed as "Dana Whitfield, MD", the '
                            "name on file for NPI 1234567893\n")
    assert "Dana Whitfield, MD" in text_of(out) and "A. Smith" not in text_of(out)
    # `check` says it too, as a warning with its fix
    assert main(["check", str(visit), "--json"]) == 0  # a warning, not an error
    [finding] = [f for f in json.loads(capsys.readouterr().out)["findings"]
                 if f["rule"] == "claim.provider_name"]
    assert finding["severity"] == "warning"
    assert finding["fix"] == {"action": "set_provider_name", "name": "Dana Whitfield"}


def test_no_note_when_the_typed_provider_is_the_name_on_file(user_db, tmp_path, capsys):
    from encoder_app.practice.sample import load_sample_practice

    load_sample_practice(user_db)
    out = tmp_path / "visit.pdf"
    visit = write(tmp_path, provider={"name": "Dana Whitfield, MD", "npi": "1234567893"})
    assert main(["superbill", str(visit), "-o", str(out)]) == 0
    assert capsys.readouterr().err == ""
    assert main(["check", str(visit)]) == 0
    assert "claim.provider_name" not in capsys.readouterr().out
