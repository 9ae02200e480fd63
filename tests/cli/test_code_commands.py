"""The command line a coder types: code show, code list, releases, import; first-run build."""

import json

import pytest

from encoder_app.cli.main import main


@pytest.fixture
def mini_db(tmp_path, monkeypatch, fixtures):
    """A database holding only the mini tabular, so no default build runs."""
    from encoder_app.codebook.db import engine_for
    from encoder_app.importers import import_paths

    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("ENCODER_APP_DB_URL", url)
    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine_for(url))
    return tmp_path


def test_first_run_builds_the_default_codebook_in_the_data_dir(isolated_data_dir, capsys):
    assert main(["code", "show", "E11.9", "--date", "2026-05-01", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (isolated_data_dir / "codebook.sqlite3").is_file()
    assert {"code", "system", "title", "billable", "valid", "notes"} <= shown.keys()
    assert shown["code"] == "E11.9" and shown["system"] == "icd10cm"
    assert shown["valid"] is True and shown["billable"] is True
    assert all({"kind", "text"} <= n.keys() for n in shown["notes"])
    # a second run reuses the database instead of building again
    stamp = (isolated_data_dir / "codebook.sqlite3").stat().st_mtime_ns
    assert main(["releases", "--json"]) == 0
    releases = json.loads(capsys.readouterr().out)
    assert len(releases) == 1 and releases[0]["counts"]["billable"] == 74_719
    assert (isolated_data_dir / "codebook.sqlite3").stat().st_mtime_ns == stamp


def test_code_show_prints_validity_notes_and_seventh_characters(mini_db, capsys):
    assert main(["code", "show", "W54.0", "--date", "2031-03-01"]) == 0
    out = capsys.readouterr().out
    assert "NOT VALID" in out and "7th character" in out
    assert "A  initial encounter" in out


def test_code_list_billable_prints_one_dotted_code_a_line(mini_db, capsys):
    assert main(["code", "list", "--system", "icd10cm", "--billable", "--date", "2031-03-01"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "A00.0" in lines and "W54.0XXA" in lines and "W54.0" not in lines


def test_unknown_code_exits_1_with_a_readable_error(mini_db, capsys):
    assert main(["code", "show", "ZZ9.99"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error:") and "ZZ9.99" in err and "Traceback" not in err


def test_bad_date_is_refused_by_the_parser(mini_db, capsys):
    with pytest.raises(SystemExit):
        main(["code", "show", "A00.0", "--date", "2031-13-01"])
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_import_command_reports_what_it_imported(mini_db, fixtures, capsys):
    assert main(["import", str(fixtures / "tabular" / "tabular_mini_2032.xml")]) == 0
    out = capsys.readouterr().out
    assert "tabular_mini_2032.xml: imported ICD-10-CM Tabular List" in out
    assert main(["import", str(fixtures / "tabular" / "tabular_mini_2032.xml")]) == 0
    assert "already loaded" in capsys.readouterr().out


def test_failed_import_names_file_and_line_and_keeps_what_was_saved(mini_db, fixtures, capsys):
    assert main(["import", str(fixtures / "tabular" / "tabular_broken_xml.xml")]) == 1
    err = capsys.readouterr().err
    assert "tabular_broken_xml.xml" in err and "line 28" in err
    assert main(["releases"]) == 0
    assert "FY2031" in capsys.readouterr().out


def test_releases_lists_source_sha_and_counts(mini_db, capsys):
    assert main(["releases", "--json"]) == 0
    [release] = json.loads(capsys.readouterr().out)
    assert release["source_file"] == "tabular_mini_2031.xml"
    assert len(release["sha256"]) == 64
    assert release["effective_from"] == "2030-10-01"
    assert release["counts"]["billable"] > 0


def test_a_cpt_shaped_code_with_no_cpt_loaded_says_how_to_import_it(mini_db, capsys):
    assert main(["code", "show", "99213"]) == 1
    err = capsys.readouterr().err
    assert "looks like a CPT code" in err and "no CPT file is loaded" in err
    assert "encoder-app import" in err and "Traceback" not in err


@pytest.mark.shared_data
def test_an_ambiguous_code_names_the_other_system(_fy2026_template, shared_codebooks_dir,
                                                  tmp_path, monkeypatch, capsys):
    import shutil

    from encoder_app.codebook.db import engine_for
    from encoder_app.importers import import_paths

    shutil.copy(_fy2026_template, tmp_path / "db.sqlite3")
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    monkeypatch.setenv("ENCODER_APP_DB_URL", url)
    import_paths([shared_codebooks_dir / "hcpcs-2024q3" / "HCPC2024_JUL_ANWEB.csv"],
                 engine_for(url))
    # J1100 is ICD-10-CM J11.00 and HCPCS J1100: the first is shown, the other named
    assert main(["code", "show", "J1100"]) == 0
    out = capsys.readouterr().out
    assert "J11.00" in out and "Also HCPCS Level II J1100: add --system hcpcs" in out
    assert main(["code", "show", "J1100", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["also_in"] == ["hcpcs"]
    assert main(["code", "show", "J1100", "--system", "hcpcs", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["system"] == "hcpcs" and shown["also_in"] == ["icd10cm"]


def test_no_window_installed_says_how_to_install_it(monkeypatch, capsys):
    import importlib

    real = importlib.import_module

    def without_ui(name, *a, **kw):
        if name == "ui.app":
            raise ModuleNotFoundError("No module named 'PySide6'")
        return real(name, *a, **kw)

    monkeypatch.setattr(importlib, "import_module", without_ui)
    assert main([]) == 2
    assert "pip install -e '.[gui]'" in capsys.readouterr().err


def test_a_date_past_the_newest_release_is_said_once(mini_db, capsys):
    assert main(["code", "show", "A00.0", "--date", "2032-06-01", "--json"]) == 0
    captured = capsys.readouterr()
    shown = json.loads(captured.out)
    assert "after the newest loaded release" in shown["caveat"]
    assert "after the newest" not in shown["validity"]  # not repeated in the code's own line
    notes = [line for line in captured.err.splitlines() if line.startswith("note:")]
    assert len(notes) == 1 and "encoder-app import" in notes[0]
    assert main(["code", "show", "A00.0", "--date", "2031-03-01"]) == 0  # covered: no note
    assert "note:" not in capsys.readouterr().err
