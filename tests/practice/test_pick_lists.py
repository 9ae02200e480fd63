"""Pick lists: saved by name (any case), listed, renamed, deleted; exchanged as JSON with errors
naming the file and the JSON path; the shipped sample readable without being loaded, in the
project's own words and with diagnosis codes that exist in FY2026."""

import datetime as dt
import json

import pytest

from encoder_app.codebook.lookup import code_detail
from encoder_app.practice.pick_lists import (
    FORMAT,
    PickListError,
    PickListFormatError,
    UnknownPickList,
    delete_pick_list,
    export_pick_list,
    get_pick_list,
    import_pick_list,
    list_pick_lists,
    parse_pick_list,
    pick_list_to_json,
    rename_pick_list,
    sample_pick_list,
    save_pick_list,
)
from encoder_app.practice.types import PickItem, PickList, PickSection

SAMPLE = "Sample family practice"
SECTIONS = ["New patient", "Established patient", "Procedures", "Injections", "Supplies",
            "Common diagnoses"]

CLINIC = PickList("Clinic", (
    PickSection("Visits", (PickItem("99213", "Office visit, est., low"),
                           PickItem("69210", "Ear wax, both ears", "CPT", "50"))),
    PickSection("Empty for now"),
    PickSection("Diagnoses", (PickItem("E11.9", "Type 2 diabetes", "ICD-10-CM"),
                              PickItem("J3420", "B12 shot", "HCPCS"))),
))


def document(**changes) -> dict:
    data = pick_list_to_json(CLINIC)
    data.update(changes)
    return data


def test_saved_list_reads_back_with_sections_and_items_in_order(engine):
    save_pick_list(engine, CLINIC)
    assert get_pick_list(engine, "Clinic") == CLINIC


def test_codes_are_stored_normalised_and_diagnoses_come_back_dotted(engine):
    loose = PickList("Loose", (PickSection("Mixed", (
        PickItem(" e119 ", "Diabetes", "icd-10-cm"), PickItem("j3420", "B12", "hcpcs"),
        PickItem("69210", "Ears", "CPT", "50"))),))
    saved = save_pick_list(engine, loose)
    assert [(i.code, i.system) for i in saved.sections[0].items] == [
        ("E11.9", "ICD-10-CM"), ("J3420", "HCPCS"), ("69210", "CPT")]
    assert get_pick_list(engine, "loose") == saved


def test_names_match_whatever_the_case_and_saving_replaces_by_name(engine):
    save_pick_list(engine, CLINIC)
    shorter = PickList("CLINIC", (PickSection("Visits", (PickItem("99214", "Visit, mod"),)),))
    save_pick_list(engine, shorter)
    assert get_pick_list(engine, "clinic") == shorter
    assert list_pick_lists(engine) == ["CLINIC", SAMPLE]


def test_names_are_listed_in_order_with_the_sample_last(engine):
    for name in ["walk-in", "Annual visits", "Clinic"]:
        save_pick_list(engine, PickList(name))
    assert list_pick_lists(engine) == ["Annual visits", "Clinic", "walk-in", SAMPLE]


def test_unknown_name_lists_the_names_there_are(engine):
    save_pick_list(engine, CLINIC)
    with pytest.raises(UnknownPickList) as caught:
        get_pick_list(engine, "Cardiology")
    assert str(caught.value) == ("no pick list is named 'Cardiology'; pick lists: Clinic, "
                                 f"{SAMPLE}")


def test_delete_and_rename(engine):
    save_pick_list(engine, CLINIC)
    renamed = rename_pick_list(engine, "clinic", "Main clinic")
    assert renamed.name == "Main clinic" and renamed.sections == CLINIC.sections
    assert get_pick_list(engine, "MAIN CLINIC") == renamed
    rename_pick_list(engine, "Main clinic", "main Clinic")  # a change of case is a rename
    assert list_pick_lists(engine) == ["main Clinic", SAMPLE]
    delete_pick_list(engine, "Main Clinic")
    assert list_pick_lists(engine) == [SAMPLE]
    with pytest.raises(UnknownPickList, match="'Main Clinic'"):
        delete_pick_list(engine, "Main Clinic")


def test_rename_onto_another_list_is_refused(engine):
    save_pick_list(engine, CLINIC)
    save_pick_list(engine, PickList("Walk-in"))
    with pytest.raises(PickListError, match="'Walk-in' already exists"):
        rename_pick_list(engine, "Clinic", "walk-in")
    with pytest.raises(PickListError, match="needs a name"):
        rename_pick_list(engine, "Clinic", "  ")
    assert get_pick_list(engine, "Clinic") == CLINIC


def test_sample_is_readable_by_name_or_as_sample_without_being_saved(engine):
    assert get_pick_list(engine, "sample") == sample_pick_list()
    assert get_pick_list(engine, "SAMPLE FAMILY PRACTICE") == sample_pick_list()
    with pytest.raises(UnknownPickList, match="shipped sample"):
        delete_pick_list(engine, "sample")


def test_a_saved_list_comes_before_the_sample_of_the_same_name(engine):
    own = PickList(SAMPLE, (PickSection("Ours"),))
    save_pick_list(engine, own)
    assert get_pick_list(engine, SAMPLE) == own
    assert list_pick_lists(engine) == [SAMPLE]


def test_renaming_the_sample_saves_a_copy_to_make_ones_own(engine):
    copy = rename_pick_list(engine, "sample", "Our superbill")
    assert copy.sections == sample_pick_list().sections
    assert list_pick_lists(engine) == ["Our superbill", SAMPLE]


def test_json_round_trip_through_a_file(engine, tmp_path):
    path = tmp_path / "clinic.json"
    export_pick_list(CLINIC, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT == "encoder-app-pick-list/1"
    assert data["sections"][0]["items"][1] == {"code": "69210", "label": "Ear wax, both ears",
                                               "system": "CPT", "modifier": "50"}
    assert import_pick_list(engine, path) == CLINIC
    assert get_pick_list(engine, "Clinic") == CLINIC


def test_parse_keeps_the_json_path_of_a_bad_code_and_says_it_in_words():
    data = document()
    data["sections"][2]["items"][0]["code"] = "E1"
    with pytest.raises(PickListFormatError) as caught:
        parse_pick_list(data, "clinic.json")
    assert str(caught.value) == ("clinic.json: section 3, line 1, code: 'E1' is not an "
                                 "ICD-10-CM code")
    assert caught.value.path == "$.sections[2].items[0].code"


@pytest.mark.parametrize("change, path, words, problem", [
    (lambda d: d.pop("format"), "$.format", "format", "is required"),
    (lambda d: d.update(format="encoder-app-pick-list/2"), "$.format", "format",
     "not a pick list format"),
    (lambda d: d.update(name=""), "$.name", "name", "is required"),
    (lambda d: d.update(sections={}), "$.sections", "sections", "must be a list, not an object"),
    (lambda d: d["sections"][1].pop("title"), "$.sections[1].title", "section 2, title",
     "is required"),
    (lambda d: d["sections"][0]["items"][0].update(system="ICD-9"),
     "$.sections[0].items[0].system", "section 1, line 1, system",
     "'ICD-9' is not CPT, HCPCS or ICD-10-CM"),
    (lambda d: d["sections"][0]["items"][0].pop("system"),
     "$.sections[0].items[0].system", "section 1, line 1, system", "is required"),
    (lambda d: d["sections"][0]["items"][0].update(code="J3420"),
     "$.sections[0].items[0].code", "section 1, line 1, code", "'J3420' is not a CPT code"),
    (lambda d: d["sections"][2]["items"][0].update(modifier="25"),
     "$.sections[2].items[0].modifier", "section 3, line 1, modifier",
     "a diagnosis takes no modifier"),
    (lambda d: d["sections"][0]["items"][1].update(modifier="5O5"),
     "$.sections[0].items[1].modifier", "section 1, line 2, modifier", "is not a modifier"),
    (lambda d: d["sections"][0]["items"][0].update(label=""),
     "$.sections[0].items[0].label", "section 1, line 1, label", "is required"),
    (lambda d: d["sections"][0]["items"][0].update(label="x" * 101),
     "$.sections[0].items[0].label", "section 1, line 1, label", "at most 100 fit"),
    (lambda d: d["sections"][0]["items"].append("99214"),
     "$.sections[0].items[2]", "section 1, line 3", "must be an object, not text"),
])
def test_malformed_fields_are_kept_by_json_path_and_said_in_words(change, path, words,
                                                                  problem):
    data = document()
    change(data)
    with pytest.raises(PickListFormatError) as caught:
        parse_pick_list(data, "clinic.json")
    assert caught.value.path == path
    assert str(caught.value).startswith(f"clinic.json: {words}: ")
    assert problem in caught.value.problem


def test_a_code_written_as_a_number_is_read_as_text():
    data = document()
    data["sections"][0]["items"][0]["code"] = 99213
    assert parse_pick_list(data, "clinic.json") == CLINIC


def test_saving_an_invalid_list_is_refused_and_changes_nothing(engine):
    save_pick_list(engine, CLINIC)
    bad = PickList("Clinic", (PickSection("Visits", (PickItem("9921", "Visit"),)),))
    with pytest.raises(PickListFormatError) as caught:
        save_pick_list(engine, bad)
    assert str(caught.value) == ("pick list 'Clinic': section 1, line 1, code: '9921' is not "
                                 "a CPT code")
    assert get_pick_list(engine, "Clinic") == CLINIC


def test_broken_json_file_names_the_file_and_line(engine, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "encoder-app-pick-list/1",\n "name": }', encoding="utf-8")
    with pytest.raises(PickListFormatError, match=r"^broken.json: line 2, column \d+: is not "
                                                  r"valid JSON"):
        import_pick_list(engine, path)
    with pytest.raises(PickListFormatError, match="^absent.json: no such file$"):
        import_pick_list(engine, tmp_path / "absent.json")
    assert list_pick_lists(engine) == [SAMPLE]


# --- the shipped sample -------------------------------------------------------------------

#: Openings of AMA CPT long descriptors; the sample must not carry CPT text.
CPT_DESCRIPTOR_OPENINGS = [
    "office or other outpatient visit for the evaluation and management",
    "initial comprehensive preventive medicine evaluation and management",
    "periodic comprehensive preventive medicine reevaluation and management",
    "electrocardiogram, routine ecg with at least 12 leads",
    "collection of venous blood by venipuncture",
    "removal impacted cerumen requiring instrumentation",
    "therapeutic, prophylactic, or diagnostic injection",
    "immunization administration (includes percutaneous",
    "arthrocentesis, aspiration and/or injection",
    "infectious agent antigen detection by immunoassay",
    "urinalysis, by dip stick or tablet reagent",
    "pressurized or nonpressurized inhalation treatment",
    "supplies and materials (except spectacles)",
    "removal of skin tags, multiple fibrocutaneous tags",
]


def sample_items(system=None):
    return [i for s in sample_pick_list().sections for i in s.items
            if system is None or i.system == system]


def test_sample_has_the_six_sections_of_a_family_practice_superbill():
    sample = sample_pick_list()
    assert sample.name == SAMPLE
    assert [s.title for s in sample.sections] == SECTIONS
    assert all(s.items for s in sample.sections)
    assert 40 <= len(sample_items()) <= 60


def test_sample_carries_the_codes_a_family_practice_checks_off():
    codes = {i.code for i in sample_items()}
    assert {"99202", "99205", "99211", "99215", "99385", "99397", "93000", "87880", "J1100",
            "J3420", "A4565", "99070", "I10", "E11.9", "M54.50", "Z00.01", "K21.9"} <= codes
    assert ("69210", "50") in {(i.code, i.modifier) for i in sample_items()}


def test_sample_labels_are_short_own_words_not_cpt_descriptors():
    for item in sample_items():
        assert 0 < len(item.label) <= 45, item
        assert not any(opening in item.label.lower() for opening in CPT_DESCRIPTOR_OPENINGS)
    cpt_labels = [i.label.lower() for i in sample_items("CPT")]
    assert len(cpt_labels) >= 25
    for opening in CPT_DESCRIPTOR_OPENINGS:
        # not even a descriptor's first words: a label the AMA wrote would start alike
        assert not any(opening[:24] in label for label in cpt_labels), opening


def test_sample_systems_match_their_code_shapes():
    assert {i.system for i in sample_items()} == {"CPT", "HCPCS", "ICD-10-CM"}
    assert all(i.code[0] in "AJL" for i in sample_items("HCPCS"))
    assert all(i.code.isdigit() for i in sample_items("CPT"))
    assert [s.title for s in sample_pick_list().sections
            if any(i.system == "ICD-10-CM" for i in s.items)] == ["Common diagnoses"]


def test_every_sample_diagnosis_is_a_billable_fy2026_code(fy2026_engine):
    diagnoses = sample_items("ICD-10-CM")
    assert len(diagnoses) >= 15
    for item in diagnoses:
        detail = code_detail(fy2026_engine, item.code, "icd10cm", dt.date(2026, 5, 1))
        assert (detail.code, detail.billable, detail.valid) == (item.code, True, True), (
            item.code, detail.validity)
