"""The GEM importer (csv and CMS fixed-width text, both directions) and the gem_targets lookup."""

import datetime as dt
import zipfile

import pytest
from sqlalchemy import func, select

from encoder_app.codebook.crosswalk import GemTarget, gem_targets
from encoder_app.codebook.crosswalk_models import GemMapping
from encoder_app.codebook.models import Release
from encoder_app.errors import ImportFailed, NoRelease
from encoder_app.importers import gems, import_paths, registry
from encoder_app.importers.sources import expand


def _source(path):
    [(source, _)] = list(expand([path]))
    return source


def _table_counts(engine):
    with engine.connect() as conn:
        return [conn.execute(select(func.count()).select_from(t)).scalar()
                for t in (Release, GemMapping)]


def _release(engine):
    with engine.connect() as conn:
        return conn.execute(select(Release)).one()


@pytest.mark.parametrize("name", ["icd10cmtoicd9gem.csv", "2018_I10gem.txt"])
def test_ten_to_nine_in_either_shape(engine, fixtures, name):
    [outcome] = import_paths([fixtures / "gems" / name], engine)
    assert outcome.counts == {"mappings": 5, "source codes": 4, "no map": 1}
    assert _release(engine).kind == "gem_10to9"
    assert gem_targets(engine, "E11.9", "10to9") == [
        GemTarget("E119", "25000", True, False, False, 0, 0, outcome.label)]
    combination = gem_targets(engine, "E1010", "10to9")
    assert [(t.target, t.combination, t.scenario, t.choice_list) for t in combination] == [
        ("25011", True, 1, 1), ("25031", True, 1, 2)]
    [no_map] = gem_targets(engine, "R40.2130", "10to9")
    assert (no_map.target, no_map.no_map) == (None, True)
    assert gem_targets(engine, "Z99.89", "10to9") == []


@pytest.mark.parametrize("name", ["icd9toicd10cmgem.csv", "2018_I9gem.txt"])
def test_nine_to_ten_in_either_shape(engine, fixtures, name):
    import_paths([fixtures / "gems" / name], engine)
    assert _release(engine).kind == "gem_9to10"
    assert [t.target for t in gem_targets(engine, "250.00", "9to10")] == ["E119"]
    with pytest.raises(NoRelease):
        gem_targets(engine, "E119", "10to9")


def test_year_in_the_name_dates_the_release_to_its_fiscal_year(engine, fixtures):
    [outcome] = import_paths([fixtures / "gems" / "2018_I10gem.txt"], engine)
    release = _release(engine)
    assert (release.version, release.effective_from) == ("2018", dt.date(2017, 10, 1))
    assert outcome.label == "ICD-10-CM to ICD-9-CM GEMs 2018"


def test_both_directions_live_side_by_side(engine, fixtures):
    import_paths([fixtures / "gems" / "2018_I10gem.txt", fixtures / "gems" / "2018_I9gem.txt"],
                 engine)
    assert _table_counts(engine) == [2, 9]
    assert [t.target for t in gem_targets(engine, "V01.01", "9to10")] == ["Z2001"]


@pytest.mark.parametrize(("name", "line", "message"), [
    ("icd10cmtoicd9gem.csv", '"","0010","00000",0,0,0,0,0', "row 7: has no source code"),
    ("icd10cmtoicd9gem.csv", '"A001","0011","00200",0,0,2,0,0',
     "row 7: the combination flag is '2', not 0 or 1"),
    ("icd10cmtoicd9gem.csv", '"A001","0011","10000",0,0,0,0,0',
     "row 7: flags '10000' disagree with the flag columns (00000)"),
    ("icd10cmtoicd9gem.csv", '"A001","NoDx","10000",1,0,0,0,0',
     "row 7: A001 -> NODX: the no-map flag is 0, but the target is NoDx"),
    ("2018_I10gem.txt", "A001    0011", "line 6: is not 'source  target  flags'"),
    ("2018_I10gem.txt", "A001    0011     1000X", "line 6: is not 'source  target  flags'"),
    ("2018_I10gem.txt", "A001    A011     10000", "line 6: 'A011' is not an ICD-9-CM"),
])
def test_malformed_line_names_file_and_place_and_writes_nothing(engine, fixtures, tmp_path,
                                                                name, line, message):
    path = tmp_path / name
    path.write_text((fixtures / "gems" / name).read_text() + line + "\n")
    with pytest.raises(ImportFailed) as err:
        import_paths([path], engine)
    assert f"{name}: {message}" in str(err.value)
    assert _table_counts(engine) == [0, 0]


def test_reimport_is_a_no_op_and_a_zip_imports(engine, fixtures, tmp_path):
    archive = tmp_path / "2018-ICD-10-CM-General-Equivalence-Mappings.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(fixtures / "gems" / "2018_I10gem.txt", "2018_I10gem.txt")
        z.write(fixtures / "gems" / "2018_I9gem.txt", "2018_I9gem.txt")
    outcomes = import_paths([archive], engine)
    assert [o.status for o in outcomes] == ["imported", "imported"]
    [again] = import_paths([fixtures / "gems" / "2018_I10gem.txt"], engine)
    assert again.status == "unchanged"
    assert _table_counts(engine) == [2, 9]


def test_sniff_tells_direction_from_codes_and_refuses_procedure_gems(fixtures, tmp_path):
    renamed = tmp_path / "mapping.txt"
    renamed.write_bytes((fixtures / "gems" / "2018_I9gem.txt").read_bytes())
    assert registry.importer_for(_source(renamed)) is gems
    assert gems.release_info(_source(renamed)).kind == "gem_9to10"
    pcs = tmp_path / "gem_pcsi9.txt"  # ICD-10-PCS to ICD-9-CM procedures: not diagnoses
    pcs.write_text("0016070 0011     10000\n0016071 0011     10000\n00160J0 0231     10000\n")
    assert not gems.sniff(_source(pcs))
    assert not gems.sniff(_source(fixtures / "pos" / "place_of_service.csv"))


@pytest.mark.shared_data
@pytest.mark.parametrize(("name", "kind", "rows"), [
    ("icd10cmtoicd9gem.csv", "gem_10to9", 78838),
    ("icd9toicd10cmgem.csv", "gem_9to10", 23912),
])
def test_shared_gems_import(engine, shared_codebooks, name, kind, rows):
    path = shared_codebooks / "gems-2018" / name
    assert registry.importer_for(_source(path)) is gems
    [outcome] = import_paths([path], engine)
    assert outcome.counts["mappings"] == rows
    assert _table_counts(engine) == [1, rows]
    assert _release(engine).kind == kind
