# Shared helpers for the setup scripts (sourced, not run).
log() { printf '[coursedock] %s\n' "$*" >&2; }

# Prefer Debian's docker client over any other on PATH (it matches the engine we start).
if [ -x /usr/bin/docker ]; then PATH="/usr/bin:$PATH"; export PATH; fi

apt_updated=""
apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ -z "$apt_updated" ]; then apt-get update -qq; apt_updated=1; fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}
