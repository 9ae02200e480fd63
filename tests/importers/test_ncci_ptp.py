"""NCCI PTP edits: CSV and CMS text forms, setting from the file name, all-or-nothing imports."""

from __future__ import annotations

import datetime as dt
import gzip
import shutil

import pytest
from sqlalchemy import func, select

from encoder_app.codebook.models import Release
from encoder_app.codebook.reference_models import PtpEdit, PtpRationale
from encoder_app.errors import ImportFailed
from encoder_app.importers.runner import import_paths

PRACTITIONER = "ncci_ptp_practitioner_2024q3.csv"


def _count(engine, table) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar()


def _edits(engine) -> list:
    with engine.connect() as conn:
        return conn.execute(
            select(PtpEdit.column1, PtpEdit.column2, PtpEdit.effective, PtpEdit.deletion,
                   PtpEdit.modifier_indicator, PtpRationale.text)
            .outerjoin(PtpRationale, PtpRationale.id == PtpEdit.rationale_id)
            .order_by(PtpEdit.id)).all()


def test_practitioner_csv(engine, fixtures):
    [outcome] = import_paths([fixtures / "ncci" / PRACTITIONER], engine)
    assert outcome.counts == {"edits": 8, "deleted edits": 2, "rationales": 4}
    with engine.connect() as conn:
        release = conn.execute(select(Release)).one()
    assert (release.system, release.kind, release.version) == ("ncci", "ptp_practitioner",
                                                                "2024Q3")
    assert release.effective_from == dt.date(2024, 7, 1)
    assert release.label == "NCCI PTP practitioner 2024Q3"
    edits = _edits(engine)
    assert edits[0] == ("29880", "29870", None, None, 1, "Standards of medical/surgical practice")
    assert edits[4] == ("29881", "29880", None, dt.date(2020, 12, 31), 9,
                        "Mutually exclusive procedures")
    assert edits[7].effective == dt.date(2024, 1, 1) and edits[7].modifier_indicator == 0


def test_outpatient_setting_from_name(engine, fixtures):
    import_paths([fixtures / "ncci" / "ncci_ptp_outpatient_hospital_2024q3.csv"], engine)
    with engine.connect() as conn:
        release = conn.execute(select(Release)).one()
    assert release.kind == "ptp_outpatient_hospital"
    assert _count(engine, PtpEdit) == 3


def test_cms_text_form_with_preamble(engine, fixtures):
    [outcome] = import_paths([fixtures / "ncci" / "ccipra-v302r0-f1.txt"], engine)
    assert outcome.counts["edits"] == 3
    with engine.connect() as conn:
        release = conn.execute(select(Release)).one()
    # ccipra = practitioner; v30.2 = 2024Q3; -f1 is part 1 of the quarter.
    assert (release.kind, release.version) == ("ptp_practitioner", "2024Q3-f1")
    assert release.effective_from == dt.date(2024, 7, 1)
    edits = _edits(engine)
    assert edits[0][:5] == ("29880", "29870", dt.date(1996, 1, 1), None, 1)
    assert edits[2][:5] == ("29881", "29880", dt.date(2001, 1, 1), dt.date(2020, 12, 31), 9)


def test_gzip_is_read(engine, fixtures, tmp_path):
    path = tmp_path / (PRACTITIONER + ".gz")
    path.write_bytes(gzip.compress((fixtures / "ncci" / PRACTITIONER).read_bytes()))
    [outcome] = import_paths([path], engine)
    assert outcome.counts["edits"] == 8


def test_setting_not_in_name_fails(engine, fixtures, tmp_path):
    path = tmp_path / "ptp_2024q3.csv"
    shutil.copy(fixtures / "ncci" / PRACTITIONER, path)
    with pytest.raises(ImportFailed) as failed:
        import_paths([path], engine)
    assert failed.value.source == "ptp_2024q3.csv" and failed.value.where == "file name"
    assert "'practitioner' or 'outpatient'" in failed.value.problem
    assert _count(engine, Release) == 0


def test_quarter_not_in_name_uses_effective_from(engine, fixtures, tmp_path):
    path = tmp_path / "practitioner_edits.csv"
    shutil.copy(fixtures / "ncci" / PRACTITIONER, path)
    import_paths([path], engine, effective_from=dt.date(2024, 4, 1))
    with engine.connect() as conn:
        release = conn.execute(select(Release)).one()
    assert release.effective_from == dt.date(2024, 4, 1)
    assert release.version.startswith("unversioned-")


@pytest.mark.parametrize("line, replacement, problem", [
    ("29880,29877,,,*,1,", "29880,29877,,,*,2,", "modifier indicator '2' is not 0"),
    ("29880,G0289,,,*,1,", "29880,,,,*,1,", "column 2 is missing"),
    ("29881,29870,,,*,1,", "29881,29870,,,2024-13-01,1,", "Deletion Date '2024-13-01' is not"),
    ("29881,29870,,,*,1,", "29881,29870,,20241301,*,1,", "Effective Date '20241301' is not"),
    ("29881,29870,,,*,1,", "29881,29870", "column"),
])
def test_bad_row_names_file_and_row_and_writes_nothing(engine, fixtures, tmp_path,
                                                       line, replacement, problem):
    lines = (fixtures / "ncci" / PRACTITIONER).read_text().splitlines()
    row = next(i for i, text in enumerate(lines) if text.startswith(line))
    lines[row] = replacement + lines[row][len(line):] if "," in replacement[6:] else replacement
    path = tmp_path / PRACTITIONER
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportFailed) as failed:
        import_paths([path], engine)
    assert failed.value.source == PRACTITIONER
    assert failed.value.where == f"row {row + 1}"
    assert problem in failed.value.problem
    assert PRACTITIONER in str(failed.value) and f"row {row + 1}" in str(failed.value)
    assert _count(engine, Release) == 0
    assert _count(engine, PtpEdit) == 0


def test_reimport_is_a_no_op(engine, fixtures):
    path = fixtures / "ncci" / PRACTITIONER
    import_paths([path], engine)
    [again] = import_paths([path], engine)
    assert again.status == "unchanged"
    assert _count(engine, PtpEdit) == 8 and _count(engine, Release) == 1


def test_same_quarter_new_content_replaces(engine, fixtures, tmp_path):
    import_paths([fixtures / "ncci" / PRACTITIONER], engine)
    import_paths([fixtures / "ncci" / "ncci_ptp_outpatient_hospital_2024q3.csv"], engine)
    path = tmp_path / PRACTITIONER
    header = (fixtures / "ncci" / PRACTITIONER).read_text().splitlines()[0]
    path.write_text(f"{header}\n11042,97597,,,*,1,Standards of medical/surgical practice\n")
    [refused] = import_paths([path], engine)
    assert refused.status == "needs_replace" and _count(engine, PtpEdit) == 8 + 3
    assert refused.old_counts["edits"] == 8 and refused.counts["edits"] == 1
    [outcome] = import_paths([path], engine, replace=True)
    assert outcome.status == "replaced"
    with engine.connect() as conn:
        kinds = dict(conn.execute(select(Release.kind, Release.id)).all())
        practitioner = conn.execute(select(PtpEdit.column1, PtpEdit.column2).where(
            PtpEdit.release_id == kinds["ptp_practitioner"])).all()
        rationales = conn.execute(select(func.count()).select_from(PtpRationale).where(
            PtpRationale.release_id == kinds["ptp_practitioner"])).scalar()
    assert practitioner == [("11042", "97597")] and rationales == 1
    assert _count(engine, PtpEdit) == 1 + 3  # the outpatient release is untouched


@pytest.mark.shared_data
def test_full_practitioner_file(engine, shared_codebooks):
    """The one full PTP import in the suite (~15 s); bench/bench_ncci_import.py times both."""
    from encoder_app.codebook.edit_tables import ptp_edits_between

    path = shared_codebooks / "ncci-2024q3" / "ncci_ptp_practitioner_2024q3.csv.gz"
    [outcome] = import_paths([path], engine)
    assert outcome.counts["edits"] == 2546017
    assert outcome.counts["edits"] - outcome.counts["deleted edits"] == 1669820
    assert _count(engine, PtpEdit) == 2546017
    # 0001A/0591T was deleted at the end of 2023: an edit for 2023 visits, not for 2024 ones.
    assert [(e.column1, e.column2) for e in ptp_edits_between(
        engine, ["0591T", "0001A"], "practitioner", dt.date(2023, 6, 1))] == [("0001A", "0591T")]
    assert ptp_edits_between(engine, ["0591T", "0001A"], "practitioner",
                             dt.date(2024, 8, 1)) == []
