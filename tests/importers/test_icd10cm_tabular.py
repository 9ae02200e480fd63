"""The ICD-10-CM Tabular List importer: codes, notes, 7th-character expansion, all-or-nothing."""

import shutil
import zipfile

import pytest
from sqlalchemy import func, select

from encoder_app.codebook.models import Code, Note, Release, SeventhCharacter
from encoder_app.errors import ImportFailed
from encoder_app.importers import import_paths


def _codes(engine, **where):
    with engine.connect() as conn:
        q = select(Code.code)
        for k, v in where.items():
            q = q.where(getattr(Code, k) == v)
        return set(conn.execute(q).scalars())


def _table_counts(engine):
    with engine.connect() as conn:
        return [conn.execute(select(func.count()).select_from(t)).scalar()
                for t in (Release, Code, Note, SeventhCharacter)]


def test_mini_tabular_imports_chapters_blocks_codes_and_notes(engine, fixtures):
    [outcome] = import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine)
    assert outcome.status == "imported"
    assert outcome.counts["billable"] == len(_codes(engine, billable=True))
    with engine.connect() as conn:
        levels = dict(conn.execute(select(Code.code, Code.level).where(Code.code.in_(
            ["1", "A00-A00", "A00", "A000"]))).all())
        kinds = set(conn.execute(select(Note.kind)).scalars())
    assert levels == {"1": "chapter", "A00-A00": "block", "A00": "category", "A000": "subcategory"}
    assert {"includes", "inclusion_term", "excludes1", "excludes2", "use_additional_code",
            "code_first", "notes", "seventh_character_note"} <= kinds


def test_seventh_character_codes_are_expanded_with_placeholder_x(engine, fixtures):
    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine)
    billable = _codes(engine, billable=True)
    assert {"W540XXA", "W540XXS"} <= billable
    assert "W540" in _codes(engine, needs_seventh=True)
    assert "W540" not in billable
    assert {"S060X1A", "S060X1D", "S060X1S"} <= billable


def test_note_that_7th_characters_do_not_apply_removes_those_codes(engine, fixtures):
    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine)
    billable = _codes(engine, billable=True)
    assert "S060X7A" in billable
    assert not {"S060X7D", "S060X7S"} & billable


def test_block_sharing_its_name_with_a_category_keeps_both(engine, fixtures):
    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine)
    with engine.connect() as conn:
        levels = sorted(conn.execute(select(Code.level).where(Code.code == "B20")).scalars())
    assert levels == ["block", "category"]


def test_broken_xml_names_file_and_line_and_writes_nothing(engine, fixtures):
    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine)
    before = _table_counts(engine)
    with pytest.raises(ImportFailed) as err:
        import_paths([fixtures / "tabular" / "tabular_broken_xml.xml"], engine)
    assert "tabular_broken_xml.xml" in str(err.value)
    assert "line 28" in str(err.value)
    assert _table_counts(engine) == before


def test_diag_without_name_is_reported_and_rolled_back(engine, fixtures):
    with pytest.raises(ImportFailed) as err:
        import_paths([fixtures / "tabular" / "tabular_diag_without_name.xml"], engine)
    assert "tabular_diag_without_name.xml" in str(err.value)
    assert "<name>" in str(err.value)
    assert _table_counts(engine) == [0, 0, 0, 0]


def test_reimporting_the_same_file_changes_nothing(engine, fixtures):
    path = fixtures / "tabular" / "tabular_mini_2031.xml"
    import_paths([path], engine)
    before = _table_counts(engine)
    [again] = import_paths([path], engine)
    assert again.status == "unchanged"
    assert _table_counts(engine) == before


def test_a_changed_file_of_the_same_release_replaces_it(engine, fixtures, tmp_path):
    path = fixtures / "tabular" / "tabular_mini_2031.xml"
    import_paths([path], engine)
    changed = tmp_path / "tabular_mini_2031.xml"
    changed.write_text(path.read_text().replace("Cholera eltor", "Cholera El Tor"))
    [refused] = import_paths([changed], engine)
    assert refused.status == "needs_replace"
    assert refused.old_counts == refused.counts  # same codes, only a title differs
    [outcome] = import_paths([changed], engine, replace=True)
    assert outcome.status == "replaced"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Release)).scalar() == 1
        titles = set(conn.execute(select(Code.title).where(Code.code == "A001")).scalars())
    assert titles == {"Cholera El Tor"}


def test_a_zip_of_release_files_imports_each_member(engine, fixtures, tmp_path):
    bundle = tmp_path / "icd10cm-2031.zip"
    with zipfile.ZipFile(bundle, "w") as z:
        z.write(fixtures / "tabular" / "tabular_mini_2031.xml", "2031/tabular_mini_2031.xml")
        z.writestr("2031/readme.pdf", b"%PDF-1.4 not data")
    outcomes = import_paths([bundle], engine)
    statuses = {o.source.rsplit("/", 1)[-1]: o.status for o in outcomes}
    assert statuses == {"tabular_mini_2031.xml": "imported", "readme.pdf": "skipped"}
    assert "W540XXA" in _codes(engine)


def test_gzip_compressed_file_imports(engine, fixtures, tmp_path):
    import gzip

    packed = tmp_path / "tabular_mini_2031.xml.gz"
    source = fixtures / "tabular" / "tabular_mini_2031.xml"
    with open(source, "rb") as src, gzip.open(packed, "wb") as dst:
        shutil.copyfileobj(src, dst)
    [outcome] = import_paths([packed], engine)
    assert outcome.status == "imported"


def test_unknown_file_named_directly_is_an_error(engine, tmp_path):
    junk = tmp_path / "notes.csv"
    junk.write_text("a,b\n1,2\n")
    with pytest.raises(ImportFailed, match="notes.csv"):
        import_paths([junk], engine)


def test_effective_date_from_version_and_file_name(engine, fixtures, tmp_path):
    import datetime as dt

    import_paths([fixtures / "tabular" / "tabular_mini_2031.xml"], engine)
    april = tmp_path / "icd10cm-tabular-April-1-2032.xml"
    april.write_text((fixtures / "tabular" / "tabular_mini_2031.xml").read_text()
                     .replace("<version>2031</version>", "<version>2032</version>"))
    import_paths([april], engine)
    with engine.connect() as conn:
        dates = sorted(conn.execute(select(Release.effective_from)).scalars())
    assert dates == [dt.date(2030, 10, 1), dt.date(2032, 4, 1)]
