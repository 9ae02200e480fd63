"""Shared test set-up: offscreen Qt, an isolated data folder, template databases, shared data."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# GUI tests never need a screen; set before any Qt import.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED_CODEBOOKS = Path(
    os.environ.get("ENCODER_SHARED_CODEBOOKS", ROOT.parent / "shared" / "codebooks"))


@pytest.fixture(autouse=True)
def isolated_data_dir(tmp_path, monkeypatch):
    """No test reads or writes the user's real data folder or database."""
    monkeypatch.setenv("ENCODER_APP_DATA", str(tmp_path / "appdata"))
    monkeypatch.delenv("ENCODER_APP_DB_URL", raising=False)
    # Nor signs in as whoever runs the tests (cli/sign_in.py).
    monkeypatch.delenv("ENCODER_APP_USER", raising=False)
    monkeypatch.delenv("ENCODER_APP_PASSWORD", raising=False)
    return tmp_path / "appdata"


@pytest.fixture(scope="session")
def shared_codebooks_dir() -> Path:
    """The real CMS/CDC files, for session- and module-scoped fixtures; skips when absent."""
    if not SHARED_CODEBOOKS.is_dir():
        pytest.skip(f"real CMS/CDC files not present at {SHARED_CODEBOOKS} (../shared/codebooks)")
    return SHARED_CODEBOOKS


@pytest.fixture
def shared_codebooks(shared_codebooks_dir) -> Path:
    return shared_codebooks_dir


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def engine(tmp_path):
    """A new, empty database for one test."""
    from encoder_app.codebook.db import engine_for

    return engine_for(f"sqlite:///{tmp_path / 'test.sqlite3'}")


@pytest.fixture(scope="session")
def _fy2026_template(tmp_path_factory) -> Path:
    """The default FY2026 codebook, built once per test session."""
    from encoder_app.codebook.db import engine_for
    from encoder_app.codebook.default_build import build_default_codebook

    path = tmp_path_factory.mktemp("template") / "fy2026.sqlite3"
    engine = engine_for(f"sqlite:///{path}")
    for _ in build_default_codebook(engine):
        pass
    engine.dispose()
    return path


@pytest.fixture
def fy2026_engine(_fy2026_template, tmp_path):
    """A private copy of the default FY2026 codebook, so a test may import or change anything."""
    from encoder_app.codebook.db import engine_for

    path = tmp_path / "fy2026.sqlite3"
    shutil.copy(_fy2026_template, path)
    return engine_for(f"sqlite:///{path}")


@pytest.fixture(scope="session")
def _ui_template(_fy2026_template, tmp_path_factory):
    """The default FY2026 codebook with its search index, built once: the window's tests and
    the offline test open copies of it."""
    from encoder_app.codebook.db import engine_for
    from encoder_app.search import open_search_engine

    folder = tmp_path_factory.mktemp("ui")
    shutil.copy(_fy2026_template, folder / "db.sqlite3")
    engine = engine_for(f"sqlite:///{folder / 'db.sqlite3'}")
    for _ in open_search_engine(engine, folder / "index").rebuild():
        pass
    engine.dispose()
    return folder


@pytest.fixture
def default_data(_ui_template, isolated_data_dir):
    """The data folder a user has after a first start: the default codebook in
    codebook.sqlite3 and its current search index (the command line and --smoke-test read it)."""
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(_ui_template / "db.sqlite3", isolated_data_dir / "codebook.sqlite3")
    shutil.copytree(_ui_template / "index", isolated_data_dir / "search-index")
    return isolated_data_dir


@pytest.fixture
def window(_ui_template, tmp_path, qtbot):
    """A main window over a private copy of _ui_template (the window's tests, the offline test)."""
    from encoder_app.codebook.db import engine_for
    from ui.main_window import MainWindow

    shutil.copy(_ui_template / "db.sqlite3", tmp_path / "db.sqlite3")
    shutil.copytree(_ui_template / "index", tmp_path / "index")
    engine = engine_for(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    win = MainWindow(engine, tmp_path / "index")
    # A test may leave a field that cannot be saved; closing after it must not wait on a real
    # "leave without saving?" question.
    qtbot.addWidget(win, before_close_func=lambda w: setattr(w.encounters, "may_leave",
                                                             lambda: True))
    win.show()
    win.start()
    qtbot.waitUntil(lambda: win.search.box.isEnabled(), timeout=60000)
    # Window shortcuts (Ctrl+N, Ctrl+D, Alt+Left, the chart's Ctrl+Up) reach only the active
    # window. A slow start-up (a loaded machine) shows the "Preparing the codebook" progress
    # dialog, and when it closes the offscreen platform leaves no window active, where a
    # desktop's window manager hands activation back to the main window: do what it does.
    with qtbot.waitActive(win):
        win.activateWindow()
    return win


@pytest.fixture(scope="session")
def postgres_cluster():
    """A throwaway PostgreSQL cluster for the session (tests/postgres_cluster.py); skips with
    the reason when PostgreSQL or psycopg is missing."""
    from tests.postgres_cluster import remove_cluster, start_cluster

    cluster, why = start_cluster()
    if cluster is None:
        pytest.skip(f"no PostgreSQL server for the server tests: {why}")
    yield cluster
    remove_cluster(cluster)


@pytest.fixture
def pg_url(postgres_cluster) -> str:
    """The URL of a new, empty PostgreSQL database for one test."""
    return postgres_cluster.new_database()


@pytest.fixture
def run_cli(capsys, monkeypatch):
    """Run `encoder-app ARGS` in-process with ``stdin`` as its standard input:
    (exit status, stdout, stderr)."""
    import io

    from encoder_app.cli.main import main

    def run(*argv: str, stdin: str = "") -> tuple[int, str, str]:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        code = main(list(argv))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run
