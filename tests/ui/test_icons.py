"""The app icon: every rendered PNG size is there, and the window wears it."""

from PySide6.QtCore import QSize

from ui.icons import ICON_NAME, ICON_SIZES, app_icon, icons_dir


def test_the_icon_files_are_there():
    folder = icons_dir()
    assert (folder / f"{ICON_NAME}.svg").is_file()
    for size in ICON_SIZES:
        assert (folder / f"{ICON_NAME}-{size}.png").is_file(), size


def test_the_icon_offers_every_rendered_size(qapp):
    icon = app_icon()
    assert not icon.isNull()
    sizes = set(icon.availableSizes())
    for size in ICON_SIZES:
        assert QSize(size, size) in sizes, size
    # Each PNG really is that size (a stale or misnamed render would scale, not match).
    for size in (16, 256):
        assert icon.pixmap(size, size).size() == QSize(size, size)


def test_the_main_window_has_the_icon(window):
    assert not window.windowIcon().isNull()
    assert QSize(16, 16) in window.windowIcon().availableSizes()
