#!/usr/bin/env bash
# Builds the self-contained desktop bundle with PyInstaller:
#     bash installer/build.sh        ->  installer/dist/encoder-app/encoder-app
# The bundle holds Python, Qt, every data file the app reads and the FY2026 ICD-10-CM Tabular
# List of the default codebook; it runs with no Python on PATH and no virtual environment.
# It is built from a fresh virtual environment (installer/build/venv) with a normal, not an
# editable, install of the project, so nothing on the build machine can hide a missing file.
# Then installer/linux/install.sh puts it in the menu (see installer/README.md).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"
python="${PYTHON:-python3}"

venv="$here/build/venv"
rm -rf "$venv" "$here/build/work" "$here/dist/encoder-app"
echo "+ $python -m venv $venv"
"$python" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --upgrade pip
echo "+ pip install '.[gui,encrypt,bundle]'"
"$venv/bin/python" -m pip install --quiet "$root[gui,encrypt,bundle]"

echo "+ pyinstaller installer/encoder-app.spec"
"$venv/bin/pyinstaller" --noconfirm --log-level WARN \
  --distpath "$here/dist" --workpath "$here/build/work" "$here/encoder-app.spec"

dist="$here/dist/encoder-app"
# The bundle folder is what gets copied to another PC: it carries its own menu entry, icon and
# install scripts, so `./install.sh` inside it is the whole installation.
cp "$here/linux/install.sh" "$here/linux/uninstall.sh" "$here/linux/encoder-app.desktop" "$dist/"
mkdir -p "$dist/icons"
cp "$root"/resources/icons/encoder-app.svg "$root"/resources/icons/encoder-app-*.png "$dist/icons/"
chmod +x "$dist/install.sh" "$dist/uninstall.sh"
rm -rf "$venv"  # 300 MB that only the build needed

size=$(du -sh "$dist" | cut -f1)
echo "built $dist/encoder-app ($size); try: $dist/encoder-app --smoke-test"
