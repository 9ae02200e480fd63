"""The day sheet: each encounter of the range with its codes and charges, totals per provider,
per day and overall to the cent, a chart of charges per day, and a page for an empty range."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.encounters.store import save_encounter
from encoder_app.practice.fee_schedule import save_fee_schedule
from encoder_app.practice.setup import save_practice
from encoder_app.reports.daysheet import daysheet_from
from encoder_app.reports.daysheet_data import DateRangeError, compose_daysheet, daysheet_pdf
from encoder_app.reports.daysheet_layout import render_daysheet

MON, TUE, WED = dt.date(2026, 4, 13), dt.date(2026, 4, 14), dt.date(2026, 4, 15)
PEREZ, IBANEZ = "1234567893", "1245319599"


def seen(day, patient, npi, diagnoses, procedures):
    return parse_encounter({"date_of_service": day.isoformat(), "patient": {"name": patient},
                            "provider": {"name": f"Dr {npi[-4:]}", "npi": npi},
                            "diagnoses": diagnoses, "procedures": procedures})


def week():
    return [
        seen(MON, "José Muñoz", PEREZ, ["E11.9", "I10"],
             [{"code": "99214", "modifiers": ["25"]}, {"code": "36415"}]),  # 165 + 15
        seen(MON, "Zoë Müller", IBANEZ, ["J02.9"], [{"code": "99213", "charge": "99.99"}]),
        seen(WED, "François Çelik", PEREZ, ["M17.11"],
             [{"code": "20610", "modifiers": ["50"]},  # 225.00 (bilateral fee)
              {"code": "J3301", "units": 4}]),  # 4 x 3.35 = 13.40
        seen(WED, "Ana Öztürk", IBANEZ, ["R05.9"], [{"code": "93000"}]),  # no fee: 0.00
    ]


def test_totals_per_provider_per_day_and_overall_are_exact(fees, practice):
    sheet = daysheet_from(week(), MON, WED, fees, practice)
    assert [r.charges for r in sheet.rows] == [Decimal("180.00"), Decimal("99.99"),
                                               Decimal("238.40"), Decimal("0.00")]
    assert [(s.label, s.encounters, s.charges) for s in sheet.by_provider] == [
        ("Ana Pérez, MD", 2, Decimal("418.40")), ("Tomás Ibáñez, DO", 2, Decimal("99.99"))]
    assert sheet.days == [MON, WED]  # Tuesday had no encounters: no row and no bar
    assert [(s.encounters, s.charges) for s in sheet.by_day] == [
        (2, Decimal("279.99")), (2, Decimal("238.40"))]
    assert sheet.grand_total == Decimal("518.39")
    assert sheet.unpriced_lines == 1


def test_encounters_outside_the_range_are_left_out(fees):
    sheet = daysheet_from(week(), TUE, WED, fees)
    assert [r.patient for r in sheet.rows] == ["François Çelik", "Ana Öztürk"]
    assert [s.label for s in sheet.by_provider] == ["Dr 7893", "Dr 9599"]


def test_the_page_prints_every_encounter_and_every_total(read_pdf, fees, practice):
    pdf = render_daysheet(daysheet_from(week(), MON, WED, fees, practice))
    out = read_pdf(pdf.data)
    assert out.has_row("Lakeside Family Medicine, P.C.", "DAY SHEET")
    assert ("Dates of service 04/13/2026 – 04/15/2026 · 4 encounters · charges $518.39"
            in out.text)
    assert out.has_row("Date", "Patient", "Provider", "Diagnoses", "Services", "Charges")
    assert out.has_row("04/13/2026", "José Muñoz", "Ana Pérez, MD", "E11.9, I10",
                       "99214-25, 36415", "180.00")
    assert out.has_row("04/13/2026", "Zoë Müller", "Tomás Ibáñez, DO", "J02.9", "99213",
                       "99.99")
    assert out.has_row("04/15/2026", "François Çelik", "Ana Pérez, MD", "M17.11",
                       "20610-50, J3301 x4", "238.40")
    assert out.has_row("04/15/2026", "Ana Öztürk", "Tomás Ibáñez, DO", "R05.9", "93000",
                       "0.00 *")
    assert out.has_row("Total for 04/13/2026 (2 encounters)", "279.99")
    assert out.has_row("Total for 04/15/2026 (2 encounters)", "238.40")
    assert "* 1 service line has no charge and no fee in the fee schedule" in out.text
    assert out.has_row("Provider", "Encounters", "Charges", "Day of service", "Encounters",
                       "Charges")
    assert out.has_row("Ana Pérez, MD", "2", "418.40", "04/13/2026", "2", "279.99")
    assert out.has_row("Tomás Ibáñez, DO", "2", "99.99", "04/15/2026", "2", "238.40")
    assert out.has_row("All", "4", "518.39", "All", "4", "518.39")
    assert "Grand total for 04/13/2026 – 04/15/2026: $518.39" in out.text
    assert "Charges per day of service" in out.text
    assert out.has_row("Mon 04/13", "Wed 04/15")  # a bar per day that had encounters
    assert "Tue 04/14" not in out.text


def test_an_empty_range_prints_a_page_saying_so(read_pdf):
    pdf = render_daysheet(daysheet_from([], TUE, TUE))
    out = read_pdf(pdf.data)
    assert pdf.pages == 1
    assert "No encounters with a date of service from 04/14/2026 to 04/14/2026." in out.text
    assert "Practice details not set up" in out.text


def test_a_long_range_flows_onto_pages_with_the_header_repeated(read_pdf, fees):
    days = [MON + dt.timedelta(days=d) for d in range(28)]
    encounters = [seen(day, f"Patient {i}-{n}", PEREZ if n % 2 else IBANEZ, ["I10"],
                       [{"code": "99213"}]) for i, day in enumerate(days) for n in range(3)]
    pdf = render_daysheet(daysheet_from(encounters, days[0], days[-1], fees))
    out = read_pdf(pdf.data)
    assert pdf.pages >= 3
    for i in range(pdf.pages):
        assert "DAY SHEET" in out.pages[i]
        assert "Dates of service 04/13/2026 – 05/10/2026 · 84 encounters" in out.pages[i]
        assert f"Page {i + 1} of {pdf.pages}" in out.pages[i]
    table_pages = [i for i in range(pdf.pages) if "Patient " in out.pages[i]]
    assert len(table_pages) >= 2
    for i in table_pages:
        assert out.has_row("Date", "Patient", "Provider", "Diagnoses", "Services", "Charges",
                           page=i)
    assert "Grand total for 04/13/2026 – 05/10/2026: $9,240.00" in out.text


def test_saved_encounters_of_the_range_priced_with_the_saved_fees(engine, fees, practice,
                                                                   read_pdf):
    save_practice(engine, practice)
    save_fee_schedule(engine, fees)
    for encounter in week():
        save_encounter(engine, encounter)
    save_encounter(engine, seen(WED + dt.timedelta(days=1), "Next Day", PEREZ, ["I10"],
                                [{"code": "99213"}]))
    sheet = compose_daysheet(engine, MON, WED)
    assert len(sheet.rows) == 4 and sheet.grand_total == Decimal("518.39")
    out = read_pdf(daysheet_pdf(engine, MON, WED))
    assert out.has_row("Ana Pérez, MD", "2", "418.40", "04/13/2026", "2", "279.99")
    assert "Next Day" not in out.text


def test_a_range_ending_before_it_starts_is_refused(engine):
    with pytest.raises(DateRangeError, match="starts on 2026-04-15 but ends earlier"):
        daysheet_pdf(engine, WED, MON)
