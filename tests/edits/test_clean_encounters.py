"""No rule fires on a clean, correctly coded encounter (issue 4 quality bar; issue 12 for the
guideline rules, not even as a warning).

`clean_encounters/` holds realistic outpatient encounters coded as a professional coder would
code them: FY2026 ICD-10-CM diagnoses in sequence (etiology before manifestation, code-first
notes respected, 7th characters with placeholder X, external cause codes after the injury),
CPT code numbers and active HCPCS Level II codes with the modifiers the NCCI pairs call for,
units within the MUEs, add-on codes with their primary, pointers within the list, valid NPIs.

Each file must give no finding of severity "error": against the default FY2026 codebook alone
(CPT/HCPCS not loaded gives only info findings), and against a database with the real CMS
HCPCS, modifier, MCE, NCCI PTP, MUE and add-on tables loaded (shared data). Warnings are allowed:
e.g. NCCI tables older than the date of service, or a Medicare MUE of 0 on a child's preventive
visit, which is correct coding for the child's payer.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from encoder_app.codebook.db import engine_for
from encoder_app.edits.check import check_encounter
from encoder_app.encounters.snapshot import load_encounter, parse_encounter
from encoder_app.importers import import_paths

CLEAN = Path(__file__).resolve().parent / "clean_encounters"
FILES = sorted(CLEAN.glob("*.json"))

#: Files whose correct coding a rule still reports as an error: {file name: reason}. Each entry
#: must say "rule false positive: ..." and is reported to the rule's author; strict, so the
#: entry goes once the rule is fixed.
KNOWN_FALSE_POSITIVES: dict[str, str] = {}

#: The real CMS files the shared-data test loads, relative to ../shared/codebooks.
SHARED_FILES = [
    "hcpcs-2024q3/HCPC2024_JUL_ANWEB.csv",
    "hcpcs-2024q3/level2_modifiers.csv",
    "mce-v41/mce_v41_age_sex_manifestation.csv",
    "ncci-2024q3/ncci_ptp_practitioner_2024q3.csv.gz",
    "ncci-2024q3/ncci_ptp_outpatient_hospital_2024q3.csv.gz",
    "ncci-2024q3/mue_practitioner_2024q3.csv",
    "ncci-2024q3/mue_outpatient_2024q3.csv",
    "ncci-2024q3/mue_dme_2024q3.csv",
    "ncci-2024q3/aoc_2024q3.csv",
]


def _cases() -> list:
    cases = []
    for path in FILES:
        reason = KNOWN_FALSE_POSITIVES.get(path.name)
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        cases.append(pytest.param(path, id=path.stem, marks=marks))
    return cases


def _errors(findings) -> list:
    return [f for f in findings if f.severity == "error"]


def _listing(path: Path, errors) -> str:
    lines = [f"{path.name}: {len(errors)} error finding(s) on a clean encounter:"]
    lines += [f"  {f.rule} {list(f.codes)}: {f.message} [source: {f.source}]" for f in errors]
    return "\n".join(lines)


def test_there_are_at_least_30_clean_encounters():
    assert len(FILES) >= 30


def test_two_encounters_have_12_diagnoses_and_10_procedure_lines():
    full = [p.name for p in FILES
            if len((s := load_encounter(p)).diagnoses) == 12 and len(s.procedures) == 10]
    assert len(full) >= 2, full


@pytest.mark.parametrize("path", _cases())
def test_clean_encounter_parses_and_gives_no_error(path, fy2026_engine):
    data = json.loads(path.read_text(encoding="utf-8"))
    encounter = parse_encounter(data, path.name)
    assert encounter.date_of_service is not None
    assert encounter.diagnoses and encounter.procedures
    errors = _errors(check_encounter(fy2026_engine, encounter))
    assert not errors, _listing(path, errors)


@pytest.fixture(scope="module")
def cms_engine(_fy2026_template, shared_codebooks_dir, tmp_path_factory):
    """One database per module: the FY2026 codebook plus the real CMS HCPCS, modifier, MCE,
    NCCI PTP (both settings), MUE (three tables) and add-on files. The PTP tables take about
    25 s to import, so they are loaded once."""
    path = tmp_path_factory.mktemp("clean_encounters") / "cms.sqlite3"
    shutil.copy(_fy2026_template, path)
    engine = engine_for(f"sqlite:///{path}")
    outcomes = import_paths([shared_codebooks_dir / name for name in SHARED_FILES], engine)
    failed = [o for o in outcomes if o.status != "imported"]
    assert not failed, failed
    yield engine
    engine.dispose()


@pytest.mark.shared_data
@pytest.mark.parametrize("path", _cases())
def test_clean_encounter_gives_no_error_with_cms_tables(path, cms_engine):
    errors = _errors(check_encounter(cms_engine, load_encounter(path)))
    assert not errors, _listing(path, errors)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_guideline_rules_are_silent_on_clean_encounters(path, fy2026_engine):
    """The Official Guidelines rules give not even a warning on correct coding (hypertension
    with CKD as I12.9 + N18.31, diabetes with its drug code, external causes after the injury
    at the initial encounter only, BMI after the obesity, Z3A beside the pregnancy code)."""
    loud = [f for f in check_encounter(fy2026_engine, load_encounter(path))
            if f.rule.startswith("guideline.") and f.severity != "info"]
    assert not loud, _listing(path, loud)
