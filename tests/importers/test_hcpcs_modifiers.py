"""The HCPCS Level II modifier list importer: merging repeats, dating, all-or-nothing."""

import datetime as dt
import shutil

import pytest
from sqlalchemy import func, select

from encoder_app.codebook.models import Code, Release
from encoder_app.errors import ImportFailed
from encoder_app.importers import hcpcs_modifiers, import_paths, registry
from encoder_app.importers.sources import expand


def _source(path):
    [(source, _)] = list(expand([path]))
    return source


def _modifiers(engine):
    with engine.connect() as conn:
        return dict(conn.execute(select(Code.code, Code.title)
                                 .where(Code.system == "hcpcs_modifier")).all())


def _table_counts(engine):
    with engine.connect() as conn:
        return [conn.execute(select(func.count()).select_from(t)).scalar()
                for t in (Release, Code)]


def test_modifiers_import_once_each_with_descriptions_filled_in(engine, fixtures):
    [outcome] = import_paths([fixtures / "hcpcs" / "level2_modifiers.csv"], engine)
    assert outcome.status == "imported"
    assert _modifiers(engine) == {"T1": "Test modifier one.",
                                  "T2": "Test modifier two, with a comma",
                                  "T3": "Test modifier three filled in later.", "T4": ""}
    assert outcome.counts == {"modifiers": 4, "repeated rows merged": 2,
                              "without description": 1}
    with engine.connect() as conn:
        level, billable = conn.execute(select(Code.level, Code.billable)
                                       .where(Code.code == "T1")).one()
        release = conn.execute(select(Release)).one()
    assert (level, billable) == ("modifier", True)
    assert (release.system, release.kind, release.version) == ("hcpcs_modifier", "modifiers",
                                                               "undated")
    assert release.effective_from == hcpcs_modifiers.UNDATED_FROM


def test_date_in_the_file_name_dates_the_release(engine, fixtures, tmp_path):
    path = tmp_path / "level2_modifiers_2024q3.csv"
    shutil.copy(fixtures / "hcpcs" / "level2_modifiers.csv", path)
    [outcome] = import_paths([path], engine)
    assert outcome.label == "HCPCS Level II modifiers July 2024"
    with engine.connect() as conn:
        assert conn.execute(select(Release.effective_from)).scalar() == dt.date(2024, 7, 1)


def test_effective_from_given_by_the_user_wins(engine, fixtures):
    import_paths([fixtures / "hcpcs" / "level2_modifiers.csv"], engine,
                 effective_from=dt.date(2024, 10, 1))
    with engine.connect() as conn:
        assert conn.execute(select(Release.effective_from)).scalar() == dt.date(2024, 10, 1)


@pytest.mark.parametrize(("line", "message"), [
    (",Test modifier without a code", "row 8: has no MODIFIER"),
    ("T55,Test modifier too long", "row 8: modifier 'T55' is not two letters or digits"),
    ("T1,A different wording", "row 8: modifier T1 has a different description than at row 2"),
])
def test_malformed_row_names_file_and_row_and_writes_nothing(engine, fixtures, tmp_path,
                                                             line, message):
    path = tmp_path / "level2_modifiers.csv"
    path.write_text((fixtures / "hcpcs" / "level2_modifiers.csv").read_text() + line + "\n")
    with pytest.raises(ImportFailed) as err:
        import_paths([path], engine)
    assert f"level2_modifiers.csv: {message}" in str(err.value)
    assert _table_counts(engine) == [0, 0]


def test_reimport_is_a_no_op_and_a_zip_imports(engine, fixtures, tmp_path):
    import zipfile

    archive = tmp_path / "modifiers.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(fixtures / "hcpcs" / "level2_modifiers.csv", "level2_modifiers.csv")
    [first] = import_paths([archive], engine)
    [again] = import_paths([fixtures / "hcpcs" / "level2_modifiers.csv"], engine)
    assert (first.status, again.status) == ("imported", "unchanged")
    assert _table_counts(engine) == [1, 4]


def test_sniff(fixtures):
    assert registry.importer_for(_source(fixtures / "hcpcs" / "level2_modifiers.csv")) \
        is hcpcs_modifiers
    assert not hcpcs_modifiers.sniff(_source(fixtures / "hcpcs" / "HCPC2024_JUL_ANWEB.csv"))
    assert not hcpcs_modifiers.sniff(_source(fixtures / "pos" / "place_of_service.csv"))


@pytest.mark.shared_data
def test_shared_modifier_list_imports(engine, shared_codebooks):
    path = shared_codebooks / "hcpcs-2024q3" / "level2_modifiers.csv"
    assert registry.importer_for(_source(path)) is hcpcs_modifiers
    [outcome] = import_paths([path], engine)
    # 220 rows in the file (the README's count) name 194 distinct modifiers.
    assert outcome.counts["modifiers"] + outcome.counts["repeated rows merged"] == 220
    assert outcome.counts["modifiers"] == len(_modifiers(engine)) == 194
    assert _modifiers(engine)["XU"].startswith("Unusual non-overlapping service")
