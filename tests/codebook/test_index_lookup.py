"""Looking terms up in the Alphabetic Index, its tables and the PCS Index, as a coder would."""

import datetime as dt

import pytest

from encoder_app.codebook.db import engine_for
from encoder_app.codebook.index_lookup import (
    IndexEntry,
    available_books,
    index_children,
    index_main_terms,
    look_up_index,
)
from encoder_app.errors import NoRelease
from encoder_app.importers import import_paths

MINI = ["icd10cm_index_mini_2031.xml", "icd10cm_eindex_mini_2031.xml",
        "icd10cm_neoplasm_mini_2031.xml", "icd10cm_drug_mini_2031.xml",
        "icd10pcs_index_mini_2031.xml"]


@pytest.fixture
def books(engine, fixtures):
    import_paths([fixtures / "index" / name for name in MINI], engine)
    return engine


def _lines(entries: list[IndexEntry]) -> list[tuple[str, str | None]]:
    return [(" > ".join(e.path), e.code) for e in entries]


def test_main_term_then_subterm_words(books):
    found = _lines(look_up_index(books, "fracture femur"))
    assert ("Fracture, traumatic > femur, femoral", "S72.9-") in found
    assert ("Fracture, pathological > femur", "M84.45-") in found
    assert ("Fracture, traumatic > humerus", "S42.30-") not in found
    # comma-separated as printed in the book, and in any case, reach the same entries
    assert _lines(look_up_index(books, "FRACTURE, Femur")) == found


def test_more_words_go_deeper_and_results_keep_book_order(books):
    found = look_up_index(books, "fracture femur neck")
    assert _lines(found)[:3] == [
        ("Fracture, traumatic > femur, femoral > neck", None),
        ("Fracture, traumatic > femur, femoral > upper end > neck", "S72.00-"),
        ("Fracture, traumatic > femur, femoral > upper end > neck > base", "S72.04-")]
    assert [e.depth for e in found[:3]] == [0, 0, 1]
    assert found[0].see == "Fracture, femur, upper end, neck"
    assert found[2].nemod == "(displaced)"


def test_a_main_term_alone_gives_its_code_and_nemod(books):
    [abasia] = look_up_index(books, "Abasia")
    assert (abasia.code, abasia.nemod, abasia.level) == ("F44.4", "(-astasia) (hysterical)", 0)
    assert abasia.display == "Abasia (-astasia) (hysterical)"
    assert abasia.release == "ICD-10-CM FY2031 Index to Diseases and Injuries"


def test_see_and_see_also(books):
    [abandonment] = look_up_index(books, "abandonment")
    assert (abandonment.see, abandonment.code) == ("Maltreatment", None)
    abdomen = look_up_index(books, "abdomen")
    assert abdomen[0].see_also == "condition" and abdomen[0].has_children
    assert _lines(abdomen[1:]) == [("Abdomen, abdominal > acute", "R10.0")]


def test_manifestation_code_and_words_in_nemods(books):
    [heart] = look_up_index(books, "amyloidosis heart")
    assert (heart.code, heart.manif) == ("E85.4", "I43")
    # a nonessential modifier counts as a word of the path
    [abasia] = look_up_index(books, "abasia hysterical")
    assert abasia.code == "F44.4"


def test_words_typed_out_of_order_or_half_typed(books):
    acute = [("Abdomen, abdominal > acute", "R10.0")]
    assert _lines(look_up_index(books, "acute abdomen")) == acute
    assert look_up_index(books, "abas")[0].code == "F44.4"
    assert ("Fracture, traumatic > femur, femoral", "S72.9-") in _lines(
        look_up_index(books, "fract fem"))
    assert ("Fracture, traumatic > femur, femoral", "S72.9-") in _lines(
        look_up_index(books, "fracture of femur"))
    assert look_up_index(books, "zebra") == []
    assert look_up_index(books, "  ") == []


def test_limit_keeps_the_terms_reached_before_their_subterms(books):
    found = look_up_index(books, "fracture femur", limit=2)
    assert _lines(found) == [("Fracture, pathological > femur", "M84.45-"),
                             ("Fracture, traumatic > femur, femoral", "S72.9-")]


def test_neoplasm_table_is_entered_by_site_and_gives_cells_by_heading(books):
    found = look_up_index(books, "lung", books=("neoplasm",))
    assert [e.path[-1] for e in found] == ["hilus of lung", "lung", "carina"]
    lung = found[1]
    assert lung.cell_map["Malignant Primary"] == "C34.9-"
    assert lung.cell_map["Malignant Secondary"] == "C78.0-"
    assert lung.see_also == "Neoplasm, bronchus"
    assert look_up_index(books, "neoplasm lung", books=("neoplasm",)) == found
    [skin] = look_up_index(books, "skin basal cell", books=("neoplasm",))
    assert skin.cell_map == {"Malignant Primary": "C44.91", "Malignant Secondary": "-",
                             "Ca in situ": "-"}


def test_drug_table_and_external_cause_index(books):
    [aspirin] = look_up_index(books, "aspirin", books=("drug",))
    assert aspirin.nemod == "(aluminum) (soluble)"
    assert aspirin.cell_map["Adverse effect"] == "T39.015"
    [ladder] = look_up_index(books, "fall ladder", books=("eindex",))
    assert (ladder.path, ladder.code) == (("Fall, falling", "from, off, out of", "ladder"), "W11")
    [lightning] = look_up_index(books, "exposure lightning", books=("eindex",))
    assert lightning.subcat == "T75.0"


def test_several_books_answer_in_the_order_asked(books):
    found = look_up_index(books, "acid", books=("index", "drug"))
    assert [e.book for e in found] == ["drug"]
    found = look_up_index(books, "accident", books=("index", "eindex", "neoplasm", "drug"))
    assert {e.book for e in found} == {"eindex"}


def test_pcs_index(books):
    found = look_up_index(books, "abdominoplasty", system="icd10pcs")
    assert [(e.level, e.see, e.codes) for e in found] == [
        (0, None, None), (1, "Alteration, Abdominal Wall", "0W0F"),
        (1, "Repair, Abdominal Wall", "0WQF")]
    [vacuum] = look_up_index(books, "abortion vacuum", system="icd10pcs")
    assert vacuum.code == "10A07Z6"
    [activa] = look_up_index(books, "activa", system="icd10pcs")
    assert (activa.use, activa.tab) == ("Stimulator Generator, Multiple Array in", "0JH")


def test_json_has_the_fields_a_screen_needs(books):
    [abasia] = look_up_index(books, "abasia")
    shown = abasia.to_json()
    assert {"path", "code", "see", "see_also", "book", "nemod", "manif", "cells"} <= shown.keys()
    assert shown["path"] == ["Abasia"] and shown["cells"] == {}
    [aspirin] = look_up_index(books, "aspirin", books=("drug",))
    assert aspirin.to_json()["cells"]["Underdosing"] == "T39.016"


def test_release_in_effect_for_the_date_of_service(engine, fixtures):
    import_paths([fixtures / "index" / "icd10cm_index_mini_2031.xml",
                  fixtures / "index" / "icd10cm_index_mini_2032.xml"], engine)

    def trembling(date):
        return [e.code for e in look_up_index(engine, "abasia trembling", date=date)]

    assert trembling(None) == ["F44.41"]  # newest
    assert trembling(dt.date(2031, 12, 1)) == ["F44.41"]
    assert trembling(dt.date(2031, 3, 1)) == []  # FY2031 had no such subterm
    assert trembling(dt.date(2020, 1, 1)) == []  # before any release: the earliest
    assert look_up_index(engine, "abasia", date=dt.date(2031, 3, 1))[0].release.startswith(
        "ICD-10-CM FY2031")


def test_a_book_not_loaded_says_which_file_to_import(engine, fixtures):
    with pytest.raises(NoRelease, match=r"No ICD-10-CM Alphabetic Index is loaded: import "
                                        r"icd10cm_index_YYYY\.xml with `encoder-app import`"):
        look_up_index(engine, "abasia")
    import_paths([fixtures / "index" / "icd10cm_index_mini_2031.xml"], engine)
    with pytest.raises(NoRelease, match="Table of Neoplasms"):
        look_up_index(engine, "lung", books=("index", "neoplasm"))
    assert available_books(engine, ("index", "neoplasm")) == ["index"]
    with pytest.raises(NoRelease, match="ICD-10-PCS Index .*icd10pcs_index_YYYY.xml"):
        look_up_index(engine, "abortion", system="icd10pcs")


def test_browsing_main_terms_and_children(books):
    mains = index_main_terms(books, "fracture")
    assert [m.display for m in mains] == ["Fracture, burst", "Fracture, pathological (pathologic)",
                                          "Fracture, traumatic (abduction) (adduction)"]
    traumatic = mains[2]
    children = index_children(books, traumatic.term_id)
    assert [(c.path[-1], c.code, c.has_children) for c in children] == [
        ("femur, femoral", "S72.9-", True), ("humerus", "S42.30-", False)]
    assert index_children(books, children[1].term_id) == []
    assert index_children(books, 10**9) == []
    neo = index_main_terms(books, book="neoplasm")
    assert neo[0].cell_map["Benign"] == "D36.9"


@pytest.fixture(scope="module")
def _real_db(tmp_path_factory):
    return {"folder": tmp_path_factory.mktemp("index")}


@pytest.fixture
def real_books(shared_codebooks, _real_db):
    """All four 2025 ICD-10-CM books and the 2023 PCS Index, imported once per module."""
    if "engine" not in _real_db:
        engine = engine_for(f"sqlite:///{_real_db['folder'] / 'real.sqlite3'}")
        cm = shared_codebooks / "icd10cm-2025"
        import_paths([cm / f"icd10cm_{b}_2025.xml" for b in ("index", "eindex", "neoplasm", "drug")]
                     + [shared_codebooks / "icd10pcs-2023" / "icd10pcs_index_2023.xml"], engine)
        _real_db["engine"] = engine
    return _real_db["engine"]


@pytest.mark.shared_data
def test_real_index_lookups(real_books):
    femur = _lines(look_up_index(real_books, "fracture femur"))
    assert ("Fracture, traumatic > femur, femoral", "S72.9-") in femur
    [abasia] = look_up_index(real_books, "Abasia")
    assert (abasia.code, abasia.nemod) == ("F44.4", "(-astasia) (hysterical)")
    [abandonment] = look_up_index(real_books, "Abandonment")
    assert abandonment.see == "Maltreatment"
    assert ("Fracture, traumatic > femur, femoral > upper end > neck", "S72.00-") in _lines(
        look_up_index(real_books, "fracture femur neck"))


@pytest.mark.shared_data
def test_real_tables_and_pcs(real_books):
    lung = [e for e in look_up_index(real_books, "lung", books=("neoplasm",))
            if e.path == ("Neoplasm, neoplastic", "lung")]
    assert lung[0].cell_map["Malignant Primary"] == "C34.9-"
    assert lung[0].cell_map["Benign"] == "D14.3-"
    [aspirin] = look_up_index(real_books, "aspirin", books=("drug",))
    assert aspirin.cell_map["Poisoning Accidental (unintentional)"] == "T39.011"
    [ladder] = look_up_index(real_books, "fall from ladder", books=("eindex",))
    assert ladder.code == "W11"
    [vacuum] = look_up_index(real_books, "abortion vacuum", system="icd10pcs")
    assert vacuum.code == "10A07Z6"
