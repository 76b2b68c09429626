#!/usr/bin/env bash
# `npm start`: builds the desktop app (panel, main process, preload) and launches it with the
# Electron binary from node_modules. Where there is no Electron binary (its download blocked or
# skipped: ELECTRON_SKIP_BINARY_DOWNLOAD) or no display, it says so in one line, points to the
# browser shell, and exits 0.
#
#   bash scripts/start-desktop.sh [--build-only] [-- electron args, e.g. --course tm351]
#
# Outputs: dist/renderer (vite), dist/electron/main.js (ESM, node_modules left external),
# dist/electron/preload.cjs (one CommonJS file: a sandboxed preload cannot load modules).
# electron-builder packages those: run with --build-only first (see electron-builder.yml).
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

esbuild=node_modules/.bin/esbuild
node node_modules/vite/bin/vite.js build --logLevel warn
"$esbuild" electron/main.ts --bundle --platform=node --format=esm --target=node20 \
  --packages=external --sourcemap --log-level=warning --outfile=dist/electron/main.js
"$esbuild" electron/preload.ts --bundle --platform=browser --format=cjs --target=chrome120 \
  --external:electron --sourcemap --log-level=warning --outfile=dist/electron/preload.cjs

[ "$build_only" = 1 ] && exit 0
unset ELECTRON_RUN_AS_NODE
exec "$bin" . "$@"
