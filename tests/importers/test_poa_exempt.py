"""The POA exempt list importer: CMS's tab-delimited POAexemptCodes file, dated by its name."""

import datetime as dt

import pytest
from sqlalchemy import func, select

from encoder_app.codebook.edit_tables import poa_exempt
from encoder_app.codebook.models import Release
from encoder_app.codebook.reference_models import PoaExemptCode
from encoder_app.errors import ImportFailed
from encoder_app.importers import import_paths, registry
from encoder_app.importers.poa_exempt import when_from
from encoder_app.importers.sources import expand

HEADER = "Order2026\tPOAexemptCode\tDescription\n"


def test_the_cms_file_imports_dated_by_its_name(engine, fixtures):
    [outcome] = import_paths([fixtures / "poa" / "POAexemptCodes2026.txt"], engine)
    assert outcome.counts == {"codes": 3}  # Z88.0 is listed twice: one exemption
    with engine.connect() as conn:
        release = conn.execute(select(Release)).one()
    assert (release.system, release.kind, release.effective_from, release.label) == (
        "poa", "exempt", dt.date(2025, 10, 1), "POA exempt codes, FY2026")
    answer = poa_exempt(engine, ["Z79.84", "I50.23", "Y92.9"], dt.date(2026, 4, 30))
    assert answer.exempt == {"Z7984", "Y929"} and answer.list_label == release.label


def test_no_list_is_none_not_an_empty_exemption(engine):
    assert poa_exempt(engine, ["Z79.84"], dt.date(2026, 4, 30)) is None


@pytest.mark.parametrize("name,start", [
    ("POAexemptCodes2021.txt", dt.date(2020, 10, 1)),
    ("POAexemptCodesApr23.txt", dt.date(2023, 4, 1)),
    ("POAexemptCodesFY26.txt", dt.date(2025, 10, 1)),
    ("ordapr2024", dt.date(2024, 4, 1)),
])
def test_the_date_comes_from_the_name(name, start):
    assert when_from(name)[0] == start


def test_a_name_without_a_year_falls_back_to_the_order_column(engine, tmp_path):
    path = tmp_path / "exempt.txt"
    path.write_text("OrdApr23\tPOAexemptCode\tDescription\n1\tZ880\tAllergy\n")
    import_paths([path], engine)
    with engine.connect() as conn:
        assert conn.execute(select(Release.effective_from)).scalar() == dt.date(2023, 4, 1)


def test_only_the_poa_importer_claims_the_file(fixtures):
    [(source, _)] = list(expand([fixtures / "poa" / "POAexemptCodes2026.txt"]))
    assert registry.importer_for(source).FORMAT == "POA exempt code list"


@pytest.mark.parametrize("rows,message", [
    ("1\tZ88-0\tAllergy\n", "row 2: POAexemptCode 'Z88-0' (Allergy) is not an ICD-10-CM code"),
    ("1\tZ880\tAllergy\n2\n", "row 3: has 1 columns; the POAexemptCode column is column 2"),
    ("", "row 2: the list has a header but no codes"),
])
def test_a_bad_row_is_named_and_nothing_is_kept(engine, tmp_path, rows, message):
    path = tmp_path / "POAexemptCodes2026.txt"
    path.write_text(HEADER + rows)
    with pytest.raises(ImportFailed) as caught:
        import_paths([path], engine)
    assert message in str(caught.value)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(PoaExemptCode)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(Release)).scalar() == 0


def test_the_cms_zip_imports_the_list_and_skips_the_change_lists(engine, fixtures, tmp_path):
    import zipfile

    archive = tmp_path / "2026-poa-exempt-codes.zip"
    listed = (fixtures / "poa" / "POAexemptCodes2026.txt").read_text()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("POAexemptCodes2026.txt", listed)
        z.writestr("POAexemptDeleteCodes2026.txt", "POAexemptCode\tDescription\nI5023\tx\n")
        z.writestr("POAexemptAddCodes2026.txt", HEADER + "1\tZ880\tAllergy\n")
        z.writestr("ReadMePOAexempt2026.txt", "Description of Present On Admission files\n")
    outcomes = {o.source.rsplit("/", 1)[-1]: o for o in import_paths([archive], engine)}
    assert outcomes["POAexemptCodes2026.txt"].status == "imported"
    for change in ("POAexemptDeleteCodes2026.txt", "POAexemptAddCodes2026.txt"):
        assert outcomes[change].status == "skipped"
        assert "a list of changes to the POA exempt codes" in outcomes[change].reason
    answer = poa_exempt(engine, ["I50.23", "Z79.84"], dt.date(2026, 4, 30))
    assert answer.exempt == {"Z7984"}  # the deleted code was not taken as exempt


def test_a_change_list_given_alone_is_refused_with_the_reason(engine, tmp_path):
    path = tmp_path / "POAexemptDeleteCodes2026.txt"
    path.write_text("POAexemptCode\tDescription\nI5023\tx\n")
    [outcome] = import_paths([path], engine)
    assert outcome.status == "skipped" and "not the list" in outcome.reason
