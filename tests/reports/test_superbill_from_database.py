"""Superbills composed from the database: the practice and fees set up there, titles from the
codebook of the date of service, the Place of Service name, and the findings of the edits."""

from __future__ import annotations

from decimal import Decimal

import pytest

from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.importers import import_paths
from encoder_app.practice.fee_schedule import save_fee_schedule
from encoder_app.practice.pick_lists import UnknownPickList
from encoder_app.practice.setup import save_practice
from encoder_app.reports.superbill import NOT_IN_CODEBOOK
from encoder_app.reports.superbill_data import (
    blank_superbill_pdf,
    compose_superbill,
    open_errors,
    superbill_document,
    superbill_pdf,
)


def visit(diagnoses, **changes):
    data = {"date_of_service": "2026-04-14", "place_of_service": "11",
            "patient": {"name": "Zoë Müller", "sex": "F", "birth_date": "1961-11-30",
                        "member_id": "W123"},
            "provider": {"name": "Ana Perez", "npi": "1234567893"}, "payer": "Aetna",
            "diagnoses": diagnoses,
            "procedures": [{"code": "99214", "diagnosis_pointers": [1, 2], "charge": "165"},
                           {"code": "20610", "modifiers": ["50"], "diagnosis_pointers": [1]}]}
    data.update(changes)
    return parse_encounter(data)


@pytest.fixture
def set_up(fy2026_engine, practice, fees):
    save_practice(fy2026_engine, practice)
    save_fee_schedule(fy2026_engine, fees)
    return fy2026_engine


def test_titles_come_from_the_codebook_of_the_date_of_service(set_up):
    bill = compose_superbill(set_up, visit(["E11.9", "I10", "Z99.999"]))
    assert [(d.letter, d.code, d.title) for d in bill.diagnoses] == [
        ("A", "E11.9", "Type 2 diabetes mellitus without complications"),
        ("B", "I10", "Essential (primary) hypertension"),
        ("C", "Z99.999", NOT_IN_CODEBOOK)]


def test_practice_and_fee_schedule_are_read_from_the_database(set_up, read_pdf):
    bill, pdf = superbill_document(set_up, visit(["E11.9", "I10"]))
    assert bill.practice.name == "Lakeside Family Medicine, P.C."
    assert [line.fee for line in bill.lines] == [Decimal("165.00"), Decimal("225.00")]
    out = read_pdf(pdf.data)
    assert out.has_row("Lakeside Family Medicine, P.C.", "SUPERBILL")
    assert out.has_row("Ana Pérez, MD", "1234567893", "11", "Practitioner")
    assert out.has_row("2", "20610", "50", "1", "A", "225.00", "225.00")
    assert out.has_row("Balance due", "$390.00")


def test_place_of_service_name_once_the_pos_list_is_imported(set_up, fixtures, read_pdf):
    assert compose_superbill(set_up, visit(["E11.9"])).place_of_service == "11"
    import_paths([fixtures / "pos" / "place_of_service.csv"], set_up)
    assert compose_superbill(set_up, visit(["E11.9"])).place_of_service == "11 Test office"
    out = read_pdf(superbill_pdf(set_up, visit(["E11.9"])))
    assert out.has_row("Ana Pérez, MD", "1234567893", "11 Test office", "Practitioner")


def test_hcpcs_lines_print_the_short_descriptor(set_up, fixtures, read_pdf):
    import_paths([fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv"], set_up)
    lines = [{"code": "J0001", "units": 2, "diagnosis_pointers": [1], "charge": "4.10"}]
    out = read_pdf(superbill_pdf(set_up, visit(["E11.9"], procedures=lines)))
    assert out.has_row("1", "J0001", "Test inj epsilon 1 mg", "2", "A", "4.10", "8.20")


def test_an_invalid_code_leaves_an_error_boxed_on_the_page(set_up, read_pdf):
    bill, pdf = superbill_document(set_up, visit(["E11", "Z99.999"]))
    assert {f.rule for f in open_errors(bill.findings)} >= {"code.header", "code.unknown"}
    out = read_pdf(pdf.data)
    assert "edit errors still open on this encounter" in out.text
    assert any(row[:2] == ["ERROR", "code.unknown"] for row in out.rows())
    assert any(row[:2] == ["ERROR", "code.header"] for row in out.rows())


def test_a_clean_encounter_has_no_warning_box(set_up, read_pdf):
    bill, pdf = superbill_document(set_up, visit(["E11.9", "I10"]))
    assert open_errors(bill.findings) == []
    assert "Review before billing" not in read_pdf(pdf.data).text


def test_findings_already_checked_are_not_checked_again(set_up, monkeypatch):
    import encoder_app.reports.superbill_data as service

    monkeypatch.setattr(service, "check_encounter", lambda *a: pytest.fail("checked twice"))
    assert compose_superbill(set_up, visit(["E11.9"]), findings=[]).findings == ()


def test_without_a_practice_the_provider_heads_the_superbill(fy2026_engine, read_pdf):
    out = read_pdf(superbill_pdf(fy2026_engine, visit(["E11.9"])))
    assert out.has_row("Ana Perez", "SUPERBILL")
    assert "Practice details not set up" in out.text


def test_blank_form_of_the_shipped_sample_without_any_set_up(engine, read_pdf):
    out = read_pdf(blank_superbill_pdf(engine, "sample"))
    assert "Practice details not set up" in out.text
    assert out.has_row("99213", "Office visit, est., low complexity")  # no fees: no amount
    with pytest.raises(UnknownPickList):
        blank_superbill_pdf(engine, "no such list")


def test_a_line_the_fee_schedule_prices_is_not_reported_as_uncharged(set_up):
    bill = compose_superbill(set_up, visit(["E11.9", "I10"]))
    assert bill.lines[1].fee_from_schedule and bill.lines[1].fee == Decimal("225.00")
    assert not any(f.rule == "line.charge_missing" for f in bill.findings)
    unpriced = visit(["E11.9", "I10"], procedures=[{"code": "99499", "diagnosis_pointers": [1]}])
    findings = compose_superbill(set_up, unpriced).findings
    assert any(f.rule == "line.charge_missing" for f in findings)


def test_the_warning_box_prints_every_error_and_counts_the_warnings_left_out(set_up, read_pdf):
    lines = [{"code": "99499", "diagnosis_pointers": [1]} for _ in range(14)]  # 14 uncharged
    bill, pdf = superbill_document(set_up, visit(["E11", "I10"], procedures=lines))
    errors, printed = bill.open_errors, bill.findings_to_print
    assert errors and all(e in printed for e in errors)
    assert len(printed) == 10 and bill.findings_not_printed > 0
    warnings = sum(1 for f in bill.findings if f.severity == "warning")
    assert len(printed) - len(errors) + bill.findings_not_printed == warnings
    assert f"and {bill.findings_not_printed} more warning" in read_pdf(pdf.data).text
