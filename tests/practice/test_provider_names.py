"""A typed provider name that is not the one on file for its NPI is said, never silently
replaced: one decision (practice/provider_names.py) for the edits, the superbill and the window;
silent when the names agree however they are written."""

from __future__ import annotations

import pytest

from encoder_app.edits.check import check_encounter
from encoder_app.edits.fixes import apply_fix
from encoder_app.encounters.snapshot import Provider, parse_encounter
from encoder_app.practice.provider_names import RULE, name_on_file, same_name
from encoder_app.practice.sample import load_sample_practice
from encoder_app.practice.types import Practice, PracticeProvider
from encoder_app.reports.superbill import superbill_from

ROE = PracticeProvider("Jane Roe", "MD", "1234567893")
PRACTICE = Practice("Our practice", providers=(ROE, PracticeProvider("Ana Li", "", "1222222220")))


@pytest.mark.parametrize("typed", ["Jane Roe", "jane roe", "Roe, Jane", "Dr. Jane Roe",
                                   "Jane Roe, MD", "JANE ROE M.D.", "  Jane   Roe  "])
def test_the_same_name_written_another_way_agrees(typed):
    assert same_name(typed, ROE)
    assert name_on_file(Provider(typed, ROE.npi), PRACTICE) is None


@pytest.mark.parametrize("typed", ["Dr. A. Smith", "J. Roe", "Jane Roe-Smith", "Jane",
                                   "Jane Roe DO"])
def test_another_name_is_said_with_the_name_printed(typed):
    assert not same_name(typed, ROE)
    differs = name_on_file(Provider(typed, ROE.npi), PRACTICE)
    assert differs is not None and differs.printed == "Jane Roe, MD"


def test_the_note_names_the_typed_name_the_printed_one_and_the_npi():
    differs = name_on_file(Provider("Dr. A. Smith", "1234567893"), PRACTICE)
    assert differs.note == ('provider "Dr. A. Smith" printed as "Jane Roe, MD", the name on '
                            "file for NPI 1234567893")
    assert name_on_file(Provider("Bo Ek", "1222222220"), PRACTICE).printed == "Ana Li"


@pytest.mark.parametrize(("provider", "practice"), [
    (Provider("", "1234567893"), PRACTICE),  # nothing typed: the name on file fills it
    (Provider("Dr. A. Smith", "1245319599"), PRACTICE),  # not the practice's NPI: as typed
    (Provider("Dr. A. Smith", None), PRACTICE),
    (Provider("Dr. A. Smith", "1234567893"), None),  # no practice set up
])
def test_nothing_to_say_when_nothing_is_replaced(provider, practice):
    assert name_on_file(provider, practice) is None


def test_the_superbill_prints_the_name_on_file_and_knows_it_replaced_one():
    visit = parse_encounter({"provider": {"name": "Dr. A. Smith", "npi": "1234567893"}})
    bill = superbill_from(visit, PRACTICE)
    assert (bill.provider_name, bill.provider_credentials) == ("Jane Roe", "MD")
    assert bill.name_on_file.typed == "Dr. A. Smith"
    agreed = superbill_from(parse_encounter({"provider": {"name": "Jane Roe, MD",
                                                          "npi": "1234567893"}}), PRACTICE)
    assert agreed.name_on_file is None


def _visit(name: str) -> dict:
    return {"date_of_service": "2026-05-01", "provider": {"name": name, "npi": "1234567893"},
            "diagnoses": ["I10"]}


def test_the_edits_engine_says_it_as_a_warning_with_a_fix(fy2026_engine):
    load_sample_practice(fy2026_engine)  # NPI 1234567893 is Dana Whitfield, MD
    doc = _visit("Dr. A. Smith")
    [finding] = [f for f in check_encounter(fy2026_engine, parse_encounter(doc))
                 if f.rule == RULE]
    assert finding.severity == "warning"
    assert finding.message.startswith('The provider "Dr. A. Smith" is not the name on file for '
                                      'NPI 1234567893, "Dana Whitfield, MD"')
    fixed = apply_fix(doc, finding.fix)
    assert fixed["provider"] == {"name": "Dana Whitfield", "npi": "1234567893"}
    assert doc["provider"]["name"] == "Dr. A. Smith"  # the input is left alone
    assert not [f for f in check_encounter(fy2026_engine, parse_encounter(fixed))
                if f.rule == RULE]


def test_the_edits_engine_is_silent_when_the_names_agree_or_no_practice(fy2026_engine):
    assert not [f for f in check_encounter(fy2026_engine, parse_encounter(_visit("Dr. A. Smith")))
                if f.rule == RULE]  # no practice set up: nothing on file
    load_sample_practice(fy2026_engine)
    for name in ("Dana Whitfield, MD", "Dr. Dana Whitfield", "Whitfield, Dana"):
        assert not [f for f in check_encounter(fy2026_engine, parse_encounter(_visit(name)))
                    if f.rule == RULE], name
