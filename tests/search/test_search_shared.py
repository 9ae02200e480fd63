"""Search over the real HCPCS and ICD-10-PCS files: supply and procedure words reach codes."""


import pytest

from encoder_app.search.synonyms import code_system, load_synonyms

pytestmark = pytest.mark.shared_data


@pytest.fixture(scope="module")
def full_search(build_search, shared_codebooks_dir):
    return build_search("full-search",
                        [shared_codebooks_dir / "hcpcs-2024q3" / "HCPC2024_JUL_ANWEB.csv",
                         shared_codebooks_dir / "icd10pcs-2023" / "icd10pcs_tables_2023.xml",
                         shared_codebooks_dir / "icd10cm-2025" / "icd10cm_index_2025.xml"])


@pytest.mark.parametrize("system", ["hcpcs", "icd10pcs"])
def test_synonym_entries_reach_their_supply_and_procedure_codes(full_search, system):
    entries = [s for s in load_synonyms().entries
               if s.codes and {code_system(c) for c in s.codes} == {system}]
    assert len(entries) > 30
    top5, misses = 0, []
    for entry in entries:
        found = [h.code for h in full_search.search(entry.term, systems=(system,), limit=20)]
        if set(entry.codes) & set(found[:5]):
            top5 += 1
        if not set(entry.codes) & set(found):
            misses.append(f"{entry.term} -> {entry.codes}, first {found[:3]}")
    assert len(misses) <= max(2, len(entries) * 0.05), misses
    assert top5 >= len(entries) * 0.8, (top5, len(entries))


def test_index_paths_are_searchable_and_say_so(full_search):
    hits = full_search.search("abasia", systems=("icd10cm",), limit=3)
    assert hits[0].code == "F44.4"
    assert hits[0].matched.startswith("Alphabetic Index: Abasia")


def test_procedure_and_supply_words(full_search):
    assert "0DTJ4ZZ" in [h.code for h in full_search.search("laparoscopic appendectomy",
                                                            systems=("icd10pcs",), limit=5)]
    assert "K0001" in [h.code for h in full_search.search("standard wheelchair", limit=5)]


def test_abbreviation_reaches_the_code_and_says_synonym(full_search):
    hits = full_search.search("htn", systems=("icd10cm",), limit=5)
    assert hits[0].code == "I10"
    assert "synonym: htn" in hits[0].matched
