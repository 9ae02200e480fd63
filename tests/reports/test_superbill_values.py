"""What a superbill says before it is drawn: letters, fees, totals to the cent, open errors."""

from __future__ import annotations

from decimal import Decimal

from encoder_app.edits.finding import Finding
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.reports.superbill import (
    NOT_IN_CODEBOOK,
    open_errors,
    pointer_letter,
    superbill_from,
)


def encounter(procedures, **fields):
    data = {"date_of_service": "2026-04-14", "place_of_service": "11",
            "patient": {"name": "José Muñoz", "sex": "M", "birth_date": "1958-07-02"},
            "provider": {"name": "A. Perez", "npi": "1234567893"},
            "diagnoses": ["E119", "I10", "M17.11"], "procedures": procedures}
    data.update(fields)
    return parse_encounter(data)


def finding(severity, rule="test.rule"):
    return Finding(rule, severity, ("E11.9",), f"a {severity}", "test")


def test_pointers_are_letters_like_the_claim_form():
    assert [pointer_letter(n) for n in (1, 2, 12, 26)] == ["A", "B", "L", "Z"]
    assert pointer_letter(27) == "27"


def test_diagnoses_are_lettered_dotted_and_titled_or_marked_unknown():
    bill = superbill_from(encounter([]), diagnosis_titles={"E119": "Type 2 diabetes",
                                                           "I10": "Hypertension"})
    assert [(d.letter, d.code, d.title) for d in bill.diagnoses] == [
        ("A", "E11.9", "Type 2 diabetes"), ("B", "I10", "Hypertension"),
        ("C", "M17.11", NOT_IN_CODEBOOK)]


def test_the_lines_charge_wins_over_the_fee_schedule(fees):
    bill = superbill_from(encounter([{"code": "99214", "charge": "170.10"}]), fee_schedule=fees)
    [line] = bill.lines
    assert (line.fee, line.total, line.fee_from_schedule) == (Decimal("170.10"),
                                                              Decimal("170.10"), False)


def test_without_a_charge_the_fee_schedule_prices_the_line_times_units(fees):
    bill = superbill_from(encounter([{"code": "J3301", "units": 4, "diagnosis_pointers": [3]}]),
                          fee_schedule=fees)
    [line] = bill.lines
    assert (line.fee, line.total, line.fee_from_schedule) == (Decimal("3.35"),
                                                              Decimal("13.40"), True)
    assert line.pointers == ("C",)


def test_a_modifier_with_its_own_fee_is_priced_with_it(fees):
    bill = superbill_from(encounter([{"code": "20610", "modifiers": ["50"]},
                                     {"code": "20610", "modifiers": ["RT"]}]), fee_schedule=fees)
    assert [line.fee for line in bill.lines] == [Decimal("225.00"), Decimal("150.00")]


def test_a_line_with_no_charge_and_no_fee_is_blank_and_not_totalled(fees):
    bill = superbill_from(encounter([{"code": "93000"}, {"code": "36415"}]), fee_schedule=fees)
    assert (bill.lines[0].fee, bill.lines[0].total) == (None, None)
    assert bill.total_charges == Decimal("15.00")


def test_totals_and_balance_are_exact_decimals_to_the_cent(fees):
    lines = [{"code": "99213", "charge": "0.10"}, {"code": "36415", "charge": "0.20", "units": 3},
             {"code": "J3301", "units": 7}]
    bill = superbill_from(encounter(lines, amount_paid="0.35"), fee_schedule=fees)
    assert bill.total_charges == Decimal("24.15")  # 0.10 + 0.60 + 23.45, no float drift
    assert bill.amount_paid == Decimal("0.35")
    assert bill.balance_due == Decimal("23.80")
    assert str(bill.balance_due) == "23.80"


def test_no_payment_means_the_whole_total_is_due(fees):
    bill = superbill_from(encounter([{"code": "99214"}]), fee_schedule=fees)
    assert (bill.amount_paid, bill.balance_due) == (Decimal("0.00"), Decimal("165.00"))


def test_an_overpayment_leaves_a_credit(fees):
    bill = superbill_from(encounter([{"code": "36415"}], amount_paid="20"), fee_schedule=fees)
    assert bill.balance_due == Decimal("-5.00")


def test_the_rendering_provider_is_matched_by_npi_for_name_and_credentials(practice):
    bill = superbill_from(encounter([]), practice=practice)
    assert (bill.provider_name, bill.provider_credentials, bill.provider_npi) == (
        "Ana Pérez", "MD", "1234567893")
    other = encounter([], provider={"name": "Locum Doctor", "npi": "1999999992"})
    bill = superbill_from(other, practice=practice)
    assert (bill.provider_name, bill.provider_credentials) == ("Locum Doctor", "")


def test_place_of_service_prints_its_name_when_known_else_the_code():
    assert superbill_from(encounter([]), place_name="Office").place_of_service == "11 Office"
    assert superbill_from(encounter([])).place_of_service == "11"


def test_findings_are_printed_only_while_an_error_remains():
    warnings_only = superbill_from(encounter([]), findings=[finding("warning"), finding("info")])
    assert warnings_only.open_errors == [] and warnings_only.findings_to_print == []
    with_error = superbill_from(encounter([]), findings=[finding("error"), finding("warning"),
                                                         finding("info")])
    assert [f.severity for f in with_error.findings_to_print] == ["error", "warning"]
    assert open_errors(with_error.findings) == [finding("error")]


def test_an_unpriced_line_is_footnoted_on_the_page(fees, read_pdf):
    from encoder_app.reports.superbill_layout import render_superbill

    bill = superbill_from(encounter([{"code": "93000"}, {"code": "36415"}]), fee_schedule=fees)
    text = read_pdf(render_superbill(bill).data).text
    assert "Line 1: no charge entered and no fee" in " ".join(text.split())
    priced = superbill_from(encounter([{"code": "36415"}]), fee_schedule=fees)
    assert "no charge entered" not in read_pdf(render_superbill(priced).data).text
