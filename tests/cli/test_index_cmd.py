"""`encoder-app index TERM`: what a coder sees in the terminal, as text and as JSON."""

import json

import pytest

from encoder_app.cli.main import main
from encoder_app.codebook.db import engine_for
from encoder_app.importers import import_paths

BOOKS = ["icd10cm_index_mini_2031.xml", "icd10cm_eindex_mini_2031.xml",
         "icd10cm_neoplasm_mini_2031.xml", "icd10cm_drug_mini_2031.xml",
         "icd10pcs_index_mini_2031.xml"]


@pytest.fixture
def empty_db(tmp_path, monkeypatch, fixtures):
    """A database with only a tiny Tabular List, so the command builds no default codebook.

    Seeded through the importer rather than `encoder-app import`, which would build the
    default codebook first.
    """
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setenv("ENCODER_APP_DB_URL", url)
    engine = engine_for(url)
    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine)
    return engine


@pytest.fixture
def index_db(empty_db, fixtures):
    import_paths([fixtures / "index" / name for name in BOOKS], empty_db)
    return empty_db


def test_prints_the_path_down_to_the_code(index_db, capsys):
    assert main(["index", "fracture", "femur", "neck"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "ICD-10-CM FY2031 Index to Diseases and Injuries:"
    femur = "Fracture, traumatic > femur, femoral"
    assert f"  {femur} > neck  see: Fracture, femur, upper end, neck" in out
    assert f"  {femur} > upper end > neck  S72.00-" in out
    # subterms of a term the words reached are indented one step further
    assert f"    {femur} > upper end > neck > base (displaced)  S72.04-" in out


def test_nemod_code_and_manifestation(index_db, capsys):
    assert main(["index", "Abasia"]) == 0
    assert "  Abasia (-astasia) (hysterical)  F44.4" in capsys.readouterr().out
    assert main(["index", "amyloidosis", "heart"]) == 0
    assert "  Amyloidosis > heart  E85.4 [I43]" in capsys.readouterr().out


def test_json_lists_entries(index_db, capsys):
    assert main(["index", "Abandonment", "--json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert entry["path"] == ["Abandonment"] and entry["see"] == "Maltreatment"
    assert entry["code"] is None and entry["book"] == "index"
    assert {"see_also", "nemod", "manif", "cells"} <= entry.keys()


def test_tables_show_their_cells_under_the_headings(index_db, capsys):
    assert main(["index", "lung", "--neoplasm", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    lung = next(e for e in entries if e["path"] == ["Neoplasm, neoplastic", "lung"])
    assert lung["cells"]["Malignant Primary"] == "C34.9-"
    assert main(["index", "aspirin", "--drug"]) == 0
    out = capsys.readouterr().out
    assert "ICD-10-CM FY2031 Table of Drugs and Chemicals:" in out
    assert "Adverse effect: T39.015" in out


def test_external_cause_index_and_all_books(index_db, capsys):
    assert main(["index", "fall", "ladder"]) == 1  # not in the disease index
    out = capsys.readouterr().out
    assert "No entry for 'fall ladder' in the ICD-10-CM Alphabetic Index." in out
    assert main(["index", "fall", "ladder", "--external"]) == 0
    assert "  Fall, falling > from, off, out of > ladder  W11" in capsys.readouterr().out
    assert main(["index", "lightning", "--all", "--json"]) == 0
    [entry] = json.loads(capsys.readouterr().out)
    assert (entry["book"], entry["subcat"]) == ("eindex", "T75.0")


def test_pcs_index(index_db, capsys):
    assert main(["index", "abdominoplasty", "--pcs"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("ICD-10-PCS FY2031 Index:\n  Abdominoplasty\n")
    assert "    Abdominoplasty  0W0F (table row)  see: Alteration, Abdominal Wall" in out


def test_limit_and_date(index_db, fixtures, capsys):
    assert main(["index", "fracture", "--limit", "1", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    assert main(["import", str(fixtures / "index" / "icd10cm_index_mini_2032.xml")]) == 0
    capsys.readouterr()
    assert main(["index", "abasia", "trembling"]) == 0
    assert "FY2032" in capsys.readouterr().out
    assert main(["index", "abasia", "trembling", "--date", "2031-01-15"]) == 1


def test_no_index_loaded_says_which_file_to_import(empty_db, capsys):
    assert main(["index", "abasia"]) == 1
    err = capsys.readouterr().err
    assert ("No ICD-10-CM Alphabetic Index is loaded: import icd10cm_index_YYYY.xml with "
            "`encoder-app import`") in err


def test_missing_table_is_noted_while_the_index_is_searched(empty_db, fixtures, capsys):
    assert main(["import", str(fixtures / "index" / "icd10cm_index_mini_2031.xml")]) == 0
    capsys.readouterr()
    assert main(["index", "abasia", "--all"]) == 0
    captured = capsys.readouterr()
    assert "F44.4" in captured.out
    assert "No ICD-10-CM Table of Neoplasms is loaded" in captured.err


def test_on_a_terminal_a_long_entry_wraps_within_the_width(index_db, capsys, monkeypatch):
    import io
    import sys

    class Terminal(io.StringIO):
        encoding = "utf-8"

        def isatty(self):
            return True

    assert main(["index", "fracture", "femur", "neck"]) == 0
    piped = capsys.readouterr().out
    assert max(len(line) for line in piped.splitlines()) > 50
    out = Terminal()
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setenv("COLUMNS", "50")
    assert main(["index", "fracture", "femur", "neck"]) == 0
    lines = out.getvalue().splitlines()
    assert all(len(line) <= 50 for line in lines), lines
    assert " ".join(out.getvalue().split()) == " ".join(piped.split())
    # a continuation sits deeper than the entry it continues
    at = next(i for i, line in enumerate(lines) if line.startswith("  Fracture, traumatic"))
    assert lines[at + 1].startswith("      ")
