#!/usr/bin/env bash
# Installs the encoder-app bundle for the current user (no root needed):
#   the bundle            -> ~/.local/share/encoder-app/bundle/
#   the menu entry        -> ~/.local/share/applications/encoder-app.desktop
#   the icon              -> ~/.local/share/icons/hicolor/{16x16..256x256,scalable}/apps/
#   the terminal command  -> ~/.local/bin/encoder-app
# Run it from the bundle folder (./install.sh) or as installer/linux/install.sh after
# installer/build.sh. Running it again replaces the installed bundle; the codebook database
# and encounters in ~/.local/share/encoder-app are never touched.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -x "$here/encoder-app" ] && [ -d "$here/_internal" ]; then
  bundle="$here"                                   # ./install.sh inside the bundle folder
else
  bundle="$(dirname "$here")/dist/encoder-app"     # installer/linux/install.sh in a checkout
fi
if [ ! -x "$bundle/encoder-app" ]; then
  echo "error: no bundle at $bundle: build it first with installer/build.sh" >&2
  exit 1
fi
icons="$bundle/icons"
[ -d "$icons" ] || icons="$(dirname "$(dirname "$here")")/resources/icons"

data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
target="$data_home/encoder-app/bundle"
apps="$data_home/applications"
hicolor="$data_home/icons/hicolor"
bin="$HOME/.local/bin"

# Copy to a new folder, then swap it in: a failed copy leaves the installed version working.
mkdir -p "$data_home/encoder-app"
rm -rf "$target.new"
cp -a "$bundle" "$target.new"
rm -rf "$target"
mv "$target.new" "$target"

for png in "$icons"/encoder-app-*.png; do
  size="$(basename "$png" .png)"; size="${size#encoder-app-}"
  install -D -m 0644 "$png" "$hicolor/${size}x${size}/apps/encoder-app.png"
done
install -D -m 0644 "$icons/encoder-app.svg" "$hicolor/scalable/apps/encoder-app.svg"

exe="$target/encoder-app"
quoted="\"${exe//\"/\\\"}\""  # the Desktop Entry spec quotes a path with spaces this way
mkdir -p "$apps"
sed -e "s|^Exec=.*|Exec=$quoted|" -e "s|^TryExec=.*|TryExec=$exe|" \
    "$here/encoder-app.desktop" > "$apps/encoder-app.desktop"
chmod 0644 "$apps/encoder-app.desktop"

mkdir -p "$bin"
ln -sfn "$exe" "$bin/encoder-app"

# Menus pick up the entry and icon at once where these tools exist; elsewhere at next login.
command -v update-desktop-database >/dev/null && update-desktop-database -q "$apps" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$hicolor" || true

echo "installed encoder-app in $target"
echo "  menu: Office > Encoder; terminal: $bin/encoder-app (is ~/.local/bin on your PATH?)"
echo "  check it: $bin/encoder-app --smoke-test; remove it: $target/uninstall.sh"
