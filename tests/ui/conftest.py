"""A main window over a private copy of the default FY2026 codebook with its search index
(_ui_template, in tests/conftest.py)."""

import shutil

import pytest

from encoder_app.codebook.db import engine_for


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
