"""The shipped synonym and abbreviation list (codebooks/synonyms.tsv) and its loader.

Every ICD-10-CM code in the list is checked against the bundled FY2026 codebook; HCPCS and
ICD-10-PCS codes, and the words of the expansions, against the real CMS files (shared_data).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import unicodedata
from collections import Counter

import pytest
from sqlalchemy import select

from encoder_app.codebook.db import engine_for
from encoder_app.codebook.lookup import code_detail
from encoder_app.codebook.models import Code, Note
from encoder_app.codes import HCPCS, ICD10CM, ICD10PCS
from encoder_app.errors import EncoderError, UnknownCode
from encoder_app.importers import import_paths
from encoder_app.search.synonyms import (
    NOTES,
    REWRITE_ONLY,
    SynonymFileError,
    code_system,
    load_synonyms,
    synonyms_path,
)

DAY = dt.date(2026, 5, 1)
PCS_DAY = dt.date(2023, 5, 1)  # inside the shared FY2023 PCS release
HEADER = "term\texpansions\tcodes\tnote\n"

#: Words a search ignores (as encoder_app.search.text.FILLER): an expansion needs its other words.
FILLER = frozenset("a an and as at by due for from in into of on or other the to with without "
                   "nos nec".split())
_WORD = re.compile(r"\w+")


def _words(text: str) -> list[str]:
    folded = "".join(c for c in unicodedata.normalize("NFKD", text)
                     if not unicodedata.combining(c))
    return _WORD.findall(folded.lower())


def _alternatives(entry) -> list[set[str]]:
    """Word sets any one of which finds a code: an expansion's words, or the typed word itself
    when the term is a single word (a search also matches what was typed)."""
    alts = [{w for w in _words(e) if w not in FILLER} for e in entry.expansions]
    if re.fullmatch(r"[a-z0-9]+", entry.term):
        alts.append({entry.term})
    return [a for a in alts if a]


def _found_by(entry, text: str) -> bool:
    have = set(_words(text))
    return any(alt <= have for alt in _alternatives(entry))


@pytest.fixture(scope="module")
def shipped():
    return load_synonyms()


# --- the shipped list -------------------------------------------------------------------------

def test_shipped_list_is_found_and_parses(shipped):
    assert synonyms_path().is_file()
    assert synonyms_path().name == "synonyms.tsv"
    assert len(shipped) >= 320


def test_terms_are_unique_lower_case_and_notes_known(shipped):
    terms = [e.term for e in shipped]
    assert [t for t, n in Counter(terms).items() if n > 1] == []
    assert all(t == t.lower().strip() for t in terms)
    assert {e.note for e in shipped} <= set(NOTES)


def test_every_kind_of_entry_is_well_covered(shipped):
    per_note = Counter(e.note for e in shipped)
    assert per_note["abbreviation"] >= 150, per_note
    assert per_note["lay"] >= 80, per_note
    assert per_note["connector"] + per_note["anatomy"] >= 40, per_note
    assert per_note["procedure"] + per_note["supply"] + per_note["drug-class"] >= 50, per_note
    systems = Counter(code_system(c) for e in shipped for c in e.codes)
    assert systems[ICD10CM] >= 250 and systems[HCPCS] >= 40 and systems[ICD10PCS] >= 30, systems


def test_rewrites_list_no_codes_and_searches_list_codes(shipped):
    for entry in shipped:
        assert bool(entry.codes) == (entry.note not in REWRITE_ONLY), entry


@pytest.mark.parametrize("term, expansion, code", [
    ("htn", "hypertension", "I10"),
    ("afib", "atrial fibrillation", "I48.91"),
    ("heart attack", "myocardial infarction", "I21.9"),
    ("chf", "heart failure", "I50.9"),
    ("copd", "chronic obstructive pulmonary disease", "J44.9"),
    ("uti", "urinary tract infection", "N39.0"),
    ("broken hip", "fracture of neck of femur", "S72.009A"),
    ("dm2", "type 2 diabetes mellitus", "E11.9"),
    ("pink eye", "conjunctivitis", "H10.9"),
    ("shingles", "zoster", "B02.9"),
    ("sugar", "diabetes mellitus", "E11.9"),
    ("flu shot", "administration of influenza virus vaccine", "G0008"),
    ("b12 shot", "vitamin b-12 cyanocobalamin injection", "J3420"),
    ("tka", "replacement of knee joint", "0SRC0J9"),
    ("appendectomy", "resection of appendix", "0DTJ4ZZ"),
    ("c-section", "extraction of products of conception", "10D00Z1"),
])
def test_well_known_terms(shipped, term, expansion, code):
    assert expansion in shipped.expansions_for(term)
    assert code in shipped.codes_for(term)


@pytest.mark.parametrize("term, expansion", [
    ("w", "with"), ("wo", "without"), ("w/o", "without"), ("hx", "history"), ("fx", "fracture"),
    ("exac", "exacerbation"), ("lt", "left"), ("rt", "right"), ("bilat", "bilateral"),
    ("broken", "fracture"),
])
def test_connectors(shipped, term, expansion):
    entry = shipped.get(term)
    assert entry is not None and entry.note == "connector" and entry.codes == ()
    assert expansion in entry.expansions


def test_lookups_normalise_what_was_typed(shipped):
    assert shipped.expansions_for("  HTN ") == shipped.expansions_for("htn")
    assert shipped.expansions_for("Broken   Hip") == shipped.expansions_for("broken hip")
    assert shipped.expansions_for("no such term") == ()
    assert "Pink Eye" in shipped and "no such term" not in shipped


def test_multiword_terms_longest_first(shipped):
    phrases = shipped.multiword_terms()
    assert "broken hip" in phrases and "heart attack" in phrases and "htn" not in phrases
    assert all(" " in p for p in phrases)
    sizes = [(p.count(" "), len(p)) for p in phrases]
    assert sizes == sorted(sizes, reverse=True)


def test_code_shapes():
    assert [code_system(c) for c in ("I10", "I48.91", "S72.009A", "G0008", "E0114", "0SRC0J9",
                                     "E1140")] == [ICD10CM, ICD10CM, ICD10CM, HCPCS, HCPCS,
                                                   ICD10PCS, HCPCS]
    assert [code_system(c) for c in ("I4891", "E119", "99213", "S72009A", "i10", "")] == [None] * 6


# --- codes against the code sets ----------------------------------------------------------

def test_icd10cm_codes_are_billable_in_fy2026_and_found_by_their_expansions(shipped,
                                                                            fy2026_engine):
    invalid, unreachable = [], []
    for entry in shipped:
        for code in entry.codes_in(ICD10CM):
            try:
                detail = code_detail(fy2026_engine, code, system=ICD10CM, date_of_service=DAY)
            except UnknownCode as exc:
                invalid.append(f"{entry.term}: {exc}")
                continue
            if not (detail.valid and detail.billable):
                invalid.append(f"{entry.term}: {code}: {detail.validity}")
            inclusion = [n.text for n in detail.notes
                         if n.kind == "inclusion_term" and n.at == detail.code]
            if not _found_by(entry, " ".join([detail.title, *inclusion])):
                unreachable.append(f"{entry.term} -> {code} {detail.title!r}")
    assert invalid == []
    assert unreachable == []


@pytest.fixture(scope="module")
def _shared_db(_fy2026_template, tmp_path_factory):
    return {"folder": tmp_path_factory.mktemp("synonym_codes"), "template": _fy2026_template}


@pytest.fixture
def all_code_sets(shared_codebooks, _shared_db):
    """The FY2026 codebook plus the shared HCPCS ANWEB file and PCS tables, imported once."""
    if "engine" not in _shared_db:
        path = _shared_db["folder"] / "codes.sqlite3"
        shutil.copy(_shared_db["template"], path)
        engine = engine_for(f"sqlite:///{path}")
        import_paths([shared_codebooks / "hcpcs-2024q3" / "HCPC2024_JUL_ANWEB.csv",
                      shared_codebooks / "icd10pcs-2023" / "icd10pcs_tables_2023.xml"], engine)
        _shared_db["engine"] = engine
    return _shared_db["engine"]


@pytest.mark.shared_data
def test_hcpcs_codes_are_active_and_found_by_their_expansions(shipped, all_code_sets):
    invalid, unreachable = [], []
    for entry in shipped:
        for code in entry.codes_in(HCPCS):
            try:
                detail = code_detail(all_code_sets, code, system=HCPCS, date_of_service=DAY)
            except UnknownCode as exc:
                invalid.append(f"{entry.term}: {exc}")
                continue
            if not detail.valid or detail.terminated_on is not None:
                invalid.append(f"{entry.term}: {code}: {detail.validity}")
            if not _found_by(entry, detail.title):
                unreachable.append(f"{entry.term} -> {code} {detail.title!r}")
    assert invalid == []
    assert unreachable == []


@pytest.mark.shared_data
def test_pcs_codes_exist_and_are_found_by_their_expansions(shipped, all_code_sets):
    invalid, unreachable = [], []
    for entry in shipped:
        for code in entry.codes_in(ICD10PCS):
            try:
                detail = code_detail(all_code_sets, code, system=ICD10PCS,
                                     date_of_service=PCS_DAY)
            except UnknownCode as exc:
                invalid.append(f"{entry.term}: {exc}")
                continue
            if not (detail.valid and detail.billable):
                invalid.append(f"{entry.term}: {code}: {detail.validity}")
            if not _found_by(entry, detail.title):
                unreachable.append(f"{entry.term} -> {code} {detail.title!r}")
    assert invalid == []
    assert unreachable == []


@pytest.mark.shared_data
def test_every_expansion_word_is_official_vocabulary(shipped, all_code_sets):
    """Expansions say what the code sets say: each word is in some ICD-10-CM title or note, HCPCS
    descriptor or PCS title, so a search on it can find something."""
    vocabulary: set[str] = set()
    with all_code_sets.connect() as conn:
        for (title,) in conn.execute(select(Code.title)):
            vocabulary.update(_words(title))
        for (text,) in conn.execute(select(Note.text)):
            vocabulary.update(_words(text))
    unknown = sorted({f"{entry.term}: {word}" for entry in shipped for expansion in entry.expansions
                      for word in _words(expansion) if word not in vocabulary})
    assert unknown == []


# --- malformed files ----------------------------------------------------------------------

def _write(tmp_path, body: str, header: str = HEADER):
    path = tmp_path / "synonyms.tsv"
    path.write_text(header + body, encoding="utf-8")
    return path


def test_a_small_file_loads(tmp_path):
    path = _write(tmp_path, "htn\thypertension|hypertensive\tI10\tabbreviation\n"
                            "\n"
                            "w\twith\t-\tconnector\n"
                            "walker\twalker\tE0130|E0143\tsupply\n"
                            "broken hip\tfracture of neck of femur\tS72.009A\tlay\n")
    synonyms = load_synonyms(path)
    assert [e.term for e in synonyms.entries] == ["htn", "w", "walker", "broken hip"]
    htn = synonyms.entries[0]
    assert (htn.expansions, htn.codes, htn.note, htn.line) == (
        ("hypertension", "hypertensive"), ("I10",), "abbreviation", 2)
    assert synonyms.get("w").codes == ()
    assert synonyms.entries[2].codes_in(HCPCS) == ("E0130", "E0143")
    assert synonyms.multiword_terms() == ["broken hip"]


@pytest.mark.parametrize("body, line, message", [
    ("htn\thypertension\tI10\n", 2, "expected 4 tab-separated columns"),
    ("htn\thypertension\tI10\tabbreviation\textra\n", 2, "found 5"),
    ("htn\thypertension\tI10\tabbreviation\n\tmyocardial infarction\tI21.9\tlay\n", 3,
     "empty term"),
    ("htn\thypertension\tI10\tabbreviation\nhtn\thypertensive\tI10\tabbreviation\n", 3,
     "duplicate term 'htn' (first on line 2)"),
    ("htn\thypertension\tI4891\tabbreviation\n", 2, "'I4891' is not code-shaped"),
    ("htn\thypertension\tI10|99213\tabbreviation\n", 2, "'99213' is not code-shaped"),
    ("HTN\thypertension\tI10\tabbreviation\n", 2, "must be lower case"),
    ("htn\thypertension||hypertensive\tI10\tabbreviation\n", 2, "empty expansion"),
    ("htn\thypertension\tI10\tacronym\n", 2, "note 'acronym' is not one of"),
    ("w\twith\tI10\tconnector\n", 2, "lists no codes"),
    ("htn\thypertension\t-\tabbreviation\n", 2, "lists the codes it should find"),
    ("htn\thypertension\tI10|I10\tabbreviation\n", 2, "listed twice"),
])
def test_malformed_lines_name_the_file_and_line(tmp_path, body, line, message):
    path = _write(tmp_path, body)
    with pytest.raises(SynonymFileError) as caught:
        load_synonyms(path)
    text = str(caught.value)
    assert str(path) in text and f"line {line}:" in text and message in text
    assert caught.value.line == line
    assert isinstance(caught.value, EncoderError)


def test_a_missing_header_is_reported_on_line_1(tmp_path):
    path = _write(tmp_path, "htn\thypertension\tI10\tabbreviation\n", header="")
    with pytest.raises(SynonymFileError, match=r"line 1: the first line must be the header"):
        load_synonyms(path)


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(SynonymFileError, match="synonym list is missing") as caught:
        load_synonyms(tmp_path / "nowhere.tsv")
    assert "nowhere.tsv" in str(caught.value)


def test_a_phrase_term_is_found_with_no_letter_or_digit_beside_it():
    from encoder_app.search.query_plan import _Phrase

    phrase = _Phrase("pink eye")
    assert phrase.search("pink") is None  # not even part of the text: nothing compiled
    assert phrase._pattern is None
    assert phrase.search("pink eye left") and phrase.search("bad pink eye")
    assert phrase.search("pink eyes") is None and phrase.search("xpink eye") is None
    assert phrase.sub(" ", "bad pink eye left") == "bad   left"
