"""The theme and the window's layout are kept between runs (preferences.json)."""

import shutil

from PySide6.QtWidgets import QApplication

from encoder_app import preferences


def test_the_chosen_theme_is_remembered(window):
    assert preferences.theme() == "system"  # nothing chosen yet
    from PySide6.QtGui import QAction

    dark = [a for a in window.findChildren(QAction) if a.text() == "&Dark theme"]
    assert len(dark) == 1
    app = QApplication.instance()
    before = app.palette()
    try:
        dark[0].trigger()
        assert preferences.theme() == "dark"
        assert app.palette().window().color().name() == "#202124"  # applied now, too
    finally:
        app.setPalette(before)  # the other tests' windows keep theirs


def test_the_window_layout_comes_back_in_the_next_window(window, tmp_path, qtbot):
    from encoder_app.codebook.db import engine_for
    from ui.main_window import MainWindow

    default = window.splitter.sizes()
    assert default[0] > default[1]  # the search pane is the widest by default
    window.splitter.setSizes([500, 500, 500])
    window.close()
    assert set(preferences.window_layout()) == {"geometry", "panes"}
    shutil.copy(tmp_path / "db.sqlite3", tmp_path / "db2.sqlite3")
    again = MainWindow(engine_for(f"sqlite:///{tmp_path / 'db2.sqlite3'}"), tmp_path / "index")
    qtbot.addWidget(again)
    again.show()
    search, detail, _chart = again.splitter.sizes()
    assert search == detail  # as the coder left them, not the default


def test_a_damaged_layout_or_theme_falls_back_to_the_defaults(isolated_data_dir):
    isolated_data_dir.mkdir(parents=True, exist_ok=True)
    (isolated_data_dir / "preferences.json").write_text('{"theme": "purple", "window": 3}')
    assert preferences.theme() == "system" and preferences.window_layout() == {}


def test_the_first_window_fits_the_screen_it_opens_on():
    from PySide6.QtCore import QRect

    from ui.window_layout import DEFAULT_SIZE, first_geometry

    desk = first_geometry(QRect(0, 0, 1920, 1040))  # 1920x1080 with a 40-pixel taskbar
    assert desk.size() == DEFAULT_SIZE and desk.center() == QRect(0, 0, 1920, 1040).center()
    assert QRect(0, 0, 1920, 1040).contains(desk)
    # A 1366x768 laptop: the default (1400x860) does not fit, so the window opens maximized.
    assert first_geometry(QRect(0, 0, 1366, 728)) is None
    # A second monitor to the right: centred on that one.
    assert QRect(1920, 0, 2560, 1400).contains(first_geometry(QRect(1920, 0, 2560, 1400)))
