"""The fee schedule: fees per code and per code+modifier, edited one at a time or replaced whole,
read from the CSV a practice keeps (errors name file, row and column; a bad file changes
nothing) and written back."""

from decimal import Decimal

import pytest

from encoder_app.practice.fee_schedule import (
    FeeScheduleError,
    export_fee_csv,
    import_fee_csv,
    load_fee_schedule,
    read_fee_csv,
    remove_fee,
    sample_fee_schedule,
    save_fee_schedule,
    set_fee,
)
from encoder_app.practice.pick_lists import sample_pick_list
from encoder_app.practice.types import FeeEntry, FeeSchedule


def write(tmp_path, text: str, name: str = "fees.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_no_fees_is_an_empty_schedule(engine):
    schedule = load_fee_schedule(engine)
    assert schedule.entries == () and schedule.fee_for("99213") is None


def test_set_fee_stores_normalised_code_upper_modifier_and_cents(engine):
    stored = set_fee(engine, " 69210 ", Decimal("95"), modifier="")
    set_fee(engine, "69210", "142.5", modifier="50")
    set_fee(engine, "j1100", 6)
    assert stored == FeeEntry("69210", Decimal("95.00"))
    schedule = load_fee_schedule(engine)
    assert schedule.entries == (FeeEntry("69210", Decimal("95.00")),
                                FeeEntry("69210", Decimal("142.50"), "50"),
                                FeeEntry("J1100", Decimal("6.00")))
    assert str(schedule.fee_for("69210", ["50"])) == "142.50"  # quantized, not 142.5
    assert schedule.fee_for("69210", ["RT"]) == Decimal("95.00")


def test_set_fee_changes_the_fee_there_and_remove_fee_keeps_the_modifier_fee(engine):
    set_fee(engine, "69210", Decimal("95"))
    set_fee(engine, "69210", Decimal("142.50"), "50")
    set_fee(engine, "69210", Decimal("99.99"))
    assert load_fee_schedule(engine).fee_for("69210") == Decimal("99.99")
    assert remove_fee(engine, "69210") is True
    assert remove_fee(engine, "69210") is False
    assert load_fee_schedule(engine).entries == (FeeEntry("69210", Decimal("142.50"), "50"),)


@pytest.mark.parametrize("code, fee, modifier, problem", [
    ("99213", Decimal("-1"), "", "fee '-1' is negative"),
    ("99213", Decimal("12.345"), "", "fee '12.345' has fractions of a cent"),
    ("99213", Decimal("NaN"), "", "fee 'NaN' is not an amount"),
    ("E11.9", Decimal("10"), "", "code 'E11.9' is not a CPT or HCPCS code"),
    ("99213", Decimal("10"), "2", "modifier '2' is not a modifier"),
])
def test_bad_single_fees_are_refused_with_the_reason(engine, code, fee, modifier, problem):
    with pytest.raises(FeeScheduleError, match=f"^fee schedule: {problem}"):
        set_fee(engine, code, fee, modifier)
    assert load_fee_schedule(engine).entries == ()


def test_save_fee_schedule_replaces_everything_and_refuses_a_code_priced_twice(engine):
    set_fee(engine, "99213", Decimal("150"))
    save_fee_schedule(engine, FeeSchedule((FeeEntry("99214", Decimal("225")),)))
    assert load_fee_schedule(engine).entries == (FeeEntry("99214", Decimal("225.00")),)
    twice = FeeSchedule((FeeEntry("99215", Decimal("300")), FeeEntry("99215", Decimal("310"))))
    with pytest.raises(FeeScheduleError, match="99215 has two fees"):
        save_fee_schedule(engine, twice)
    assert load_fee_schedule(engine).entries == (FeeEntry("99214", Decimal("225.00")),)


def test_csv_with_common_header_names_and_amount_styles_is_read(tmp_path):
    path = write(tmp_path, "CPT/HCPCS,Description,Mod,Charge\n"
                           "99213,Office visit,,$155.00\n"
                           "69210-50,Ear wax both ears,,142.5\n"
                           "20610,Joint,50,\"1,200.00\"\n"
                           ",,,\n"
                           "j3420,B12,, 20 \n")
    schedule = read_fee_csv(path)
    assert schedule.entries == (FeeEntry("20610", Decimal("1200.00"), "50"),
                                FeeEntry("69210", Decimal("142.50"), "50"),
                                FeeEntry("99213", Decimal("155.00")),
                                FeeEntry("J3420", Decimal("20.00")))


@pytest.mark.parametrize("header", ["code\tfee", "HCPCS\tAmount", "Procedure Code\tFee ($)"])
def test_tab_separated_files_and_header_aliases(tmp_path, header):
    path = write(tmp_path, f"{header}\n99213\t155\n", "fees.txt")
    assert read_fee_csv(path).entries == (FeeEntry("99213", Decimal("155.00")),)


def test_bad_fee_names_file_row_and_column(tmp_path):
    rows = "".join(f"9921{i},{100 + i}\n" for i in range(1, 6))
    path = write(tmp_path, f"code,fee\n{rows}99215,abc\n")
    with pytest.raises(FeeScheduleError) as caught:
        read_fee_csv(path)
    assert str(caught.value) == "fees.csv: row 7: fee 'abc' is not an amount"
    assert (caught.value.row, caught.value.column) == (7, "fee")


@pytest.mark.parametrize("line, problem", [
    ("99213,-5", "row 2: Charge '-5' is negative"),
    ("99213,12.345", "row 2: Charge '12.345' has fractions of a cent"),
    ("99213,\"1.200,00\"", "row 2: Charge '1.200,00' is not an amount"),
    ("99213,", "row 2: Charge is empty"),
    ("E11.9,10", "row 2: CPT 'E11.9' is not a CPT or HCPCS code"),
    ("99213-2X5,10", "row 2: modifier '2X5' is not a modifier"),
])
def test_bad_cells_are_reported_with_the_header_as_written(tmp_path, line, problem):
    path = write(tmp_path, f"CPT,Charge\n{line}\n")
    with pytest.raises(FeeScheduleError, match=f"^fees.csv: {problem}"):
        read_fee_csv(path)


def test_a_code_priced_twice_in_a_file_names_both_rows(tmp_path):
    path = write(tmp_path, "code,modifier,fee\n99213,,150\n69210,50,140\n99213,,155\n")
    with pytest.raises(FeeScheduleError, match="^fees.csv: row 4: 99213 already has a fee on "
                                               "row 2"):
        read_fee_csv(path)


def test_missing_columns_empty_and_absent_files_are_reported(tmp_path):
    with pytest.raises(FeeScheduleError, match="^fees.csv: row 1: no fee column"):
        read_fee_csv(write(tmp_path, "code,description\n99213,visit\n"))
    with pytest.raises(FeeScheduleError, match="^fees.csv: row 1: no code column"):
        read_fee_csv(write(tmp_path, "99213,155.00\n"))
    with pytest.raises(FeeScheduleError, match="^fees.csv: is empty"):
        read_fee_csv(write(tmp_path, ""))
    with pytest.raises(FeeScheduleError, match="^missing.csv: no such file"):
        read_fee_csv(tmp_path / "missing.csv")


def test_a_bad_file_leaves_the_saved_fees_intact(engine, tmp_path):
    assert import_fee_csv(engine, write(tmp_path, "code,fee\n99213,150\n99214,225\n")) == 2
    before = load_fee_schedule(engine)
    bad = write(tmp_path, "code,fee\n99202,120\n99203,180\n99204,oops\n", "new.csv")
    with pytest.raises(FeeScheduleError, match="^new.csv: row 4: fee 'oops'"):
        import_fee_csv(engine, bad)
    assert load_fee_schedule(engine) == before


def test_import_replaces_and_export_writes_a_file_import_reads_back(engine, tmp_path):
    set_fee(engine, "99499", Decimal("1"))
    count = import_fee_csv(engine, write(tmp_path, "code,modifier,fee\n99213,,155\n"
                                                   "71046,26,30\n71046,,95.5\n"))
    assert count == 3 and load_fee_schedule(engine).fee_for("99499") is None
    out = tmp_path / "out.csv"
    assert export_fee_csv(engine, out) == 3
    assert out.read_text(encoding="utf-8").splitlines() == [
        "code,modifier,fee", "71046,,95.50", "71046,26,30.00", "99213,,155.00"]
    assert read_fee_csv(out) == load_fee_schedule(engine)


def test_export_takes_a_schedule_without_a_database(tmp_path):
    out = tmp_path / "sample.csv"
    assert export_fee_csv(sample_fee_schedule(), out) == len(sample_fee_schedule().entries)
    assert read_fee_csv(out) == sample_fee_schedule()


def test_sample_fees_price_every_service_on_the_sample_pick_list_with_modifier_variants():
    schedule = sample_fee_schedule()
    assert 35 <= len(schedule.entries) <= 50
    assert all(Decimal("0") < e.fee < Decimal("1000") for e in schedule.entries)
    assert {e.modifier for e in schedule.entries} >= {"", "50", "26"}
    assert schedule.fee_for("69210", ["50"]) > schedule.fee_for("69210")
    assert schedule.fee_for("71046", ["26"]) < schedule.fee_for("71046")
    services = [i for s in sample_pick_list().sections for i in s.items
                if i.system != "ICD-10-CM"]
    unpriced = [i.code for i in services
                if schedule.fee_for(i.code, [i.modifier] if i.modifier else []) is None]
    assert unpriced == []


def test_excel_unicode_text_and_undecodable_bytes(tmp_path):
    unicode_text = tmp_path / "fees.txt"
    unicode_text.write_bytes("Code\tFee\n99213\t$120.00\nG0008\t35\n".encode("utf-16"))
    assert read_fee_csv(unicode_text).fee_for("99213") == Decimal("120.00")
    binary = tmp_path / "fees.csv"
    binary.write_bytes(b"code,fee\n99213,120\n\x81\x8d\x90,1\n")
    with pytest.raises(FeeScheduleError, match=r"fees.csv: is not a text CSV file \(byte 20"):
        read_fee_csv(binary)


def test_a_line_at_the_schedule_price_follows_it_a_typed_charge_stays():
    fees = FeeSchedule((FeeEntry("69210", Decimal("95.00")),
                        FeeEntry("69210", Decimal("142.50"), "50")))
    assert fees.charge_after_edit("69210", [], Decimal("95.00"), "69210", ["50"]) == \
        Decimal("142.50")
    assert fees.charge_after_edit("69210", [], None, "69210", []) == Decimal("95.00")
    assert fees.charge_after_edit("69210", [], Decimal("130.00"), "69210", ["50"]) is None
    assert fees.charge_after_edit("69210", ["50"], Decimal("142.50"), "99999", []) is None
