"""The Place of Service importer: names, types, unassigned codes, all-or-nothing."""

import json
import zipfile

import pytest
from sqlalchemy import func, select

from encoder_app.codebook.models import Code, Release
from encoder_app.errors import ImportFailed
from encoder_app.importers import import_paths, place_of_service, registry
from encoder_app.importers.sources import expand


def _source(path):
    [(source, _)] = list(expand([path]))
    return source


def _codes(engine):
    with engine.connect() as conn:
        return {r.code: r for r in conn.execute(select(Code).where(Code.system == "pos"))}


def _table_counts(engine):
    with engine.connect() as conn:
        return [conn.execute(select(func.count()).select_from(t)).scalar()
                for t in (Release, Code)]


def test_pos_codes_import_with_type_and_description(engine, fixtures):
    [outcome] = import_paths([fixtures / "pos" / "place_of_service.csv"], engine)
    assert outcome.counts == {"codes": 4, "unassigned": 1}
    codes = _codes(engine)
    assert codes["11"].title == "Test office"
    assert codes["11"].level == "code" and codes["11"].billable
    assert json.loads(codes["02"].extra_json) == {"pos_type": "Facility",
                                                  "description": "Another made-up place."}
    assert not codes["03"].billable  # Unassigned: known, but not for a claim
    with engine.connect() as conn:
        release = conn.execute(select(Release)).one()
    assert (release.system, release.kind, release.version) == ("pos", "codes", "undated")


@pytest.mark.parametrize(("line", "message"), [
    ('"","Facility","Test place","x"', "row 6: has no Place of Service code"),
    ('"1A","Facility","Test place","x"', "row 6: Place of Service code '1A' is not two digits"),
    ('"12","Facility","","x"', "row 6: Place of Service 12 has no name"),
    ('"11","Facility","Test again","x"', "row 6: Place of Service 11 is listed twice"),
])
def test_malformed_row_names_file_and_row_and_writes_nothing(engine, fixtures, tmp_path,
                                                             line, message):
    path = tmp_path / "place_of_service.csv"
    path.write_text((fixtures / "pos" / "place_of_service.csv").read_text() + line + "\n")
    with pytest.raises(ImportFailed) as err:
        import_paths([path], engine)
    assert f"place_of_service.csv: {message}" in str(err.value)
    assert _table_counts(engine) == [0, 0]


def test_reimport_is_a_no_op_and_a_zip_imports(engine, fixtures, tmp_path):
    archive = tmp_path / "pos.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(fixtures / "pos" / "place_of_service.csv", "place_of_service.csv")
    [first] = import_paths([archive], engine)
    [again] = import_paths([archive], engine)
    assert (first.status, again.status) == ("imported", "unchanged")
    assert _table_counts(engine) == [1, 4]


def test_sniff(fixtures):
    assert registry.importer_for(_source(fixtures / "pos" / "place_of_service.csv")) \
        is place_of_service
    assert not place_of_service.sniff(_source(fixtures / "hcpcs" / "level2_modifiers.csv"))


@pytest.mark.shared_data
def test_shared_pos_list_imports(engine, shared_codebooks):
    path = shared_codebooks / "pos" / "place_of_service.csv"
    assert registry.importer_for(_source(path)) is place_of_service
    [outcome] = import_paths([path], engine)
    assert outcome.counts["codes"] == len(_codes(engine)) == 99
    assert _codes(engine)["11"].title == "Office"
