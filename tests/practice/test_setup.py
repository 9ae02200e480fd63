"""The practice set-up: saved and read back whole, bad EINs and NPIs refused naming the field,
one practice per database, the fictional sample loaded only on request, and a database of
schema version 2 upgraded in place with the new tables."""

import datetime as dt
from dataclasses import replace

import pytest
from sqlalchemy import create_engine, inspect, text

from encoder_app.codebook.db import engine_for
from encoder_app.edits.rules.claim import npi_check_digit
from encoder_app.practice.fee_schedule import load_fee_schedule, sample_fee_schedule, set_fee
from encoder_app.practice.pick_lists import list_pick_lists, save_pick_list
from encoder_app.practice.sample import load_sample_practice, sample_practice
from encoder_app.practice.setup import (
    PracticeError,
    load_practice,
    save_practice,
    validate_practice,
)
from encoder_app.practice.types import Payer, PickList, Practice, PracticeProvider

PRACTICE = Practice(
    "Riverbend Clinic", ("12 Mill Road", "Smalltown, ST 00000"), "(555) 555-0100", "98-7654321",
    "1999999992",
    (PracticeProvider("Lee Park", "MD", "1234567893"),
     PracticeProvider("Ana Ruiz", "NP-C", "1222222220")),
    (Payer("Medicare Part B"), Payer("Acme Health", "ACME1")))


def with_(**changes) -> Practice:
    from dataclasses import replace

    return replace(PRACTICE, **changes)


def test_saved_practice_reads_back_with_providers_and_payers_in_order(engine):
    assert load_practice(engine) is None
    save_practice(engine, PRACTICE)
    assert load_practice(engine) == PRACTICE


def test_nine_digit_ein_is_stored_with_its_dash_and_spaces_are_tidied(engine):
    save_practice(engine, with_(tax_id="987654321", name="  Riverbend   Clinic ",
                                address_lines=("12 Mill Road", "  ", "Smalltown, ST 00000")))
    saved = load_practice(engine)
    assert saved.tax_id == "98-7654321"
    assert saved.name == "Riverbend Clinic"
    assert saved.address_lines == ("12 Mill Road", "Smalltown, ST 00000")


@pytest.mark.parametrize("tax_id", ["98-765432", "9876543210", "98-76543X1", "987-654321"])
def test_malformed_ein_is_refused_naming_the_tax_id(tax_id):
    with pytest.raises(PracticeError, match=r"^tax id: .* is not an EIN; write NN-NNNNNNN"):
        validate_practice(with_(tax_id=tax_id))


def test_provider_npi_failing_its_check_digit_names_the_provider():
    bad = with_(providers=(PRACTICE.providers[0], PracticeProvider("Ana Ruiz", "NP-C",
                                                                   "1234567890")))
    with pytest.raises(PracticeError) as caught:
        validate_practice(bad)
    assert str(caught.value).startswith(
        "provider 2 (Ana Ruiz): NPI 1234567890 fails its check digit")
    assert caught.value.field == "provider 2 (Ana Ruiz)"


def test_group_npi_and_short_npis_are_checked_too():
    with pytest.raises(PracticeError, match="^group NPI: NPI 1999999990 fails its check digit"):
        validate_practice(with_(group_npi="1999999990"))
    with pytest.raises(PracticeError, match=r"^provider 1 \(Lee Park\): NPI '12345' is not 10"):
        validate_practice(with_(providers=(PracticeProvider("Lee Park", "MD", "12345"),)))


def test_an_npi_starting_other_than_1_or_2_is_refused():
    npi = "300000000" + str(npi_check_digit("300000000"))
    with pytest.raises(PracticeError, match="NPIs start with 1 or 2"):
        validate_practice(with_(group_npi=npi))


def test_two_providers_with_one_npi_and_a_payer_listed_twice_are_refused():
    twins = (PracticeProvider("Lee Park", "MD", "1234567893"),
             PracticeProvider("Kim Park", "MD", "1234567893"))
    with pytest.raises(PracticeError, match=r"provider 2 \(Kim Park\): .* also provider 1's"):
        validate_practice(with_(providers=twins))
    with pytest.raises(PracticeError, match=r"payer 3 \(medicare part b\): is listed twice"):
        validate_practice(with_(payers=(*PRACTICE.payers, Payer("medicare part b"))))


def test_practice_and_provider_names_are_required():
    with pytest.raises(PracticeError, match="^practice name: is required"):
        validate_practice(with_(name="  "))
    with pytest.raises(PracticeError, match="^provider 1: name is required"):
        validate_practice(with_(providers=(PracticeProvider("", "MD", "1234567893"),)))


def test_a_provider_without_an_npi_yet_can_be_saved(engine):
    save_practice(engine, with_(providers=(PracticeProvider("New Hire", "PA-C"),)))
    assert load_practice(engine).providers == (PracticeProvider("New Hire", "PA-C", ""),)


def test_saving_again_replaces_the_practice_and_a_refused_save_keeps_it(engine):
    save_practice(engine, PRACTICE)
    renamed = with_(name="Riverbend Family Clinic", payers=(Payer("Acme Health", "ACME1"),))
    save_practice(engine, renamed)
    assert load_practice(engine) == renamed
    with pytest.raises(PracticeError):
        save_practice(engine, with_(group_npi="1"))
    assert load_practice(engine) == renamed
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from practice")).scalar() == 1


def test_sample_practice_has_valid_npis_a_fictional_ein_and_three_payers():
    sample = sample_practice()
    validate_practice(sample)
    assert 2 <= len(sample.providers) <= 3 and len(sample.payers) == 3
    for npi in [sample.group_npi, *(p.npi for p in sample.providers)]:
        assert len(npi) == 10 and int(npi[9]) == npi_check_digit(npi), npi
    assert len(sample.tax_id) == 10 and sample.tax_id[2] == "-"


def test_the_sample_is_never_loaded_without_being_asked(engine):
    assert load_practice(engine) is None
    assert load_fee_schedule(engine).entries == ()
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from pick_lists")).scalar() == 0


def test_loading_the_sample_saves_practice_fees_and_pick_list_together(engine):
    save_pick_list(engine, PickList("Our own list"))
    load_sample_practice(engine)
    assert load_practice(engine) == sample_practice()
    assert load_fee_schedule(engine) == sample_fee_schedule()
    assert list_pick_lists(engine) == ["Our own list", "Sample family practice"]
    with engine.connect() as conn:
        assert conn.execute(text("select count(*) from pick_lists")).scalar() == 2
    load_sample_practice(engine)  # again: still the sample, nothing doubled
    assert len(load_fee_schedule(engine).entries) == len(sample_fee_schedule().entries)


def test_the_sample_does_not_overwrite_a_real_practice_unless_told(engine):
    save_practice(engine, PRACTICE)
    with pytest.raises(PracticeError, match="set up for Riverbend Clinic"):
        load_sample_practice(engine)
    assert load_practice(engine) == PRACTICE
    load_sample_practice(engine, replace=True)
    assert load_practice(engine) == sample_practice()


def test_the_sample_does_not_overwrite_fees_entered_before_a_practice(engine):
    set_fee(engine, "99213", 150)
    with pytest.raises(PracticeError, match="already has its own fees"):
        load_sample_practice(engine)
    assert len(load_fee_schedule(engine).entries) == 1


def test_loading_the_sample_again_keeps_fees_and_details_changed_since(engine):
    load_sample_practice(engine)
    set_fee(engine, "99213", 160)
    with pytest.raises(PracticeError, match="its own fees"):
        load_sample_practice(engine)
    assert load_fee_schedule(engine).fee_for("99213") == 160
    load_sample_practice(engine, replace=True)
    edited = replace(sample_practice(), phone="(555) 555-0199")
    save_practice(engine, edited)
    with pytest.raises(PracticeError, match="changes of its own"):
        load_sample_practice(engine)
    assert load_practice(engine).phone == "(555) 555-0199"


PRACTICE_TABLES = {"practice", "practice_providers", "practice_payers", "fee_schedule",
                   "pick_lists", "pick_list_sections", "pick_list_items"}


def test_a_schema_2_database_gains_the_practice_tables_and_keeps_its_data(tmp_path):
    import importlib

    from encoder_app.codebook.models import ADDITIVE_UPGRADES, SCHEMA_VERSION

    assert all(v in ADDITIVE_UPGRADES for v in range(2, 6))  # 2 to 5 only added tables
    # The tables as the migrations' baseline spells them (schema 5, before versioned saves).
    baseline = importlib.import_module("encoder_app.migrations.versions.0005_baseline").META
    url = f"sqlite:///{tmp_path / 'v2.sqlite3'}"
    raw = create_engine(url)
    # Version 2 had neither the practice tables (3), the study tables (4) nor the POA list (5).
    baseline.create_all(raw, tables=[t for t in baseline.sorted_tables
                                     if t.name not in PRACTICE_TABLES
                                     and not t.name.startswith("study_")
                                     and t.name != "poa_exempt_codes"])
    with raw.begin() as conn:
        conn.execute(text("insert into schema_info values (2)"))
        conn.execute(text("insert into favorites (user, system, code, added_at) "
                          "values ('coder', 'icd10cm', 'E119', :at)"), {"at": dt.datetime.now()})
    assert not PRACTICE_TABLES & set(inspect(raw).get_table_names())
    raw.dispose()

    engine = engine_for(url)
    assert PRACTICE_TABLES <= set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        assert conn.execute(text("select version from schema_info")).scalar() == SCHEMA_VERSION
        assert conn.execute(text("select code from favorites")).scalar() == "E119"
    save_practice(engine, PRACTICE)
    assert load_practice(engine) == PRACTICE
