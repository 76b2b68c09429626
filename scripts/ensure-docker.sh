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
start_dockerd() {
  log "starting dockerd"
  local from; from=$(stat -c %s /var/log/dockerd.log 2>/dev/null || echo 0)
  setsid dockerd >>/var/log/dockerd.log 2>&1 < /dev/null &
  local pid=$!
  for _ in $(seq 1 60); do
    docker_answers && { log "Docker engine is up"; return 0; }
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  # Docker 20.10 panics at start on a network record half-deleted by an earlier shutdown
  # (moby/moby#45057): repair the record once, then try again.
  if ! kill -0 "$pid" 2>/dev/null && tail -c +"$((from + 1))" /var/log/dockerd.log | grep -q reservePools; then
    return 2
  fi
  return 1
}

rc=0; start_dockerd || rc=$?
if [ "$rc" -eq 2 ]; then
  log "dockerd stopped at start on a broken network record; repairing it"
  (cd "$here/.." && node --import tsx scripts/repair-docker-network-store.ts)
  rc=0; start_dockerd || rc=$?
fi
[ "$rc" -eq 0 ] && exit 0
echo "dockerd did not answer within 60 s; see /var/log/dockerd.log" >&2
tail -20 /var/log/dockerd.log >&2 || true
exit 1
