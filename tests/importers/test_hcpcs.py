"""The HCPCS Level II (ANWEB) importer: csv and xlsx, dates, continuation rows, all-or-nothing."""

import datetime as dt
import json
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select

from encoder_app.codebook.models import Code, Release
from encoder_app.errors import ImportFailed
from encoder_app.importers import hcpcs, import_paths, registry
from encoder_app.importers.sources import expand


def _source(path):
    [(source, _)] = list(expand([path]))
    return source


def _codes(engine, system="hcpcs"):
    with engine.connect() as conn:
        return {r.code: r for r in conn.execute(select(Code).where(Code.system == system))}


def _table_counts(engine):
    with engine.connect() as conn:
        return [conn.execute(select(func.count()).select_from(t)).scalar()
                for t in (Release, Code)]


def _write_xlsx(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _broken_copy(fixtures, tmp_path, old, new):
    text = (fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv").read_text()
    assert old in text
    path = tmp_path / "HCPC2024_JUL_ANWEB.csv"
    path.write_text(text.replace(old, new, 1))
    return path


def test_csv_imports_codes_titles_dates_and_extra_columns(engine, fixtures):
    [outcome] = import_paths([fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv"], engine)
    assert outcome.status == "imported"
    assert outcome.label == "HCPCS Level II July 2024"
    assert outcome.counts == {"codes": 5, "terminated": 1}
    codes = _codes(engine)
    assert set(codes) == {"A0001", "A0002", "E0001", "G0001", "J0001"}
    a1 = codes["A0001"]
    assert (a1.title, a1.short_title, a1.level, a1.billable) == (
        "Test transport alpha, per mile", "Test transport alpha", "code", True)
    assert (a1.added_on, a1.effective_on, a1.terminated_on) == (
        dt.date(1985, 1, 1), dt.date(1996, 9, 10), None)
    assert json.loads(a1.extra_json) == {"PRICE1": "00", "MULT_PI": "9", "XREF1": "A0002",
                                         "COV": "I", "BETOS": "O1A", "TOS1": "D",
                                         "ANEST_BU": "0", "ACTION CD": "N"}
    assert json.loads(codes["G0001"].extra_json)["STATUTE"] == "1833(t)"
    with engine.connect() as conn:
        release = conn.execute(select(Release)).one()
    assert (release.system, release.kind, release.version, release.effective_from) == (
        "hcpcs", "anweb", "2024-07", dt.date(2024, 7, 1))


def test_term_dt_is_kept(engine, fixtures):
    import_paths([fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv"], engine)
    assert _codes(engine)["A0002"].terminated_on == dt.date(2020, 12, 31)


def test_continuation_records_are_appended_and_modifiers_kept(engine, fixtures):
    [outcome] = import_paths([fixtures / "hcpcs" / "anweb_recid.csv"], engine)
    codes = _codes(engine)
    assert codes["A0001"].title == ("Test transport alpha, per mile, first line of the "
                                    "description that continues on a second record")
    assert set(codes) == {"A0001", "A0002"}
    modifiers = _codes(engine, "hcpcs_modifier")
    assert modifiers["T1"].title == "Test modifier one continued"
    assert modifiers["T1"].level == "modifier"
    assert outcome.counts == {"codes": 2, "terminated": 0, "modifiers": 1}
    # No date in the file name: the quarter of the latest ACT EFF DT.
    assert outcome.label.startswith("HCPCS Level II April 2024")


def test_xlsx_with_disclaimer_rows_and_numeric_dates(engine, fixtures, tmp_path):
    lines = (fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv").read_text().splitlines()
    import csv
    rows = list(csv.reader(lines))
    header = rows[0]
    dated = {header.index(c) for c in ("ADD DT", "ACT EFF DT")}
    body = [[int(v) if i in dated else v for i, v in enumerate(r)] for r in rows[1:]]
    path = _write_xlsx(tmp_path / "HCPC2024_JUL_ANWEB_v2.xlsx",
                       [["Test disclaimer above the header"], [], header, *body])
    source = _source(path)
    assert registry.importer_for(source) is hcpcs
    [outcome] = import_paths([path], engine)
    assert outcome.counts == {"codes": 5, "terminated": 1}
    codes = _codes(engine)
    assert codes["A0001"].added_on == dt.date(1985, 1, 1)
    assert codes["A0002"].terminated_on == dt.date(2020, 12, 31)


def test_tab_separated_text_below_a_disclaimer_line(engine, fixtures, tmp_path):
    import csv

    rows = list(csv.reader((fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv").read_text()
                           .splitlines()))
    path = tmp_path / "HCPC2024_JUL_ANWEB.txt"
    path.write_text("Test disclaimer, with a comma\n" + "\n".join("\t".join(r) for r in rows))
    assert registry.importer_for(_source(path)) is hcpcs
    [outcome] = import_paths([path], engine)
    assert outcome.counts == {"codes": 5, "terminated": 1}
    assert _codes(engine)["A0001"].title == "Test transport alpha, per mile"


def test_xlsx_bad_row_is_named_by_its_sheet_row(engine, tmp_path):
    path = _write_xlsx(tmp_path / "HCPC2024_JUL_ANWEB.xlsx", [
        ["Disclaimer"],
        ["HCPC", "LONG DESCRIPTION", "SHORT DESCRIPTION", "ADD DT"],
        ["A0001", "Test transport alpha", "Test alpha", 19850101],
        [None, "Test row without a code", "No code", 19850101],
    ])
    with pytest.raises(ImportFailed) as err:
        import_paths([path], engine)
    assert "HCPC2024_JUL_ANWEB.xlsx: row 4: has no HCPC code" in str(err.value)
    assert _table_counts(engine) == [0, 0]


@pytest.mark.parametrize(("old", "new", "message"), [
    ("A0002,Test transport beta", ",Test transport beta", "row 3: has no HCPC code"),
    ("19900101,20240101", "19900101,20241399", "row 4: ACT EFF DT '20241399' is not a date"),
    ("J0001,", "J00X1,", "row 6: HCPC 'J00X1' is not a Level II procedure code"),
    ("J0001,", "A0001,", "row 6: HCPC A0001 is listed twice (first at row 2)"),
])
def test_malformed_row_names_file_and_row_and_writes_nothing(engine, fixtures, tmp_path,
                                                             old, new, message):
    path = _broken_copy(fixtures, tmp_path, old, new)
    with pytest.raises(ImportFailed) as err:
        import_paths([path], engine)
    assert "HCPC2024_JUL_ANWEB.csv" in str(err.value)
    assert message in str(err.value)
    assert _table_counts(engine) == [0, 0]


def test_failed_replacement_keeps_the_release_already_loaded(engine, fixtures, tmp_path):
    import_paths([fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv"], engine)
    before = _table_counts(engine)
    path = _broken_copy(fixtures, tmp_path, "20020101,20020101", "2002-01-01,20020101")
    with pytest.raises(ImportFailed, match="row 6: ADD DT"):
        import_paths([path], engine)
    assert _table_counts(engine) == before
    assert "J0001" in _codes(engine)


def test_reimport_of_same_file_is_a_no_op(engine, fixtures):
    path = fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv"
    import_paths([path], engine)
    [again] = import_paths([path], engine)
    assert again.status == "unchanged"
    assert _table_counts(engine) == [1, 5]


def test_file_inside_a_zip_imports(engine, fixtures, tmp_path):
    archive = tmp_path / "july-2024-alpha-numeric-hcpcs-file.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv", "HCPC2024_JUL_ANWEB.csv")
    [outcome] = import_paths([archive], engine)
    assert outcome.status == "imported"
    assert outcome.source.endswith(".zip/HCPC2024_JUL_ANWEB.csv")
    assert len(_codes(engine)) == 5


def test_sniff_reads_content_not_the_name(fixtures, tmp_path):
    renamed = tmp_path / "codes.txt"
    renamed.write_bytes((fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv").read_bytes())
    assert registry.importer_for(_source(renamed)) is hcpcs
    assert not hcpcs.sniff(_source(fixtures / "pos" / "place_of_service.csv"))
    assert not hcpcs.sniff(_source(fixtures / "hcpcs" / "level2_modifiers.csv"))
    other = _write_xlsx(tmp_path / "other.xlsx", [["Code", "Description"], ["1", "x"]])
    assert not hcpcs.sniff(_source(other))


@pytest.mark.shared_data
def test_shared_anweb_csv_imports_every_code(engine, shared_codebooks):
    path = shared_codebooks / "hcpcs-2024q3" / "HCPC2024_JUL_ANWEB.csv"
    assert registry.importer_for(_source(path)) is hcpcs
    [outcome] = import_paths([path], engine)
    assert outcome.counts == {"codes": 8033, "terminated": 8033 - 6975}
    codes = _codes(engine)
    assert len(codes) == 8033
    assert sum(1 for c in codes.values() if c.terminated_on is None) == 6975
    assert outcome.label == "HCPCS Level II July 2024"


@pytest.mark.shared_data
def test_level2_pos_and_gem_sniffers_claim_only_their_shared_files(shared_codebooks):
    """They are sniffed before the MCE and NCCI importers, so they must not take those files."""
    from encoder_app.importers import gems, hcpcs_modifiers, place_of_service

    expected = {"HCPC2024_JUL_ANWEB.csv": hcpcs, "level2_modifiers.csv": hcpcs_modifiers,
                "place_of_service.csv": place_of_service, "icd10cmtoicd9gem.csv": gems,
                "icd9toicd10cmgem.csv": gems}
    mine = (hcpcs, hcpcs_modifiers, place_of_service, gems)
    for path in sorted(p for p in shared_codebooks.rglob("*") if p.is_file()):
        for source, _ in expand([path]):
            claimed = [m for m in mine if m.sniff(source)]
            assert claimed == ([expected[path.name]] if path.name in expected else []), path.name
            if path.name in expected:
                assert registry.importer_for(source) is expected[path.name]
