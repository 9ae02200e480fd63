"""ICD-10-CM edits: validity for the date, 7th characters and placeholder X, Excludes1,
etiology/manifestation sequencing, use additional code, duplicates, unspecified, age and sex."""

import pytest

from encoder_app.edits.check import check_encounter
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.importers import import_paths


def check(engine, diagnoses, **fields):
    data = {"date_of_service": "2026-05-01", "provider": {"npi": "1234567893"},
            "patient": {"sex": "F", "birth_date": "1980-02-03"}, "diagnoses": diagnoses}
    data.update(fields)
    return check_encounter(engine, parse_encounter(data))


def rules(findings, severity=None):
    return [f.rule for f in findings if severity is None or f.severity == severity]


def test_clean_diagnoses_give_no_error(fy2026_engine):
    assert rules(check(fy2026_engine, ["E11.9", "I10", "Z79.84"]), "error") == []


def test_unknown_and_malformed_codes(fy2026_engine):
    found = check(fy2026_engine, ["Q99.99", "11.9"])
    assert rules(found, "error") == ["code.unknown", "code.format"]
    assert all(f.source for f in found)


def test_placeholder_x_missing_offers_the_padded_code(fy2026_engine):
    [finding] = [f for f in check(fy2026_engine, ["W54.0A"]) if f.severity == "error"]
    assert finding.rule == "code.placeholder_x"
    assert finding.fix == {"action": "replace_diagnosis", "index": 0, "code": "W54.0XXA"}


def test_missing_7th_character_offers_the_valid_ones(fy2026_engine):
    [finding] = [f for f in check(fy2026_engine, ["S72.001"]) if f.severity == "error"]
    assert finding.rule == "code.seventh_character"
    assert "S72.001A" in finding.fix["choices"] and "S72.001" not in finding.fix["choices"]


def test_header_suggests_its_billable_children(fy2026_engine):
    [finding] = [f for f in check(fy2026_engine, ["E11.4"]) if f.severity == "error"]
    assert finding.rule == "code.header"
    assert "E11.40" in finding.fix["choices"]


def test_code_not_yet_effective_on_the_date(fy2026_engine, shared_codebooks):
    import_paths([shared_codebooks / "icd10cm-2025" / "icd10cm_tabular_2025.xml"], fy2026_engine)
    found = check(fy2026_engine, ["E11.A"], date_of_service="2025-06-01")
    assert "code.not_yet_effective" in rules(found, "error")
    assert rules(check(fy2026_engine, ["E11.A"]), "error") == []


def test_excludes1_at_the_category_covers_its_codes(fy2026_engine):
    found = check(fy2026_engine, ["E11.9", "E10.9"])
    [finding] = [f for f in found if f.rule == "icd.excludes1"]
    assert set(finding.codes) == {"E11.9", "E10.9"}
    assert "Excludes1 at E1" in finding.source
    assert finding.fix == {"action": "remove_diagnosis", "index": 1}


def test_excludes1_range_with_suffix_only_covers_those_codes(fy2026_engine):
    # G63 excludes "diabetes mellitus (E08-E13 with .42)": E11.42, not E11.9
    assert "icd.excludes1" in rules(check(fy2026_engine, ["E11.42", "G63"]))
    assert "icd.excludes1" not in rules(check(fy2026_engine, ["E85.4", "G63"]))


def test_excludes2_does_not_fire(fy2026_engine):
    # E11 has Excludes2-free companions; I10 and E11.9 are commonly coded together
    assert "icd.excludes1" not in rules(check(fy2026_engine, ["I10", "E11.9"]))


def test_manifestation_first_listed_is_an_error(fy2026_engine):
    found = check(fy2026_engine, ["F02.80", "G30.9"])
    assert "icd.manifestation_first" in rules(found, "error")


def test_etiology_listed_after_its_manifestation_is_flagged_with_a_reorder(fy2026_engine):
    found = check(fy2026_engine, ["I10", "F02.80", "G30.9"])
    [order] = [f for f in found if f.rule == "icd.code_first_order"]
    assert order.fix == {"action": "move_diagnosis", "from": 2, "to": 1}
    assert rules(check(fy2026_engine, ["G30.9", "F02.80"]), "warning") == []


def test_use_additional_code_reminds_until_one_is_present(fy2026_engine):
    # (E11's insulin reminder is the diabetes guideline rule's: tests/edits/test_guidelines.py)
    assert "icd.use_additional_code" in rules(check(fy2026_engine, ["I10"]))
    assert "icd.use_additional_code" not in rules(check(fy2026_engine, ["I10", "F17.210"]))


def test_each_use_additional_note_is_answered_on_its_own(fy2026_engine):
    """N18.31 answers E11.22's CKD-stage note, not the cachexia/transplant note at N18, and a
    note is quoted whole, its lead-in with its items."""
    found = [f for f in check(fy2026_engine, ["E11.22", "N18.31", "Z79.4"])
             if f.rule == "icd.use_additional_code"]
    assert [f.codes for f in found] == [("N18.31",)]
    assert found[0].message == ("With N18.31, use additional code, if applicable, to identify: "
                                "associated cachexia (E88.A); kidney transplant status (Z94.0)")


def test_code_first_message_quotes_the_whole_note(fy2026_engine):
    [order] = [f for f in check(fy2026_engine, ["N18.31", "E11.22", "Z79.4"])
               if f.rule == "icd.code_first_order"]
    assert order.message.endswith(
        "code first any associated: diabetic chronic kidney disease (E08.22, E09.22, E10.22, "
        "E11.22, E13.22); hypertensive chronic kidney disease (I12.-, I13.-)")


def test_duplicate_code(fy2026_engine):
    found = check(fy2026_engine, ["I10", "i10"])
    [dup] = [f for f in found if f.rule == "icd.duplicate"]
    assert dup.fix == {"action": "remove_diagnosis", "index": 1}


def test_unspecified_code_with_specific_siblings_is_info(fy2026_engine):
    found = [f for f in check(fy2026_engine, ["N18.9"]) if f.rule == "icd.unspecified"]
    assert found and found[0].severity == "info" and "N18.1" in found[0].message


@pytest.fixture
def with_mce(fy2026_engine, fixtures):
    import_paths([fixtures / "edits" / "mce_v41_age_sex.csv"], fy2026_engine)
    return fy2026_engine


def test_sex_conflict_from_the_mce(with_mce):
    found = check(with_mce, ["C61"], patient={"sex": "F", "birth_date": "1950-01-01"})
    [conflict] = [f for f in found if f.rule == "icd.sex_conflict"]
    assert "male" in conflict.message and "MCE" in conflict.source
    assert "icd.sex_conflict" not in rules(
        check(with_mce, ["C61"], patient={"sex": "M", "birth_date": "1950-01-01"}))


def test_age_conflict_from_the_mce(with_mce):
    adult = {"sex": "M", "birth_date": "1970-01-01"}
    assert "icd.age_conflict" in rules(check(with_mce, ["Z00.110"], patient=adult))
    newborn = {"sex": "M", "birth_date": "2026-04-28"}
    assert "icd.age_conflict" not in rules(check(with_mce, ["Z00.110"], patient=newborn))
    elderly = {"sex": "F", "birth_date": "1950-01-01"}
    assert "icd.age_conflict" in rules(check(with_mce, ["O80"], patient=elderly))


def test_tabular_maternal_note_speaks_when_no_mce_is_loaded(fy2026_engine):
    male = {"sex": "M", "birth_date": "1980-01-01"}
    [finding] = [f for f in check(fy2026_engine, ["O80", "Z3A.39"], patient=male)
                 if f.rule == "icd.sex_conflict"]
    assert "maternal records" in finding.source.lower()
    assert "icd.sex_conflict" not in rules(check(fy2026_engine, ["O80", "Z3A.39"]))
