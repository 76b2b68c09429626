#!/bin/bash
# Starts OpenRefine and publishes it on port 3333 only once it is warmed up.
#
# Why: OpenRefine compiles its page controller (JavaScript, in Rhino) on the first request for a
# page. On a busy computer that takes many seconds, and every request that arrives meanwhile
# (readiness probes, a browser retrying) starts the same compilation on another thread; enough of
# them at once exhaust its thread pool and it never answers. So OpenRefine listens on 3334,
# inside the container only; this script asks it, one request at a time, for its version and then
# its start page, and only then forwards 3333 (published on 127.0.0.1 by the spec) to it. Before
# that, a connection to 3333 is refused: "not ready yet", not a request that piles up.
#
# Its projects live in /var/lib/openrefine (a named volume). Docker's stop signal is passed on to
# OpenRefine, which writes open projects to that volume before it exits.
set -uo pipefail
cd /usr/share/openrefine
./refine -i 127.0.0.1 -H '*' -p 3334 -d /var/lib/openrefine -m "${REFINE_MEMORY:-768M}" -x refine.headless=true "$@" &
refine=$!
forward=
stop() {
  [[ -n $forward ]] && kill "$forward" 2>/dev/null
  kill -TERM "$refine" 2>/dev/null
}
trap stop TERM INT

until curl -fsS --max-time 30 -o /dev/null http://127.0.0.1:3334/command/core/get-version 2>/dev/null; do
  kill -0 "$refine" 2>/dev/null || { wait "$refine"; exit $?; }
  sleep 1
done
curl -sS --max-time 600 -o /dev/null http://127.0.0.1:3334/ || true
echo "OpenRefine is ready: forwarding port 3333 to it"
socat TCP-LISTEN:3333,fork,reuseaddr TCP:127.0.0.1:3334 &
forward=$!

# wait returns early when a trapped signal arrives: wait again for OpenRefine to finish saving.
wait "$refine"
status=$?
kill -0 "$refine" 2>/dev/null && wait "$refine" && status=$?
[[ -n $forward ]] && kill "$forward" 2>/dev/null
exit "$status"
