"""The ICD-10-CM index importer: the four books, nemods, see/see also, tables, bad files."""

import shutil

import pytest
from sqlalchemy import func, select

from encoder_app.codebook.index_models import IndexTerm, TableCell, TableHeading
from encoder_app.codebook.models import Release
from encoder_app.errors import ImportFailed
from encoder_app.importers import import_paths
from encoder_app.importers.icd10cm_index import book_kind


def _term(engine, path):
    with engine.connect() as conn:
        return conn.execute(select(IndexTerm).where(IndexTerm.path == path)).one()


def _table_counts(engine):
    with engine.connect() as conn:
        return [conn.execute(select(func.count()).select_from(t)).scalar()
                for t in (Release, IndexTerm, TableCell, TableHeading)]


def _line_of(path, text):
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@pytest.fixture
def index_dir(fixtures):
    return fixtures / "index"


def test_disease_index_imports_as_fiscal_year_release(engine, index_dir):
    [outcome] = import_paths([index_dir / "icd10cm_index_mini_2031.xml"], engine)
    assert outcome.status == "imported"
    assert outcome.label == "ICD-10-CM FY2031 Index to Diseases and Injuries"
    assert outcome.counts == {"main terms": 10, "subterms": 12}
    with engine.connect() as conn:
        release = conn.execute(select(Release.__table__)).one()
    assert (release.system, release.kind) == ("icd10cm", "index")
    assert release.effective_from.isoformat() == "2030-10-01"


def test_nemod_is_kept_apart_from_the_title_and_in_place_for_display(engine, index_dir):
    import_paths([index_dir / "icd10cm_index_mini_2031.xml"], engine)
    abasia = _term(engine, "Abasia")
    assert (abasia.title, abasia.nemod) == ("Abasia", "(-astasia) (hysterical)")
    assert abasia.code == "F44.4"
    assert abasia.display == "Abasia (-astasia) (hysterical)"
    # text after the nemod stays part of the title
    abscess = _term(engine, "Abscess NEC")
    assert abscess.nemod == "(connective tissue)"
    assert abscess.display == "Abscess (connective tissue) NEC"
    # a title that is only a nemod keeps it as its title
    somatoform = _term(engine, "Disorder > pain > (somatoform)")
    assert (somatoform.title, somatoform.nemod, somatoform.code) == ("(somatoform)", None, "F45.41")


def test_see_see_also_and_manifestation_codes(engine, index_dir):
    import_paths([index_dir / "icd10cm_index_mini_2031.xml"], engine)
    assert _term(engine, "Abandonment").see == "Maltreatment"
    assert _term(engine, "Abdomen, abdominal").see_also == "condition"
    heart = _term(engine, "Amyloidosis > heart")
    assert (heart.code, heart.manif) == ("E85.4", "I43")


def test_nested_levels_link_to_parent_and_main_term(engine, index_dir):
    import_paths([index_dir / "icd10cm_index_mini_2031.xml"], engine)
    main = _term(engine, "Fracture, traumatic")
    femur = _term(engine, "Fracture, traumatic > femur, femoral")
    upper = _term(engine, "Fracture, traumatic > femur, femoral > upper end")
    base = _term(engine, "Fracture, traumatic > femur, femoral > upper end > neck > base")
    assert (main.level, femur.level, upper.level, base.level) == (0, 1, 2, 4)
    assert femur.parent_id == main.id and upper.parent_id == femur.id
    assert {main.main_term_id, femur.main_term_id, base.main_term_id} == {main.id}
    assert femur.code == "S72.9-"  # index dashes kept as printed
    assert base.nemod == "(displaced)"
    assert main.title_key == "fracture traumatic"
    assert femur.seq < upper.seq < base.seq


def test_external_cause_index_with_seecat_and_subcat(engine, index_dir):
    [outcome] = import_paths([index_dir / "icd10cm_eindex_mini_2031.xml"], engine)
    assert outcome.label == "ICD-10-CM FY2031 External Cause Index"
    assert _term(engine, "Exposure > lightning").subcat == "T75.0"
    assert _term(engine, "Suffocation > in bed linen").seecat == "T71"
    assert _term(engine, "Accident > caused by, due to > cold").see == "Exposure, cold"


def test_neoplasm_table_cells_and_headings(engine, index_dir):
    [outcome] = import_paths([index_dir / "icd10cm_neoplasm_mini_2031.xml"], engine)
    assert outcome.label == "ICD-10-CM FY2031 Table of Neoplasms"
    assert outcome.counts == {"main terms": 1, "subterms": 5, "cells": 28}
    lung = _term(engine, "Neoplasm, neoplastic > lung")
    with engine.connect() as conn:
        headings = dict(conn.execute(select(TableHeading.col, TableHeading.title)).all())
        cells = dict(conn.execute(select(TableCell.col, TableCell.code)
                                  .where(TableCell.term_id == lung.id)).all())
        bcc = _term(engine, "Neoplasm, neoplastic > skin > basal cell carcinoma")
        dashes = dict(conn.execute(select(TableCell.col, TableCell.code)
                                   .where(TableCell.term_id == bcc.id)).all())
    assert headings[1] == "Neoplasm" and headings[2] == "Malignant Primary"
    assert cells == {2: "C34.9-", 3: "C78.0-", 4: "D02.2-", 5: "D14.3-", 6: "D38.1", 7: "D49.1"}
    assert lung.see_also == "Neoplasm, bronchus"
    assert dashes == {2: "C44.91", 3: "-", 4: "-"}


def test_drug_table_is_recognised_by_its_substance_heading(engine, index_dir, tmp_path):
    # named like nothing in particular: the content says which book it is
    plain = tmp_path / "book.xml"
    shutil.copy(index_dir / "icd10cm_drug_mini_2031.xml", plain)
    [outcome] = import_paths([plain], engine)
    assert outcome.label == "ICD-10-CM FY2031 Table of Drugs and Chemicals"
    acid = _term(engine, "Acid NEC")
    assert (acid.nemod, acid.display) == ("(corrosive)", "Acid (corrosive) NEC")
    with engine.connect() as conn:
        codes = dict(conn.execute(select(TableCell.col, TableCell.code)
                                  .where(TableCell.term_id == acid.id)).all())
    assert codes[2] == "T54.2X1" and codes[6] == "--"


def test_book_kind_reads_content_before_the_file_name():
    head = '<ICD10CM.index><version>2031</version><title>ICD-10-CM EXTERNAL CAUSE INDEX</title>'
    assert book_kind(head + "<letter><title>A</title>", "icd10cm_index_2031.xml") == "eindex"
    neo = '<ICD10CM.index><indexHeading><head col="1">Neoplasm</head></indexHeading><letter>'
    assert book_kind(neo, "x.xml") == "neoplasm"
    assert book_kind("<ICD10CM.index><version>2031</version><letter>", "icd10cm_drug.xml") == "drug"
    assert book_kind("<ICD10CM.index><version>2031</version><letter>", "x.xml") == "index"


def test_broken_xml_fails_naming_file_and_line_and_keeps_the_database(engine, index_dir):
    import_paths([index_dir / "icd10cm_eindex_mini_2031.xml"], engine)
    before = _table_counts(engine)
    broken = index_dir / "icd10cm_index_broken_xml.xml"
    with pytest.raises(ImportFailed) as failed:
        import_paths([broken], engine)
    assert failed.value.source == "icd10cm_index_broken_xml.xml"
    assert failed.value.where.startswith(f"line {_line_of(broken, '</cod>')},")
    assert "not well-formed" in failed.value.problem
    assert _table_counts(engine) == before


def test_term_without_title_fails_naming_the_term_and_rolls_back(engine, index_dir):
    import_paths([index_dir / "icd10cm_eindex_mini_2031.xml"], engine)
    before = _table_counts(engine)
    bad = index_dir / "icd10cm_index_term_without_title.xml"
    with pytest.raises(ImportFailed) as failed:
        import_paths([bad], engine)
    message = str(failed.value)
    assert message.startswith("icd10cm_index_term_without_title.xml: ")
    line = _line_of(bad, "<code>S72.00-</code>") - 1
    assert f"line {line}, <term level=2> under 'Fracture, traumatic > femur, femoral'" in message
    assert "has no <title>" in message
    assert _table_counts(engine) == before


def test_cell_in_a_column_without_heading_fails(engine, index_dir):
    with pytest.raises(ImportFailed) as failed:
        import_paths([index_dir / "icd10cm_neoplasm_bad_cell.xml"], engine)
    assert "<cell col=8> of 'Neoplasm, neoplastic > lung'" in failed.value.where
    assert _table_counts(engine) == [0, 0, 0, 0]


def test_reimport_is_a_no_op_and_a_new_file_of_the_same_year_replaces(engine, index_dir, tmp_path):
    first = index_dir / "icd10cm_index_mini_2031.xml"
    import_paths([first], engine)
    before = _table_counts(engine)
    [again] = import_paths([first], engine)
    assert again.status == "unchanged"
    assert _table_counts(engine) == before
    # the same release year with different content replaces the old rows
    changed = tmp_path / "icd10cm_index_2031.xml"
    changed.write_text(first.read_text().replace("<code>F44.4</code>", "<code>F44.40</code>"))
    [refused] = import_paths([changed], engine)
    assert refused.status == "needs_replace" and "--replace" in refused.summary()
    assert _term(engine, "Abasia").code == "F44.4"  # nothing changed without consent
    [replaced] = import_paths([changed], engine, replace=True)
    assert replaced.status == "replaced"
    assert _table_counts(engine) == before
    assert _term(engine, "Abasia").code == "F44.40"


def test_two_fiscal_years_live_side_by_side(engine, index_dir):
    import_paths([index_dir / "icd10cm_index_mini_2031.xml",
                  index_dir / "icd10cm_index_mini_2032.xml"], engine)
    with engine.connect() as conn:
        years = conn.execute(select(Release.version).order_by(Release.effective_from)).scalars()
        assert list(years) == ["FY2031@2030-10-01", "FY2032@2031-10-01"]


@pytest.mark.shared_data
@pytest.mark.parametrize("book, counts", [
    ("index", {"main terms": 8_100, "subterms": 72_924}),
    ("eindex", {"main terms": 314, "subterms": 7_750}),
    ("neoplasm", {"main terms": 1, "subterms": 1_938, "cells": 10_916}),
    ("drug", {"main terms": 5_177, "subterms": 2_251, "cells": 43_212}),
])
def test_real_2025_books_import_fully(engine, shared_codebooks, book, counts):
    [outcome] = import_paths([shared_codebooks / "icd10cm-2025" / f"icd10cm_{book}_2025.xml"],
                             engine)
    assert outcome.status == "imported"
    assert outcome.counts == counts
    with engine.connect() as conn:
        kind, start = conn.execute(select(Release.kind, Release.effective_from)).one()
    assert kind == book and start.isoformat() == "2024-10-01"
