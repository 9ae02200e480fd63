#!/usr/bin/env bash
# Removes what install.sh put in place: the bundle, the menu entry, the icons and the
# ~/.local/bin/encoder-app link. Your codebook database, encounters, practice set-up and logs
# in ~/.local/share/encoder-app are kept (back them up with `encoder-app backup -o FILE`);
# `uninstall.sh --remove-data` deletes them too, after asking.
set -euo pipefail
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
folder="$data_home/encoder-app"
remove_data=no
case "${1:-}" in
  --remove-data) remove_data=yes ;;
  "") ;;
  *) echo "usage: uninstall.sh [--remove-data]" >&2; exit 2 ;;
esac

rm -rf "$folder/bundle" "$folder/bundle.new"
rm -f "$data_home/applications/encoder-app.desktop"
rm -f "$data_home"/icons/hicolor/*/apps/encoder-app.png "$data_home/icons/hicolor/scalable/apps/encoder-app.svg"
link="$HOME/.local/bin/encoder-app"
# Only our link: a pip-installed encoder-app at the same place is not ours to remove.
if [ -L "$link" ] && [[ "$(readlink "$link")" == "$folder/bundle/"* ]]; then rm -f "$link"; fi
command -v update-desktop-database >/dev/null && update-desktop-database -q "$data_home/applications" || true
echo "removed the encoder-app bundle, menu entry and icons"

if [ "$remove_data" = yes ] && [ -d "$folder" ]; then
  read -r -p "Delete $folder with its database and encounters? Type yes: " answer
  if [ "$answer" = yes ]; then rm -rf "$folder"; echo "deleted $folder"; else echo "kept $folder"; fi
elif [ -d "$folder" ]; then
  echo "kept your data in $folder (uninstall.sh --remove-data deletes it)"
fi
