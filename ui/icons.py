"""The application's icon, built from resources/icons (the SVG and its rendered PNG sizes).

In a checkout the icons are the top-level resources/icons beside ui/; an installed wheel ships
them inside this package as ui/resources/icons (pyproject.toml maps resources/ to ui.resources).
Regenerate the PNGs with resources/icons/render_icons.py after editing the SVG."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QIcon

ICON_NAME = "encoder-app"
ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)  # resources/icons/render_icons.py SIZES

_HERE = Path(__file__).resolve().parent


def icons_dir() -> Path:
    """The folder holding encoder-app.svg: the installed package's, else the checkout's."""
    candidates = (_HERE / "resources" / "icons", _HERE.parent / "resources" / "icons")
    for folder in candidates:
        if (folder / f"{ICON_NAME}.svg").is_file():
            return folder
    raise FileNotFoundError(f"no {ICON_NAME}.svg in " + " or ".join(map(str, candidates)))


def app_icon() -> QIcon:
    """The window and application icon: every rendered PNG size, and the SVG for the others.
    An empty QIcon (not an error) when the files are missing: the window still opens."""
    icon = QIcon()
    try:
        folder = icons_dir()
    except FileNotFoundError:
        return icon
    for size in ICON_SIZES:
        png = folder / f"{ICON_NAME}-{size}.png"
        if png.is_file():
            icon.addFile(str(png))
    icon.addFile(str(folder / f"{ICON_NAME}.svg"))
    return icon
