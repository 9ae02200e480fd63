"""MCE age, sex and manifestation lists: groups normalised, ages and sex parsed from the rule."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from sqlalchemy import func, select

from encoder_app.codebook.models import Release
from encoder_app.codebook.reference_models import MceEdit
from encoder_app.errors import BadRecord, ImportFailed
from encoder_app.importers.mce import parse_rule
from encoder_app.importers.runner import import_paths


def _edits(engine) -> list[MceEdit]:
    with engine.connect() as conn:
        return conn.execute(select(MceEdit).order_by(MceEdit.id)).all()


def test_fixture_groups_and_parsed_fields(engine, fixtures):
    [outcome] = import_paths([fixtures / "mce" / "mce_v41_fixture.csv"], engine)
    assert outcome.counts == {"age edits": 6, "sex edits": 3, "manifestation edits": 2}
    edits = {(e.code, e.edit_group): e for e in _edits(engine)}
    newborn = edits[("P0501", "age")]
    assert (newborn.category, newborn.age_min, newborn.age_max) == ("newborn", 0, 0)
    assert newborn.rule == "Perinatal/Newborn (Age 0 Only)"
    maternity = edits[("O09511", "age")]
    assert (maternity.category, maternity.age_min, maternity.age_max) == ("maternity", 9, 64)
    assert (edits[("F0390", "age")].age_min, edits[("F0390", "age")].age_max) == (15, 124)
    assert edits[("E300", "age")].category == "pediatric"
    assert edits[("O09511", "sex")].sex == "F"
    assert edits[("N400", "sex")].sex == "M" and edits[("N400", "sex")].category == "male"
    manifestation = edits[("G01", "manifestation")]
    assert manifestation.sex is None and manifestation.age_min is None
    assert manifestation.description.startswith("Meningitis")
    with engine.connect() as conn:
        release = conn.execute(select(Release)).one()
    assert (release.system, release.kind, release.version) == ("mce", "mce", "v41")
    assert release.effective_from == dt.date(2023, 10, 1)


def test_version_from_name_sets_fiscal_year(engine, fixtures, tmp_path):
    path = tmp_path / "MCE_v42_lists.csv"
    shutil.copy(fixtures / "mce" / "mce_v41_fixture.csv", path)
    import_paths([path], engine)
    with engine.connect() as conn:
        release = conn.execute(select(Release)).one()
    assert release.version == "v42" and release.effective_from == dt.date(2024, 10, 1)
    assert "FY2025" in release.label


def test_no_version_in_name_is_dated_and_labelled(engine, fixtures, tmp_path):
    path = tmp_path / "age_sex_lists.csv"
    shutil.copy(fixtures / "mce" / "mce_v41_fixture.csv", path)
    import_paths([path], engine, effective_from=dt.date(2022, 10, 1))
    with engine.connect() as conn:
        release = conn.execute(select(Release)).one()
    assert release.version.startswith("unversioned-")
    assert release.effective_from == dt.date(2022, 10, 1)
    assert "--effective-from" in release.label


@pytest.mark.parametrize("group, rule, problem", [
    ("Age", "Adult (Ages fifteen and up)", "gives no ages"),
    ("Sex", "Either", "names neither"),
    ("Severity", "High", "is not Age, Sex or Manifestation"),
])
def test_rules_that_cannot_be_read(group, rule, problem):
    with pytest.raises(BadRecord, match=problem):
        parse_rule(group, rule, "row 2")


def test_bad_row_fails_naming_row_and_writes_nothing(engine, fixtures, tmp_path):
    lines = (fixtures / "mce" / "mce_v41_fixture.csv").read_text().splitlines()
    lines[3] = lines[3].replace("(Ages 0-17)", "(Ages 17-0)")
    path = tmp_path / "mce_v41_broken.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportFailed) as failed:
        import_paths([path], engine)
    assert failed.value.source == "mce_v41_broken.csv" and failed.value.where == "row 4"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Release)).scalar() == 0


@pytest.mark.shared_data
def test_full_mce_counts(engine, shared_codebooks):
    path = shared_codebooks / "mce-v41" / "mce_v41_age_sex_manifestation.csv"
    [outcome] = import_paths([path], engine)
    assert outcome.counts == {"age edits": 3564, "sex edits": 3960, "manifestation edits": 422}
    with engine.connect() as conn:
        categories = dict(conn.execute(select(MceEdit.category, func.count())
                                       .group_by(MceEdit.category)).all())
        ages = set(conn.execute(select(MceEdit.category, MceEdit.age_min, MceEdit.age_max)
                                .where(MceEdit.edit_group == "age").distinct()).all())
    assert categories == {"adult": 854, "maternity": 2543, "pediatric": 125, "newborn": 42,
                          "female": 3431, "male": 529, "manifestation": 422}
    assert ages == {("adult", 15, 124), ("maternity", 9, 64), ("pediatric", 0, 17),
                    ("newborn", 0, 0)}
