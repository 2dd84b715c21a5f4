#!/usr/bin/env bash
# Install a built bundle (dist/listening-coach) for the current user: program, launcher, icons, menu entry.
# Usage: packaging/install-linux.sh [BUNDLE_DIR]   Uninstall: packaging/install-linux.sh --uninstall
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
share="${XDG_DATA_HOME:-$HOME/.local/share}"
bin="$HOME/.local/bin"
if [[ "${1:-}" == "--uninstall" ]]; then
  rm -rf "$share/listening-coach" "$bin/listening-coach" "$share/applications/listening-coach.desktop"
  find "$share/icons/hicolor" -name 'listening-coach.*' -delete 2>/dev/null || true
  echo "Listening Coach removed (your recordings and database are kept)."
  exit 0
fi
bundle="${1:-$here/../dist/listening-coach}"
[[ -x "$bundle/listening-coach" ]] || { echo "No built bundle at $bundle: run packaging/build.sh first." >&2; exit 2; }
mkdir -p "$share" "$bin" "$share/applications"
rm -rf "$share/listening-coach.new"
cp -a "$bundle" "$share/listening-coach.new"
rm -rf "$share/listening-coach" && mv "$share/listening-coach.new" "$share/listening-coach"
ln -sf "$share/listening-coach/listening-coach" "$bin/listening-coach"
for png in "$here"/icons/listening-coach-*.png; do
  size="${png##*-}"; size="${size%.png}"
  install -Dm644 "$png" "$share/icons/hicolor/${size}x${size}/apps/listening-coach.png"
done
install -Dm644 "$here/../resources/icons/listening-coach.svg" "$share/icons/hicolor/scalable/apps/listening-coach.svg"
sed "s|^Exec=listening-coach|Exec=$bin/listening-coach|; s|^TryExec=listening-coach|TryExec=$bin/listening-coach|" \
  "$here/listening-coach.desktop" > "$share/applications/listening-coach.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$share/applications" || true
echo "Installed: run 'listening-coach' or open Listening Coach from your applications menu."
