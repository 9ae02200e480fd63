"""NCCI add-on code edits: the short CSV form and the CMS flat file's wider layout."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from encoder_app.codebook.models import Release
from encoder_app.codebook.reference_models import AddOnEdit
from encoder_app.errors import ImportFailed
from encoder_app.importers.runner import import_paths


def _edits(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(select(AddOnEdit.addon, AddOnEdit.primary_code, AddOnEdit.edit_type,
                                   AddOnEdit.effective, AddOnEdit.deletion)
                            .order_by(AddOnEdit.id)).all()


def test_short_csv(engine, fixtures):
    [outcome] = import_paths([fixtures / "ncci" / "aoc_2024q3.csv"], engine)
    assert outcome.counts == {"add-on edits": 7, "add-on codes": 5}
    edits = _edits(engine)
    assert edits[0] == ("22614", "22600", 1, None, None)
    assert ("0054T", "CCCCC", 2, None, None) in edits
    with engine.connect() as conn:
        release = conn.execute(select(Release)).one()
    assert (release.system, release.kind, release.version) == ("ncci", "addon", "2024Q3")
    assert release.effective_from == dt.date(2024, 7, 1)


def test_cms_flat_file_keeps_edit_dates(engine, fixtures):
    import_paths([fixtures / "ncci" / "AOC_V2024Q3-F-MCR.txt"], engine)
    edits = _edits(engine)
    assert edits[0] == ("99292", "99291", 1, dt.date(2013, 1, 1), None)
    assert edits[2] == ("22614", "22630", 1, dt.date(2013, 1, 1), dt.date(2018, 12, 31))


@pytest.mark.parametrize("bad, problem", [
    ("22614,22610,4", "AOC edit type '4' is not 1, 2 or 3"),
    ("22614,,1", "primary code is missing"),
])
def test_bad_row_fails_and_writes_nothing(engine, fixtures, tmp_path, bad, problem):
    lines = (fixtures / "ncci" / "aoc_2024q3.csv").read_text().splitlines()
    lines[2] = bad
    path = tmp_path / "aoc_2024q3.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportFailed) as failed:
        import_paths([path], engine)
    assert failed.value.where == "row 3" and problem in failed.value.problem
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Release)).scalar() == 0


@pytest.mark.shared_data
def test_full_addon_table(engine, shared_codebooks):
    [outcome] = import_paths([shared_codebooks / "ncci-2024q3" / "aoc_2024q3.csv"], engine)
    assert outcome.counts["add-on edits"] == 7465
