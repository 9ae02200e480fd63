"""code_detail and list_codes: validity for a date, reasons, parents, inherited notes, 7th chars."""

import datetime as dt

import pytest

from encoder_app.codebook.lookup import code_detail, code_titles, list_codes
from encoder_app.errors import NoRelease, UnknownCode
from encoder_app.importers import import_paths

IN_2031 = dt.date(2031, 3, 1)
IN_2032 = dt.date(2031, 11, 1)


@pytest.fixture
def two_releases(engine, fixtures):
    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml",
                  fixtures / "tabular" / "tabular_mini_2032.xml"], engine)
    return engine


def test_billable_code_is_valid_with_its_release_named(two_releases):
    d = code_detail(two_releases, "a00.0", date_of_service=IN_2031)
    assert (d.code, d.billable, d.valid) == ("A00.0", True, True)
    assert "FY2031" in d.release


def test_parents_run_from_chapter_to_category(two_releases):
    d = code_detail(two_releases, "A00.0", date_of_service=IN_2031)
    assert [p.code for p in d.parents] == ["Chapter 1", "A00-A00", "A00"]


def test_notes_include_those_inherited_from_category_and_chapter(two_releases):
    d = code_detail(two_releases, "A00.0", date_of_service=IN_2031)
    seen = {(n.kind, n.at) for n in d.notes}
    assert ("excludes1", "A00.0") in seen
    assert ("inclusion_term", "A00.0") in seen
    assert ("includes", "A00") in seen
    assert ("use_additional_code", "A00") in seen
    assert ("excludes2", "Chapter 1") in seen
    # the code's own notes come before inherited ones
    assert d.notes[0].at == "A00.0"


def test_header_is_not_valid_and_says_it_needs_more_characters(two_releases):
    d = code_detail(two_releases, "A00", date_of_service=IN_2031)
    assert not d.billable and not d.valid
    assert "needs more characters" in d.validity
    assert [c.code for c in d.children] == ["A00.0", "A00.1"]


def test_code_needing_a_7th_character_lists_the_choices(two_releases):
    d = code_detail(two_releases, "W54.0", date_of_service=IN_2031)
    assert not d.valid
    assert "7th character" in d.validity and "W54.0XXA" in d.validity
    assert d.seventh_characters == [("A", "initial encounter"), ("S", "sequela")]


def test_expanded_code_has_7th_character_title_and_is_valid(two_releases):
    d = code_detail(two_releases, "W54.0XXA", date_of_service=IN_2031)
    assert d.valid and d.title == "Bitten by dog, initial encounter"
    assert d.parents[-1].code == "W54.0"


def test_code_added_in_a_later_release_is_not_yet_effective(two_releases):
    d = code_detail(two_releases, "A00.2", date_of_service=IN_2031)
    assert not d.valid
    assert "not yet effective" in d.validity and "2031-10-01" in d.validity
    assert code_detail(two_releases, "A00.2", date_of_service=IN_2032).valid


def test_code_dropped_by_a_later_release_is_deleted(two_releases):
    assert code_detail(two_releases, "A00.1", date_of_service=IN_2031).valid
    d = code_detail(two_releases, "A00.1", date_of_service=IN_2032)
    assert not d.valid and d.validity.startswith("deleted")


def test_date_before_every_release_is_answered_with_a_caveat(two_releases):
    d = code_detail(two_releases, "A00.0", date_of_service=dt.date(2020, 1, 1))
    assert d.valid and "before the earliest loaded release" in d.caveat
    assert "before the earliest" not in d.validity  # said once by the caller, not per code


def test_unknown_code_raises_and_suggests_placeholder_x(two_releases):
    with pytest.raises(UnknownCode, match="W54.0XXA"):
        code_detail(two_releases, "W54.0A", date_of_service=IN_2031)
    with pytest.raises(UnknownCode, match="Q99.9"):
        code_detail(two_releases, "Q99.9", date_of_service=IN_2031)


def test_no_release_loaded_is_a_clear_error(engine):
    with pytest.raises(NoRelease, match="import"):
        code_detail(engine, "E11.9", system="icd10cm")


def test_block_named_like_its_category_resolves_to_the_category(two_releases):
    d = code_detail(two_releases, "B20", date_of_service=IN_2031)
    assert d.level == "category" and d.valid


def test_list_codes_follows_the_release_in_effect(two_releases):
    codes_2031 = list_codes(two_releases, "icd10cm", billable_only=True, date_of_service=IN_2031)
    codes_2032 = list_codes(two_releases, "icd10cm", billable_only=True, date_of_service=IN_2032)
    assert "A00.1" in codes_2031 and "A00.1" not in codes_2032
    assert "A00.2" in codes_2032
    assert "W54.0" not in codes_2031 and "W54.0XXA" in codes_2031
    everything = list_codes(two_releases, "icd10cm", date_of_service=IN_2031)
    assert "W54.0" in everything and "A00-A00" not in everything


def test_fy2026_e11_9_shows_inherited_use_additional_code(fy2026_engine):
    d = code_detail(fy2026_engine, "E11.9", date_of_service=dt.date(2026, 5, 1))
    assert d.valid
    assert any(n.kind == "use_additional_code" and "Z79.4" in n.text and n.at == "E11"
               for n in d.notes)
    assert [p.code for p in d.parents] == ["Chapter 4", "E08-E13", "E11"]


def test_fy2026_s72_001_needs_a_7th_character(fy2026_engine):
    d = code_detail(fy2026_engine, "S72.001", date_of_service=dt.date(2026, 5, 1))
    assert not d.valid and "7th character" in d.validity
    assert ("A", "initial encounter for closed fracture") in d.seventh_characters
    assert code_detail(fy2026_engine, "S72.001A", date_of_service=dt.date(2026, 5, 1)).valid


def seventh_codes(engine, code) -> list[str]:
    return [c.code for c in code_detail(engine, code, date_of_service=dt.date(2026, 5, 1))
            .seventh_choices]


def test_a_header_short_of_its_6th_character_offers_no_7th_character(fy2026_engine):
    # S72.30's codes are S72.301A, S72.302A, ...: a 7th character straight after S72.30 (or
    # S72) would make S72.30XA, which is not a code.
    assert seventh_codes(fy2026_engine, "S72.30") == []
    assert seventh_codes(fy2026_engine, "S72") == []
    assert seventh_codes(fy2026_engine, "E11.9") == []


def test_7th_characters_complete_the_codes_the_codebook_has(fy2026_engine):
    s72_001 = seventh_codes(fy2026_engine, "S72.001")
    assert s72_001[:3] == ["S72.001A", "S72.001B", "S72.001C"] and len(s72_001) == 16
    assert seventh_codes(fy2026_engine, "S72.301")[0] == "S72.301A"
    assert seventh_codes(fy2026_engine, "W11") == ["W11.XXXA", "W11.XXXD", "W11.XXXS"]
    assert seventh_codes(fy2026_engine, "T15.01")[0] == "T15.01XA"
    # a full code offers its siblings, with the meaning its category gives each character
    d = code_detail(fy2026_engine, "S72.001D", date_of_service=dt.date(2026, 5, 1))
    assert [c.code for c in d.seventh_choices] == s72_001
    assert d.seventh_choices[0].meaning == "initial encounter for closed fracture"


def test_code_titles_names_each_code_of_the_release_in_effect(two_releases):
    assert code_titles(two_releases, ["A00.1", "w540xxa", "Q99.9"], "icd10cm", IN_2031) == {
        "A00.1": code_detail(two_releases, "A00.1", date_of_service=IN_2031).title,
        "w540xxa": "Bitten by dog, initial encounter"}
    assert "A00.1" not in code_titles(two_releases, ["A00.1"], "icd10cm", IN_2032)  # deleted
    assert code_titles(two_releases, ["59"], "hcpcs_modifier", IN_2031) == {}  # none loaded
