"""Writes the Windows .ico and macOS .icns of the app icon from its rendered PNG sizes
(resources/icons/encoder-app-<size>.png) into installer/build/, with Pillow:

    python installer/make_icons.py

The Inno Setup script takes the .ico for the setup program; the spec's executable icon is the
PNG, which PyInstaller converts itself. Both come from the same PNGs as the Linux icons."""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
ICONS = ROOT / "resources" / "icons"
SIZES = (16, 24, 32, 48, 64, 128, 256)


def make_icons(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    largest = Image.open(ICONS / "encoder-app-256.png").convert("RGBA")
    ico = out / "encoder-app.ico"
    # Each size from its own hand-checked render, not scaled from the largest.
    frames = [Image.open(ICONS / f"encoder-app-{s}.png").convert("RGBA") for s in SIZES]
    largest.save(ico, format="ICO", sizes=[(s, s) for s in SIZES], append_images=frames)
    icns = out / "encoder-app.icns"
    # Retina sizes (512, 1024) are scaled up from 256: a Mac build that cares renders the SVG
    # larger with resources/icons/render_icons.py first.
    largest.save(icns, format="ICNS", append_images=[f for f in frames if f.width in (16, 32, 128)])
    return [ico, icns]


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "installer" / "build"
    for path in make_icons(out):
        print(f"wrote {path} ({path.stat().st_size:,} bytes)")
