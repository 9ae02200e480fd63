"""One reading of money for fee files, encounter files and the chart pane's cells."""

from decimal import Decimal

import pytest

from encoder_app.money import amount_text, parse_amount


@pytest.mark.parametrize(("typed", "cents"), [
    ("$1,200.00", "1200.00"), ("25.5", "25.50"), (120, "120.00"), (12.5, "12.50"),
    (" 0 ", "0.00"), (".75", "0.75"), (Decimal("3.10"), "3.10")])
def test_amounts_as_typed(typed, cents):
    assert str(parse_amount(typed)) == cents


@pytest.mark.parametrize(("typed", "reason"), [
    ("abc", "not an amount"), ("NaN", "not an amount"), ("Infinity", "not an amount"),
    ("1.200,00", "not an amount"), ("12.345", "fractions of a cent"), ("-5", "negative"),
    ("", "empty"), (True, "not an amount"), ("99999999", "too large")])
def test_bad_amounts_say_why(typed, reason):
    with pytest.raises(ValueError, match=reason):
        parse_amount(typed)


def test_negative_only_when_asked_and_cells_show_cents_or_the_text_typed():
    assert parse_amount("-$5.00", allow_negative=True) == Decimal("-5.00")
    assert amount_text(25.5) == "25.50" and amount_text("$12") == "12.00"
    assert amount_text("twelve") == "twelve" and amount_text(None) == ""
