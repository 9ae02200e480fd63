"""One way to say where an error is: every located error renders through errors.render."""

import pytest

from encoder_app.edits.guidelines import GuidelineTable, GuidelineTableError
from encoder_app.encounters.snapshot import EncounterFormatError, parse_encounter
from encoder_app.errors import (
    BadRecord,
    EncoderError,
    ImportFailed,
    LocatedError,
    path_words,
    render,
)
from encoder_app.search.synonyms import SynonymFileError


def test_terminal_is_one_line_source_location_problem():
    error = LocatedError("fee_schedule.csv", "row 3", "'99x' is not a CPT code")
    assert render(error) == "fee_schedule.csv: row 3: '99x' is not a CPT code"
    assert str(error) == render(error)


def test_a_json_path_is_rendered_in_the_words_of_its_format():
    error = EncounterFormatError("visit.json", "$.procedures[0].code", "is required")
    assert error.location == error.path == "$.procedures[0].code"
    assert render(error) == "visit.json: procedure line 1, code: is required"
    assert render(error, "dialog") == "visit.json\nprocedure line 1, code: is required"
    assert render(error, "field") == "procedure line 1, code: is required"


@pytest.mark.parametrize(("path", "words"), [
    ("$", None),
    ("$.date_of_service", "date of service"),
    ("$.place_of_service", "place of service"),
    ("$.patient.birth_date", "patient, birth date"),
    ("$.provider.npi", "provider, NPI"),
    ("$.diagnoses[2]", "diagnosis 3"),
    ("$.procedures[0].modifiers[1]", "procedure line 1, modifier 2"),
    ("$.procedures[3].diagnosis_pointers", "procedure line 4, diagnosis pointers"),
    ("$.procedures[0].diagnosis_pointers[1]", "procedure line 1, diagnosis pointer 2"),
    ("$.referral", "referral"),  # a key the format does not know is shown as its name
    ("$.referral.plan[0][2]", "referral, plan item 1, item 3"),
    ('$["odd key"]', '"odd key"'),
    ("row 3", "row 3"),  # not a JSON path: as it is
])
def test_encounter_paths_in_a_coders_words(path, words):
    assert path_words(path, EncounterFormatError.FIELD_WORDS,
                      EncounterFormatError.ENTRY_WORDS) == words


def test_the_whole_file_is_said_without_a_place():
    error = EncounterFormatError("visit.json", "$", "no such file")
    assert render(error) == "visit.json: no such file"
    assert render(error, "dialog") == "visit.json\nno such file"


def test_dialog_puts_the_source_on_its_own_line():
    error = LocatedError("HCPC2025_JAN_ANWEB.txt", "line 12", "is not a code")
    assert render(error, "dialog") == "HCPC2025_JAN_ANWEB.txt\nline 12: is not a code"


@pytest.mark.parametrize(("source", "location", "terminal"), [
    ("a.zip", None, "a.zip: is damaged"),
    (None, "row 3", "row 3: is damaged"),
    (None, None, "is damaged"),
])
def test_missing_parts_are_left_out(source, location, terminal):
    error = LocatedError(source, location, "is damaged")
    assert render(error) == terminal
    assert "\n" not in render(error)


def test_an_error_without_a_place_renders_as_its_message():
    assert render(EncoderError("no release of CPT is loaded"), "dialog") == \
        "no release of CPT is loaded"


def test_the_runner_adding_the_file_name_goes_through_the_same_renderer():
    bad = BadRecord("row 7", "HCPC 'J11' is not an HCPCS code")
    named = ImportFailed("hcpcs.txt", bad.where, bad.problem)
    assert str(bad) == "row 7: HCPC 'J11' is not an HCPCS code"
    assert str(named) == "hcpcs.txt: row 7: HCPC 'J11' is not an HCPCS code"
    assert named.where == "row 7" and named.source == "hcpcs.txt"


def test_each_kind_of_located_error_is_one_type():
    with pytest.raises(EncounterFormatError) as raised:
        parse_encounter({"diagnoses": "E11.9"}, source="visit.json")
    error = raised.value
    assert isinstance(error, LocatedError)
    assert (error.source, error.path) == ("visit.json", "$.diagnoses")
    assert render(error, "dialog").startswith("visit.json\ndiagnoses: must be a list")

    synonyms = SynonymFileError("synonyms.tsv", 4, "duplicate term 'afib'")
    assert isinstance(synonyms, LocatedError)
    assert render(synonyms) == "synonyms.tsv: line 4: duplicate term 'afib'"

    with pytest.raises(GuidelineTableError) as table:
        GuidelineTable("sepsis.toml", {}).value("sets.sepsis")
    assert render(table.value) == "sepsis.toml: sets.sepsis: missing"
