"""A main window over a private copy of the default FY2026 codebook with its search index."""

import shutil

import pytest

from encoder_app.codebook.db import engine_for


@pytest.fixture(scope="session")
def _ui_template(_fy2026_template, tmp_path_factory):
    from encoder_app.search import open_search_engine

    folder = tmp_path_factory.mktemp("ui")
    shutil.copy(_fy2026_template, folder / "db.sqlite3")
    engine = engine_for(f"sqlite:///{folder / 'db.sqlite3'}")
    for _ in open_search_engine(engine, folder / "index").rebuild():
        pass
    engine.dispose()
    return folder


@pytest.fixture
def window(_ui_template, tmp_path, qtbot):
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
    return win
