"""Browsing the codebooks a level at a time: Tabular trees of every system, index books, tables."""

import datetime as dt
import re
import time

import pytest

from encoder_app.codebook.browse import (
    BrowseNode,
    browsable_books,
    browsable_systems,
    find_code_id,
    group_id,
    index_nodes,
    index_path,
    main_term_position,
    see_target,
    table_headings,
    table_rows,
    tabular_children,
    tabular_path,
)
from encoder_app.errors import NoRelease
from encoder_app.importers import import_paths

INDEX_BOOKS = ["icd10cm_index_mini_2031.xml", "icd10cm_eindex_mini_2031.xml",
               "icd10cm_neoplasm_mini_2031.xml", "icd10cm_drug_mini_2031.xml",
               "icd10pcs_index_mini_2031.xml"]


@pytest.fixture
def books(engine, fixtures):
    import_paths([fixtures / "index" / name for name in INDEX_BOOKS], engine)
    return engine


@pytest.fixture
def other_systems(engine, fixtures):
    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml",
                  fixtures / "tabular" / "tabular_mini_2032.xml",
                  fixtures / "pcs" / "icd10pcs_tables_fixture.xml",
                  fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv",
                  fixtures / "hcpcs" / "level2_modifiers.csv"], engine)
    return engine


def _codes(nodes: list[BrowseNode]) -> list[str]:
    return [n.code for n in nodes]


def _child(engine, system: str, parent_id: int | None, code: str) -> BrowseNode:
    return next(n for n in tabular_children(engine, system, parent_id) if n.code == code)


# ---- the Tabular List ----

def test_top_of_icd10cm_is_its_22_chapters_in_book_order(fy2026_engine):
    chapters = tabular_children(fy2026_engine, "icd10cm", None)
    assert _codes(chapters) == [f"Chapter {n}" for n in range(1, 23)]
    assert chapters[3].title.startswith("Endocrine, nutritional and metabolic diseases")
    assert all(c.level == "chapter" and c.has_children and not c.billable for c in chapters)


def test_a_chapter_holds_its_blocks_shown_as_ranges(fy2026_engine):
    chapter4 = _child(fy2026_engine, "icd10cm", None, "Chapter 4")
    blocks = tabular_children(fy2026_engine, "icd10cm", chapter4.id)
    assert _codes(blocks)[:3] == ["E00-E07", "E08-E13", "E15-E16"]
    assert all(b.level == "block" and b.has_children for b in blocks)


def test_children_know_whether_they_are_billable_and_have_children(fy2026_engine):
    e11 = tabular_children(fy2026_engine, "icd10cm",
                           find_code_id(fy2026_engine, "icd10cm", "E11"))
    by_code = {n.code: n for n in e11}
    assert _codes(e11)[:2] == ["E11.0", "E11.1"]
    assert (by_code["E11.9"].billable, by_code["E11.9"].has_children) == (True, False)
    assert (by_code["E11.6"].billable, by_code["E11.6"].has_children) == (False, True)


def test_a_header_that_needs_a_7th_character_lists_its_codes(fy2026_engine):
    header = find_code_id(fy2026_engine, "icd10cm", "S72.001")
    codes = tabular_children(fy2026_engine, "icd10cm", header)
    assert _codes(codes)[:2] == ["S72.001A", "S72.001B"]
    assert all(c.billable and not c.has_children for c in codes)


def test_path_leads_from_the_chapter_down_to_the_code(fy2026_engine):
    e119 = find_code_id(fy2026_engine, "icd10cm", "e119")
    path = tabular_path(fy2026_engine, e119)
    assert path[-1] == e119
    shown = []
    parent = None
    for node_id in path:
        node = next(n for n in tabular_children(fy2026_engine, "icd10cm", parent)
                    if n.id == node_id)
        shown.append(node.code)
        parent = node_id
    assert shown == ["Chapter 4", "E08-E13", "E11", "E11.9"]
    assert tabular_path(fy2026_engine, 10**9) == []


def test_find_code_id_reads_codes_headings_and_chapters_as_typed(other_systems):
    # the category, not the block of the same name
    b20 = find_code_id(other_systems, "icd10cm", "b20")
    chapter1 = find_code_id(other_systems, "icd10cm", "Chapter 1")
    block = _child(other_systems, "icd10cm", chapter1, "B20")
    assert block.level == "block"
    assert tabular_path(other_systems, b20) == [chapter1, block.id, b20]
    block = find_code_id(other_systems, "icd10cm", "A00-A00")
    assert _codes(tabular_children(other_systems, "icd10cm", block)) == ["A00"]
    chapter = find_code_id(other_systems, "icd10cm", "chapter 19")
    assert _codes(tabular_children(other_systems, "icd10cm", chapter)) == ["S06-S06", "W54-W54"]
    assert find_code_id(other_systems, "icd10cm", "Z99.99") is None


def test_the_date_of_service_picks_the_release_browsed(other_systems):
    def a00_codes(day):
        block = find_code_id(other_systems, "icd10cm", "A00", day)
        return _codes(tabular_children(other_systems, "icd10cm", block))
    assert a00_codes(dt.date(2031, 6, 1)) == ["A00.0", "A00.1"]
    assert a00_codes(dt.date(2032, 6, 1)) == ["A00.0", "A00.2"]
    assert a00_codes(None) == ["A00.0", "A00.2"]  # newest when no date is given
    old, new = (tabular_children(other_systems, "icd10cm", None, day)[0].id
                for day in (dt.date(2031, 6, 1), dt.date(2032, 6, 1)))
    assert old != new


def test_pcs_browses_sections_body_systems_tables_and_codes(other_systems):
    sections = tabular_children(other_systems, "icd10pcs", None)
    assert [(s.code, s.title, s.level) for s in sections] == [
        ("0", "Medical and Surgical", "section"), ("G", "Mental Health", "section")]
    systems = tabular_children(other_systems, "icd10pcs", sections[0].id)
    assert [(s.code, s.level) for s in systems] == [("00", "body_system"), ("0D", "body_system")]
    table = _child(other_systems, "icd10pcs", systems[1].id, "0DT")
    assert (table.title, table.level) == ("Resection", "table")
    codes = tabular_children(other_systems, "icd10pcs", table.id)
    assert codes[0].code == "0DTJ0ZZ" and codes[0].billable and not codes[0].has_children
    assert len(tabular_path(other_systems, codes[0].id)) == 4


def test_hcpcs_top_level_groups_codes_by_first_letter(other_systems):
    groups = tabular_children(other_systems, "hcpcs", None)
    assert [(g.id, g.code, g.level) for g in groups] == [
        (group_id("A"), "A0001-A0002", "group"), (group_id("E"), "E0001", "group"),
        (group_id("G"), "G0001", "group"), (group_id("J"), "J0001", "group")]
    assert groups[3].title == "Drugs administered other than oral method, chemotherapy drugs"
    assert all(g.id < 0 and g.has_children and not g.billable for g in groups)
    codes = tabular_children(other_systems, "hcpcs", group_id("A"))
    assert [(c.code, c.billable, c.has_children) for c in codes] == [
        ("A0001", True, False), ("A0002", True, False)]


def test_hcpcs_path_starts_at_the_codes_group(other_systems):
    j0001 = find_code_id(other_systems, "hcpcs", "j0001")
    assert tabular_path(other_systems, j0001) == [group_id("J"), j0001]


def test_cpt_groups_category_ii_and_iii_apart_from_category_i(engine, fixtures):
    import_paths([fixtures / "cpt" / "cpt2024_sample.csv"], engine)
    groups = tabular_children(engine, "cpt", None)
    assert [(g.code, g.title) for g in groups] == [
        ("99990-99991", "Medicine, evaluation and management"),
        ("0001F", "Category II: performance measurement"),
        ("0001T", "Category III: emerging technology"),
        ("0001U", "Proprietary laboratory analyses")]
    assert _codes(tabular_children(engine, "cpt", group_id("T"))) == ["0001T"]
    assert tabular_path(engine, find_code_id(engine, "cpt", "0001F"))[0] == group_id("F")


def test_modifiers_are_a_flat_list(other_systems):
    modifiers = tabular_children(other_systems, "hcpcs_modifier", None)
    assert _codes(modifiers)[:2] == ["T1", "T2"]
    assert {m.level for m in modifiers} == {"modifier"}


def test_systems_with_a_release_are_browsable_and_others_say_what_to_import(other_systems):
    assert browsable_systems(other_systems) == ["icd10cm", "icd10pcs", "hcpcs",
                                                "hcpcs_modifier"]
    with pytest.raises(NoRelease, match="CPT"):
        tabular_children(other_systems, "cpt", None)


def _timed(engine, system: str, parent_id: int | None) -> str:
    tabular_children(engine, system, parent_id)  # warm: the first call pays for the connection
    start = time.perf_counter()
    found = tabular_children(engine, system, parent_id)
    return f"{len(found)} rows in {(time.perf_counter() - start) * 1000:.2f} ms"


def test_prints_how_long_a_tabular_level_takes(fy2026_engine, capsys):
    # The time is printed, not judged: speed is never a pass/fail condition here. What is
    # asserted is that a line is printed for each level, with its row count and a time in ms.
    levels = (("22 chapters", None, 22), ("blocks of chapter 19", "Chapter 19", 24),
              ("codes of S72.001", "S72.001", 16))  # S72.001A-S: 16 seventh characters
    for label, code, _ in levels:
        parent = find_code_id(fy2026_engine, "icd10cm", code) if code else None
        print(f"{label}: {_timed(fy2026_engine, 'icd10cm', parent)}")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(levels), lines
    for line, (label, _, rows) in zip(lines, levels, strict=True):
        printed = re.fullmatch(rf"{re.escape(label)}: (\d+) rows in (\d+\.\d\d) ms", line)
        assert printed, line
        assert int(printed[1]) == rows, line
        assert float(printed[2]) >= 0
    print("\n".join(lines))  # printed again: the figures are for whoever reads the output


@pytest.mark.shared_data
def test_prints_how_long_a_thousand_hcpcs_codes_take(engine, shared_codebooks):
    import_paths([shared_codebooks / "hcpcs-2024q3" / "HCPC2024_JUL_ANWEB.csv"], engine)
    print(f"HCPCS groups: {_timed(engine, 'hcpcs', None)}")
    print(f"HCPCS J codes: {_timed(engine, 'hcpcs', group_id('J'))}")
    assert len(tabular_children(engine, "hcpcs", group_id("J"))) > 1000


# ---- the Alphabetic Index ----

def test_main_terms_come_in_book_order_with_nemods_codes_and_references(books):
    mains = index_nodes(books, "index", None)
    assert [m.title for m in mains[:5]] == [
        "Abandonment", "Abasia (-astasia) (hysterical)", "Abdomen, abdominal",
        "Abscess (connective tissue) NEC", "Amyloidosis"]
    abandonment, abasia, abdomen = mains[:3]
    assert (abandonment.see, abandonment.reference, abandonment.has_children) == (
        "Maltreatment", "see Maltreatment", False)
    assert (abasia.code, abasia.level) == ("F44.4", 0)
    assert (abdomen.see_also, abdomen.reference, abdomen.has_children) == (
        "condition", "see also condition", True)


def test_main_terms_page_by_offset_and_limit(books):
    whole = index_nodes(books, "index", None)
    pages = [index_nodes(books, "index", None, offset=start, limit=4)
             for start in range(0, len(whole) + 4, 4)]
    assert [n for page in pages for n in page] == whole
    assert pages[-1] == []


def test_subterms_of_a_term_with_their_manifestation_codes(books):
    amyloidosis = next(m for m in index_nodes(books, "index", None) if m.title == "Amyloidosis")
    [heart] = index_nodes(books, "index", amyloidosis.id)
    assert (heart.title, heart.level, heart.shown_code) == ("heart", 1, "E85.4 [I43]")
    assert index_nodes(books, "index", heart.id) == []


def test_path_and_position_let_a_tree_open_a_deep_term(books):
    mains = index_nodes(books, "index", None)
    traumatic = next(m for m in mains if m.title.startswith("Fracture, traumatic"))
    femur = index_nodes(books, "index", traumatic.id)[0]
    upper = next(n for n in index_nodes(books, "index", femur.id) if n.title == "upper end")
    neck = index_nodes(books, "index", upper.id)[0]
    assert index_path(books, neck.id) == [traumatic.id, femur.id, upper.id, neck.id]
    assert main_term_position(books, traumatic.id) == mains.index(traumatic)
    assert main_term_position(books, neck.id) is None  # not a main term


def test_a_see_reference_leads_to_the_term_it_names(books):
    neck = see_target(books, "index", "Fracture, femur, upper end, neck")
    assert index_nodes(books, "index", neck)[0].title == "base (displaced)"
    maltreatment = see_target(books, "index", "Maltreatment")
    assert index_path(books, maltreatment) == [maltreatment]
    assert see_target(books, "index", "condition") is None


def test_external_cause_index_references_to_categories(books):
    suffocation = next(m for m in index_nodes(books, "eindex", None) if m.title == "Suffocation")
    [bed_linen] = index_nodes(books, "eindex", suffocation.id)
    assert (bed_linen.seecat, bed_linen.reference) == ("T71", "see category T71")


def test_pcs_index_shows_tables_code_prefixes_and_use(books):
    mains = {m.title: m for m in index_nodes(books, "index", None, system="icd10pcs")}
    assert mains["Abdominal cavity"].reference == "use Peritoneal Cavity"
    assert (mains["Abdominohysterectomy"].shown_code,
            mains["Abdominohysterectomy"].reference) == ("0UT9", "see Resection, Uterus")
    assert mains["Activities of Daily Living Assessment"].shown_code == "F02"


def test_a_book_not_loaded_names_the_file_to_import(engine):
    with pytest.raises(NoRelease, match="icd10cm_index_YYYY.xml"):
        index_nodes(engine, "index", None)
    assert browsable_books(engine) == []


# ---- the Neoplasm and Drug tables ----

def test_neoplasm_table_rows_carry_their_cells_by_column(books):
    headings, [neoplasm] = table_rows(books, "neoplasm", None)
    assert [h.title for h in headings] == [
        "Neoplasm", "Malignant Primary", "Malignant Secondary", "Ca in situ", "Benign",
        "Uncertain Behavior", "Unspecified Behavior"]
    assert headings == table_headings(books, "neoplasm")
    assert (neoplasm.title, neoplasm.cells[2], neoplasm.has_children) == (
        "Neoplasm, neoplastic", "C80.1", True)
    _, sites = table_rows(books, "neoplasm", neoplasm.id)
    lung = next(s for s in sites if s.title == "lung")
    assert lung.cells == {2: "C34.9-", 3: "C78.0-", 4: "D02.2-", 5: "D14.3-", 6: "D38.1",
                          7: "D49.1"}
    assert (lung.level, lung.has_children, lung.reference) == (
        1, True, "see also Neoplasm, bronchus")


def test_drug_table_main_terms_page_like_the_index(books):
    headings, rows = table_rows(books, "drug", None, limit=1)
    assert headings[0].title == "Substance"
    assert [(r.title, r.cells[6]) for r in rows] == [("Acid (corrosive) NEC", "--")]
    _, rest = table_rows(books, "drug", None, offset=1)
    assert [r.title for r in rest] == ["Aspirin (aluminum) (soluble)"]
    assert browsable_books(books) == ["index", "eindex", "neoplasm", "drug"]



# ---- filtering a book by the words typed over it ----

def _titles(nodes) -> list[str]:
    return [n.title for n in nodes]


def test_a_filter_keeps_main_terms_with_a_word_starting_with_each_word_typed(books):
    assert _titles(index_nodes(books, "index", None, containing="FRACT")) == [
        "Fracture, burst", "Fracture, pathological (pathologic)",
        "Fracture, traumatic (abduction) (adduction)"]
    # a word inside the title counts, in any order; punctuation and case do not
    assert _titles(index_nodes(books, "index", None, containing="traum, fract")) == [
        "Fracture, traumatic (abduction) (adduction)"]
    assert index_nodes(books, "index", None, containing="racture") == []  # starts of words
    assert index_nodes(books, "index", None, containing="  ") == index_nodes(books, "index", None)


def test_a_filter_pages_by_offset_and_limit_like_the_whole_book(books):
    whole = index_nodes(books, "index", None, containing="a")
    pages = [index_nodes(books, "index", None, offset=start, limit=2, containing="a")
             for start in range(0, len(whole) + 2, 2)]
    assert [n for page in pages for n in page] == whole and len(whole) > 4


def test_the_neoplasm_table_filters_its_sites_the_start_of_the_title_first(books):
    # the table has one main term; a coder enters it by site
    _, sites = table_rows(books, "neoplasm", None, containing="lung")
    assert [(s.title, s.level) for s in sites] == [("lung", 1), ("hilus of lung", 1)]
    assert sites[0].cells[2] == "C34.9-"
    _, drugs = table_rows(books, "drug", None, containing="aspir")
    assert _titles(drugs) == ["Aspirin (aluminum) (soluble)"]
    assert _titles(index_nodes(books, "eindex", None, containing="fall")) == [
        "Fall, falling (accidental)"]


@pytest.mark.shared_data
def test_hyperten_reaches_the_hypertension_main_terms_of_the_full_index(engine, shared_codebooks):
    import_paths([shared_codebooks / "icd10cm-2025" / "icd10cm_index_2025.xml"], engine)
    found = index_nodes(engine, "index", None, limit=500, containing="hyperten")
    assert [n.title.split(" (")[0] for n in found] == [
        "Hypertension, hypertensive", "Hypertensive urgency", "Goldblatt's hypertension or kidney"]
    heart = _titles(index_nodes(engine, "index", None, limit=500, containing="heart"))
    assert heart[:3] == ["Heart", "Heart beat", "Heartburn"] and "Action, heart" in heart
    start = time.perf_counter()
    index_nodes(engine, "index", None, limit=500, containing="a")
    print(f"filter 'a' over 8,100 main terms: {(time.perf_counter() - start) * 1000:.1f} ms")

def test_children_are_paged_with_offset_and_limit(fy2026_engine):
    from encoder_app.codebook import browse

    chapter4 = browse.tabular_children(fy2026_engine, "icd10cm", None)[3]
    whole = browse.tabular_children(fy2026_engine, "icd10cm", chapter4.id)
    pages = [browse.tabular_children(fy2026_engine, "icd10cm", chapter4.id, None, start, 4)
             for start in range(0, len(whole), 4)]
    assert [n.code for page in pages for n in page] == [n.code for n in whole]
    assert all(len(page) == 4 for page in pages[:-1])
