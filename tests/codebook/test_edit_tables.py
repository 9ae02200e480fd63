"""Edit-table lookups: PTP pairs, MUE values, add-on primaries and MCE lists for a date."""

from __future__ import annotations

import datetime as dt

import pytest

from encoder_app.codebook.edit_tables import (
    addon_primaries,
    mce_edits_for,
    mue_limit,
    ptp_edits_between,
)
from encoder_app.importers.runner import import_paths

VISIT = dt.date(2024, 8, 15)
PTP_HEADER = ("Column 1,Column 2,*=in existence prior to 1996,Effective Date,"
              "Deletion Date *=no data,Modifier 0=not allowed 1=allowed 9=not applicable,"
              "PTP Edit Rationale")


@pytest.fixture
def loaded(engine, fixtures):
    ncci = fixtures / "ncci"
    import_paths([ncci / "ncci_ptp_practitioner_2024q3.csv",
                  ncci / "ncci_ptp_outpatient_hospital_2024q3.csv",
                  ncci / "mue_practitioner_2024q3.csv", ncci / "mue_outpatient_2024q3.csv",
                  ncci / "mue_dme_2024q3.csv", ncci / "aoc_2024q3.csv",
                  fixtures / "mce" / "mce_v41_fixture.csv"], engine)
    return engine


def test_ptp_pairs_among_billed_codes(loaded):
    pairs = ptp_edits_between(loaded, ["29880", "29870", "29877", "99213"], "practitioner", VISIT)
    assert [(p.column1, p.column2) for p in pairs] == [("29880", "29870"), ("29880", "29877")]
    first = pairs[0]
    assert first.modifier_allowed and first.rationale == "Standards of medical/surgical practice"
    assert first.source == "NCCI PTP practitioner 2024Q3"
    assert ptp_edits_between(loaded, ["29880"], "practitioner", VISIT) == []


def test_ptp_dates_of_the_edit_itself(loaded):
    # 99213/36415: one row deleted at the end of 2023 (modifier 1), one effective 2024 (0).
    before = ptp_edits_between(loaded, ["99213", "36415"], "practitioner", dt.date(2023, 12, 31))
    after = ptp_edits_between(loaded, ["99213", "36415"], "practitioner", dt.date(2024, 1, 1))
    assert [p.modifier_indicator for p in before] == [1]
    assert [p.modifier_indicator for p in after] == [0]
    # 29881/29880 was deleted at the end of 2020.
    assert ptp_edits_between(loaded, ["29881", "29880"], "practitioner", VISIT) == []


def test_ptp_setting(loaded):
    pairs = ptp_edits_between(loaded, ["29880", "29877"], "outpatient_hospital", VISIT)
    assert pairs == []  # the outpatient fixture has no 29880/29877 edit
    assert len(ptp_edits_between(loaded, ["36415", "36416"], "outpatient", VISIT)) == 1


def test_release_in_effect_for_the_date(engine, fixtures, tmp_path):
    q2 = tmp_path / "ncci_ptp_practitioner_2024q2.csv"
    q2.write_text(f"{PTP_HEADER}\n11042,97597,,,*,1,Standards of medical/surgical practice\n")
    import_paths([q2, fixtures / "ncci" / "ncci_ptp_practitioner_2024q3.csv"], engine)
    codes = ["11042", "97597", "29880", "29870"]
    in_q2 = ptp_edits_between(engine, codes, "practitioner", dt.date(2024, 5, 1))
    in_q3 = ptp_edits_between(engine, codes, "practitioner", dt.date(2024, 7, 1))
    long_ago = ptp_edits_between(engine, codes, "practitioner", dt.date(2019, 1, 1))
    assert [(p.column1, p.source) for p in in_q2] == [("11042", "NCCI PTP practitioner 2024Q2")]
    assert [p.column1 for p in in_q3] == ["29880"]
    assert [p.column1 for p in long_ago] == ["29880"]  # before every release: the newest


def test_mue_limit(loaded):
    practitioner = mue_limit(loaded, "36415", "practitioner", VISIT)
    assert (practitioner.units, practitioner.adjudication) == (2, 3)
    assert not practitioner.per_line
    assert mue_limit(loaded, "36415", "outpatient_hospital", VISIT).units == 3
    assert mue_limit(loaded, "e0601", "dme", VISIT).units == 1
    assert mue_limit(loaded, "A4216", "practitioner", VISIT).per_line
    assert mue_limit(loaded, "99999", "practitioner", VISIT) is None


def test_addon_primaries(loaded):
    primaries = addon_primaries(loaded, "22614", VISIT)
    assert [p.primary for p in primaries] == ["22600", "22610", "22612"]
    assert {p.edit_type for p in primaries} == {1}
    [contractor] = addon_primaries(loaded, "0054T", VISIT)
    assert contractor.contractor_defined and contractor.edit_type == 2
    assert addon_primaries(loaded, "99213", VISIT) == []


def test_addon_edit_dates(engine, fixtures):
    import_paths([fixtures / "ncci" / "AOC_V2024Q3-F-MCR.txt"], engine)
    assert [p.primary for p in addon_primaries(engine, "22614", VISIT)] == ["22600"]
    assert [p.primary for p in addon_primaries(engine, "22614", dt.date(2015, 3, 1))] == [
        "22600", "22630"]


def test_mce_edits_for(loaded):
    edits = mce_edits_for(loaded, "O09.511")
    assert [(e.group, e.category) for e in edits] == [("age", "maternity"), ("sex", "female")]
    assert (edits[0].age_min, edits[0].age_max, edits[1].sex) == (9, 64, "F")
    assert mce_edits_for(loaded, "G01")[0].group == "manifestation"
    assert mce_edits_for(loaded, "E11.9") == []
    assert mce_edits_for(loaded, "N40.0", dt.date(2024, 1, 1))[0].sex == "M"


def test_nothing_loaded(engine):
    assert ptp_edits_between(engine, ["29880", "29870"], "practitioner", VISIT) == []
    assert mue_limit(engine, "29880", "practitioner", VISIT) is None
    assert addon_primaries(engine, "22614", VISIT) == []
    assert mce_edits_for(engine, "O09.511") == []
