"""The filled superbill as printed: read back from the PDF, every field, every line, the totals,
the warning box, accented names and the repeated header of a long encounter."""

from __future__ import annotations

import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from encoder_app.edits.finding import Finding
from encoder_app.encounters.snapshot import parse_encounter
from encoder_app.reports import fonts
from encoder_app.reports.superbill import superbill_from
from encoder_app.reports.superbill_layout import render_superbill

TITLES = {"E119": "Type 2 diabetes mellitus without complications",
          "I10": "Essential (primary) hypertension"}


def visit(**changes):
    data = {
        "date_of_service": "2026-04-14", "setting": "practitioner", "place_of_service": "11",
        "patient": {"name": "José Muñoz-Müller", "sex": "M", "birth_date": "1958-07-02",
                    "member_id": "XQZ123456789"},
        "provider": {"name": "A. Perez", "npi": "1234567893"},
        "payer": "Aetna", "amount_paid": "25.00",
        "diagnoses": ["E11.9", "I10", "M17.11"],
        "procedures": [
            {"code": "99214", "modifiers": ["25"], "diagnosis_pointers": [1, 2]},
            {"code": "20610", "modifiers": ["50"], "diagnosis_pointers": [3]},
            {"code": "J3301", "units": 4, "diagnosis_pointers": [3], "charge": "12.50"},
            {"code": "93000", "diagnosis_pointers": [2]},
        ],
    }
    data.update(changes)
    return parse_encounter(data)


def printed(read_pdf, encounter, practice=None, fees=None, findings=(), **kwargs):
    bill = superbill_from(encounter, practice, fees, TITLES, place_name="Office",
                          findings=findings, **kwargs)
    pdf = render_superbill(bill)
    return bill, pdf, read_pdf(pdf.data)


def test_header_prints_the_practice_provider_patient_and_visit(read_pdf, practice, fees):
    _, pdf, out = printed(read_pdf, visit(), practice, fees)
    assert pdf.pages == 1
    assert out.has_row("Lakeside Family Medicine, P.C.", "SUPERBILL")
    assert out.has_row("1200 N. Lake Shore Drive, Suite 300", "Tax ID 36-1234567")
    assert out.has_row("Chicago, IL 60610", "Group NPI 1588667638")
    assert out.has_row("Phone (312) 555-0142")
    assert out.has_row("PATIENT", "DATE OF BIRTH", "SEX", "MEMBER ID", "PAYER",
                       "DATE OF SERVICE")
    assert out.has_row("José Muñoz-Müller", "07/02/1958", "Male", "XQZ123456789", "Aetna",
                       "04/14/2026")
    assert out.has_row("RENDERING PROVIDER", "PROVIDER NPI", "PLACE OF SERVICE", "SETTING")
    assert out.has_row("Ana Pérez, MD", "1234567893", "11 Office", "Practitioner")


def test_each_diagnosis_prints_its_letter_dotted_code_and_title(read_pdf, practice, fees):
    _, _, out = printed(read_pdf, visit(), practice, fees)
    assert out.has_row("ICD-10-CM", "Diagnosis")
    assert out.has_row("A", "E11.9", "Type 2 diabetes mellitus without complications")
    assert out.has_row("B", "I10", "Essential (primary) hypertension")
    assert out.has_row("C", "M17.11", "(not in the codebook)")


def test_each_line_prints_code_modifiers_units_pointers_fee_and_total(read_pdf, practice, fees):
    _, _, out = printed(read_pdf, visit(), practice, fees,
                        procedure_titles={"J3301": "Triamcinolone acet inj NOS"})
    assert out.has_row("Line", "Code", "Modifiers", "Service", "Units", "Dx pointer", "Fee",
                       "Line total")
    assert out.has_row("1", "99214", "25", "1", "AB", "165.00", "165.00")
    assert out.has_row("2", "20610", "50", "1", "C", "225.00", "225.00")  # the bilateral fee
    assert out.has_row("3", "J3301", "Triamcinolone acet inj NOS", "4", "C", "12.50", "50.00")
    assert out.has_row("4", "93000", "1", "B")  # no charge, no fee: blank, not 0.00
    assert not any(row[:2] == ["4", "93000"] and "0.00" in row for row in out.rows())


def test_totals_payment_and_balance_due_to_the_cent(read_pdf, practice, fees):
    bill, _, out = printed(read_pdf, visit(), practice, fees)
    assert bill.total_charges == Decimal("440.00")
    assert out.has_row("Total charges", "$440.00")
    assert out.has_row("Payment received", "$25.00")
    assert out.has_row("Balance due", "$415.00")
    assert out.has_row("Provider signature", "Date")
    assert out.has_row("Page 1 of 1")


def test_thousands_are_grouped_and_cents_kept(read_pdf, fees):
    lines = [{"code": "99214", "charge": "1234.5", "units": 2}]
    _, _, out = printed(read_pdf, visit(procedures=lines, amount_paid="0.01"), None, fees)
    assert out.has_row("1", "99214", "2", "1,234.50", "2,469.00")
    assert out.has_row("Balance due", "$2,468.99")


def test_warning_box_lists_errors_and_warnings_with_rule_ids_when_an_error_remains(read_pdf):
    findings = [Finding("ncci.ptp", "error", ("20610", "99214"), "an NCCI pair", "NCCI"),
                Finding("line.charge_missing", "warning", ("93000",), "no charge", "form"),
                Finding("info.only", "info", (), "just so you know", "x")]
    _, _, out = printed(read_pdf, visit(), findings=findings)
    assert "Review before billing: 1 edit error still open on this encounter" in out.text
    assert out.has_row("ERROR", "ncci.ptp", "20610, 99214: an NCCI pair")
    assert out.has_row("WARNING", "line.charge_missing", "93000: no charge")
    assert "info.only" not in out.text


def test_no_warning_box_when_only_warnings_remain(read_pdf):
    findings = [Finding("line.charge_missing", "warning", ("93000",), "no charge", "form")]
    _, _, out = printed(read_pdf, visit(), findings=findings)
    assert "Review before billing" not in out.text
    assert "line.charge_missing" not in out.text


def test_without_practice_details_the_encounters_provider_heads_the_page(read_pdf):
    _, _, out = printed(read_pdf, visit(), None)
    assert out.has_row("A. Perez", "SUPERBILL")
    assert "Practice details not set up" in out.text
    assert "Tax ID" not in out.text and "Group NPI" not in out.text


def test_names_with_accents_print_and_can_be_copied_back(read_pdf):
    name = "Zoë Ñúñez-Çelik Öztürk"
    _, pdf, out = printed(read_pdf, visit(patient={"name": name, "member_id": "M1"}))
    assert name in out.text
    assert out.reader.metadata.title == f"Superbill {name}"
    used = {str(f.get_object()["/BaseFont"]) for page in out.reader.pages
            for f in page["/Resources"]["/Font"].values()}
    # Latin-1 Helvetica would print "Ł" as a box: the text is in an embedded TrueType subset.
    assert any(re.fullmatch(r"/[A-Z]{6}\+(DejaVuSans|Vera)(-Bold)?", f) for f in used), used


def test_the_same_encounter_prints_the_same_bytes(practice, fees):
    bill = superbill_from(visit(), practice, fees, TITLES)
    assert render_superbill(bill).data == render_superbill(bill).data


# --- a long encounter ---------------------------------------------------------------------

LONG_DX = ["E11.22", "I12.9", "N18.31", "E78.5", "M17.11", "Z79.4", "E66.9", "Z68.30", "K21.9",
           "G47.33", "F17.210", "Z79.899"]


def long_visit():
    lines = [{"code": f"{99200 + i}", "modifiers": ["25"] if i % 4 == 0 else [],
              "units": 1 + i % 3, "diagnosis_pointers": [1 + i % 12, 1 + (i + 5) % 12],
              "charge": f"{10 + i}.25"} for i in range(20)]
    return visit(diagnoses=LONG_DX, procedures=lines)


def long_titles():
    words = ("with a long qualifying phrase about laterality, stage and the episode of care "
             "that wraps over three printed lines in the diagnosis column of the page ")
    dx = {code.replace(".", ""): f"Title of {code} {words * 2}" for code in LONG_DX}
    px = {f"{99200 + i}": "Service described at length so that it wraps on the page " * 2
          for i in range(20)}
    return dx, px


def test_a_long_encounter_flows_onto_pages_each_with_the_header(read_pdf, practice):
    dx_titles, px_titles = long_titles()
    bill = superbill_from(long_visit(), practice, None, dx_titles, px_titles, "Office")
    pdf = render_superbill(bill)
    out = read_pdf(pdf.data)
    assert pdf.pages >= 2 and len(out.pages) == pdf.pages
    for i in range(pdf.pages):
        assert out.has_row(f"Page {i + 1} of {pdf.pages}", page=i)
        assert out.has_row("Lakeside Family Medicine, P.C.", "SUPERBILL", page=i)
        assert out.has_row("José Muñoz-Müller", "07/02/1958", "Male", "XQZ123456789", "Aetna",
                           "04/14/2026", page=i)
    # Every diagnosis and line is printed once, and each page with rows of a table repeats
    # that table's column headings.
    dx_pages, line_pages = set(), set()
    for letter, code in zip("ABCDEFGHIJKL", LONG_DX, strict=True):
        [page] = [i for i in range(pdf.pages)
                  if any(row[:3] == [letter, code, f"Title of {code} with a long qualifying"]
                         or row[:2] == [letter, code] for row in out.rows(i))]
        dx_pages.add(page)
    for n in range(20):
        found = [i for i in range(pdf.pages)
                 if any(row[:2] == [str(n + 1), str(99200 + n)] for row in out.rows(i))]
        assert len(found) == 1, f"line {n + 1}"
        line_pages.add(found[0])
    assert len(dx_pages | line_pages) >= 2
    for i in dx_pages:
        assert out.has_row("ICD-10-CM", "Diagnosis", page=i)
    for i in line_pages:
        assert out.has_row("Line", "Code", "Modifiers", "Service", "Units", "Dx pointer",
                           "Fee", "Line total", page=i)
    assert len(line_pages) >= 2, "the service table should split across pages in this test"
    total = sum((Decimal(f"{10 + i}.25") * (1 + i % 3) for i in range(20)), Decimal("0"))
    assert out.has_row("Total charges", f"${total:,.2f}", page=pdf.pages - 1)
    # The totals never sit alone under the headings: the last lines come with them.
    assert any(row[:2] == ["20", "99219"] for row in out.rows(pdf.pages - 1))
    assert any(row[:2] == ["19", "99218"] for row in out.rows(pdf.pages - 1))


# --- fonts --------------------------------------------------------------------------------

@pytest.fixture
def fresh_fonts():
    """Font choice runs again inside the test, and again for the tests after it."""
    fonts.report_fonts.cache_clear()
    yield
    fonts.report_fonts.cache_clear()
    fonts.report_fonts()


def test_without_system_fonts_reportlabs_own_vera_prints_accents(fresh_fonts, monkeypatch,
                                                                read_pdf):
    monkeypatch.setattr(fonts, "_font_dirs", lambda: [])
    assert fonts.report_fonts().source.endswith("Vera.ttf")
    _, _, out = printed(read_pdf, visit(patient={"name": "François Çelik"}))
    assert "François Çelik" in out.text


def test_an_unreadable_font_file_falls_back_instead_of_failing(fresh_fonts, monkeypatch,
                                                               tmp_path, read_pdf):
    broken = tmp_path / "DejaVuSans.ttf"
    broken.write_bytes(b"not a font")
    monkeypatch.setattr(fonts, "_dejavu", lambda: (broken, broken, broken))
    assert fonts.report_fonts().source.endswith("Vera.ttf")
    _, _, out = printed(read_pdf, visit())
    assert "José Muñoz-Müller" in out.text


def test_a_found_dejavu_is_preferred(fresh_fonts):
    found = fonts._dejavu()
    if found is None:
        pytest.skip("DejaVu Sans is not installed here")
    assert fonts.report_fonts().source == str(found[0])
    assert re.search(r"DejaVuSans\.ttf$", fonts.report_fonts().source)


def test_totals_never_start_a_page_without_the_last_lines(read_pdf, practice, fees):
    # Wherever a page break falls as the encounter grows, the page with the totals also
    # shows the last two service lines (under the repeated headings).
    for count in range(20, 44, 2):
        lines = [{"code": "99213", "diagnosis_pointers": [1]} for _ in range(count)]
        pdf = render_superbill(superbill_from(visit(procedures=lines), practice, fees))
        out = read_pdf(pdf.data)
        balance = f"${Decimal('110.00') * count - Decimal('25.00'):,.2f}"
        [page] = [i for i in range(pdf.pages) if out.has_row("Balance due", balance, page=i)]
        numbers = [row[0] for row in out.rows(page) if row[1:2] == ["99213"]]
        assert numbers[-2:] == [str(count - 1), str(count)], count
        assert out.has_row("Line", "Code", "Modifiers", "Service", "Units", "Dx pointer",
                           "Fee", "Line total", page=page)


def test_an_encounter_with_nothing_coded_yet_still_prints(read_pdf):
    pdf = render_superbill(superbill_from(parse_encounter({"date_of_service": None})))
    out = read_pdf(pdf.data)
    assert pdf.pages == 1
    assert "No diagnosis coded." in out.text and "No service coded." in out.text
    assert out.has_row("Balance due", "$0.00")


def test_dejavu_without_its_oblique_file_is_still_used(fresh_fonts, monkeypatch, tmp_path,
                                                     read_pdf):
    """Debian's fonts-dejavu-core ships regular and bold only: names beyond Latin-1 still print
    (the regular face stands in for italic), not Vera's boxes."""
    system = Path("/usr/share/fonts/truetype/dejavu")
    if not (system / "DejaVuSans-Bold.ttf").is_file():
        pytest.skip("DejaVu Sans is not installed here")
    core = tmp_path / "fonts"
    core.mkdir()
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        shutil.copy(system / name, core / name)
    monkeypatch.setattr(fonts, "_font_dirs", lambda: [core])
    assert fonts.report_fonts().source == str(core / "DejaVuSans.ttf")
    _, _, out = printed(read_pdf, visit(patient={"name": "Dvořák Бондаренко"}))
    assert "Dvořák Бондаренко" in out.text
