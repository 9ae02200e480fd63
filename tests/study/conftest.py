"""A study codebook: the default FY2026 Tabular List with the real HCPCS release, the Alphabetic
Index, External Cause Index and the Neoplasm and Drug tables from ../shared, built once per test
session (skipped with a reason where ../shared is absent)."""

from __future__ import annotations

import shutil

import pytest

STUDY_FILES = [
    "hcpcs-2024q3/HCPC2024_JUL_ANWEB.csv",
    "icd10cm-2025/icd10cm_index_2025.xml",
    "icd10cm-2025/icd10cm_eindex_2025.xml",
    "icd10cm-2025/icd10cm_neoplasm_2025.xml",
    "icd10cm-2025/icd10cm_drug_2025.xml",
]


@pytest.fixture(scope="session")
def _study_template(_fy2026_template, shared_codebooks_dir, tmp_path_factory):
    from encoder_app.codebook.db import engine_for
    from encoder_app.importers import import_paths

    path = tmp_path_factory.mktemp("study") / "study.sqlite3"
    shutil.copy(_fy2026_template, path)
    engine = engine_for(f"sqlite:///{path}")
    import_paths([shared_codebooks_dir / f for f in STUDY_FILES], engine)
    engine.dispose()
    return path


@pytest.fixture
def study_engine(_study_template, tmp_path):
    """A private copy of the study codebook."""
    from encoder_app.codebook.db import engine_for

    path = tmp_path / "study.sqlite3"
    shutil.copy(_study_template, path)
    return engine_for(f"sqlite:///{path}")


@pytest.fixture(scope="session")
def study_engine_shared(_study_template):
    """The study codebook itself, for tests that only read it (one engine for the session)."""
    from encoder_app.codebook.db import engine_for

    return engine_for(f"sqlite:///{_study_template}")
