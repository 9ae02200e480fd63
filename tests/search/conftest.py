"""A search index over the default FY2026 codebook plus a few HCPCS fixture codes, built once."""

import shutil
from pathlib import Path

import pytest

from encoder_app.codebook.db import engine_for
from encoder_app.importers import import_paths
from encoder_app.search import open_search_engine

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.fixture(scope="session")
def build_search(_fy2026_template, tmp_path_factory):
    """Makes a search engine over a copy of the FY2026 codebook with more release files
    imported (for module fixtures that need more of the real data than the default)."""
    def build(name: str, files: list[Path]):
        return _built(_fy2026_template, tmp_path_factory.mktemp(name), files)
    return build


def _built(template: Path, folder: Path, files: list[Path]):
    shutil.copy(template, folder / "db.sqlite3")
    engine = engine_for(f"sqlite:///{folder / 'db.sqlite3'}")
    import_paths(files, engine)
    search = open_search_engine(engine, folder / "index")
    for _ in search.rebuild():
        pass
    return search


@pytest.fixture(scope="session")
def _search_template(_fy2026_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("search")
    db = folder / "codebook.sqlite3"
    shutil.copy(_fy2026_template, db)
    engine = engine_for(f"sqlite:///{db}")
    import_paths([FIXTURES / "hcpcs" / "HCPC2024_JUL_ANWEB.csv"], engine)
    search = open_search_engine(engine, folder / "index")
    for _ in search.rebuild():
        pass
    return folder


@pytest.fixture(scope="session")
def search(_search_template):
    """A loaded search engine (shared, read-only: do not import into its database)."""
    engine = engine_for(f"sqlite:///{_search_template / 'codebook.sqlite3'}")
    return open_search_engine(engine, _search_template / "index")
