"""NCCI MUE tables: setting read from the header, adjudication indicator parsed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from encoder_app.codebook.models import Release
from encoder_app.codebook.reference_models import MueLimit
from encoder_app.errors import ImportFailed
from encoder_app.importers.runner import import_paths


def test_three_settings(engine, fixtures):
    ncci = fixtures / "ncci"
    outcomes = import_paths([ncci / "mue_practitioner_2024q3.csv",
                             ncci / "mue_outpatient_2024q3.csv", ncci / "mue_dme_2024q3.csv"],
                            engine)
    assert [o.counts["MUE values"] for o in outcomes] == [5, 3, 2]
    with engine.connect() as conn:
        kinds = dict(conn.execute(select(Release.kind, Release.effective_from)).all())
        limit = conn.execute(select(MueLimit).where(MueLimit.code == "36415")
                             .join(Release).where(Release.kind == "mue_practitioner")).one()
        line_edit = conn.execute(select(MueLimit).where(MueLimit.code == "A4216")).one()
    assert kinds == {k: dt.date(2024, 7, 1) for k in
                     ("mue_practitioner", "mue_outpatient_hospital", "mue_dme")}
    assert (limit.units, limit.adjudication, limit.rationale) == (2, 3, "Clinical: Data")
    assert limit.adjudication_text == "3 Date of Service Edit: Clinical"
    assert (line_edit.units, line_edit.adjudication) == (0, 1)


def test_setting_comes_from_the_header_not_the_name(engine, fixtures, tmp_path):
    path = tmp_path / "mue_2024q3.csv"
    path.write_text((fixtures / "ncci" / "mue_dme_2024q3.csv").read_text())
    import_paths([path], engine)
    with engine.connect() as conn:
        assert conn.execute(select(Release.kind)).scalar() == "mue_dme"


@pytest.mark.parametrize("bad, problem", [
    ("36415,two,3 Date of Service Edit: Clinical,Clinical: Data", "not a whole number"),
    ("36415,2,Date of Service Edit,Clinical: Data", "adjudication indicator"),
    ("29880,1,2 Date of Service Edit: Policy,Anatomic Consideration", "already has an MUE"),
])
def test_bad_row_fails_and_writes_nothing(engine, fixtures, tmp_path, bad, problem):
    lines = (fixtures / "ncci" / "mue_practitioner_2024q3.csv").read_text().splitlines()
    lines[2] = bad
    path = tmp_path / "mue_practitioner_2024q3.csv"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportFailed) as failed:
        import_paths([path], engine)
    assert failed.value.where == "row 3" and problem in failed.value.problem
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Release)).scalar() == 0


@pytest.mark.shared_data
def test_full_mue_tables(engine, shared_codebooks):
    folder = shared_codebooks / "ncci-2024q3"
    outcomes = import_paths([folder / "mue_practitioner_2024q3.csv",
                             folder / "mue_outpatient_2024q3.csv",
                             folder / "mue_dme_2024q3.csv"], engine)
    assert [o.counts["MUE values"] for o in outcomes] == [14677, 14628, 2928]
