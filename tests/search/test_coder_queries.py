"""Search reads the whole query as a coder means it (issue 16): stated qualifiers pick the
sibling that matches, a code needing a 7th character is one row with the completion the query
implies, the Drug Table resolves substance x intent, and a long chart-like query never comes
back empty. Each behaviour is tested on a family of queries, not one."""

from __future__ import annotations

import datetime as dt

import pytest

from encoder_app.search.qualifiers import qualifier_factor, read_qualifiers
from encoder_app.search.text import normalized

DAY = dt.date(2026, 5, 1)


def first(search, query, **kw):
    hits = search.search(query, date=DAY, limit=10, **kw)
    return hits[0].code if hits else None


@pytest.mark.parametrize("query, wanted, sibling", [
    ("acute cystitis without hematuria", "N30.00", "N30.01"),
    ("acute cystitis with hematuria", "N30.01", "N30.00"),
    ("GERD without esophagitis", "K21.9", "K21.00"),
    ("type 2 diabetes with hypoglycemia without coma", "E11.649", "E11.641"),
    ("type 2 diabetes with hypoglycemia with coma", "E11.641", "E11.649"),
    ("migraine without aura not intractable", "G43.009", "G43.019"),
    ("intractable migraine w/o aura", "G43.019", "G43.009"),
])
def test_the_sibling_matching_the_stated_qualifier_wins(search, query, wanted, sibling):
    hits = [h.code for h in search.search(query, date=DAY, limit=10)]
    assert hits[0] == wanted, hits[:5]
    assert sibling not in hits[:1]


def test_qualifiers_read_and_weigh():
    q = read_qualifiers("acute cystitis w/o hematuria, with fever")
    assert "hematuria" in q.absent and "fever" in q.present
    assert qualifier_factor(normalized("Acute cystitis without hematuria"), q) > 1
    assert qualifier_factor(normalized("Acute cystitis with hematuria"), q) < 1
    assert qualifier_factor(normalized("Acute cystitis"), q) == 1
    # a "with X" nobody asked for is a condition the record does not state
    plain = read_qualifiers("gerd")
    assert qualifier_factor(normalized("GERD with esophagitis"), plain) < 1
    assert qualifier_factor(normalized("GERD without esophagitis"), plain) == 1


@pytest.mark.parametrize("query, wanted", [
    ("fracture of shaft of right femur subsequent encounter delayed healing", "S72.301G"),
    ("fracture of shaft of right femur subsequent encounter routine healing", "S72.301D"),
    ("open fracture of shaft of right femur initial encounter", "S72.301B"),
    ("fracture of shaft of right femur", "S72.301A"),  # not stated open: closed; initial
    ("torus fracture lower end right radius sequela", "S52.521S"),
])
def test_a_code_needing_a_7th_character_is_one_row_with_the_implied_completion(search, query,
                                                                                wanted):
    hits = search.search(query, date=DAY, limit=20)
    codes = [h.code for h in hits]
    assert codes[0] == wanted, codes[:5]
    stem = wanted[:-1]
    assert sum(c.startswith(stem) for c in codes) == 1  # one row for the code
    assert hits[0].variants[0] == stem + "A" and wanted in hits[0].variants
    assert hits[0].to_json()["variants"] == list(hits[0].variants)


@pytest.mark.parametrize("query, wanted", [
    ("68 year old man with persistent atrial fibrillation and nothing else xyzzy", None),
    ("45 year old female presents with acute exacerbation of moderate persistent asthma",
     "J45.41"),
    ("pt c/o burning on urination, dx acute cystitis without hematuria", "N30.00"),
    # the words of one concept stand together; numbers and framing words lead nothing
    ("67 yo male with type 2 diabetes with diabetic chronic kidney disease stage 3a", "E11.22"),
    ("elderly pt tripped on rug at home, closed fracture of neck of right femur, initial "
     "encounter", "S72.001A"),
])
def test_a_long_query_never_comes_back_empty(search, query, wanted):
    hits = search.search(query, date=DAY, limit=10)
    assert hits
    if wanted:
        assert hits[0].code == wanted, [h.code for h in hits[:5]]


@pytest.fixture(scope="module")
def drug_search(build_search, shared_codebooks_dir):
    return build_search("drug-search",
                        [shared_codebooks_dir / "icd10cm-2025" / "icd10cm_drug_2025.xml"])


@pytest.mark.shared_data
@pytest.mark.parametrize("query, wanted", [
    ("accidental ibuprofen overdose initial encounter", "T39.311A"),
    ("adverse effect of lisinopril", "T46.4X5A"),
    ("intentional overdose of acetaminophen", "T39.1X2A"),
    ("adverse effect of amoxicillin subsequent encounter", "T36.0X5D"),
    # intent not stated: accidental (I.C.19.e.5.b)
    ("oxycodone poisoning initial encounter", "T40.2X1A"),
    ("poisoning by aspirin", "T39.011A"),
])
def test_the_drug_table_resolves_substance_and_intent_with_the_7th_character(drug_search,
                                                                             query, wanted):
    assert first(drug_search, query) == wanted


@pytest.fixture(scope="module")
def supply_search(build_search, shared_codebooks_dir):
    return build_search("supply-search",
                        [shared_codebooks_dir / "hcpcs-2024q3" / "HCPC2024_JUL_ANWEB.csv",
                         shared_codebooks_dir / "icd10pcs-2023" / "icd10pcs_tables_2023.xml"])


@pytest.mark.shared_data
@pytest.mark.parametrize("query, wanted", [
    ("zofren 4 mg iv", "J2405"),
    ("kenolog 40 mg injection", "J3301"),  # ("rocefin" is a brand of its own: see brands)
    ("toradal 30 mg im", "J1885"),
    ("tonsilectomy", "0CTPXZZ"),
    ("circumsision", "0VTTXZZ"),
])
def test_a_misspelled_synonym_term_is_corrected_to_its_term(supply_search, query, wanted):
    hits = supply_search.search(query, date=DAY, limit=10)
    assert hits and hits[0].code == wanted, [h.code for h in hits[:5]]
    assert "spelling:" in hits[0].matched


@pytest.mark.shared_data
def test_a_dose_alone_never_matches_an_unrelated_drug(supply_search):
    # an unknown drug with a dose finds nothing, rather than every drug of that strength
    assert supply_search.search("Xyzzyvir 40 mg", date=DAY, limit=10) == []
    assert supply_search.search("Qwertomab 100 mg IV", date=DAY, limit=10) == []
    # a number that is not a dose still counts: the stage, the type
    assert first(supply_search, "type 1 diabetes mellitus without complications") == "E10.9"
    assert first(supply_search, "chronic kidney disease stage 4") == "N18.4"
    # a known drug is found whatever strength its descriptor is written in
    assert first(supply_search, "Toradol 30 mg IM") == "J1885"  # per 15 mg
    assert first(supply_search, "Rocephin 1 g") == "J0696"  # per 250 mg


@pytest.mark.shared_data
def test_a_known_abbreviation_is_never_spelled_into_a_word(supply_search):
    hits = supply_search.search("LIMA graft", date=DAY, limit=10)
    assert all("lima = limb" not in h.matched for h in hits)


@pytest.mark.parametrize("query, wanted", [
    ("on coumadin long term", "Z79.01"),
    ("long term metformin", "Z79.84"),
    ("s/p left BKA", "Z89.512"),
    ("pacemaker in place", "Z95.0"),
    ("status post kidney transplant", "Z94.0"),
])
def test_coder_shorthand_reaches_status_and_long_term_drug_codes(search, query, wanted):
    assert first(search, query) == wanted


@pytest.mark.parametrize("query", ["glaucoma both eyes", "cataract both eyes"])
def test_both_eyes_means_bilateral(search, query):
    assert "bilateral" in search.search(query, date=DAY, limit=5)[0].title


@pytest.mark.parametrize("query, wanted", [
    ("boxer's fracture left hand", "S62.337A"),
    ("boxers fracture right", "S62.336A"),
    ("Jones fracture right foot", "S92.351A"),
    ("colles fracture right", "S52.531A"),
    ("smith fracture left", "S52.542A"),
])
def test_named_fractures_lead_to_the_billable_code_of_the_side(search, query, wanted):
    assert first(search, query) == wanted


@pytest.mark.parametrize("query, wanted, header", [
    ("Graves disease", "E05.00", "E05.0"),  # inclusion term on a header: without crisis
    ("Osgood-Schlatter disease", "M92.529", "M92.52"),  # no leg stated: unspecified leg
    ("Meniere disease right ear", "H81.01", "H81.0"),  # "Ménière's" as typed, the side named
])
def test_a_header_leads_on_to_the_billable_child_the_query_implies(search, query, wanted,
                                                                   header):
    hits = search.search(query, date=DAY, limit=10)
    assert hits[0].code == wanted and hits[0].billable, [h.code for h in hits[:5]]
    assert header not in [h.code for h in hits]
    if hits[0].variants:
        assert hits[0].header == header and wanted in hits[0].variants


@pytest.mark.parametrize("query, wanted", [
    ("cellulitis of right lower leg without abscess", "L03.115"),
    ("mild intermittent asthma without exacerbation", "J45.20"),
    ("diverticulitis of colon without bleeding", "K57.32"),
    ("diverticulitis of colon with bleeding", "K57.33"),
])
def test_what_the_query_says_is_absent_need_not_be_in_the_code(search, query, wanted):
    assert first(search, query) == wanted


@pytest.mark.parametrize("query, wanted", [
    ("family history of colon cancer", "Z80.0"),
    ("family history of breast cancer", "Z80.3"),
    ("personal history of breast cancer", "Z85.3"),
])
def test_family_history_is_not_personal_history(search, query, wanted):
    assert first(search, query) == wanted


@pytest.mark.parametrize("query, injured", [
    ("pedestrian hit by car", "V03."),
    ("bicyclist hit by car", "V13."),
    ("car driver injured in collision with pickup truck", "V43."),
    ("car passenger injured in collision with bus", "V44."),
])
def test_the_role_named_first_is_the_injured_person(search, query, injured):
    hits = search.search(query, date=DAY, limit=5)
    assert hits[0].code.startswith(injured), [h.code for h in hits]


@pytest.mark.parametrize("query, wanted", [
    # not stated as nontraffic: a traffic accident (Chapter 20 definitions, note (c))
    ("car passenger injured in collision with bus", {"V44.6XXA"}),
    ("car driver injured in collision with pickup truck", {"V43.53XA"}),
    ("car passenger injured in collision with bus nontraffic", {"V44.1XXA"}),
    # a pedal cycle, not an electric bicycle; in traffic (driver, or cyclist unspecified)
    ("bicyclist hit by car", {"V13.4XXA", "V13.9XXA"}),
])
def test_a_transport_accident_is_traffic_unless_stated(search, query, wanted):
    assert first(search, query) in wanted


@pytest.mark.parametrize("query, wanted", [
    ("L4-L5 disc herniation", "M51.26"),
    ("L5-S1 disc herniation", "M51.27"),
    ("wedge compression fracture L1 initial encounter", "S32.010A"),
    ("wedge compression fracture L3", "S32.030A"),
    ("pressure ulcer of sacrum stage 2", "L89.152"),
    ("pressure ulcer of sacrum stage 3", "L89.153"),
])
def test_spinal_levels_and_the_sacrum_reach_their_title_words(search, query, wanted):
    assert first(search, query) == wanted


def test_a_title_saying_not_specified_is_the_bare_term(search):
    assert first(search, "urinary tract infection") == "N39.0"  # "site not specified"


@pytest.mark.shared_data
def test_a_descriptor_saying_not_otherwise_specified_is_the_bare_drug(supply_search):
    # triamcinolone acetonide: J3301 "not otherwise specified" before the named products
    assert first(supply_search, "Kenalog 40 mg injection") == "J3301"
    assert first(supply_search, "triamcinolone acetonide injection") == "J3301"


@pytest.mark.shared_data
@pytest.mark.parametrize("query, wanted, units", [
    ("Lovenox 40 mg subcutaneous", "J1650", 4),  # enoxaparin sodium, 10 mg
    ("Keytruda 200 mg IV", "J9271", 200),  # pembrolizumab, 1 mg
    ("Humira 40 mg", "J0135", 2),  # adalimumab, 20 mg
    ("Ativan 2 mg IV", "J2060", 1),  # lorazepam, 2 mg
    ("Dilaudid 1 mg IV", "J1170", 1),  # hydromorphone, up to 4 mg (the Drug Table knows it too)
    ("Narcan 0.4 mg injection", "J2310", 1),  # a decimal dose is not the number 4
    ("Toradol 30 mg IM", "J1885", 2),  # per 15 mg
])
def test_a_brand_name_with_a_dose_finds_the_generic_code_and_its_units(supply_search, query,
                                                                       wanted, units):
    hits = supply_search.search(query, systems=["hcpcs"], date=DAY, limit=10)
    assert hits and hits[0].code == wanted, [h.code for h in hits[:5]]
    assert hits[0].units == units and hits[0].to_json()["units"] == units


def test_brand_names_read_as_their_generics():
    from encoder_app.search.brands import BrandNames, load_brand_names

    brands = load_brand_names()
    assert brands.match(["lovenox", "40", "mg"], 0) == (1, ("enoxaparin sodium",))
    assert brands.match(["depo", "medrol"], 0) == (2, ("methylprednisolone acetate",))
    assert brands.match(["enoxaparin"], 0) == (0, ())
    # the salt is dropped for a second, lower reading (J1170 writes hydromorphone bare)
    assert BrandNames.readings("hydromorphone hydrochloride") == [
        (("hydromorphone", "hydrochloride"), 0.95), (("hydromorphone",), 0.9)]


def test_the_brand_list_reads_the_same_all_at_once_as_a_line_at_a_time():
    import gzip

    from encoder_app.search.brands import BrandNames, brand_names_path
    from encoder_app.search.text import words

    lines = gzip.decompress(brand_names_path().read_bytes()).decode().splitlines()[1:]
    odd = ["Ménière-X\tfoo", " lead-space\tbar", "trail- \tbaz", "a  b--c\tq; r", "none\t"]
    for shipped in (lines, lines + odd[1:], lines + odd, lines + ["lovenox\tsomething else"]):
        rows = {}
        for line in shipped:
            brand, _, generics = line.partition("\t")
            if generics:
                rows[brand] = tuple(generics.split("; "))
        at_once, one_by_one = BrandNames.from_lines(shipped), BrandNames(rows)
        assert at_once.longest == one_by_one.longest
        for line in shipped[::7] + odd:
            tokens = words(line.partition("\t")[0]) + ["40", "mg"]
            assert at_once.match(tokens, 0) == one_by_one.match(tokens, 0), line


def test_a_dose_fits_the_descriptor_unit():
    from encoder_app.search.doses import EXACT, FITS, FITS_LOOSELY, OTHER_MEASURE, fit, query_dose

    assert fit("Injection, ketorolac tromethamine, per 15 mg", query_dose("30 mg")) == (FITS, 2)
    assert fit("Injection, ceftriaxone sodium, per 250 mg", query_dose("1 g")) == (FITS, 4)
    full = "Injection, rho d immune globulin, human, full dose, 300 micrograms (1500 i.u.)"
    assert fit(full, query_dose("300 mcg")) == (EXACT, 1)
    # a loading dose of 250 mg is not what 1 mg of hydromorphone is billed on
    assert fit("Injection, hydromorphone hydrochloride, 250 mg", query_dose("1 mg"))[0] == \
        FITS_LOOSELY
    assert fit("Injection, onabotulinumtoxina, 1 unit", query_dose("100 mg")) == \
        (OTHER_MEASURE, None)
    assert fit("Walker, folding", query_dose("1 mg")) == (1.0, None)


@pytest.fixture(scope="module")
def pcs_search(build_search, shared_codebooks_dir):
    pcs = shared_codebooks_dir / "icd10pcs-2023"
    return build_search("pcs-search", [pcs / "icd10pcs_tables_2023.xml",
                                       pcs / "icd10pcs_index_2023.xml"])


PCS_DAY = dt.date(2023, 5, 1)  # inside the shared FY2023 PCS release


def pcs_codes(search, query, n=5):
    return [h.code for h in search.search(query, systems=["icd10pcs"], date=PCS_DAY, limit=n)]


@pytest.mark.shared_data
@pytest.mark.parametrize("query, wanted", [
    # the PCS Index leads the procedure's name to its root operation (and body part)
    ("colonoscopy with polypectomy sigmoid colon", "0DBN8ZZ"),  # see Excision; approach 8
    ("colonoscopy with polypectomy ascending colon", "0DBK8ZZ"),
    ("arthroscopic partial medial meniscectomy right knee", "0SBC4ZZ"),  # 0SBC; approach 4
    ("laparoscopic appendectomy", "0DTJ4ZZ"),
    ("laparoscopic cholecystectomy", "0FT44ZZ"),
    ("colonoscopy", "0DJD8ZZ"),  # a scope alone names its inspection
    # "cataract extraction with IOL" is a replacement with a synthetic substitute
    ("cataract extraction with IOL right eye", "08RJ3JZ"),
    ("phacoemulsification with intraocular lens left eye", "08RK3JZ"),
    ("diagnostic dilation and curettage", "0UDB7ZX"),
    ("PICC line insertion", "02HV33Z"),  # peripherally inserted: percutaneous
    ("PICC placement", "02HV33Z"),
])
def test_procedure_words_reach_the_pcs_code(pcs_search, query, wanted):
    found = pcs_codes(pcs_search, query)
    assert found[0] == wanted, found


@pytest.mark.shared_data
@pytest.mark.parametrize("query, wanted", [
    ("right carotid endarterectomy", {"03CH0ZZ", "03CK0ZZ"}),  # see Extirpation
    ("EGD with biopsy of stomach", {"0DB68ZX"}),
    ("histerectomy total abdominal", {"0UT90ZZ", "0UTC0ZZ"}),  # misspelled, then the Index
])
def test_procedure_words_reach_the_pcs_code_in_the_first_rows(pcs_search, query, wanted):
    found = pcs_codes(pcs_search, query, 5)
    assert wanted & set(found), found


@pytest.mark.shared_data
def test_a_scope_sets_the_approach_of_every_row(pcs_search):
    # EGD and colonoscopy go through a natural opening with an endoscope: approach 8
    for query in ("EGD with biopsy of stomach", "colonoscopy with polypectomy sigmoid colon"):
        assert all(code[4] == "8" for code in pcs_codes(pcs_search, query, 2)), query


@pytest.mark.shared_data
def test_only_a_procedure_main_term_of_the_pcs_index_has_readings(pcs_search):
    words = pcs_search.synonyms.procedures
    assert words.root_operations("appendectomy") == (("excision", "appendix"),
                                                     ("resection", "appendix"))
    assert words.root_operations("polypectomy") == (("excision",),)  # a table, no body part
    assert words.root_operations("heart") == ()  # "Heart Assist System" is a device
    assert words.root_operations("excision") == ()  # already a root operation
    assert words.root_operations("laparoscopic") == ()  # an approach


@pytest.fixture(scope="module")
def index_search(build_search, shared_codebooks_dir):
    return build_search("index-search",
                        [shared_codebooks_dir / "icd10cm-2025" / "icd10cm_index_2025.xml"])


@pytest.mark.shared_data
@pytest.mark.parametrize("query, wanted", [
    # the Index's main term "Hypertension, hypertensive" names the default code: its second
    # form is no extra word
    ("high blood pressure", "I10"),
    ("hypertension", "I10"),
    ("hypertenshun", "I10"),
])
def test_another_form_of_the_typed_word_is_no_extra_word(index_search, query, wanted):
    assert first(index_search, query) == wanted
