#!/usr/bin/env bash
# Installs what is needed and runs Coursedock: the desktop app where a display and an Electron
# binary exist, otherwise the browser shell (open the URL it prints).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/.."
bash "$here/setup.sh"
course=${1:-tm351}
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && node -e "require('electron')" >/dev/null 2>&1 && [ -x "$(node -e "console.log(require('electron'))" 2>/dev/null)" ]; then
  exec npm start
fi
echo "[coursedock] no display or Electron binary here: starting the browser shell" >&2
node bin/coursedock.js up "$course" || echo "[coursedock] some services did not start; the panel shows why" >&2
exec node bin/coursedock.js serve --course "$course" --port "${COURSEDOCK_PORT:-8350}"
