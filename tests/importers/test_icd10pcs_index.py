"""The ICD-10-PCS Index importer: use, see with table pointers, untitled choices, bad files."""

import pytest
from sqlalchemy import func, select

from encoder_app.codebook.index_models import IndexTerm
from encoder_app.codebook.models import Release
from encoder_app.errors import ImportFailed
from encoder_app.importers import import_paths


def _terms(engine, path):
    with engine.connect() as conn:
        return conn.execute(select(IndexTerm).where(IndexTerm.path == path)
                            .order_by(IndexTerm.seq)).all()


def test_pcs_index_imports_as_its_own_system(engine, fixtures):
    [outcome] = import_paths([fixtures / "index" / "icd10pcs_index_mini_2031.xml"], engine)
    assert outcome.status == "imported"
    assert outcome.label == "ICD-10-PCS FY2031 Index"
    assert outcome.counts == {"main terms": 6, "subterms": 4}
    with engine.connect() as conn:
        system, kind, start = conn.execute(
            select(Release.system, Release.kind, Release.effective_from)).one()
    assert (system, kind, start.isoformat()) == ("icd10pcs", "index", "2030-10-01")


def test_use_see_and_the_table_pointers_nested_in_them(engine, fixtures):
    import_paths([fixtures / "index" / "icd10pcs_index_mini_2031.xml"], engine)
    [cavity] = _terms(engine, "Abdominal cavity")
    assert cavity.use == "Peritoneal Cavity"
    [hysterectomy] = _terms(engine, "Abdominohysterectomy")
    assert (hysterectomy.see, hysterectomy.codes) == ("Resection, Uterus", "0UT9")
    [activa] = _terms(engine, "Activa PC neurostimulator")
    assert (activa.use, activa.tab) == ("Stimulator Generator, Multiple Array in", "0JH")
    [adl] = _terms(engine, "Activities of Daily Living Assessment")
    assert adl.tab == "F02"
    [vacuum] = _terms(engine, "Abortion > Vacuum")
    assert (vacuum.code, vacuum.level) == ("10A07Z6", 1)
    [products] = _terms(engine, "Abortion > Products of Conception")
    assert products.codes == "10A0"


def test_untitled_subterms_are_choices_of_their_parent(engine, fixtures):
    import_paths([fixtures / "index" / "icd10pcs_index_mini_2031.xml"], engine)
    main, *choices = _terms(engine, "Abdominoplasty")
    assert main.level == 0
    assert [(c.title, c.level, c.parent_id) for c in choices] == [("", 1, main.id)] * 2
    assert [(c.see, c.codes) for c in choices] == [("Alteration, Abdominal Wall", "0W0F"),
                                                   ("Repair, Abdominal Wall", "0WQF")]


def test_term_with_nothing_in_it_fails_and_writes_nothing(engine, fixtures):
    bad = fixtures / "index" / "icd10pcs_index_empty_term.xml"
    with pytest.raises(ImportFailed) as failed:
        import_paths([bad], engine)
    assert failed.value.source == "icd10pcs_index_empty_term.xml"
    assert "<term level=1> under 'Abortion'" in failed.value.where
    assert "nothing to see, use or code" in failed.value.problem
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(IndexTerm)).scalar() == 0


def test_reimport_is_a_no_op(engine, fixtures):
    path = fixtures / "index" / "icd10pcs_index_mini_2031.xml"
    import_paths([path], engine)
    [again] = import_paths([path], engine)
    assert again.status == "unchanged"


@pytest.mark.shared_data
def test_real_2023_pcs_index_imports_fully(engine, shared_codebooks):
    [outcome] = import_paths([shared_codebooks / "icd10pcs-2023" / "icd10pcs_index_2023.xml"],
                             engine)
    assert outcome.counts == {"main terms": 3_023, "subterms": 21_179}
    assert outcome.label == "ICD-10-PCS FY2023 Index"
    [hysterectomy] = _terms(engine, "Abdominohysterectomy")
    assert (hysterectomy.see, hysterectomy.codes) == ("Resection, Uterus", "0UT9")
