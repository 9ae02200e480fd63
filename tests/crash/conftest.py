"""Set-up for the crash and two-process tests: the `crash` marker and one prepared data folder
(a small ICD-10-CM tabular, the real HCPCS file and their search index) that each test copies."""

from __future__ import annotations

import pytest
from crash_helpers import DB_NAME, INDEX_NAME, checkpoint

FIXTURES_TABULAR = "tabular/tabular_mini_2031.xml"


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "crash: kills encoder-app processes, or runs two at once, on a data folder "
        "(tests/crash; select with -m crash)")


@pytest.fixture(scope="session")
def gem_file(shared_codebooks_dir):
    """A real release file whose import takes about a second (78,838 GEM rows)."""
    return shared_codebooks_dir / "gems-2018" / "icd10cmtoicd9gem.csv"


@pytest.fixture(scope="session")
def long_import_file(shared_codebooks_dir):
    """A real release file whose import holds the write lock for several seconds."""
    return shared_codebooks_dir / "ncci-2024q3" / "ncci_ptp_outpatient_hospital_2024q3.csv.gz"


@pytest.fixture(scope="session")
def base_data(tmp_path_factory, shared_codebooks_dir):
    """A data folder with a small tabular (so no default build runs), the real HCPCS Level II
    file (8,033 codes: an index that takes a second or two to build) and a current index."""
    from pathlib import Path

    from encoder_app.codebook.db import engine_for
    from encoder_app.importers.runner import import_paths
    from encoder_app.search import open_search_engine

    fixtures = Path(__file__).resolve().parents[1] / "fixtures"
    data = tmp_path_factory.mktemp("crash-base")
    engine = engine_for(f"sqlite:///{data / DB_NAME}")
    import_paths([fixtures / FIXTURES_TABULAR,
                  shared_codebooks_dir / "hcpcs-2024q3" / "HCPC2024_JUL_ANWEB.csv"], engine)
    for _ in open_search_engine(engine, data / INDEX_NAME).rebuild():
        pass
    engine.dispose()
    checkpoint(data / DB_NAME)
    return data
