"""Search finds codes the way coders type: words in any order, partial words, typos, code
prefixes; billable codes first; dates respected; a stale index is rebuilt."""

import datetime as dt

import pytest

from encoder_app.codebook.db import engine_for
from encoder_app.importers import import_paths
from encoder_app.search import open_search_engine


def codes(hits):
    return [h.code for h in hits]


def test_words_in_any_order_find_the_code(search):
    assert "R07.9" in codes(search.search("pain chest", limit=5))
    assert "R07.9" in codes(search.search("chest pain", limit=5))


def test_partial_last_word_finds_while_typing(search):
    assert "R07.9" in codes(search.search("chest pa", limit=5))
    top = search.search("fract fem", limit=5)
    assert top and all(h.code.startswith(("S72", "M84")) for h in top)


def test_misspelled_word_is_corrected_and_says_so(search):
    hits = search.search("pnuemonia", limit=5)
    assert "J18.9" in codes(hits)
    assert "spelling: pnuemonia = pneumonia" in hits[0].matched


def test_code_and_code_prefix_queries_are_answered_from_the_codebook(search):
    for query in ("E11.6", "e116", "E116"):
        hits = search.search(query, limit=5)
        assert hits[0].code == "E11.6" and hits[0].matched == "code"
        assert all(h.code.startswith("E11.6") for h in hits)
    hits = search.search("S72.001", limit=5)
    assert codes(hits)[:2] == ["S72.001", "S72.001A"]


def test_billable_specific_code_comes_before_headers(search):
    hits = search.search("type 2 diabetes mellitus with diabetic neuropathy", limit=5)
    assert hits[0].billable
    assert hits[0].code == "E11.40"


def test_billable_flag_leaves_headers_out(search):
    # Words: "kidney complications" finds the header E11.2, whose children are all billable:
    # its row leads on to the child the query implies, with the others as its variants
    # (search/seventh.py). The flag keeps exactly the billable rows, in the same order.
    everything = search.search("kidney complications", limit=20)
    led_on = [h for h in everything if h.header == "E11.2"]
    assert len(led_on) == 1 and led_on[0].billable and led_on[0].code in led_on[0].variants
    assert "E11.2" not in codes(everything)
    billable = search.search("kidney complications", limit=20, billable_only=True)
    assert codes(billable) == [h.code for h in everything if h.billable]
    # The three completions of T81.592 are one row: the initial encounter, the default, with
    # the others as its variants.
    row = billable[codes(billable).index("T81.592A")]
    assert row.variants == ("T81.592A", "T81.592D", "T81.592S") and row.header == "T81.592"
    # A code prefix: E11 and its 4-character headers come first without the flag; with it the
    # limit is filled with billable E11 codes only.
    assert codes(search.search("E11", limit=10))[:2] == ["E11", "E11.0"]
    billable = search.search("E11", limit=10, billable_only=True)
    assert len(billable) == 10
    assert all(h.billable and h.code.startswith("E11") for h in billable)
    assert {"E11.9", "E11.21"} <= set(codes(billable))


def test_systems_filter(search):
    # "test" matches the five HCPCS fixture codes and ICD-10-CM testis codes.
    everything = search.search("test", limit=20)
    assert {h.system for h in everything} == {"hcpcs", "icd10cm"}
    hcpcs = search.search("test", systems=("hcpcs",), limit=20)
    assert {(h.system, h.code) for h in hcpcs} == {
        ("hcpcs", c) for c in ("A0001", "A0002", "E0001", "G0001", "J0001")}
    icd = search.search("test", systems=("icd10cm",), limit=20)
    assert len(icd) == 20 and {h.system for h in icd} == {"icd10cm"}
    assert "N44.00" in codes(icd)


def test_codes_invalid_on_the_date_are_marked_and_sink(search):
    # fixture HCPCS A0002 "Test transport beta" was terminated 2020-12-31
    before = search.search("test transport", systems=("hcpcs",), date=dt.date(2020, 6, 1))
    after = search.search("test transport", systems=("hcpcs",), date=dt.date(2024, 8, 1))
    assert {h.code: h.valid for h in before} == {"A0001": True, "A0002": True}
    assert [(h.code, h.valid) for h in after] == [("A0001", True), ("A0002", False)]
    # a terminated code says so, with the day: not only "not valid"
    assert [h.terminated for h in before] == ["", ""]
    assert after[1].terminated == "2020-12-31" == after[1].to_json()["terminated"]
    billable_after = search.search("test transport beta", systems=("hcpcs",),
                                   date=dt.date(2024, 8, 1), billable_only=True)
    assert "A0002" not in codes(billable_after)


def test_matched_names_the_source_of_the_match(search):
    hits = search.search("abasia", limit=3)
    assert hits == [] or hits[0].matched  # the FY2026 default has no index; titles only
    assert search.search("chest pain", limit=1)[0].matched == "title"


def test_empty_or_punctuation_query_finds_nothing(search):
    assert search.search("   ") == []
    assert search.search("??") == []


def test_missing_or_stale_index_is_detected_and_rebuilt(tmp_path, fixtures):
    engine = engine_for(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine)
    search = open_search_engine(engine, tmp_path / "index")
    assert not search.is_current()
    for _ in search.rebuild():
        pass
    assert search.is_current()
    assert "A00.2" not in codes(search.search("cholera new", limit=5))
    import_paths([fixtures / "tabular" / "tabular_mini_2032.xml"], engine)
    assert not search.is_current()
    for _ in search.ensure_current():
        pass
    assert search.is_current()
    assert "A00.2" in codes(search.search("cholera new", limit=5))


@pytest.mark.parametrize("query", ["f", "fr", "fra", "frac", "fract", "fractu", "fracture f"])
def test_every_keystroke_is_a_query(search, query):
    assert isinstance(search.search(query, limit=20), list)


def test_synonym_entries_reach_their_icd10cm_codes(search):
    """Each shipped synonym typed alone, searched in its code system, should list one of the
    codes it names; a few broad terms may miss, most must hit near the top."""
    from encoder_app.search.synonyms import code_system, load_synonyms

    entries = [s for s in load_synonyms().entries
               if s.codes and all(code_system(c) == "icd10cm" for c in s.codes)]
    assert len(entries) > 300
    top5, misses = 0, []
    for entry in entries:
        found = codes(search.search(entry.term, systems=("icd10cm",), limit=20))
        if set(entry.codes) & set(found[:5]):
            top5 += 1
        if not set(entry.codes) & set(found):
            misses.append(f"{entry.term} -> {entry.codes}, first {found[:3]}")
    assert len(misses) <= len(entries) * 0.02, misses
    assert top5 >= len(entries) * 0.9, (top5, len(entries))


def test_a_typed_code_is_judged_on_today_when_no_date_is_given(search):
    # the fixture's A0002 ended 2020-12-31: typed as a code, it says so without a date
    [hit] = search.search("A0002", systems=("hcpcs",), limit=1)
    assert hit.valid is False and hit.terminated == "2020-12-31"
    # and a code prefix keeps the book's order, the header first
    assert [h.code for h in search.search("E11.6", limit=3)][0] == "E11.6"
