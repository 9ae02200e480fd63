"""Present-on-admission indicators against CMS's POA exempt list (Official Guidelines,
Appendix I): exactly the diagnoses that need one are asked for once the list is imported, an
exempt code's indicator is left blank, and the correctly coded example is silent."""

import json
from pathlib import Path

from encoder_app.edits.check import check_encounter
from encoder_app.edits.fixes import apply_fix
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.importers import import_paths

EXAMPLE = Path(__file__).resolve().parents[2] / "resources" / "examples" / "inpatient-stay.json"
STAY = {"setting": "inpatient", "admission_date": "2026-04-27", "discharge_date": "2026-04-30",
        "discharge_status": "01", "patient": {"sex": "M", "birth_date": "1959-03-14"},
        "procedures": []}


def poa(engine, document) -> list:
    return [f for f in check_encounter(engine, parse_encounter(document))
            if f.rule.startswith("poa.")]


def with_list(engine, fixtures):
    import_paths([fixtures / "poa" / "POAexemptCodes2026.txt"], engine)
    return engine


def test_without_the_list_every_blank_is_asked_and_the_list_is_named(fy2026_engine):
    found = poa(fy2026_engine, {**STAY, "diagnoses": [{"code": "I11.0", "poa": "Y"}, "I50.23",
                                                      "Z79.84"]})
    assert [(f.rule, f.codes, f.severity) for f in found] == [
        ("poa.missing", ("I50.23",), "warning"), ("poa.missing", ("Z79.84",), "warning")]
    assert found[0].message == (
        "I50.23 has no present-on-admission indicator: enter Y, N, U or W, or leave it blank "
        "if the code is exempt; no POA exempt list is imported to tell (CMS's POAexemptCodes "
        "file)")
    assert found[0].source.endswith("Appendix I (present on admission reporting)")


def test_with_the_list_only_a_code_that_needs_one_is_asked(fy2026_engine, fixtures):
    engine = with_list(fy2026_engine, fixtures)
    found = poa(engine, {**STAY, "diagnoses": [{"code": "I11.0", "poa": "Y"}, "I50.23",
                                               "Z79.84", {"code": "E11.9", "poa": "1"}]})
    assert [(f.rule, f.codes) for f in found] == [("poa.missing", ("I50.23",)),
                                                  ("poa.missing", ("E11.9",))]
    assert found[0].message == ("I50.23 has no present-on-admission indicator but is not on "
                                "the POA exempt list: enter Y, N, U or W")
    assert "is marked exempt (1) but is not on the POA exempt list" in found[1].message
    assert found[0].source.endswith("; POA exempt codes, FY2026")


def test_an_exempt_code_with_an_indicator_is_told_to_leave_it_blank(fy2026_engine, fixtures):
    engine = with_list(fy2026_engine, fixtures)
    document = {**STAY, "diagnoses": [{"code": "I11.0", "poa": "Y"},
                                      {"code": "Z79.84", "poa": "Y"}]}
    [finding] = poa(engine, document)
    assert (finding.rule, finding.severity, finding.codes) == (
        "poa.exempt_reported", "info", ("Z79.84",))
    fixed = apply_fix(document, finding.fix)
    assert fixed["diagnoses"] == [{"code": "I11.0", "poa": "Y"}, "Z79.84"]
    assert poa(engine, fixed) == []


def test_silent_on_the_correctly_coded_example(fy2026_engine, fixtures):
    # I11.0, I50.23 and E11.9 carry Y, N17.9 N, and Z79.84 (exempt) none.
    assert poa(with_list(fy2026_engine, fixtures), json.loads(EXAMPLE.read_text())) == []


def test_an_office_visit_has_no_poa_to_give(fy2026_engine):
    visit = {"date_of_service": "2026-05-01", "patient": {"sex": "M", "birth_date": "1959-03-14"},
             "diagnoses": ["I50.23"], "procedures": []}
    assert poa(fy2026_engine, visit) == []
