"""Each shared CMS/CDC reference file is recognised by its content as the right format."""

from __future__ import annotations

import pytest

from encoder_app.importers import registry
from encoder_app.importers.sources import expand

EXPECTED = {
    "icd10pcs-2023/icd10pcs_tables_2023.xml": "icd10pcs_tables",
    "icd10pcs-2023/icd10pcs_definitions_2023.xml": "icd10pcs_definitions",
    "mce-v41/mce_v41_age_sex_manifestation.csv": "mce",
    "ncci-2024q3/ncci_ptp_practitioner_2024q3.csv.gz": "ncci_ptp",
    "ncci-2024q3/ncci_ptp_outpatient_hospital_2024q3.csv.gz": "ncci_ptp",
    "ncci-2024q3/mue_practitioner_2024q3.csv": "ncci_mue",
    "ncci-2024q3/mue_outpatient_2024q3.csv": "ncci_mue",
    "ncci-2024q3/mue_dme_2024q3.csv": "ncci_mue",
    "ncci-2024q3/aoc_2024q3.csv": "ncci_addon",
}

FIXTURES = {
    "pcs/icd10pcs_tables_fixture.xml": "icd10pcs_tables",
    "pcs/icd10pcs_definitions_fixture.xml": "icd10pcs_definitions",
    "mce/mce_v41_fixture.csv": "mce",
    "ncci/ncci_ptp_practitioner_2024q3.csv": "ncci_ptp",
    "ncci/ccipra-v302r0-f1.txt": "ncci_ptp",
    "ncci/mue_dme_2024q3.csv": "ncci_mue",
    "ncci/aoc_2024q3.csv": "ncci_addon",
    "ncci/AOC_V2024Q3-F-MCR.txt": "ncci_addon",
}


def _sniffed(path) -> str | None:
    [(source, _)] = list(expand([path]))
    mod = registry.importer_for(source)
    return mod.__name__.rsplit(".", 1)[-1] if mod else None


@pytest.mark.parametrize("name", sorted(FIXTURES))
def test_fixture_sniffed(fixtures, name):
    assert _sniffed(fixtures / name) == FIXTURES[name]


@pytest.mark.shared_data
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_shared_file_sniffed(shared_codebooks, name):
    assert _sniffed(shared_codebooks / name) == EXPECTED[name]
