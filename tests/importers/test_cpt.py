"""The licensed-CPT-file importer: column names, CPT-shaped codes, dating, and what it refuses.

Descriptors in these fixtures are made up ("Test procedure alpha"): CPT text is AMA copyright.
"""

import datetime as dt
import json
import zipfile

import pytest
from sqlalchemy import func, select

from encoder_app.codebook.models import Code, Release
from encoder_app.errors import ImportFailed
from encoder_app.importers import cpt, import_paths, registry
from encoder_app.importers.sources import expand


def _source(path):
    [(source, _)] = list(expand([path]))
    return source


def _codes(engine):
    with engine.connect() as conn:
        return {r.code: r for r in conn.execute(select(Code).where(Code.system == "cpt"))}


def _table_counts(engine):
    with engine.connect() as conn:
        return [conn.execute(select(func.count()).select_from(t)).scalar()
                for t in (Release, Code)]


def test_csv_with_descriptors_dates_and_extra_columns(engine, fixtures):
    [outcome] = import_paths([fixtures / "cpt" / "cpt2024_sample.csv"], engine)
    assert outcome.counts == {"codes": 5, "terminated": 1}
    assert outcome.label == "CPT 2024"
    codes = _codes(engine)
    assert set(codes) == {"99990", "99991", "0001F", "0001T", "0001U"}
    alpha = codes["99990"]
    assert (alpha.title, alpha.short_title, alpha.billable) == (
        "Test procedure alpha", "Test proc alpha", True)
    assert alpha.effective_on == dt.date(2024, 1, 1)
    assert json.loads(alpha.extra_json) == {"Concept Id": "1001"}
    assert codes["0001T"].terminated_on == dt.date(2024, 12, 31)
    assert codes["0001U"].title == "Test lab epsilon"  # no long descriptor: the short one
    with engine.connect() as conn:
        release = conn.execute(select(Release)).one()
    assert (release.system, release.version, release.effective_from) == (
        "cpt", "2024", dt.date(2024, 1, 1))


def test_tab_separated_file_without_a_year_is_dated_this_year(engine, fixtures):
    [outcome] = import_paths([fixtures / "cpt" / "cpt_sample_tab.txt"], engine)
    year = dt.date.today().year
    assert outcome.label.startswith(f"CPT {year} (no year in the file name")
    assert _codes(engine)["99991"].short_title == "Test proc beta"
    with engine.connect() as conn:
        assert conn.execute(select(Release.effective_from)).scalar() == dt.date(year, 1, 1)


@pytest.mark.parametrize(("line", "message"), [
    (",Test proc zeta,Test procedure zeta,,,", "row 7: has no CPT code"),
    ("A0001,Test proc zeta,Test procedure zeta,,,", "row 7: 'A0001' is not a CPT code"),
    ("9999,Test proc zeta,Test procedure zeta,,,", "row 7: '9999' is not a CPT code"),
    ("99992,,,,,", "row 7: CPT 99992 has no descriptor"),
    ("99992,Test proc zeta,Test procedure zeta,2024-13-01,,",
     "row 7: effective date '2024-13-01' is not a date"),
    ("99990,Test proc zeta,Test procedure zeta,,,", "row 7: CPT 99990 is listed twice"),
])
def test_bad_row_names_file_and_row_and_writes_nothing(engine, fixtures, tmp_path, line, message):
    path = tmp_path / "cpt2024_sample.csv"
    path.write_text((fixtures / "cpt" / "cpt2024_sample.csv").read_text() + line + "\n")
    with pytest.raises(ImportFailed) as err:
        import_paths([path], engine)
    assert f"cpt2024_sample.csv: {message}" in str(err.value)
    assert _table_counts(engine) == [0, 0]


def test_reimport_is_a_no_op_and_a_zip_imports(engine, fixtures, tmp_path):
    archive = tmp_path / "my_cpt_licence.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(fixtures / "cpt" / "cpt2024_sample.csv", "cpt2024_sample.csv")
    [first] = import_paths([archive], engine)
    [again] = import_paths([fixtures / "cpt" / "cpt2024_sample.csv"], engine)
    assert (first.status, again.status) == ("imported", "unchanged")
    assert _table_counts(engine) == [1, 5]


def test_cp1252_file_from_excel_imports(engine, tmp_path):
    path = tmp_path / "cpt2025.csv"
    path.write_bytes("code,description\n99990,Test procedure \u00e9 alpha\n".encode("cp1252"))
    import_paths([path], engine)
    assert _codes(engine)["99990"].title == "Test procedure \u00e9 alpha"


def test_sniff_wants_a_code_column_a_descriptor_and_cpt_shaped_codes(fixtures, tmp_path):
    assert registry.importer_for(_source(fixtures / "cpt" / "cpt2024_sample.csv")) is cpt
    assert registry.importer_for(_source(fixtures / "cpt" / "cpt_sample_tab.txt")) is cpt
    no_descriptor = tmp_path / "codes.csv"
    no_descriptor.write_text("code,units\n99990,1\n")
    hcpcs_shaped = tmp_path / "hcpcs.csv"
    hcpcs_shaped.write_text("hcpcs,description\nA0001,Test transport\n")
    others = [fixtures / name for name in (
        "hcpcs/HCPC2024_JUL_ANWEB.csv", "hcpcs/level2_modifiers.csv", "pos/place_of_service.csv",
        "gems/icd10cmtoicd9gem.csv", "gems/2018_I9gem.txt")]
    for path in [no_descriptor, hcpcs_shaped, *others]:
        assert not cpt.sniff(_source(path)), path.name


@pytest.mark.shared_data
def test_cpt_sniffer_claims_no_shared_file(shared_codebooks):
    """HCPCS, POS, GEM, MCE, NCCI PTP, MUE and add-on tables all carry CPT-like codes or columns."""
    claimed = [p.name for p in sorted(shared_codebooks.rglob("*")) if p.is_file()
               for source, _ in expand([p]) if cpt.sniff(source)]
    assert claimed == []
