"""`encoder-app practice|fees|picklist`: short readable output, the sample loaded only on
request, and bad files reported as one `error:` line with exit status 1."""

import json

import pytest

from encoder_app.cli.main import main


@pytest.fixture
def db(tmp_path, monkeypatch, fixtures):
    """A database holding only the mini tabular, so no default build runs."""
    from encoder_app.codebook.db import engine_for
    from encoder_app.importers import import_paths

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("ENCODER_APP_DB_URL", url)
    engine = engine_for(url)
    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine)
    return engine


def test_practice_show_says_how_to_set_one_up_when_there_is_none(db, capsys):
    assert main(["practice", "show"]) == 0
    assert "No practice is set up" in capsys.readouterr().out


def test_load_sample_then_show_prints_the_header_providers_and_payers(db, capsys):
    assert main(["practice", "load-sample"]) == 0
    assert "fictional sample practice" in capsys.readouterr().out
    assert main(["practice", "show"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Cedar Hollow Family Medicine\n")
    assert "Tax id (EIN) 12-3456789   Group NPI 1999999992" in out
    assert "  Dana Whitfield, MD  NPI 1234567893" in out
    assert "  Sample State Medicaid  (payer id SMPL1)" in out


def test_load_sample_over_a_real_practice_is_refused_without_replace(db, capsys):
    from encoder_app.practice.setup import save_practice
    from encoder_app.practice.types import Practice

    save_practice(db, Practice("Our Clinic"))
    assert main(["practice", "load-sample"]) == 1
    assert "error: practice: this database is set up for Our Clinic" in capsys.readouterr().err
    assert main(["practice", "load-sample", "--replace"]) == 0


def test_fees_import_show_and_export(db, tmp_path, capsys):
    assert main(["fees", "show"]) == 0
    assert "No fees set" in capsys.readouterr().out
    src = tmp_path / "fees.csv"
    src.write_text("CPT/HCPCS,Mod,Charge\n99213,,$155.00\n20610,50,\"1,200.00\"\n",
                   encoding="utf-8")
    assert main(["fees", "import", str(src)]) == 0
    assert "2 fees" in capsys.readouterr().out
    assert main(["fees", "show"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "20610  50    1,200.00", "99213          155.00", "2 fees"]
    out = tmp_path / "out.csv"
    assert main(["fees", "export", str(out)]) == 0
    assert out.read_text(encoding="utf-8").splitlines()[1:] == ["20610,50,1200.00",
                                                                "99213,,155.00"]


def test_a_bad_fee_file_is_one_error_line_and_keeps_the_fees(db, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text("code,fee\n99213,155\n", encoding="utf-8")
    assert main(["fees", "import", str(good)]) == 0
    bad = tmp_path / "fees.csv"
    bad.write_text("code,fee\n99214,225\n99215,abc\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["fees", "import", str(bad)]) == 1
    assert capsys.readouterr().err == "error: fees.csv: row 3: fee 'abc' is not an amount\n"
    main(["fees", "show"])
    assert capsys.readouterr().out.splitlines()[-2:] == ["99213          155.00", "1 fees"]


def test_picklist_list_and_show_the_sample_without_loading_it(db, capsys):
    assert main(["picklist", "list"]) == 0
    assert capsys.readouterr().out == "Sample family practice\n"
    assert main(["picklist", "show", "sample"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Sample family practice\n\nNew patient\n")
    assert "  [ ] 99213     Office visit, est., low complexity  (CPT)" in out
    assert "  [ ] 69210-50  " in out
    assert "  [ ] E11.9     " in out


def test_picklist_export_then_import_under_a_new_name(db, tmp_path, capsys):
    path = tmp_path / "sample.json"
    assert main(["picklist", "export", "sample", str(path)]) == 0
    data = json.loads(path.read_text(encoding="utf-8"))
    data["name"] = "Our superbill"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["picklist", "import", str(path)]) == 0
    assert "'Our superbill': 6 sections" in capsys.readouterr().out
    assert main(["picklist", "list"]) == 0
    assert capsys.readouterr().out == "Our superbill\nSample family practice\n"


def test_unknown_pick_list_and_malformed_file_are_reported(db, tmp_path, capsys):
    assert main(["picklist", "show", "Cardiology"]) == 1
    assert "pick lists: Sample family practice" in capsys.readouterr().err
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "encoder-app-pick-list/1", "name": "Bad",
                                "sections": [{"title": "A", "items": [{"code": "99213"}]}]}),
                    encoding="utf-8")
    assert main(["picklist", "import", str(path)]) == 1
    assert capsys.readouterr().err.startswith(
        "error: bad.json: section 1, line 1, system: is required")
