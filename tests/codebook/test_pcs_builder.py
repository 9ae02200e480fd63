"""The ICD-10-PCS builder over the real FY2023 PCS Tables and Definitions (../shared): each
character offers only the values the chosen table's rows still allow, with their definitions,
and a whole code fills every character back in."""

import datetime as dt

import pytest

from encoder_app.codebook.db import engine_for
from encoder_app.codebook.pcs_builder import PcsBuilder
from encoder_app.errors import UnknownCode
from encoder_app.importers import import_paths

pytestmark = pytest.mark.shared_data
DAY = dt.date(2023, 5, 1)  # in FY2023, the PCS release in ../shared


@pytest.fixture(scope="module")
def builder(shared_codebooks_dir, tmp_path_factory) -> PcsBuilder:
    folder = shared_codebooks_dir / "icd10pcs-2023"
    engine = engine_for(f"sqlite:///{tmp_path_factory.mktemp('pcs') / 'pcs.sqlite3'}")
    import_paths([folder / "icd10pcs_tables_2023.xml", folder / "icd10pcs_definitions_2023.xml"],
                 engine)
    return PcsBuilder(engine, DAY)


def labels(step) -> dict[str, str]:
    return {v.value: v.label for v in step.values}


def test_the_first_three_characters_are_section_body_system_and_root_operation(builder):
    first = builder.step("")
    assert first.title == "Section" and labels(first)["0"] == "Medical and Surgical"
    assert len(first.values) == 17  # the 17 sections of ICD-10-PCS
    body = builder.step("0")
    assert body.title == "Body System" and labels(body)["D"] == "Gastrointestinal System"
    operation = builder.step("0D")
    assert operation.title == "Operation"
    resection = operation.value("T")
    assert resection.label == "Resection"
    assert resection.definition.startswith("Cutting out or off, without replacement, all of a "
                                           "body part")


def test_the_approaches_offered_are_those_the_appendix_row_allows(builder):
    body_parts = builder.step("0DT")
    assert labels(body_parts)["J"] == "Appendix"
    assert body_parts.value("J").includes == "Vermiform appendix"  # the Body Part Key
    approach = builder.step("0DTJ")
    # 0DT row for J: open, percutaneous endoscopic, via opening (endoscopic); never percutaneous
    assert approach.title == "Approach" and sorted(labels(approach)) == ["0", "4", "7", "8"]
    assert approach.value("4").definition.startswith("Entry, by puncture or minor incision")
    assert labels(builder.step("0DTJ4")) == {"Z": "No Device"}
    assert labels(builder.step("0DTJ4Z")) == {"Z": "No Qualifier"}


def test_a_whole_code_fills_every_character_back_in(builder):
    built = builder.build("0DTJ4ZZ")
    assert built.complete and built.code == "0DTJ4ZZ" and built.next is None
    assert [(c.title, c.value.label) for c in built.chosen] == [
        ("Section", "Medical and Surgical"), ("Body System", "Gastrointestinal System"),
        ("Operation", "Resection"), ("Body Part", "Appendix"),
        ("Approach", "Percutaneous Endoscopic"), ("Device", "No Device"),
        ("Qualifier", "No Qualifier")]


def test_values_are_kept_within_one_table_row(builder):
    """0SR (replacement, lower joints): a hip's devices are not a knee's. After body part 9
    (hip joint, right) only that row's devices are offered."""
    hip_devices = labels(builder.step("0SR90"))
    knee_devices = labels(builder.step("0SRC0"))
    assert hip_devices != knee_devices
    for value in builder.step("0SR90").values:
        code = builder.build("0SR90" + value.value)
        assert code.next is not None and code.next.values  # every offered value leads on


def test_a_character_no_row_allows_is_named_with_the_allowed_values(builder):
    with pytest.raises(UnknownCode) as err:
        builder.build("0DTJ3")  # percutaneous is not an approach of appendix resection
    assert "3 is not an allowed approach after 0DTJ" in str(err.value)
    assert "(allowed: 0, 4, 7, 8)" in str(err.value)


def test_other_sections_name_their_own_third_character(builder):
    assert builder.step("B2").title == "Type"  # Imaging: the third character is the type


def test_a_date_past_the_release_says_so_once(builder, shared_codebooks_dir):
    assert builder.caveat == ""  # FY2023 covers the day asked
    later = PcsBuilder(builder_engine(builder), dt.date(2026, 5, 1))
    assert "after the newest loaded release" in later.caveat


def builder_engine(builder):
    return builder.engine


def test_a_complete_code_has_its_long_title(builder):
    # Built from the table labels by the importer (the Tables file carries no long titles).
    assert builder.title("0dtj4zz") == "Resection Appendix, Percutaneous Endoscopic Approach"
    with pytest.raises(UnknownCode):
        builder.title("0DTJ3ZZ")
