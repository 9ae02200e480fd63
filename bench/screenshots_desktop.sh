#!/usr/bin/env bash
# Screenshots of the app on a real X11 desktop: a window manager (openbox) drawing the title
# bar with the window's icon, a taskbar (tint2) and the Alt+Tab switcher, at the two screen
# sizes coders have (1366x768 laptops, 1920x1080 desk monitors), light and dark.
#
#   bench/screenshots_desktop.sh OUT_DIR [EXECUTABLE] [DATA_FOLDER]
#
# EXECUTABLE defaults to the built bundle (installer/dist/encoder-app/encoder-app); DATA_FOLDER
# to a new one (the first start builds the codebook, ~15 s). Needs Debian's xvfb, openbox,
# tint2, xdotool and imagemagick (apt-get install -y xvfb openbox tint2 xdotool imagemagick).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:?usage: screenshots_desktop.sh OUT_DIR [EXECUTABLE] [DATA_FOLDER]}"
exe="${2:-$root/installer/dist/encoder-app/encoder-app}"
data="${3:-$(mktemp -d)/data}"
mkdir -p "$out" "$data"

shoot() {  # size theme
  local size=$1 theme=$2 display=:$((90 + RANDOM % 9)) name="$1-$2"
  Xvfb "$display" -screen 0 "${size}x24" -nolisten tcp & local xvfb=$!
  sleep 1
  export DISPLAY=$display
  openbox & local wm=$!
  tint2 >/dev/null 2>&1 & local bar=$!
  printf '{"theme": "%s"}\n' "$theme" > "$data/preferences.json"
  ENCODER_APP_DATA="$data" QT_QPA_PLATFORM=xcb "$exe" >/dev/null 2>&1 & local app=$!
  local win
  win=$(xdotool search --sync --all --class --name '^Encoder$' | head -n 1)
  xdotool windowactivate --sync "$win" || true
  # The search box takes focus once the codebook is ready; a first start builds it.
  sleep 20
  xdotool type --delay 40 "dm2 w neuropathy"
  sleep 2
  import -window root "$out/$name-window.png"
  xdotool keydown alt key Tab
  sleep 1
  import -window root "$out/$name-alt-tab.png"
  xdotool keyup alt
  # The class the menu entry's StartupWMClass names, and whether the icon reached X11.
  { xprop -id "$win" WM_CLASS; xprop -id "$win" _NET_WM_ICON | grep -c "Icon ("; } \
    > "$out/$name-xprop.txt" 2>&1 || true
  kill "$app" "$bar" "$wm" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  kill "$xvfb"; wait "$xvfb" 2>/dev/null || true
  echo "wrote $out/$name-window.png and $name-alt-tab.png"
}

for size in 1366x768 1920x1080; do
  for theme in light dark; do
    shoot "$size" "$theme"
  done
done
