"""One way to say where an error is: every located error renders through errors.render."""

import pytest

from encoder_app.edits.guidelines import GuidelineTable, GuidelineTableError
from encoder_app.encounters.snapshot import EncounterFormatError, parse_encounter
from encoder_app.errors import BadRecord, EncoderError, ImportFailed, LocatedError, render
from encoder_app.search.synonyms import SynonymFileError


def test_terminal_is_one_line_source_location_problem():
    error = LocatedError("visit.json", "$.diagnoses[1].code", "'E11.9x' is not a code")
    assert render(error) == "visit.json: $.diagnoses[1].code: 'E11.9x' is not a code"
    assert str(error) == render(error)


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
    assert render(error, "dialog").startswith("visit.json\n$.diagnoses: ")

    synonyms = SynonymFileError("synonyms.tsv", 4, "duplicate term 'afib'")
    assert isinstance(synonyms, LocatedError)
    assert render(synonyms) == "synonyms.tsv: line 4: duplicate term 'afib'"

    with pytest.raises(GuidelineTableError) as table:
        GuidelineTable("sepsis.toml", {}).value("sets.sepsis")
    assert render(table.value) == "sepsis.toml: sets.sepsis: missing"
