"""ICD-10-PCS definitions: sections, axes and terms with definitions and includes."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from encoder_app.codebook.models import Release
from encoder_app.codebook.reference_models import PcsDefinition, PcsDeviceAggregate
from encoder_app.errors import ImportFailed
from encoder_app.importers.runner import import_paths


def _terms(engine) -> dict[tuple[str, int, str], PcsDefinition]:
    with engine.connect() as conn:
        rows = conn.execute(select(PcsDefinition)).all()
    return {(r.section, r.axis_pos, r.term): r for r in rows}


def test_fixture_terms(engine, fixtures):
    [outcome] = import_paths([fixtures / "pcs" / "icd10pcs_definitions_fixture.xml"], engine)
    assert outcome.counts == {"definitions": 5, "sections": 2, "device aggregates": 1}
    terms = _terms(engine)
    assert len(terms) == 5
    bypass = terms[("0", 3, "Bypass")]
    assert bypass.section_title == "Medical and Surgical"
    assert bypass.axis_title == "Operation"
    assert bypass.definition.startswith("Altering the route")
    assert bypass.explanation.startswith("Rerouting")
    assert bypass.includes == "Coronary artery bypass; Colostomy formation"
    appendix = terms[("0", 4, "Appendix")]
    assert appendix.definition is None and appendix.includes == "Vermiform appendix"
    assert terms[("G", 3, "Psychological Tests")].axis_title == "Type"
    with engine.connect() as conn:
        release = conn.execute(select(Release)).one()
        aggregate = conn.execute(select(PcsDeviceAggregate)).one()
    assert (release.system, release.kind, release.version) == ("icd10pcs", "definitions",
                                                                "FY2023@2022-10-01")
    assert aggregate.body_systems == "Heart and Great Vessels; Upper Arteries"
    assert (aggregate.parent_value, aggregate.parent_label) == ("7",
                                                                "Autologous Tissue Substitute")


def test_term_without_title_fails_and_writes_nothing(engine, fixtures, tmp_path):
    text = (fixtures / "pcs" / "icd10pcs_definitions_fixture.xml").read_text()
    path = tmp_path / "pcs_definitions_broken.xml"
    path.write_text(text.replace("<title>Appendix</title>", "", 1))
    with pytest.raises(ImportFailed) as failed:
        import_paths([path], engine)
    assert failed.value.where == "<section> 0 <axis> 4 <terms> 1"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Release)).scalar() == 0


@pytest.mark.shared_data
def test_full_definitions(engine, shared_codebooks):
    path = shared_codebooks / "icd10pcs-2023" / "icd10pcs_definitions_2023.xml"
    [outcome] = import_paths([path], engine)
    assert outcome.counts == {"definitions": 896, "sections": 16, "device aggregates": 60}
    terms = _terms(engine)
    assert terms[("0", 3, "Bypass")].includes.startswith("Coronary artery bypass")
