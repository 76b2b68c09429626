#!/usr/bin/env bash
# `npm start`: builds the desktop app (panel, main process, preload) and launches it with the
# Electron binary from node_modules. Where there is no Electron binary (its download blocked or
# skipped: ELECTRON_SKIP_BINARY_DOWNLOAD) or no display, it says so in one line, points to the
# browser shell, and exits 0.
#
#   bash scripts/start-desktop.sh [--build-only] [-- electron args, e.g. --course tm351]
#
# The build is `npm run build` (scripts/build.mjs): dist/renderer, dist/electron/main.js,
# dist/electron/preload.cjs, dist/cli. electron-builder's beforePack hook runs the same script,
# so installers are made from the same output (electron-builder.yml).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."

build_only=0
if [ "${1:-}" = "--build-only" ]; then build_only=1; shift; fi
[ "${1:-}" = "--" ] && shift

if [ "$build_only" = 0 ]; then
  # require('electron') is the binary's path, and throws when the binary was never downloaded.
  bin=$(node -e "process.stdout.write(require('electron'))" 2>/dev/null || true)
  if [ -z "$bin" ] || [ ! -x "$bin" ]; then
    echo "[coursedock] No Electron binary on this machine (its download is blocked or was skipped), so the desktop app cannot start here: use the browser shell instead: npm run app (or: node bin/coursedock.js serve --course tm351)"
    exit 0
  fi
  if [ "$(uname -s)" = "Linux" ] && [ -z "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
    echo "[coursedock] No display here (DISPLAY and WAYLAND_DISPLAY are unset), so the desktop app cannot open a window: use the browser shell instead: npm run app (or: node bin/coursedock.js serve --course tm351)"
    exit 0
  fi
fi

node scripts/build.mjs   # the same build as npm run build and electron-builder

[ "$build_only" = 1 ] && exit 0
unset ELECTRON_RUN_AS_NODE
exec "$bin" . "$@"
