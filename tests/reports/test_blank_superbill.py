"""The blank check-off superbill: every pick-list code with its fee, the fields to fill by hand,
one page for the shipped sample, more pages (each with the header) for a long list."""

from __future__ import annotations

from decimal import Decimal

import pytest

from encoder_app.practice.fee_schedule import sample_fee_schedule
from encoder_app.practice.pick_lists import sample_pick_list
from encoder_app.practice.sample import sample_practice
from encoder_app.practice.types import (
    FeeEntry,
    FeeSchedule,
    PickItem,
    PickList,
    PickSection,
)
from encoder_app.reports.blank_superbill import (
    column_count,
    item_code,
    item_fee,
    render_blank_superbill,
)
from encoder_app.reports.style import money

SMALL = PickList("Front desk", (
    PickSection("Office visits", (PickItem("99213", "Est. visit, low"),
                                  PickItem("99214", "Est. visit, moderate"))),
    PickSection("Procedures", (PickItem("20610", "Knee injection, one side"),
                               PickItem("20610", "Knee injection, both sides", modifier="50"),
                               PickItem("93000", "ECG with read"))),
    PickSection("Diagnoses", (PickItem("E11.9", "Diabetes type 2", "ICD-10-CM"),)),
))


def test_every_item_prints_its_code_label_and_fee_or_a_blank(read_pdf, practice, fees):
    pdf = render_blank_superbill(SMALL, practice, fees)
    out = read_pdf(pdf.data)
    assert pdf.pages == 1
    assert out.has_row("Lakeside Family Medicine, P.C.", "SUPERBILL")
    assert out.has_row("Office visits")
    assert out.has_row("99213", "Est. visit, low", "110.00")
    assert out.has_row("99214", "Est. visit, moderate", "165.00")
    assert out.has_row("20610", "Knee injection, one side", "150.00")
    assert out.has_row("20610-50", "Knee injection, both sides", "225.00")
    assert out.has_row("93000", "ECG with read")  # no fee set
    assert not out.has_row("93000", "ECG with read", "0.00")
    assert out.has_row("E11.9", "Diabetes type 2")


def test_diagnoses_carry_no_fee_even_when_a_code_matches(practice):
    fees = FeeSchedule((FeeEntry("E119", Decimal("9.99")),))
    assert item_fee(PickItem("E11.9", "Diabetes", "ICD-10-CM"), fees) is None
    assert item_code(PickItem("69210", "Both ears", modifier="50")) == "69210-50"


def test_fields_to_fill_by_hand_are_all_there(read_pdf):
    out = read_pdf(render_blank_superbill(SMALL).data)
    for label in ("PATIENT NAME", "DATE OF BIRTH", "SEX F / M", "MEMBER ID", "PAYER",
                  "DATE OF SERVICE", "RENDERING PROVIDER", "PLACE OF SERVICE",
                  "PAYMENT RECEIVED $"):
        assert label in out.text, label
    assert out.has_row("A", "B", "C", "D") and out.has_row("I", "J", "K", "L")
    assert out.has_row("Code", "Modifiers", "Service", "Units", "Dx pointer", "Fee")
    for label in ("Total charges", "Payment received", "Balance due", "Provider signature"):
        assert label in out.text
    assert "Practice details not set up" in out.text


def test_the_shipped_sample_fits_one_page_with_every_code_and_fee(read_pdf):
    pick_list, fees = sample_pick_list(), sample_fee_schedule()
    pdf = render_blank_superbill(pick_list, sample_practice(), fees)
    assert pdf.pages == 1
    out = read_pdf(pdf.data)
    items = [item for section in pick_list.sections for item in section.items]
    assert len(items) >= 40
    for section in pick_list.sections:
        assert section.title in out.text
    for item in items:
        fee = item_fee(item, fees)
        cells = (item_code(item), item.label) + ((money(fee),) if fee is not None else ())
        assert out.has_row(*cells), cells


def test_a_long_list_flows_onto_more_pages_with_the_header(read_pdf, practice, fees):
    sections = tuple(PickSection(f"Section {s}", tuple(
        PickItem(f"{99000 + s * 40 + i}", f"Service {s}-{i}") for i in range(40)))
        for s in range(5))
    pdf = render_blank_superbill(PickList("Long", sections), practice, fees)
    out = read_pdf(pdf.data)
    assert pdf.pages >= 2
    for i in range(pdf.pages):
        assert out.has_row("Lakeside Family Medicine, P.C.", "SUPERBILL", page=i)
        assert out.has_row(f"Page {i + 1} of {pdf.pages}", page=i)
    for s in range(5):
        for i in range(40):
            assert out.has_row(f"{99000 + s * 40 + i}", f"Service {s}-{i}")


@pytest.mark.parametrize(("label", "columns"), [("Short", 3), ("A label far too long for "
                                                               "a third of the page", 2)])
def test_three_columns_unless_labels_would_wrap(label, columns):
    pick_list = PickList("x", (PickSection("s", (PickItem("99213", label),)),))
    assert column_count(pick_list) == columns


def test_an_empty_pick_list_still_prints_the_form(read_pdf):
    pdf = render_blank_superbill(PickList("New list"))
    out = read_pdf(pdf.data)
    assert pdf.pages == 1
    assert "has no items yet" in out.text and "PATIENT NAME" in out.text


def test_a_four_figure_fee_stays_on_one_line(read_pdf, practice):
    fees = FeeSchedule((FeeEntry("27447", Decimal("32450.00")), FeeEntry("99213", Decimal("5"))))
    form = PickList("Ortho", (PickSection("Procedures", (
        PickItem("27447", "Knee replacement"), PickItem("99213", "Est. visit, low"))),))
    out = read_pdf(render_blank_superbill(form, practice, fees).data)
    assert out.has_row("27447", "Knee replacement", "32,450.00")
    assert out.has_row("99213", "Est. visit, low", "5.00")
