"""ICD-10-PCS tables: every table row expanded into its codes, with titles and headings."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from encoder_app.codebook.models import Code, Release
from encoder_app.errors import ImportFailed
from encoder_app.importers.runner import import_paths


def _codes(engine, **where) -> dict[str, Code]:
    with engine.connect() as conn:
        rows = conn.execute(select(Code).filter_by(system="icd10pcs", **where)).all()
    return {r.code: r for r in rows}


def test_fixture_expands_every_row(engine, fixtures):
    [outcome] = import_paths([fixtures / "pcs" / "icd10pcs_tables_fixture.xml"], engine)
    assert outcome.status == "imported"
    assert outcome.counts == {"sections": 2, "body systems": 3, "tables": 3, "codes": 15}
    codes = _codes(engine, level="code")
    assert len(codes) == 15
    assert all(c.billable and len(c.code) == 7 for c in codes.values())
    # 001 rows make 2 x 2 x 2 + 1 codes, 0DT 2 x 2, GZ1 2.
    assert sum(c.startswith("001") for c in codes) == 9
    assert {c for c in codes if c.startswith("0DT")} == {"0DTJ0ZZ", "0DTJ4ZZ", "0DTN0ZZ",
                                                          "0DTN4ZZ"}
    assert {c for c in codes if c.startswith("GZ1")} == {"GZ10ZZZ", "GZ11ZZZ"}
    with engine.connect() as conn:
        release = conn.execute(select(Release)).one()
    assert (release.system, release.kind, release.version) == ("icd10pcs", "tables",
                                                                "FY2023@2022-10-01")
    assert release.effective_from.isoformat() == "2022-10-01"


def test_titles_leave_out_placeholders(engine, fixtures):
    import_paths([fixtures / "pcs" / "icd10pcs_tables_fixture.xml"], engine)
    codes = _codes(engine, level="code")
    assert codes["0016070"].title == ("Bypass Cerebral Ventricle, Open Approach, "
                                      "Autologous Tissue Substitute, Nasopharynx")
    assert codes["001U0Z4"].title == "Bypass Spinal Canal, Open Approach, Pleural Cavity"
    assert codes["0DTJ4ZZ"].title == "Resection Appendix, Percutaneous Endoscopic Approach"
    assert codes["GZ11ZZZ"].title == "Psychological Tests, Personality and Behavioral"
    axes = json.loads(codes["0016070"].extra_json)
    assert axes["4"] == ["Body Part", "Cerebral Ventricle"]
    assert axes["6"] == ["Device", "Autologous Tissue Substitute"]


def test_headings_and_parents(engine, fixtures):
    import_paths([fixtures / "pcs" / "icd10pcs_tables_fixture.xml"], engine)
    everything = _codes(engine)
    by_id = {c.id: c for c in everything.values()}
    chain = []
    node = everything["0DTN0ZZ"]
    while node.parent_id is not None:
        node = by_id[node.parent_id]
        chain.append((node.code, node.level, node.title))
    assert chain == [("0DT", "table", "Resection"),
                     ("0D", "body_system", "Gastrointestinal System"),
                     ("0", "section", "Medical and Surgical")]
    table = json.loads(everything["001"].extra_json)
    assert table["definition"].startswith("Altering the route of passage")
    assert table["axes"]["3"] == {"title": "Operation", "code": "1", "label": "Bypass"}
    assert len(table["rows"]) == 2
    assert table["rows"][0]["5"]["values"] == [["0", "Open"], ["3", "Percutaneous"]]
    assert everything["00"].parent_id == everything["0"].id


def test_reimport_is_a_no_op(engine, fixtures):
    path = fixtures / "pcs" / "icd10pcs_tables_fixture.xml"
    import_paths([path], engine)
    [again] = import_paths([path], engine)
    assert again.status == "unchanged"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Code)).scalar() == 15 + 8


@pytest.mark.parametrize("change, where, problem", [
    ('<label code="J">Synthetic Substitute</label>', "<pcsTable> 001 <pcsRow> 1",
     "not one PCS character"),
    ('<pcsRow codes="8">', "<pcsTable> 001 <pcsRow> 1", "make 8 codes"),
])
def test_bad_table_names_the_row_and_writes_nothing(engine, fixtures, tmp_path,
                                                    change, where, problem):
    text = (fixtures / "pcs" / "icd10pcs_tables_fixture.xml").read_text()
    broken = {'<label code="J">Synthetic Substitute</label>':
              '<label code="JJ">Synthetic Substitute</label>',
              '<pcsRow codes="8">': '<pcsRow codes="9">'}[change]
    path = tmp_path / "pcs_tables_broken.xml"
    path.write_text(text.replace(change, broken, 1))
    with pytest.raises(ImportFailed) as failed:
        import_paths([path], engine)
    assert failed.value.source == "pcs_tables_broken.xml"
    assert failed.value.where == where
    assert problem in failed.value.problem
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Release)).scalar() == 0
        assert conn.execute(select(func.count()).select_from(Code)).scalar() == 0


@pytest.mark.shared_data
def test_full_tables_make_78530_codes(engine, shared_codebooks):
    [outcome] = import_paths([shared_codebooks / "icd10pcs-2023" / "icd10pcs_tables_2023.xml"],
                             engine)
    assert outcome.counts["tables"] == 901
    assert outcome.counts["codes"] == 78530
    codes = _codes(engine, level="code")
    assert len(codes) == 78530
    assert codes["0016070"].title == ("Bypass Cerebral Ventricle, Open Approach, "
                                      "Autologous Tissue Substitute, Nasopharynx")
    assert codes["0DTJ4ZZ"].title == "Resection Appendix, Percutaneous Endoscopic Approach"
