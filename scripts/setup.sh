#!/usr/bin/env bash
# Installs everything Coursedock needs on a Debian machine and prepares the course images.
# Idempotent: reuses a running Docker engine, installed packages, node_modules and built images.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/.." && pwd)
. "$here/lib.sh"
cd "$repo"

# Debian packages: the engine (when none answers), Compose v1 (benchmarks and the
# compatibility test), Chromium (the browser shell's tests), mmdebstrap (base image), psql,
# docker-registry (a local registry for the real pull path in tests).
pkgs=(chromium mmdebstrap postgresql-client docker-compose docker-registry)
docker version --format '{{.Server.Version}}' >/dev/null 2>&1 || pkgs+=(docker.io iptables)
apt_install "${pkgs[@]}"

# npm packages; the Electron binary cannot be downloaded here (the desktop shell is type-checked).
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
fi

bash "$here/ensure-docker.sh"
bash "$here/ensure-base-image.sh"

log "preparing course images"
for spec in compose-specs/*/compose.yml; do
  course=$(basename "$(dirname "$spec")")
  node bin/coursedock.js build "$course"
done

# The compiled app (scripts/build.mjs): CLI and browser shell, Electron main and preload, and the
# panel when its sources changed. bin/coursedock.js and the tests run this output.
log "building the app"
if [ ! -f dist/renderer/index.html ] || [ -n "$(find renderer vite.config.ts -newer dist/renderer/index.html -type f 2>/dev/null | head -1)" ]; then
  node scripts/build.mjs
else
  node scripts/build.mjs --no-renderer
fi
log "setup complete"
