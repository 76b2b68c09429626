#!/usr/bin/env bash
# Make sure a Docker engine answers on this machine. Reuses one that already answers;
# otherwise installs Debian's docker.io (if missing) and starts dockerd in the background
# (these machines have no systemd).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"

docker_answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

if docker_answers; then
  log "Docker engine already running ($(docker version --format '{{.Server.Version}}'))"
  exit 0
fi
if ! command -v dockerd >/dev/null 2>&1; then
  apt_install docker.io iptables
fi
log "starting dockerd"
setsid dockerd >/var/log/dockerd.log 2>&1 < /dev/null &
for _ in $(seq 1 60); do
  docker_answers && { log "Docker engine is up"; exit 0; }
  sleep 1
done
echo "dockerd did not answer within 60 s; see /var/log/dockerd.log" >&2
tail -20 /var/log/dockerd.log >&2 || true
exit 1
